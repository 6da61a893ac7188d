#pragma once
// A uniquely named directory under the system's temp directory, removed with its contents
// when the test ends. For tests that need real files, directories and symlinks.

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <string_view>

namespace rodeo::test {

class temp_dir {
 public:
  temp_dir() {
    namespace fs = std::filesystem;
    static std::atomic<unsigned> counter{0};
    const auto stamp = std::chrono::steady_clock::now().time_since_epoch().count();
    for (int attempt = 0; attempt < 100; ++attempt) {
      auto p =
          fs::temp_directory_path() / ("rodeo-static-" + std::to_string(::getpid()) + "-" +
                                       std::to_string(stamp) + "-" + std::to_string(counter++));
      if (fs::create_directory(p)) {
        // The canonical path: the temp directory itself may sit behind a symlink, and the
        // code under test compares realpaths.
        path_ = fs::canonical(p);
        return;
      }
    }
    throw std::runtime_error("could not create a unique temp directory");
  }
  ~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  /// The canonical path of `rel` inside, as a string ("" for the directory itself).
  std::string str(std::string_view rel = {}) const {
    return rel.empty() ? path_.string() : (path_ / rel).string();
  }

  /// Writes `content` to `rel`, creating parent directories.
  void write(std::string_view rel, std::string_view content) const {
    const auto p = path_ / rel;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream f(p, std::ios::binary | std::ios::trunc);
    f.write(content.data(), static_cast<std::streamsize>(content.size()));
  }
  void mkdir(std::string_view rel) const { std::filesystem::create_directories(path_ / rel); }
  /// A symlink at `rel` pointing to `target` (as given: relative or absolute).
  void symlink(const std::string& target, std::string_view rel) const {
    std::filesystem::create_symlink(target, path_ / rel);
  }

 private:
  std::filesystem::path path_;
};

}  // namespace rodeo::test
