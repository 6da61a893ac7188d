#include "rodeo/websocket/websocket_handler.hpp"

#include <caf/atom.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/message.hpp>

#include <optional>
#include <vector>

#include "rodeo/internal/actor/req_access.hpp"
#include "rodeo/internal/websocket/session.hpp"
#include "rodeo/req.hpp"
#include "rodeo/websocket/handshake.hpp"

namespace rodeo {

namespace {

// Sent by the request actor to itself when its close needs an answer by a deadline.
using close_timeout_atom = caf::atom_constant<caf::atom("rwsclose")>;

}  // namespace

std::string_view ws::to_string(end::reason r) {
  switch (r) {
    case end::reason::normal:
      return "normal";
    case end::reason::remote:
      return "remote";
    case end::reason::timeout:
      return "timeout";
    case end::reason::protocol_error:
      return "protocol_error";
    case end::reason::closed:
      return "closed";
    case end::reason::crash:
      return "crash";
    case end::reason::shutdown:
      return "shutdown";
  }
  return "?";
}

struct websocket_handler::state {
  req* r = nullptr;
  ws::options opts;
  std::string protocol;
  bool compressed = false;
  std::unique_ptr<ws::session> session;
  std::optional<ws::end> ended;  // the stream's end was sent
  bool close_timer = false;
};

websocket_handler::websocket_handler() : st_(std::make_unique<state>()) {}
websocket_handler::~websocket_handler() = default;

caf::event_based_actor* websocket_handler::self() const {
  return st_->r != nullptr ? st_->r->self() : nullptr;
}
const std::string& websocket_handler::protocol() const { return st_->protocol; }
bool websocket_handler::compressed() const { return st_->compressed; }

handler_result websocket_handler::upgrade(req& r, ws::options opts) {
  if (st_->session) throw usage_error("websocket_handler::upgrade: called twice; upgrade once");
  auto h = ws::check(r.head(), opts);
  if (h.status != 0) {
    r.reply(
        h.status,
        [&] {
          auto f = h.fields;
          f.emplace_back("content-type", "text/plain");
          return f;
        }(),
        h.error + "\n");
    return handler_result::ok;
  }
  st_->r = &r;
  st_->opts = std::move(opts);
  st_->protocol = h.protocol;
  st_->compressed = h.deflate.has_value();
  ws::session::settings s;
  s.max_frame_size = st_->opts.max_frame_size;
  s.max_message_size = st_->opts.max_message_size;
  s.deflate = h.deflate;
  st_->session = std::make_unique<ws::session>(s);
  // RFC 6455 §4.2.2: 101 over HTTP/1.1; RFC 8441 §5: 200 over HTTP/2.
  const int status = r.version() == "HTTP/2" ? 200 : 101;
  req_access::open_tunnel(r, status, h.fields,
                          [this](req&, std::string_view data, bool) { on_bytes(data); });
  req_access::set_looping(r, true);
  callback([&] { run(websocket_init()); });
  return handler_result::loop;
}

// Runs a user callback: a throw closes with 1011, then goes on to the request actor, which
// logs it and calls terminate(crash).
template <class F>
void websocket_handler::callback(F&& f) {
  try {
    f();
  } catch (...) {
    if (!st_->ended) {
      st_->session->close(ws::close_code::internal_error, {});
      finish({ws::end::reason::crash, ws::close_code::internal_error});
    }
    throw;
  }
  flush();
}

void websocket_handler::on_bytes(std::string_view data) {
  if (st_->ended) return;
  std::vector<ws::frame> messages;
  st_->session->feed(data, messages);
  for (auto& m : messages) {
    if (st_->ended || st_->session->close_sent()) break;
    callback([&] { run(websocket_handle(m)); });
  }
  flush();
}

void websocket_handler::run(ws::commands cmds) {
  for (auto& c : cmds) {
    if (auto* f = std::get_if<ws::frame>(&c)) {
      if (!st_->session->send(*f)) break;  // closing: nothing goes after the close
    } else {
      auto& cl = std::get<ws::close>(c);
      st_->session->close(cl.code, cl.reason);
      break;
    }
  }
}

// Hands the session's bytes to the stream, and ends the stream once the close handshake is
// over; a close still waiting for its answer gets close_timeout.
void websocket_handler::flush() {
  if (st_->ended) return;
  auto& s = *st_->session;
  std::string out;
  s.take_output(out);
  if (!out.empty()) st_->r->stream_body(std::move(out));
  if (s.over()) {
    if (s.failed())
      finish({ws::end::reason::protocol_error, s.sent_code()});
    else if (s.initiated())
      finish({ws::end::reason::normal, s.sent_code()});
    else
      finish({ws::end::reason::remote, s.received_code()});
    return;
  }
  if (s.close_sent() && !st_->close_timer) {
    st_->close_timer = true;
    self()->delayed_send(self(), st_->opts.close_timeout, close_timeout_atom::value);
  }
}

void websocket_handler::finish(ws::end why) {
  if (st_->ended) return;
  st_->ended = why;
  std::string out;
  st_->session->take_output(out);
  st_->r->stream_body(std::move(out), true);
  req_access::set_looping(*st_->r, false);
}

handler_result websocket_handler::info(const caf::message& msg, req&) {
  if (st_->ended) return handler_result::ok;
  if (msg.match_elements<close_timeout_atom>()) {
    // RFC 6455 §7.1.1: the client did not answer our close in time; drop it.
    finish({ws::end::reason::normal, st_->session->sent_code()});
    return handler_result::ok;
  }
  if (!st_->session->close_sent()) callback([&] { run(websocket_info(msg)); });
  return st_->ended ? handler_result::ok : handler_result::loop;
}

std::chrono::milliseconds websocket_handler::loop_timeout() const { return st_->opts.idle_timeout; }

// Cowboy's idle_timeout: close 1000 and end, without waiting for the answer.
void websocket_handler::timeout(req&) {
  if (st_->ended || !st_->session) return;
  st_->session->close(ws::close_code::normal, {});
  finish({ws::end::reason::timeout, ws::close_code::normal});
}

void websocket_handler::on_shutdown(req&) {
  if (st_->ended || !st_->session) return;
  st_->session->close(ws::close_code::going_away, {});
  finish({ws::end::reason::shutdown, ws::close_code::going_away});
}

void websocket_handler::terminate(terminate_reason reason, req&) {
  if (!st_->session) return;  // not upgraded
  ws::end why;
  if (st_->ended) {
    why = *st_->ended;
  } else {
    switch (reason) {
      case terminate_reason::crash:
        why = {ws::end::reason::crash, ws::close_code::internal_error};
        break;
      case terminate_reason::shutdown:
        why = {ws::end::reason::shutdown, ws::close_code::going_away};
        break;
      case terminate_reason::timeout:
        why = {ws::end::reason::timeout, ws::close_code::normal};
        break;
      default:
        why = {ws::end::reason::closed, ws::close_code::abnormal};
        break;
    }
  }
  terminate(why);
}

}  // namespace rodeo
