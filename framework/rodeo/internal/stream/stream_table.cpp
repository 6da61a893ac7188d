#include "rodeo/internal/stream/stream_table.hpp"

#include <caf/actor_system.hpp>
#include <caf/send.hpp>

#include <type_traits>

#include "rodeo/http/lex.hpp"
#include "rodeo/internal/actor/request_actor.hpp"
#include "rodeo/log.hpp"
#include "rodeo/req.hpp"

namespace rodeo {

stream_table::stream_table(std::shared_ptr<server_context> ctx, std::shared_ptr<io_worker> worker,
                           std::shared_ptr<push_state> push, std::string peer,
                           std::function<bool(std::size_t)> over_output)
    : ctx_(std::move(ctx)),
      worker_(*worker),
      worker_ref_(worker),
      push_(std::move(push)),
      peer_(std::move(peer)),
      over_output_(std::move(over_output)) {}

void stream_table::open(stream_id id, request_head head, bool pushed,
                        std::shared_ptr<const meta> meta) {
  auto& s = streams_[id];
  s.pushed = pushed;
  s.body_seen = s.send_progress = clock::now();
  // An extended CONNECT's DATA is a tunnel (a WebSocket), silent while it idles: the body
  // timeout is not its business (the handler has its idle timeout).
  s.body_open = head.has_body && !(head.method == "CONNECT" && !head.protocol.empty());
  if (!pushed) had_request_ = true;
  const bool refuse = !pushed && misdirected(head);
  // Every command of the stream passes its stream handlers, then reaches the engine.
  s.chain = std::make_shared<stream_chain>(
      ctx_->stream_handlers, stream_info{id, &head, label_, peer_, pushed}, [this, id](command& c) {
        auto e = streams_.find(id);
        if (e != streams_.end()) to_engine(id, e->second, c);
      });
  if (refuse) {
    // RFC 9110 §15.5.20, RFC 9113 §9.1.1: not a host this certificate covers. No actor: the
    // chain (and its pushes) never runs; the stream handlers see the 421 like any response.
    log::net()->debug("{} stream {} for '{}' is misdirected: 421", peer_, id, head.authority);
    s.replied = true;
    s.body_open = false;
    command c = cmd::reply{421, {{"content-type", "text/plain"}}, "Misdirected Request\n"};
    apply(id, c);
    return;
  }
  auto worker = worker_ref_.lock();
  io_unit* home = nullptr;
  if (ctx_->actor_placement == actor_placement::io_thread) {
    if (!worker_.unit)
      worker_.unit = std::make_unique<io_unit>(ctx_->sys, worker_.io, ctx_->actor_time_slice);
    home = worker_.unit.get();
  }
  auto link = std::make_shared<stream_link>(
      sink_, std::shared_ptr<asio::io_context>(worker, &worker->io), id, push_, home);
  s.link = link;
  auto job = std::make_shared<request_job>();
  job->r = std::make_unique<req>(std::move(head), std::move(link), peer_, pushed);
  if (meta) job->r->meta() = *meta;
  job->chain = ctx_->chain;
  job->error_page = ctx_->error_page;
  if (home) {
    // Runs in the io unit's next round, with the others this thread starts meanwhile.
    s.actor = spawn_request_actor(ctx_->sys, std::move(job), actor_start::now, home);
    return;
  }
  // Started in a batch with the others this io thread spawns meanwhile (start_spawned).
  s.actor = spawn_request_actor(ctx_->sys, std::move(job), actor_start::on_first_message);
  worker_.to_start.push_back(s.actor);
}

// The first spawn since the last batch posts the batch's start behind the handlers already
// queued on this io thread: the other sockets one epoll round found ready add theirs, and
// one starter message starts them all.
void stream_table::start_spawned() {
  if (worker_.start_posted || worker_.to_start.empty()) return;
  worker_.start_posted = true;
  // The worker by address: a handler queued on its io_context runs only while the worker
  // lives (it owns the io_context), and a shared_ptr here would make a cycle.
  asio::post(worker_.io, [w = &worker_, ctx = ctx_] {
    w->start_posted = false;
    ctx->starter.start(w->to_start);
  });
}

void stream_table::on_body(stream_id id, std::string_view data, bool fin) {
  auto s = streams_.find(id);
  if (s == streams_.end() || !s->second.actor) return;
  s->second.chain->received(data.size());
  s->second.body_seen = clock::now();
  if (fin) s->second.body_open = false;
  tell(s->second.actor, worker_.unit.get(), body_atom::value, std::string{data}, fin);
}

bool stream_table::apply(stream_id id, command& c) {
  auto it = streams_.find(id);
  if (it == streams_.end()) return false;
  // A local reference: the engine may end the stream (erasing its entry) inside the chain.
  auto chain = it->second.chain;
  chain->send(std::move(c));
  return true;
}

void stream_table::expect_timeout(stream_id id) {
  if (auto it = streams_.find(id); it != streams_.end())
    it->second.chain->expect_end(stream_end_reason::timeout);
}

void stream_table::to_engine(stream_id id, entry& s, command& c) {
  std::visit(
      [&](auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, cmd::inform>) {
          engine_->inform(id, x.status, x.fields);
        } else if constexpr (std::is_same_v<T, cmd::reply>) {
          s.replied = true;
          if (s.pushed && x.status >= 400) s.push_failed = true;  // the engine cancels it
          engine_->reply(id, x.status, x.fields, std::move(x.body));
        } else if constexpr (std::is_same_v<T, cmd::stream_reply>) {
          s.replied = true;
          if (s.pushed && x.status >= 400) s.push_failed = true;
          engine_->stream_reply(id, x.status, x.fields);
        } else if constexpr (std::is_same_v<T, cmd::body>) {
          settle_drain(s);
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
          if (engine_->queued_bytes(id) < drain_low_water && room_for_drain())
            grant_drain(s);
          else
            drain_watchers_.insert(id);
        } else if constexpr (std::is_same_v<T, cmd::push>) {
          push(id, s, x);
        }
      },
      c);
}

