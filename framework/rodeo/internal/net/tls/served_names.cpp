#include "rodeo/internal/net/tls/served_names.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>

#include "rodeo/http/lex.hpp"

namespace rodeo::tls {

namespace {

// The 4 or 16 bytes of an IP literal, or "" for a name.
std::string ip_bytes(std::string_view host) {
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  std::string text{host};
  unsigned char buf[16];
  if (inet_pton(AF_INET, text.c_str(), buf) == 1) return {reinterpret_cast<char*>(buf), 4};
  if (inet_pton(AF_INET6, text.c_str(), buf) == 1) return {reinterpret_cast<char*>(buf), 16};
  return {};
}

// RFC 6125 §6.4.3: `*.example.com` matches exactly one label in place of the star.
bool matches(std::string_view pattern, std::string_view host) {
  if (!pattern.starts_with("*.")) return pattern == host;
  auto dot = host.find('.');
  return dot != std::string_view::npos && dot > 0 && host.substr(dot) == pattern.substr(1);
}

}  // namespace

served_names::served_names(std::vector<std::string> dns, std::vector<std::string> ips)
    : ips_(std::move(ips)) {
  for (auto& d : dns) {
    auto name = rodeo::http::detail::to_lower(d);
    if (!name.empty() && name.back() == '.') name.pop_back();
    if (!name.empty()) dns_.push_back(std::move(name));
  }
}

bool served_names::covers(std::string_view host) const {
  if (host.empty()) return false;
  if (auto ip = ip_bytes(host); !ip.empty())
    return std::find(ips_.begin(), ips_.end(), ip) != ips_.end();
  auto name = rodeo::http::detail::to_lower(host);
  if (name.back() == '.') name.pop_back();
  return std::any_of(dns_.begin(), dns_.end(), [&](auto& p) { return matches(p, name); });
}

std::string served_names::describe() const {
  std::string out;
  for (auto& d : dns_) out += (out.empty() ? "" : ", ") + d;
  for (auto& ip : ips_) {
    char text[INET6_ADDRSTRLEN] = {};
    inet_ntop(ip.size() == 4 ? AF_INET : AF_INET6, ip.data(), text, sizeof text);
    out += (out.empty() ? "" : ", ") + std::string{text};
  }
  return out;
}

}  // namespace rodeo::tls
