// gzip through zlib's deflate with a gzip wrapper (windowBits 15 + 16).
#include <zlib.h>

#include <stdexcept>

#include "rodeo/internal/compress/content_encoder.hpp"

namespace rodeo {

namespace {

class gzip_encoder final : public content_encoder {
 public:
  explicit gzip_encoder(int level) {
    if (deflateInit2(&z_, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
      throw std::runtime_error("gzip: deflateInit2 failed");
  }
  ~gzip_encoder() override { deflateEnd(&z_); }
  gzip_encoder(const gzip_encoder&) = delete;
  gzip_encoder& operator=(const gzip_encoder&) = delete;

  std::string_view name() const override { return "gzip"; }

  void encode(std::string_view in, mode m, std::string& out) override {
    if (done_) return;
    int flush = m == mode::finish ? Z_FINISH : m == mode::flush ? Z_SYNC_FLUSH : Z_NO_FLUSH;
    z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z_.avail_in = static_cast<uInt>(in.size());
    for (;;) {
      auto at = out.size();
      auto room = deflateBound(&z_, z_.avail_in) + 64;
      out.resize(at + room);
      z_.next_out = reinterpret_cast<Bytef*>(out.data() + at);
      z_.avail_out = static_cast<uInt>(room);
      int rc = deflate(&z_, flush);
      out.resize(at + room - z_.avail_out);
      if (rc == Z_STREAM_END) {
        done_ = true;
        return;
      }
      if (rc != Z_OK && rc != Z_BUF_ERROR) throw std::runtime_error("gzip: deflate failed");
      // Done when the input is used up and deflate had room left (nothing more pending).
      if (z_.avail_in == 0 && z_.avail_out != 0 && flush != Z_FINISH) return;
    }
  }

 private:
  z_stream z_{};
  bool done_ = false;
};

}  // namespace

std::unique_ptr<content_encoder> make_gzip_encoder(int level) {
  return std::make_unique<gzip_encoder>(level);
}

}  // namespace rodeo
