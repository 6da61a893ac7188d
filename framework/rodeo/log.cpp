#include "rodeo/log.hpp"

#include <spdlog/sinks/stdout_sinks.h>

#include <cstdlib>
#include <mutex>

namespace rodeo::log {

namespace {

spdlog::level::level_enum initial_level() {
  const char* env = std::getenv("RODEO_LOG");
  return env ? spdlog::level::from_str(env) : spdlog::level::info;
}

std::shared_ptr<spdlog::logger> named(const char* name, bool to_stdout = false) {
  // spdlog's registry is process-wide and thread-safe; get-or-create under a mutex so two
  // io threads logging first at once do not both register the same name.
  static std::mutex mtx;
  std::lock_guard<std::mutex> guard{mtx};
  if (auto existing = spdlog::get(name)) return existing;
  auto logger = to_stdout ? spdlog::stdout_logger_mt(name) : spdlog::stderr_logger_mt(name);
  logger->set_level(initial_level());
  logger->set_pattern(to_stdout ? "%v" : "[%Y-%m-%d %H:%M:%S.%e] [%n] [%l] %v");
  return logger;
}

}  // namespace

std::shared_ptr<spdlog::logger> net() {
  static auto l = named("rodeo.net");
  return l;
}
std::shared_ptr<spdlog::logger> h1() {
  static auto l = named("rodeo.h1");
  return l;
}
std::shared_ptr<spdlog::logger> h2() {
  static auto l = named("rodeo.h2");
  return l;
}
std::shared_ptr<spdlog::logger> tls() {
  static auto l = named("rodeo.tls");
  return l;
}
std::shared_ptr<spdlog::logger> access() {
  static auto l = named("rodeo.access", true);
  return l;
}
std::shared_ptr<spdlog::logger> app() {
  static auto l = named("rodeo.app");
  return l;
}

std::shared_ptr<spdlog::logger> push() {
  static auto l = named("rodeo.push");
  return l;
}

void set_level(std::string_view level) {
  auto lv = spdlog::level::from_str(std::string{level});
  for (auto& l : {net(), h1(), h2(), tls(), access(), app(), push()}) l->set_level(lv);
}

}  // namespace rodeo::log