void stream_table::notify_shutdown() {
  for (auto& [id, s] : streams_)
    if (s.actor) tell(s.actor, worker_.unit.get(), shutdown_atom::value);
}

// RFC 9113 §8.4: the promise on the parent stream, then the promised request runs through
// the same pipeline as a client request, in its own actor.
void stream_table::push(stream_id parent, entry& s, cmd::push& p) {
  stream_id promised = engine_->push_promise(parent, p.promised);
  if (promised == 0) {
    // The reservation goes with the command: its slot and key are given back.
    s.link->pushes().refused();
    auto why = engine_->push_refusal();
    log::push()->debug("{} stream {} push {} refused by the session{}{}", peer_, parent, p.key,
                       why.empty() ? "" : ": ", why);
    return;
  }
  if (p.reservation) p.reservation->promised();
  log::h2()->debug("{} stream {} promised {} as stream {}", peer_, parent, p.key, promised);
  open(promised, std::move(p.promised), true, std::move(p.meta));
  start_spawned();
}

bool stream_table::misdirected(const request_head& head) const {
  if (!secure_ || !ctx_->tls_names || ctx_->allow_misdirected || head.authority.empty())
    return false;
  std::string host;
  std::uint16_t port = 0;  // the port is the listener's business
  http::detail::split_authority(head.authority, host, port, 0);
  return !ctx_->tls_names->covers(host);
}

