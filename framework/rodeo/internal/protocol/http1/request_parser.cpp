#include "rodeo/internal/protocol/http1/request_parser.hpp"

#include "rodeo/internal/protocol/http1/field_syntax.hpp"
#include "rodeo/internal/protocol/http1/request_target.hpp"

namespace rodeo::http1 {

namespace {

std::string lowercase(std::string_view s) {
  std::string r{s};
  for (char& c : r)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return r;
}

bool is_ws(char c) noexcept { return c == ' ' || c == '\t'; }

}  // namespace

request_parser::request_parser(request_sink& sink, const protocol_limits& limits, bool tls)
    : sink_(sink),
      max_header_block_(limits.max_header_block),
      max_body_(limits.max_body),
      tls_(tls) {
  llhttp_init(&parser_, HTTP_REQUEST, &settings());
  parser_.data = this;
}

const llhttp_settings_t& request_parser::settings() {
  static const llhttp_settings_t s = [] {
    llhttp_settings_t r;
    llhttp_settings_init(&r);
    r.on_message_begin = [](llhttp_t* p) { return self(p).on_message_begin(); };
    r.on_method = [](llhttp_t* p, const char* at, std::size_t n) {
      self(p).method_.append(at, n);
      return self(p).head_span(at, n);
    };
    r.on_url = [](llhttp_t* p, const char* at, std::size_t n) {
      self(p).target_.append(at, n);
      return self(p).head_span(at, n);
    };
    r.on_version = [](llhttp_t* p, const char* at, std::size_t n) {
      if (n > 0) self(p).version_seen_ = true;
      return self(p).head_span(at, n);
    };
    r.on_header_field = [](llhttp_t* p, const char* at, std::size_t n) {
      return self(p).on_header_field(at, n);
    };
    r.on_header_field_complete = [](llhttp_t* p) { return self(p).on_header_field_complete(); };
    r.on_header_value = [](llhttp_t* p, const char* at, std::size_t n) {
      return self(p).on_header_value(at, n);
    };
    r.on_header_value_complete = [](llhttp_t* p) { return self(p).on_header_value_complete(); };
    r.on_headers_complete = [](llhttp_t* p) { return self(p).on_headers_complete(); };
    r.on_body = [](llhttp_t* p, const char* at, std::size_t n) { return self(p).on_body(at, n); };
    r.on_message_complete = [](llhttp_t* p) { return self(p).on_message_complete(); };
    return r;
  }();
  return s;
}

parse_step request_parser::execute(std::string_view data) {
  if (error_status_ != 0) return {0, parse_status::failed};
  if (stopped_) return {0, parse_status::stopped};
  if (phase_ == phase::idle) {
    // RFC 9112 §2.2: a server SHOULD ignore at least one empty line before a request line;
    // llhttp ignores any number, so a peer could send CRLFs forever. A few are allowed.
    std::size_t n = 0;
    while (n < data.size() && (data[n] == '\r' || data[n] == '\n')) ++n;
    leading_empty_ += n;
    if (leading_empty_ > 2 * max_leading_empty_lines) {
      error_status_ = 400;
      return {0, parse_status::failed};
    }
  }
  std::size_t done = 0;
  for (;;) {
    base_ = data.data() + done;
    auto err = llhttp_execute(&parser_, base_, data.size() - done);
    if (err == HPE_OK) {
      remember_tail(data.size() - done);
      consumed_ += data.size() - done;
      // RFC 9110 §15.5.20 (431): a header block still incomplete past the limit is refused
      // now rather than buffered further.
      if (phase_ == phase::head && head_start_ && consumed_ - *head_start_ > max_header_block_) {
        fail(431);
        return {data.size(), parse_status::failed};
      }
      return {data.size(), parse_status::need_more};
    }
    auto pos = static_cast<std::size_t>(llhttp_get_error_pos(&parser_) - data.data());
    remember_tail(pos - done);
    consumed_ += pos - done;
    done = pos;
    if (err == HPE_PAUSED) {
      llhttp_resume(&parser_);
      return {done, stopped_ ? parse_status::stopped : parse_status::message_end};
    }
    if (err == HPE_PAUSED_UPGRADE) {
      // llhttp pauses after a request with Upgrade (or CONNECT, refused earlier). Whether the
      // protocol changes is the engine's decision, taken at message_end; here the bytes
      // after the request are HTTP/1.1 again.
      llhttp_resume_after_upgrade(&parser_);
      continue;
    }
    // Our callbacks set error_status_ before failing; otherwise llhttp found the syntax
    // invalid (RFC 9112 §2.2: 400), or a well-formed but unsupported version such as
    // HTTP/1.2 (RFC 9110 §15.6.6: 505). A request line without a version is malformed.
    if (error_status_ == 0) error_status_ = err == HPE_INVALID_VERSION && version_seen_ ? 505 : 400;
    return {done, parse_status::failed};
  }
}

int request_parser::fail(int status) {
  if (error_status_ == 0) error_status_ = status;
  return HPE_USER;
}

std::uint64_t request_parser::position(const char* at) const {
  return consumed_ + static_cast<std::uint64_t>(at - base_);
}

char request_parser::non_ws_before(const char* at) const {
  for (const char* q = at; q != base_;) {
    --q;
    if (!is_ws(*q)) return *q;
  }
  return last_non_ws_;
}

void request_parser::remember_tail(std::size_t consumed) {
  if (auto c = non_ws_before(base_ + consumed); c != 0) last_non_ws_ = c;
}

int request_parser::head_span(const char* at, std::size_t length) {
  auto pos = position(at);
  if (!head_start_) head_start_ = pos;
  // RFC 9110 §15.5.20: request line and fields beyond the limit get 431.
  if (pos + length - *head_start_ > max_header_block_) return fail(431);
  return 0;
}

int request_parser::trailer_span(std::size_t length) {
  trailer_bytes_ += length;
  if (trailer_bytes_ > max_header_block_) return fail(431);
  return 0;
}

int request_parser::on_message_begin() {
  phase_ = phase::head;
  leading_empty_ = 0;
  head_start_.reset();
  value_started_ = false;
  version_seen_ = false;
  trailer_bytes_ = 0;
  method_.clear();
  target_.clear();
  field_.clear();
  value_.clear();
  request_ = parsed_request{};
  content_length_.reset();
  chunked_ = false;
  body_received_ = 0;
  return 0;
}

int request_parser::on_header_field(const char* at, std::size_t length) {
  if (phase_ != phase::head) return trailer_span(length);
  field_.append(at, length);
  return head_span(at, length);
}

int request_parser::on_header_field_complete() {
  if (phase_ != phase::head) return 0;
  // RFC 9112 §5.1: no whitespace is allowed between the field name and the colon; a server
  // must reject such a request with 400. llhttp passes it through in the name.
  if (!is_token(field_)) return fail(400);
  value_started_ = false;
  return 0;
}

int request_parser::on_header_value(const char* at, std::size_t length) {
  if (phase_ != phase::head) return trailer_span(length);
  auto pos = position(at);
  // RFC 9112 §5.2: a server must reject obs-fold (a line starting with SP or HTAB that
  // continues the previous value) with 400. llhttp takes it: it skips the CRLF and goes on
  // with the value. Two signs betray it: a piece of the value not adjacent to the previous
  // piece, or a value whose first byte does not follow the colon and optional whitespace
  // (an empty first line: llhttp skipped "\r\n " as leading whitespace). An empty value
  // comes as one empty piece, placed after the CRLF.
  bool folded = value_started_ ? pos != value_end_ : length > 0 && non_ws_before(at) != ':';
  if (folded) return fail(400);
  value_started_ = true;
  value_end_ = pos + length;
  value_.append(at, length);
  return head_span(at, length);
}

int request_parser::on_header_value_complete() {
  if (phase_ != phase::head) return 0;
  request_.head.fields.emplace_back(lowercase(field_), std::string{trim_ows(value_)});
  field_.clear();
  value_.clear();
  return 0;
}

int request_parser::on_headers_complete() {
  if (int err = check_head(); err != 0) return err;
  phase_ = phase::body;
  if (sink_.on_head(request_) == head_verdict::stop) {
    stopped_ = true;
    return HPE_PAUSED;
  }
  return 0;
}

int request_parser::check_head() {
  auto& head = request_.head;
  // llhttp takes a request line without a version as HTTP/0.9, which is no HTTP/1.x message.
  if (!version_seen_) return fail(400);
  // RFC 9110 §15.6.6: only HTTP/1.0 and HTTP/1.1 are spoken here (llhttp takes "HTTP/2.0").
  if (parser_.http_major != 1 || parser_.http_minor > 1) return fail(505);
  head.version = parser_.http_minor == 0 ? "HTTP/1.0" : "HTTP/1.1";
  head.method = method_;
  // RFC 9110 §9.3.6: CONNECT asks for a tunnel, which this server does not provide.
  if (head.method == "CONNECT") return fail(501);

  auto target = parse_request_target(target_, head.method);
  if (!target) return fail(400);
  head.scheme = target->scheme.empty() ? (tls_ ? "https" : "http") : std::move(target->scheme);
  head.path = std::move(target->path);
  head.qs = std::move(target->qs);

  // RFC 9112 §3.2: 400 for an HTTP/1.1 request without Host, for more than one Host, and for
  // an invalid Host value. An absolute-form target's authority wins over Host (§3.2.2).
  const std::string* host = nullptr;
  for (const auto& [name, value] : head.fields) {
    if (name != "host") continue;
    if (host != nullptr) return fail(400);
    host = &value;
  }
  if (host == nullptr && parser_.http_minor == 1) return fail(400);
  if (host != nullptr && !is_valid_host(*host)) return fail(400);
  head.authority = !target->authority.empty() ? std::move(target->authority)
                   : host != nullptr          ? *host
                                              : std::string{};

  auto flags = parser_.flags;
  // RFC 9112 §6.1: Transfer-Encoding in an HTTP/1.0 request means faulty framing.
  if ((flags & F_TRANSFER_ENCODING) != 0 && parser_.http_minor == 0) return fail(400);
  chunked_ = (flags & F_CHUNKED) != 0;
  // RFC 9112 §6.3: a request whose final transfer coding is not chunked has no knowable
  // length: 400 and close. llhttp would report the error only after the header block.
  if ((flags & F_TRANSFER_ENCODING) != 0 && !chunked_) return fail(400);
  if ((flags & F_CONTENT_LENGTH) != 0) content_length_ = parser_.content_length;
  // RFC 9110 §15.5.14: a declared body beyond the limit gets 413 before any byte is read.
  if (content_length_ && *content_length_ > max_body_) return fail(413);
  head.content_length = content_length_;
  head.has_body = chunked_ || (content_length_ && *content_length_ > 0);

  // RFC 9112 §9.3: HTTP/1.1 persists unless "close"; HTTP/1.0 only with "keep-alive".
  bool close = (flags & F_CONNECTION_CLOSE) != 0;
  request_.keep_alive =
      !close && (parser_.http_minor == 1 || (flags & F_CONNECTION_KEEP_ALIVE) != 0);
  request_.chunked = chunked_;
  for (const auto& [name, value] : head.fields)
    if (name == "expect" && iequals(value, "100-continue")) request_.expect_continue = true;
  return 0;
}

int request_parser::on_body(const char* at, std::size_t length) {
  body_received_ += length;
  // RFC 9110 §15.5.14: a chunked body may grow past the limit; stop reading it there.
  if (body_received_ > max_body_) return fail(413);
  bool fin = content_length_ && !chunked_ && body_received_ == *content_length_;
  sink_.on_body(std::string_view{at, length}, fin);
  return 0;
}

int request_parser::on_message_complete() {
  // The end of a chunked body is only known here (after the last chunk and the trailers).
  if (chunked_) sink_.on_body({}, true);
  phase_ = phase::idle;
  // Pause after each message: the owner decides whether to read the next one.
  return HPE_PAUSED;
}

}  // namespace rodeo::http1
