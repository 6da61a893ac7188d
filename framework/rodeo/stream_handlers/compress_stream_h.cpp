#include "rodeo/stream_handlers/compress_stream_h.hpp"

#include <array>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>

#include "rodeo/errors.hpp"
#include "rodeo/http/accept.hpp"
#include "rodeo/internal/compress/content_encoder.hpp"

namespace rodeo {

namespace {

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

bool istarts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// True if the comma-separated list `value` has the element `token` (case-insensitive;
// directives with arguments compared by name).
bool list_has(std::string_view value, std::string_view token) {
  while (!value.empty()) {
    auto comma = value.find(',');
    auto item = trim(value.substr(0, comma));
    auto eq = item.find('=');
    if (iequals(trim(item.substr(0, eq)), token)) return true;
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return false;
}

void erase_field(headers& hs, std::string_view name) {
  std::erase_if(hs, [&](const header& h) { return h.first == name; });
}

// Content types whose bodies are compressed already (or opaque binaries that usually are).
constexpr std::array<std::string_view, 16> precompressed_types{"application/zip",
                                                               "application/gzip",
                                                               "application/x-gzip",
                                                               "application/x-bzip2",
                                                               "application/x-xz",
                                                               "application/zstd",
                                                               "application/x-7z-compressed",
                                                               "application/x-rar-compressed",
                                                               "application/vnd.rar",
                                                               "application/octet-stream",
                                                               "application/pdf",
                                                               "application/wasm",
                                                               "font/woff",
                                                               "font/woff2",
                                                               "application/x-brotli",
                                                               "application/br"};

class compress_h final : public stream_handler {
 public:
  compress_h(std::string_view coding, const compress_options& opts) : opts_(opts) {
    coding_ = coding;
  }

  void on_command(command& c, const stream_next& next) override {
    if (auto* r = std::get_if<cmd::reply>(&c)) {
      if (compress_refusal(r->status, r->fields, r->body.size(), opts_).empty()) {
        auto enc = make_encoder();
        std::string out;
        out.reserve(r->body.size() / 3 + 64);
        enc->encode(r->body, content_encoder::mode::finish, out);
        rewrite(r->fields);
        r->body = std::move(out);
      }
    } else if (auto* sr = std::get_if<cmd::stream_reply>(&c)) {
      if (compress_refusal(sr->status, sr->fields, std::nullopt, opts_).empty()) {
        encoder_ = make_encoder();
        rewrite(sr->fields);
      }
    } else if (auto* b = std::get_if<cmd::body>(&c); b && encoder_) {
      std::string out;
      encoder_->encode(b->data,
                       b->fin ? content_encoder::mode::finish : content_encoder::mode::flush, out);
      b->data = std::move(out);
    } else if (std::holds_alternative<cmd::trailers>(c) && encoder_) {
      // Trailers end the response: the coded stream must be closed before them.
      std::string tail;
      encoder_->encode({}, content_encoder::mode::finish, tail);
      if (!tail.empty()) next(cmd::body{std::move(tail), false});
    }
    next(c);
  }

 private:
  std::unique_ptr<content_encoder> make_encoder() const {
    if (coding_ == "br") return make_brotli_encoder(opts_.brotli_quality);
    return make_gzip_encoder(opts_.gzip_level);
  }

  void rewrite(headers& fields) const {
    erase_field(fields, "content-length");
    erase_field(fields, "accept-ranges");
    erase_field(fields, "content-encoding");  // only identity can be left here
    fields.emplace_back("content-encoding", std::string{coding_});
    bool vary_done = false;
    for (auto& [n, v] : fields) {
      if (n == "vary") {
        if (!list_has(v, "accept-encoding") && trim(v) != "*") v += ", accept-encoding";
        vary_done = true;
      } else if (n == "etag" && !v.starts_with("W/")) {
        v.insert(0, "W/");
      }
    }
    if (!vary_done) fields.emplace_back("vary", "accept-encoding");
  }

  compress_options opts_;
  std::string_view coding_;                   // a literal from choose_content_coding
  std::unique_ptr<content_encoder> encoder_;  // a streamed response being compressed
};

}  // namespace

std::string_view choose_content_coding(std::optional<std::string_view> accept_encoding,
                                       const compress_options& opts) {
  if (!accept_encoding) return {};
  auto list = http::parse_accept_encoding(*accept_encoding);
  if (!list) return {};
  // The quality of a coding: its own entry, else the wildcard's, else not acceptable.
  auto quality = [&](std::string_view a, std::string_view b) {
    int own = -1, star = 0;
    for (const auto& t : *list) {
      if ((t.value == a || t.value == b) && own < 0) own = t.quality;
      if (t.value == "*") star = t.quality;
    }
    return own >= 0 ? own : star;
  };
  int br = opts.brotli ? quality("br", "br") : 0;
  int gz = opts.gzip ? quality("gzip", "x-gzip") : 0;
  if (br > 0 && br >= gz) return "br";
  if (gz > 0) return "gzip";
  return {};
}

bool compressible_type(std::string_view content_type) {
  auto type = trim(content_type.substr(0, content_type.find(';')));
  if (istarts_with(type, "image/")) return iequals(type, "image/svg+xml");
  if (istarts_with(type, "video/") || istarts_with(type, "audio/")) return false;
  for (auto t : precompressed_types)
    if (iequals(type, t)) return false;
  return true;
}

std::string_view compress_refusal(int status, const headers& fields,
                                  std::optional<std::size_t> body_size,
                                  const compress_options& opts) {
  if (status < 200 || status == 204 || status == 206 || status == 304) return "status";
  if (body_size && *body_size < opts.min_size) return "small";
  for (const auto& [n, v] : fields) {
    if (n == "content-encoding" && !iequals(trim(v), "identity")) return "encoded";
    if (n == "content-range") return "range";
    if (n == "cache-control" && list_has(v, "no-transform")) return "no-transform";
    if (n == "content-type" && !compressible_type(v)) return "type";
  }
  return {};
}

stream_handler_factory compress_stream_h(compress_options opts) {
  if (opts.gzip_level < 1 || opts.gzip_level > 9)
    throw usage_error("compress_options::gzip_level must be 1..9, not " +
                      std::to_string(opts.gzip_level));
  if (opts.brotli_quality < 0 || opts.brotli_quality > 11)
    throw usage_error("compress_options::brotli_quality must be 0..11, not " +
                      std::to_string(opts.brotli_quality));
  return [opts](const stream_info& info) -> std::unique_ptr<stream_handler> {
    // A CONNECT's DATA is a tunnel (RFC 8441: WebSocket frames, compressed per message
    // if at all), never content to encode.
    if (!info.head || info.head->method == "HEAD" || info.head->method == "CONNECT") return nullptr;
    auto coding = choose_content_coding(find_header(info.head->fields, "accept-encoding"), opts);
    if (coding.empty()) return nullptr;
    return std::make_unique<compress_h>(coding, opts);
  };
}

}  // namespace rodeo
