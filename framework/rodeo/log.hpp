#pragma once
/// \file
/// Rodeo's named loggers (spdlog): rodeo.net, rodeo.h1, rodeo.h2, rodeo.tls, rodeo.access,
/// rodeo.app, rodeo.push. The level comes from the environment variable RODEO_LOG (trace, debug, info,
/// warn, error, off; default info) or from set_log_level. Sans-I/O engines never log: their
/// connection logs what they report.

#include <spdlog/spdlog.h>

#include <memory>
#include <string_view>

namespace rodeo::log {

std::shared_ptr<spdlog::logger> net();
std::shared_ptr<spdlog::logger> h1();
std::shared_ptr<spdlog::logger> h2();
std::shared_ptr<spdlog::logger> tls();
/// One line per request: method, path, status, bytes, duration, protocol, stream id.
std::shared_ptr<spdlog::logger> access();
std::shared_ptr<spdlog::logger> app();
/// Server push, whatever the protocol (a push skipped over HTTP/1.1 is logged here).
std::shared_ptr<spdlog::logger> push();

/// Sets the level of every Rodeo logger ("debug", "info", "warn", "off"...).
void set_level(std::string_view level);

}  // namespace rodeo::log
