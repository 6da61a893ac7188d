#include "rodeo/internal/net/protocol_selector.hpp"

#include <algorithm>

#include "rodeo/internal/protocol/http1/engine.hpp"
#include "rodeo/internal/protocol/http2/engine.hpp"

namespace rodeo {

namespace {

// RFC 9113 §3.4: the client connection preface.
constexpr std::string_view h2_preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
// The preface's request line: input that starts with it is meant as HTTP/2.
constexpr std::string_view h2_preface_line = "PRI * HTTP/2.0";

// The listener's `server` field for each engine, and over TLS its `alt-svc`.
http1::engine_options h1_options(const std::string& server, const std::string& alt_svc = {}) {
  http1::engine_options o;
  o.server = server;
  o.alt_svc = alt_svc;
  return o;
}

http2::options h2_options(const std::string& server, const std::string& alt_svc = {}) {
  http2::options o;
  o.send_date = true;
  o.server = server;
  o.alt_svc = alt_svc;
  return o;
}

}  // namespace

protocol_selector::verdict protocol_selector::classify(std::string_view have) {
  auto cmp = have.substr(0, std::min(have.size(), h2_preface.size()));
  if (cmp == h2_preface.substr(0, cmp.size()) && have.size() < h2_preface.size())
    return verdict::need_more;  // could still be the preface
  return have.starts_with(h2_preface_line) ? verdict::http2 : verdict::http1;
}

std::unique_ptr<protocol> protocol_selector::for_alpn(std::string_view alpn) const {
  if (alpn == "h2")
    return std::make_unique<http2::engine>(events_, limits_, true, h2_options(server_, alt_svc_));
  return std::make_unique<http1::engine>(events_, limits_, true, h1_options(server_, alt_svc_));
}

std::unique_ptr<protocol> protocol_selector::sniff(std::string_view bytes) {
  sniffed_.append(bytes);
  switch (classify(sniffed_)) {
    case verdict::need_more:
      return nullptr;
    case verdict::http2:
      return std::make_unique<http2::engine>(events_, limits_, false, h2_options(server_));
    case verdict::http1:
      break;
  }
  return std::make_unique<http1::engine>(events_, limits_, false, h1_options(server_));
}

void protocol_selector::note_upgrade(request_head head, std::string settings, std::string rest) {
  upgrade_ = std::make_unique<pending_upgrade>(
      pending_upgrade{std::move(head), std::move(settings), std::move(rest)});
}

// RFC 7540 §3.2: HTTP2-Settings acts as the client's first SETTINGS, and the upgrading
// request becomes stream 1, half-closed (remote).
protocol_selector::upgraded protocol_selector::take_upgrade() {
  auto up = std::move(*upgrade_);
  upgrade_.reset();
  upgraded r;
  r.engine = http2::engine::upgrade(events_, limits_, up.settings, up.head, h2_options(server_));
  r.head = std::move(up.head);
  r.rest = std::move(up.rest);
  return r;
}

}  // namespace rodeo