bool stream_table::finish(stream_id id, stream_finish end) {
  auto it = streams_.find(id);
  if (it == streams_.end()) return false;
  auto& s = it->second;
  auto why = stream_end_reason::normal;
  switch (end.how) {
    case stream_finish::kind::done:
      if (s.pushed) push_->ended(push_state::end::completed);
      break;
    case stream_finish::kind::reset:
      log::net()->debug("{} stream {} reset (error code {}): stopping its request actor", peer_, id,
                        end.error_code);
      if (s.actor) tell_exit(s.actor, worker_.unit.get());
      if (s.pushed)
        push_->ended(s.push_failed ? push_state::end::failed : push_state::end::cancelled);
      why = stream_end_reason::reset;
      break;
    case stream_finish::kind::aborted:
      if (s.actor) tell_exit(s.actor, worker_.unit.get());
      // An error response to a pushed request is a failed push from the reply on: over
      // HTTP/3 its reset is only reported once the push stream closes, which a connection
      // that ends first (the client done with its page) never lets happen.
      if (s.pushed && s.push_failed) push_->ended(push_state::end::failed);
      why = end.aborted_as;
      break;
  }
  drain_watchers_.erase(id);
  settle_drain(s);
  // The stream handlers see the end (the access log among them) once it is forgotten here.
  auto chain = std::move(s.chain);
  if (s.link) chain->set_pushes(s.link->pushes().read());  // none: refused before an actor
  streams_.erase(it);
  chain->finish(why);
  return true;
}

void stream_table::finish_all() {
  std::vector<stream_id> ids;
  ids.reserve(streams_.size());
  for (auto& kv : streams_) ids.push_back(kv.first);
  for (auto id : ids) finish(id, {stream_finish::kind::aborted});
}

// A producer waiting for its stream to drain goes on once its stream's queue is low and the
// connection and the listener are within their output limits.
void stream_table::notify_drains() {
  if (drain_watchers_.empty() || !engine_) return;
  for (auto i = drain_watchers_.begin(); i != drain_watchers_.end() && room_for_drain();) {
    auto s = streams_.find(*i);
    if (s == streams_.end()) {
      i = drain_watchers_.erase(i);
    } else if (engine_->queued_bytes(*i) < drain_low_water) {
      grant_drain(s->second);
      i = drain_watchers_.erase(i);
    } else {
      ++i;
    }
  }
}

// The output to come from streams already told to go on counts as if it were queued.
bool stream_table::room_for_drain() const { return !over_output_(drain_grants_ * drain_low_water); }

void stream_table::grant_drain(entry& s) {
  tell(s.actor, worker_.unit.get(), drain_atom::value);
  if (!s.drain_granted) {
    s.drain_granted = true;
    ++drain_grants_;
  }
}

// The stream's next piece arrived (or the stream ended): its grant is output now, or none.
void stream_table::settle_drain(entry& s) {
  if (!s.drain_granted) return;
  s.drain_granted = false;
  --drain_grants_;
}

std::vector<stream_id> stream_table::stalled_bodies(clock::time_point now,
                                                    clock::duration timeout) {
  std::vector<stream_id> late;
  for (auto& [id, s] : streams_)
    if (s.body_open && now - s.body_seen >= timeout) late.push_back(id);
  return late;
}

void stream_table::time_out_body(stream_id id) {
  auto it = streams_.find(id);
  if (it == streams_.end()) return;
  it->second.body_open = false;
  if (it->second.replied) {
    // RFC 9113 §7 CANCEL: the stream is no longer wanted.
    engine_->cancel_stream(id);
    return;
  }
  // RFC 9110 §15.5.9; the engine ends the request half (HTTP/2: RST_STREAM(NO_ERROR)).
  // The 408 goes through the stream handlers like any response.
  command c = cmd::reply{408, {{"content-type", "text/plain"}}, "Request Timeout\n"};
  apply(id, c);
  stream_finish end{stream_finish::kind::aborted};
  end.aborted_as = stream_end_reason::timeout;
  finish(id, end);
}

std::vector<stream_id> stream_table::stalled_sends(clock::time_point now, clock::duration timeout) {
  std::vector<stream_id> stalled;
  for (auto& [id, s] : streams_) {
    auto q = engine_->queued_bytes(id);
    if (q < s.queued_seen || !engine_->flow_blocked(id)) s.send_progress = now;
    s.queued_seen = q;
    if (now - s.send_progress >= timeout) stalled.push_back(id);
  }
  return stalled;
}

}  // namespace rodeo
