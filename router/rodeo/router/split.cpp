#include "rodeo/router/split.hpp"

namespace rodeo::router {

namespace {

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string_view strip_port(std::string_view host) noexcept {
  if (!host.empty() && host.front() == '[') {
    // IP-literal (RFC 3986 §3.2.2): its colons are not a port separator.
    auto close = host.find(']');
    return close == std::string_view::npos ? host : host.substr(0, close + 1);
  }
  host = host.substr(0, host.find(':'));
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  return host;
}

bool split_host(std::string_view host, std::vector<std::string_view>& labels) {
  labels.clear();
  if (host.empty()) return true;
  if (host.front() == '[') {
    labels.push_back(host);
    return true;
  }
  std::size_t start = 0;
  for (;;) {
    std::size_t dot = host.find('.', start);
    std::string_view label = host.substr(start, dot == std::string_view::npos ? dot : dot - start);
    if (label.empty()) return false;
    labels.push_back(label);
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

bool percent_decode(std::string_view in, std::string& out) {
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out += in[i];
      continue;
    }
    if (i + 2 >= in.size()) return false;
    int hi = hex_value(in[i + 1]), lo = hex_value(in[i + 2]);
    if (hi < 0 || lo < 0) return false;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return true;
}

path_segments::path_segments(std::string_view path) {
  if (path.empty() || path.front() != '/') return;
  // Decoding never lengthens a segment, so with this capacity the buffer never moves and the
  // views into it stay valid.
  buffer_.reserve(path.size());
  std::size_t start = 1;
  for (;;) {
    std::size_t slash = path.find('/', start);
    bool last = slash == std::string_view::npos;
    std::string_view raw = path.substr(start, last ? slash : slash - start);
    if (last && raw.empty()) break;  // "/" and a trailing '/' add no segment
    std::size_t at = buffer_.size();
    if (!percent_decode(raw, buffer_)) {
      segments_.clear();
      return;
    }
    std::string_view seg{buffer_.data() + at, buffer_.size() - at};
    if (seg == "..") {
      // RFC 3986 §5.2.4 would stay at the root; we refuse a path that tries to leave it.
      if (segments_.empty()) return;  // nothing was kept: segments_ is already empty
      segments_.pop_back();
    } else if (seg != ".") {
      segments_.push_back(seg);
    }
    if (last) break;
    start = slash + 1;
  }
  ok_ = true;
}

}  // namespace rodeo::router
