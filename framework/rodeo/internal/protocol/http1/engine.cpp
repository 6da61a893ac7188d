#include "rodeo/internal/protocol/http1/engine.hpp"

#include <algorithm>

#include "rodeo/internal/protocol/http1/field_syntax.hpp"
#include "rodeo/internal/protocol/http1/h2c_upgrade.hpp"
#include "rodeo/internal/protocol/http1/request_parser.hpp"
#include "rodeo/internal/protocol/http1/status.hpp"

namespace rodeo::http1 {

namespace {

constexpr std::string_view continue_response = "HTTP/1.1 100 Continue\r\n\r\n";
constexpr std::string_view switching_to_h2c =
    "HTTP/1.1 101 Switching Protocols\r\nconnection: Upgrade\r\nupgrade: h2c\r\n\r\n";

}  // namespace

engine::engine(protocol_events& events, protocol_limits limits, bool tls, engine_options options)
    : events_(events), limits_(limits), tls_(tls), options_(std::move(options)) {
  limits_.max_concurrent_streams = std::max<std::uint32_t>(limits_.max_concurrent_streams, 1);
  request_sink& sink = *this;  // the base is private: convert here, inside the class
  parser_ = std::make_unique<request_parser>(sink, limits_, tls_);
}

engine::~engine() = default;

// --- input ---------------------------------------------------------------------------------

bool engine::feed(std::string_view bytes) {
  if (failed_) return false;
  if (tunnel_ != 0) {
    if (!bytes.empty()) events_.on_body(tunnel_, bytes, false);
    return true;
  }
  if (upgraded_ || closing_ || input_done_) return true;  // nothing more is read
  if (input_.empty()) {
    auto used = parse(bytes);
    if (!upgraded_) input_.assign(bytes.substr(used));
  } else {
    input_.append(bytes);
    auto used = parse(input_);
    input_.erase(0, used);
  }
  // Bytes that can no longer become a request are not kept.
  if (upgraded_ || failed_ || closing_ || input_done_ ||
      (!accepting_ && !parser_->in_message() && !websocket_asked_))
    input_.clear();
  return !failed_;
}

std::size_t engine::parse(std::string_view data) {
  std::size_t done = 0;
  while (done < data.size() && may_parse()) {
    auto step = parser_->execute(data.substr(done));
    done += step.consumed;
    switch (step.status) {
      case parse_status::need_more:
        break;
      case parse_status::message_end:
        end_message(data.substr(done));
        if (upgraded_) return data.size();
        break;
      case parse_status::stopped:
        input_done_ = true;
        return done;
      case parse_status::failed:
        fail(parser_->error_status());
        return done;
    }
  }
  return done;
}

bool engine::may_parse() const {
  if (failed_ || closing_ || upgraded_ || input_done_) return false;
  // A message in progress is read to its end: its stream's handler may wait for the body.
  if (parser_->in_message()) return true;
  return accepting_ && streams_.size() < limits_.max_concurrent_streams;
}

head_verdict engine::on_head(parsed_request& request) {
  if (!accepting_) return head_verdict::stop;
  // RFC 7540 §3.2: only on clear text, and only when no response is owed before the 101.
  if (limits_.allow_h2c_upgrade && !tls_ && streams_.empty()) {
    if (auto settings = h2c_settings(request.head)) {
      upgrade_ = h2c_upgrade{std::move(request.head), std::move(*settings)};
      return head_verdict::proceed;
    }
  }
  stream s;
  s.id = ++last_id_;
  s.head_request = request.head.method == "HEAD";
  s.http10 = request.head.version == "HTTP/1.0";
  s.close = !request.keep_alive;
  s.echo_keep_alive = s.http10 && request.keep_alive;
  // RFC 9110 §10.1.1: an HTTP/1.0 client cannot understand 100 Continue.
  s.expect_continue = request.expect_continue && !s.http10 && request.head.has_body;
  s.body_done = !request.head.has_body;
  // RFC 6455 §4.1: the client may send frames once it read the 101; until the handler
  // answers, bytes after this request are kept unparsed. Whatever the answer, no request
  // follows on this connection (a refused upgrade closes it).
  if (request.head.method == "GET" && !s.http10 && !s.close && !request.head.has_body &&
      streams_.empty() && lists_token(request.head.fields, "upgrade", "websocket") &&
      lists_token(request.head.fields, "connection", "upgrade")) {
    s.websocket = true;
    websocket_asked_ = true;
    close_after(s);
  }
  // RFC 9112 §9.6: after a request with "close", no further request is read.
  if (s.close) accepting_ = false;
  current_ = s.id;
  streams_.push_back(std::move(s));
  advance();  // first in line: 100 Continue goes out now
  events_.on_request(current_, std::move(request.head));
  return head_verdict::proceed;
}

void engine::on_body(std::string_view data, bool fin) {
  auto* s = find(current_);
  // A stream answered (or reset) before its body ended: the rest of the body is dropped.
  if (s == nullptr || !s->reported) return;
  if (fin) s->body_done = true;
  events_.on_body(s->id, data, fin);
}

void engine::end_message(std::string_view rest) {
  if (upgrade_) {
    auto up = std::move(*upgrade_);
    upgrade_.reset();
    upgraded_ = true;
    own(0, switching_to_h2c.size());
    out_.append(switching_to_h2c);
    events_.on_upgrade_h2c(std::move(up.head), std::move(up.settings), std::string{rest});
    return;
  }
  if (auto* s = find(current_)) s->body_done = true;
  current_ = 0;
}

void engine::fail(int status) {
  failed_ = true;
  accepting_ = false;
  std::string body{reason_phrase(status)};
  body += '\n';
  head_extras extras;
  extras.content_length = body.size();
  extras.date = date();
  extras.server = options_.server;
  extras.connection = "close";
  std::string response;
  write_response_head(response, status, {{"content-type", "text/plain"}}, extras);
  response += body;

  if (current_ != 0) {
    // The body of a reported request broke (413 or bad chunking).
    auto id = std::exchange(current_, 0);
    if (auto* s = find(id); s != nullptr && !response_over(s->response)) {
      // Its own response is replaced by the error if it had not started, else cut short.
      if (before_final(s->response)) {
        emit(*s, response);
        s->response = response_state::done;
      } else {
        s->response = response_state::reset;
      }
      s->close = true;
      bool reported = std::exchange(s->reported, false);
      if (reported) events_.on_stream_reset(id, 0);
      advance();
      return;
    }
    // Its response is complete already: nothing can be said; close after the others.
    response.clear();
  }
  stream e;
  e.reported = false;
  e.response = response_state::done;
  e.close = true;
  e.pending = std::move(response);
  streams_.push_back(std::move(e));
  advance();
}

// --- output --------------------------------------------------------------------------------

void engine::advance() {
  // Event handlers may call commands, which call advance() again: the outer loop goes on.
  if (advancing_) {
    advance_again_ = true;
    return;
  }
  advancing_ = true;
  do {
    advance_again_ = false;
    while (!streams_.empty()) {
      auto& f = streams_.front();
      if (!f.first) {
        f.first = true;
        // RFC 9110 §10.1.1: invite the body once this request is the one answered next.
        if (f.expect_continue && before_final(f.response) && !f.body_done) {
          own(f.id, continue_response.size());
          out_.append(continue_response);
          f.continue_sent = true;
        }
        own(f.id, f.pending.size());
        out_.append(f.pending);
        std::string{}.swap(f.pending);
      }
      if (!response_over(f.response)) break;
      auto id = f.id;
      bool reported = f.reported, close = f.close;
      streams_.pop_front();
      if (!close) {
        if (reported) events_.on_stream_done(id);
        continue;
      }
      closing_ = true;
      std::vector<stream_id> dropped;
      for (const auto& s : streams_)
        if (s.reported) dropped.push_back(s.id);
      streams_.clear();
      if (reported) events_.on_stream_done(id);
      for (auto d : dropped) events_.on_stream_reset(d, 0);
    }
  } while (advance_again_);
  advancing_ = false;
}

void engine::close_after(stream& s) {
  s.close = true;
  accepting_ = false;
}

void engine::emit(stream& s, std::string_view bytes) {
  if (bytes.empty()) return;
  if (!s.first) {
    s.pending += bytes;
    return;
  }
  own(s.id, bytes.size());
  out_.append(bytes);
}

void engine::emit_body(stream& s, body_bytes body) {
  if (body.empty()) return;
  if (!s.first) {
    s.pending += body.view();  // a response behind another waits as a copy
    return;
  }
  own(s.id, body.size());
  // A shared body, or a large owned one made shared (moved), goes out by reference.
  if (body.size() >= gathered_output::adopt_threshold) body.make_shared();
  out_.append_body(body);
}

void engine::own(stream_id id, std::size_t n) {
  if (n == 0) return;
  if (!out_owners_.empty() && out_owners_.back().first == id)
    out_owners_.back().second += n;
  else
    out_owners_.emplace_back(id, n);
}

std::string_view engine::date() {
  if (!options_.date) return date_cache_.now();
  date_text_ = options_.date();
  return date_text_;
}

void engine::take_output(std::string& out) {
  out_.copy_to(out);
  out_.clear();
  out_owners_.clear();
}

void engine::take_output(gathered_output& out) {
  out.splice(out_);
  out_owners_.clear();
}

bool engine::should_close() const {
  return !upgraded_ && (closing_ || (!accepting_ && streams_.empty()));
}

bool engine::want_read() const {
  if (tunnel_ != 0) return !closing_;
  if (failed_ || closing_ || upgraded_ || input_done_) return false;
  if (parser_->in_message()) return true;
  return accepting_ && streams_.size() < limits_.max_concurrent_streams;
}

std::size_t engine::open_streams() const {
  return static_cast<std::size_t>(
      std::count_if(streams_.begin(), streams_.end(),
                    [](const stream& s) { return s.reported && !response_over(s.response); }));
}

std::size_t engine::queued_bytes(stream_id id) const {
  std::size_t n = 0;
  if (const auto* s = find(id)) n += s->pending.size();
  for (const auto& [owner, count] : out_owners_)
    if (owner == id) n += count;
  return n;
}

std::size_t engine::queued_total() const {
  std::size_t n = out_.size();
  for (const auto& s : streams_) n += s.pending.size();
  return n;
}

// RFC 9110 §15.5.9: 408 says the server closes the connection rather than keep waiting.
void engine::time_out() {
  if (failed_ || closing_ || upgraded_ || tunnel_ != 0) return;
  fail(408);
}

bool engine::receiving_head() const {
  return !failed_ && !closing_ && !upgraded_ && tunnel_ == 0 && parser_->receiving_head();
}

engine::stream* engine::find(stream_id id) {
  if (id == 0) return nullptr;
  for (auto& s : streams_)
    if (s.id == id) return &s;
  return nullptr;
}

const engine::stream* engine::find(stream_id id) const {
  return const_cast<engine*>(this)->find(id);
}

engine::stream* engine::find_open(stream_id id) {
  auto* s = find(id);
  return s != nullptr && s->reported && !response_over(s->response) ? s : nullptr;
}

void engine::shutdown() {
  shutdown_ = true;
  accepting_ = false;
}

}  // namespace rodeo::http1
