#include "rodeo/internal/websocket/deflate.hpp"

#include <charconv>

#include "rodeo/http/lex.hpp"

namespace rodeo::ws {

namespace {

using http::detail::trim_ows;

// RFC 7692 §7.1.2: 8 to 15. zlib's raw deflate cannot make an 8-bit window (it uses 9), so
// a client's limit of 8 on our window is declined; on its own window any value is fine.
std::optional<int> window_bits(std::string_view v) {
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  int n = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (v.empty() || ec != std::errc{} || end != v.data() + v.size() || n < 8 || n > 15)
    return std::nullopt;
  return n;
}

constexpr unsigned char tail[] = {0x00, 0x00, 0xff, 0xff};

}  // namespace

std::optional<deflate_agreement> negotiate_deflate(std::string_view offer) {
  auto semi = offer.find(';');
  if (trim_ows(offer.substr(0, semi)) != "permessage-deflate") return std::nullopt;
  deflate_agreement a;
  bool seen_snct = false, seen_cnct = false, seen_smwb = false, seen_cmwb = false;
  std::string_view rest = semi == std::string_view::npos ? "" : offer.substr(semi + 1);
  while (!rest.empty()) {
    auto next = rest.find(';');
    auto param = trim_ows(rest.substr(0, next));
    rest = next == std::string_view::npos ? "" : rest.substr(next + 1);
    if (param.empty()) return std::nullopt;
    auto eq = param.find('=');
    auto name = trim_ows(param.substr(0, eq));
    std::optional<std::string_view> value;
    if (eq != std::string_view::npos) value = trim_ows(param.substr(eq + 1));
    // RFC 7692 §7.1: an unknown parameter, a repeated one or a bad value declines the offer.
    if (name == "server_no_context_takeover" && !value && !seen_snct) {
      seen_snct = a.params.server_no_context_takeover = true;
    } else if (name == "client_no_context_takeover" && !value && !seen_cnct) {
      seen_cnct = a.params.client_no_context_takeover = true;
    } else if (name == "server_max_window_bits" && value && !seen_smwb) {
      auto n = window_bits(*value);
      if (!n || *n < 9) return std::nullopt;
      seen_smwb = true;
      a.params.server_max_window_bits = *n;
    } else if (name == "client_max_window_bits" && !seen_cmwb) {
      seen_cmwb = true;
      if (value) {
        auto n = window_bits(*value);
        if (!n) return std::nullopt;
        a.params.client_max_window_bits = *n;
      }
    } else {
      return std::nullopt;
    }
  }
  // The answer repeats what binds the server; it also says the client's window when the
  // client allowed a limit (§7.1.2.2) so both inflate with the size they deflate with.
  a.response = "permessage-deflate";
  if (a.params.server_no_context_takeover) a.response += "; server_no_context_takeover";
  if (a.params.client_no_context_takeover) a.response += "; client_no_context_takeover";
  if (seen_smwb)
    a.response += "; server_max_window_bits=" + std::to_string(a.params.server_max_window_bits);
  if (seen_cmwb && a.params.client_max_window_bits < 15)
    a.response += "; client_max_window_bits=" + std::to_string(a.params.client_max_window_bits);
  return a;
}

deflate_codec::deflate_codec(const deflate_params& p) : params_(p) {
  // Negative window bits: raw deflate, no zlib header (RFC 7692 §7.2.1).
  deflateInit2(&deflate_, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -params_.server_max_window_bits, 8,
               Z_DEFAULT_STRATEGY);
  // The client may use any window up to what it announced; 15 inflates them all.
  inflateInit2(&inflate_, -15);
}

deflate_codec::~deflate_codec() {
  deflateEnd(&deflate_);
  inflateEnd(&inflate_);
}

std::string deflate_codec::compress(std::string_view message) {
  // zlib emits nothing for a flush with no new input after a flush, and an empty payload
  // would read as a cut stored block ("00 00 ff ff" alone): RFC 7692 §7.2.3.6's single 0x00
  // byte is a whole empty block once the receiver appends the tail.
  if (message.empty()) return std::string(1, '\0');
  std::string out;
  out.resize(deflateBound(&deflate_, message.size()) + 16);
  deflate_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(message.data()));
  deflate_.avail_in = static_cast<uInt>(message.size());
  std::size_t have = 0;
  for (;;) {
    deflate_.next_out = reinterpret_cast<Bytef*>(out.data() + have);
    deflate_.avail_out = static_cast<uInt>(out.size() - have);
    deflate(&deflate_, Z_SYNC_FLUSH);
    have = out.size() - deflate_.avail_out;
    if (deflate_.avail_out != 0) break;
    out.resize(out.size() * 2);
  }
  out.resize(have);
  // RFC 7692 §7.2.1: the sync flush's empty block 00 00 ff ff is left off.
  if (out.size() >= 4 && std::string_view{out}.substr(out.size() - 4) ==
                             std::string_view{reinterpret_cast<const char*>(tail), 4})
    out.resize(out.size() - 4);
  if (params_.server_no_context_takeover) deflateReset(&deflate_);
  return out;
}

deflate_codec::inflate_error deflate_codec::decompress(std::string_view message, std::size_t limit,
                                                       std::string& out) {
  out.clear();
  // An empty payload is an empty message; the tail alone would leave inflate inside a block.
  if (message.empty()) return inflate_error::none;
  char buf[16 * 1024];
  auto run = [&](std::string_view in) -> inflate_error {
    inflate_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    inflate_.avail_in = static_cast<uInt>(in.size());
    do {
      inflate_.next_out = reinterpret_cast<Bytef*>(buf);
      inflate_.avail_out = sizeof buf;
      int rc = inflate(&inflate_, Z_SYNC_FLUSH);
      if (rc != Z_OK && rc != Z_BUF_ERROR && rc != Z_STREAM_END) return inflate_error::corrupt;
      std::size_t got = sizeof buf - inflate_.avail_out;
      // Checked as the output grows: a bomb never costs more than `limit` bytes.
      if (out.size() + got > limit) return inflate_error::too_big;
      out.append(buf, got);
      if (rc == Z_BUF_ERROR) break;
      // RFC 7692 §7.2.3.4: a block with BFINAL set ends the deflate stream, and inflate then
      // takes no more input; what follows (at least the tail) starts a new stream, which has
      // no window of the old one to refer to.
      if (rc == Z_STREAM_END) inflateReset(&inflate_);
    } while (inflate_.avail_in > 0 || inflate_.avail_out == 0);
    return inflate_error::none;
  };
  auto e = run(message);
  if (e == inflate_error::none)
    e = run(std::string_view{reinterpret_cast<const char*>(tail), sizeof tail});
  if (e != inflate_error::none || params_.client_no_context_takeover) inflateReset(&inflate_);
  return e;
}

}  // namespace rodeo::ws
