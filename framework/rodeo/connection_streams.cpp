// The stream side of a connection: what the protocol engine reports (requests, bodies,
// resets) and what request actors command (replies, streamed bodies, pushes). The I/O side
// is in connection.cpp.
#include "rodeo/connection.hpp"

#include <caf/actor_system.hpp>
#include <caf/send.hpp>

#include <type_traits>

#include "rodeo/http2/engine.hpp"
#include "rodeo/log.hpp"
#include "rodeo/req.hpp"
#include "rodeo/request_actor.hpp"

namespace rodeo {

// --- protocol_events ---

void connection::on_request(stream_id id, request_head head) {
  head_started_.reset();  // the header timeout stops with a complete head
  spawn(id, std::move(head), false);
}

void connection::spawn(stream_id id, request_head head, bool pushed) {
  // The client's SETTINGS precede its HEADERS in the same feed: publish them before the
  // request actor can call push.
  sync_push_state();
  auto& s = streams_[id];
  s.pushed = pushed;
  s.body_seen = s.send_progress = clock::now();
  s.body_open = head.has_body;
  if (!pushed) first_request_ = true;
  // Every command of the stream passes its stream handlers, then reaches the engine here.
  s.chain = std::make_shared<stream_chain>(
      ctx_->stream_handlers, stream_info{id, &head, protocol_label(), peer_, pushed},
      [this, id](command& c) {
        auto e = streams_.find(id);
        if (e != streams_.end() && !closed_) apply(id, e->second, c);
      });
  auto worker = worker_ref_.lock();
  auto link = std::make_shared<stream_link>(
      weak_from_this(), std::shared_ptr<asio::io_context>(worker, &worker->io), id, push_);
  auto job = std::make_shared<request_job>();
  job->r = std::make_unique<req>(std::move(head), std::move(link), peer_, pushed);
  job->chain = ctx_->chain;
  // Started in a batch with the others this io thread spawns meanwhile (start_spawned).
  s.actor = spawn_request_actor(ctx_->sys, std::move(job), actor_start::on_first_message);
  worker_.to_start.push_back(s.actor);
}

// The first spawn since the last batch posts the batch's start behind the handlers already
// queued on this io thread: the other sockets one epoll round found ready add theirs, and
// one starter message starts them all.
void connection::start_spawned() {
  if (worker_.start_posted || worker_.to_start.empty()) return;
  worker_.start_posted = true;
  // The worker by address: a handler queued on its io_context runs only while the worker
  // lives (it owns the io_context), and a shared_ptr here would make a cycle.
  asio::post(worker_.io, [w = &worker_, ctx = ctx_] {
    w->start_posted = false;
    ctx->starter.start(w->to_start);
  });
}

void connection::on_body(stream_id id, std::string_view data, bool fin) {
  auto s = streams_.find(id);
  if (s == streams_.end()) return;
  s->second.chain->received(data.size());
  s->second.body_seen = clock::now();
  if (fin) s->second.body_open = false;
  caf::anon_send(s->second.actor, body_atom::value, std::string{data}, fin);
}

void connection::on_stream_reset(stream_id id, std::uint32_t error_code) {
  auto s = streams_.find(id);
  if (s == streams_.end()) return;
  log::net()->debug("{} stream {} reset (error code {}): stopping its request actor", peer_, id,
                    error_code);
  caf::anon_send_exit(s->second.actor, caf::exit_reason::user_shutdown);
  end_stream(id, stream_end_reason::reset);
}

void connection::on_stream_done(stream_id id) {
  if (!streams_.count(id)) return;
  last_activity_ = std::chrono::steady_clock::now();  // idle time counts from here
  end_stream(id, stream_end_reason::normal);
}

// The stream handlers see the end (the access log, the push funnel's completed/cancelled);
// then the stream is forgotten.
void connection::end_stream(stream_id id, stream_end_reason why) {
  auto s = streams_.find(id);
  if (s == streams_.end()) return;
  if (s->second.pushed) push_->release();
  auto chain = std::move(s->second.chain);
  streams_.erase(s);
  drain_watchers_.erase(id);
  chain->finish(why);
}

// "h2c" is HTTP/2 in clear text (prior knowledge or Upgrade), as the access log says it.
std::string_view connection::protocol_label() const {
  if (!engine_) return "-";
  if (h2_ && !transport_->secure()) return "h2c";
  return engine_->name();
}

void connection::on_upgrade_h2c(request_head head, std::string settings, std::string rest) {
  upgrade_ = std::make_unique<upgrade>(upgrade{std::move(head), std::move(settings),
                                               std::move(rest)});
}

// --- commands from request actors ---

void connection::on_command(stream_id id, command c) {
  if (closed_) return;
  auto s = streams_.find(id);
  if (s == streams_.end()) return;  // reset by the client meanwhile: nothing to say
  // A local reference: the engine may end the stream (erasing its entry) inside the chain.
  auto chain = s->second.chain;
  chain->send(std::move(c));
  // Commands from many request actors queue up on this thread between two reads; one pump
  // after the batch turns their responses into one write instead of one each.
  if (!pump_posted_) {
    pump_posted_ = true;
    asio::post(worker_.io, [self = shared_from_this()] {
      self->pump_posted_ = false;
      self->pump();
    });
  }
}

void connection::apply(stream_id id, stream_entry& s, command& c) {
  std::visit(
      [&](auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, cmd::inform>) {
          engine_->inform(id, x.status, x.fields);
        } else if constexpr (std::is_same_v<T, cmd::reply>) {
          s.replied = true;
          engine_->reply(id, x.status, x.fields, std::move(x.body));
        } else if constexpr (std::is_same_v<T, cmd::stream_reply>) {
          s.replied = true;
          engine_->stream_reply(id, x.status, x.fields);
        } else if constexpr (std::is_same_v<T, cmd::body>) {
          engine_->stream_body(id, std::move(x.data), x.fin);
        } else if constexpr (std::is_same_v<T, cmd::trailers>) {
          engine_->stream_trailers(id, x.fields);
        } else if constexpr (std::is_same_v<T, cmd::crash>) {
          // The chain turned a crash before any response into the 500; this one comes from
          // a stream handler that threw.
          if (!s.replied) {
            s.replied = true;
            engine_->reply(id, 500, {{"content-type", "text/plain"}}, "Internal Server Error\n");
          } else {
            engine_->reset_stream(id);
          }
        } else if constexpr (std::is_same_v<T, cmd::watch_drain>) {
          if (engine_->queued_bytes(id) < drain_low_water && !over_output())
            caf::anon_send(s.actor, drain_atom::value);
          else
            drain_watchers_.insert(id);
        } else if constexpr (std::is_same_v<T, cmd::push>) {
          push(id, x);
        }
      },
      c);
}

// RFC 9113 §8.4: PUSH_PROMISE on the parent stream, then the promised request runs through
// the same pipeline as a client request, in its own actor.
void connection::push(stream_id parent, cmd::push& p) {
  auto* h2 = h2_;
  stream_id promised = h2 ? h2->push_promise(parent, p.promised) : 0;
  if (promised == 0) {
    push_->release();
    ctx_->pushes->count_skip(push_skip::stream_closed);
    log::h2()->debug("{} stream {} push {} refused by the session", peer_, parent, p.key);
    return;
  }
  ctx_->pushes->promised.fetch_add(1, std::memory_order_relaxed);
  log::h2()->debug("{} stream {} promised {} as stream {}", peer_, parent, p.key, promised);
  spawn(promised, std::move(p.promised), true);
  start_spawned();
}

}  // namespace rodeo
