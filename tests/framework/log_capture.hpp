#pragma once
// Test support: what a named Rodeo logger writes while a log_capture lives, at `level` and
// above, one message per line (the logger's own sinks keep writing too).

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <sstream>
#include <string>

namespace rodeo::test {

class log_capture {
 public:
  log_capture(std::shared_ptr<spdlog::logger> logger, spdlog::level::level_enum level)
      : logger_(std::move(logger)), level_(logger_->level()) {
    sink_ = std::make_shared<spdlog::sinks::ostream_sink_mt>(out_);
    sink_->set_pattern("[%n] [%l] %v");
    logger_->sinks().push_back(sink_);
    logger_->set_level(level);
  }
  ~log_capture() {
    auto& sinks = logger_->sinks();
    for (auto i = sinks.begin(); i != sinks.end(); ++i)
      if (*i == sink_) {
        sinks.erase(i);
        break;
      }
    logger_->set_level(level_);
  }
  log_capture(const log_capture&) = delete;
  log_capture& operator=(const log_capture&) = delete;

  /// Everything captured so far.
  std::string text() {
    logger_->flush();
    return out_.str();
  }

 private:
  std::shared_ptr<spdlog::logger> logger_;
  spdlog::level::level_enum level_;
  std::ostringstream out_;
  std::shared_ptr<spdlog::sinks::ostream_sink_mt> sink_;
};

}  // namespace rodeo::test
