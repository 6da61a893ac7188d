// Server push (RFC 9113 §8.4): PUSH_PROMISE, and the rule that a pushed response waits for
// its parent's response to be on the wire, unless the parent has nothing to send.

#include <algorithm>

#include "rodeo/internal/protocol/http2/engine.hpp"
#include "rodeo/internal/protocol/http2/header_block.hpp"
#include "rodeo/internal/protocol/http2/session.hpp"

namespace rodeo::http2 {

bool engine::push_enabled() const {
  return nghttp2_session_get_remote_settings(session_.get(), NGHTTP2_SETTINGS_ENABLE_PUSH) != 0;
}

std::uint32_t engine::peer_max_concurrent_streams() const {
  return nghttp2_session_get_remote_settings(session_.get(),
                                             NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS);
}

push_capability engine::can_push() const {
  auto limit = peer_max_concurrent_streams();
  if (!push_enabled()) return {push_skip::disabled_by_client, limit};
  if (going_away()) return {push_skip::connection_closing, limit};
  return {push_skip::none, limit};
}

// Called where what can_push answers may change: the client's SETTINGS, a GOAWAY either way.
void engine::report_push_capability() { events_.on_push_capability(can_push()); }

std::size_t engine::open_pushed_streams() const {
  return static_cast<std::size_t>(std::count_if(streams_.begin(), streams_.end(),
                                                [](auto& kv) { return kv.second.parent != 0; }));
}

stream_id engine::push_promise(stream_id parent, const request_head& promised) {
  // nghttp2 accepts a promise even when the client disabled push and drops it at send time
  // (then closes the promised stream): check first, so that nothing is promised in vain.
  if (!push_enabled() || going_away()) return 0;
  auto* p = commandable(parent);
  // RFC 9113 §8.4: only on a client-initiated stream (no nested push), before the response
  // that may refer to the pushed resource.
  if (!p || parent % 2 == 0 || !before_final(p->response)) return 0;
  std::string path = promised.path;
  if (!promised.qs.empty()) path += "?" + promised.qs;
  detail::header_block block;
  block.add(":method", promised.method);
  block.add(":scheme", promised.scheme);
  block.add(":authority", promised.authority);
  block.add(":path", path);
  block.add_fields(promised.fields);
  auto id = nghttp2_submit_push_promise(session_.get(), NGHTTP2_FLAG_NONE, parent, block.data(),
                                        block.size(), nullptr);
  if (id <= 0) return 0;
  auto& s = streams_[id];
  s.reported = true;
  s.parent = parent;
  s.head_request = promised.method == "HEAD";
  p->children.push_back(id);
  return id;
}

stream_id engine::priority_parent(stream_id id) const {
  auto* st = nghttp2_session_find_stream(session_.get(), id);
  if (!st) return 0;
  auto* dep = nghttp2_stream_get_parent(st);
  return dep ? nghttp2_stream_get_stream_id(dep) : 0;
}

bool engine::must_hold(const detail::stream& s) const {
  if (s.parent == 0) return false;
  auto* p = find(s.parent);
  return p && !p->pushes_released;
}

bool engine::release_idle_pushes() {
  bool any = false;
  for (auto& [id, s] : streams_) {
    if (s.pushes_released || s.parent != 0) continue;
    const bool held = std::any_of(s.children.begin(), s.children.end(), [&](stream_id c) {
      auto* child = find(c);
      return child && child->held;
    });
    if (!held) continue;
    s.pushes_early = true;
    ++early_parents_;
    release_pushes(s);
    any = true;
  }
  return any;
}

void engine::parent_sent(detail::stream& parent) {
  if (parent.pushes_early) {
    parent.pushes_early = false;
    --early_parents_;
  }
  if (!parent.pushes_released) release_pushes(parent);
}

void engine::on_promise_sent(stream_id promised) {
  auto* s = find(promised);
  if (!s || !s->held || s->held->status < 400) return;
  auto r = std::move(*s->held);
  s->held.reset();
  submit_response(promised, *s, r);
}

void engine::release_pushes(detail::stream& parent) {
  parent.pushes_released = true;
  for (auto child_id : parent.children) {
    auto* c = find(child_id);
    if (!c || !c->held) continue;
    auto r = std::move(*c->held);
    c->held.reset();
    submit_response(child_id, *c, r);
  }
}

}  // namespace rodeo::http2
