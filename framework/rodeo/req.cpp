#include "rodeo/req.hpp"

#include <caf/event_based_actor.hpp>

#include <algorithm>

#include "rodeo/handler.hpp"
#include "rodeo/http/lex.hpp"
#include "rodeo/internal/actor/stream_link.hpp"
#include "rodeo/internal/stream/early_hints.hpp"
#include "rodeo/internal/stream/push_digest.hpp"
#include "rodeo/log.hpp"

namespace rodeo {

req::req(request_head head, std::shared_ptr<stream_link> link, std::string peer, bool pushed)
    : head_(std::move(head)), link_(std::move(link)), peer_(std::move(peer)), pushed_(pushed) {
  http::detail::split_authority(head_.authority, host_, port_, head_.scheme == "https" ? 443 : 80);
  if (!head_.has_body) body_complete_ = true;
}

req::~req() = default;

std::optional<std::string_view> req::header(std::string_view name) const {
  return find_header(head_.fields, name);
}

stream_id req::stream() const { return link_->id(); }

const rodeo::binding& req::binding(std::string_view name) const {
  if (auto i = bindings_.find(name); i != bindings_.end()) return i->second;
  std::string known;
  for (const auto& [n, _] : bindings_) known += (known.empty() ? "" : ", ") + n;
  throw usage_error("req.binding: no binding named '" + std::string{name} +
                    "' on this route (bindings: " + (known.empty() ? "none" : known) +
                    "); name it with ':" + std::string{name} + "' in the route pattern");
}

std::string req::binding(std::string_view name, std::string_view def) const {
  auto i = bindings_.find(name);
  return i == bindings_.end() ? std::string{def} : i->second.text();
}

void req::set_route(rodeo::bindings b, path_tokens host_info, path_tokens path_info) {
  bindings_ = std::move(b);
  host_info_ = std::move(host_info);
  path_info_ = std::move(path_info);
}

// --- body ---

void req::read_body(std::function<void(req&, std::string)> done, std::size_t limit) {
  if (body_done_ || body_chunk_)
    throw usage_error("req.read_body: the body is already being read; read it once");
  body_limit_ = limit;
  if (body_.size() > limit) body_overflow_ = true;
  if (body_overflow_) {
    if (!replied()) reply_error(413, {}, "Request body too large\n");
    return;
  }
  if (body_complete_) {
    done(*this, std::move(body_));
    return;
  }
  body_done_ = std::move(done);
}

void req::read_body_chunks(std::function<void(req&, std::string_view, bool)> on_chunk) {
  if (body_done_ || body_chunk_)
    throw usage_error("req.read_body_chunks: the body is already being read; read it once");
  // Hand over what arrived before the handler asked.
  if (!body_.empty() || body_complete_) {
    std::string early = std::move(body_);
    body_.clear();
    on_chunk(*this, early, body_complete_);
    if (body_complete_) return;
  }
  body_chunk_ = std::move(on_chunk);
}

// The request's own body (none, for an HTTP/1.1 upgrade) is over: what follows is the
// tunnel's, read until the stream ends.
void req::open_tunnel(int status, const rodeo::headers& fields,
                      std::function<void(req&, std::string_view, bool)> on_bytes) {
  if (body_done_ || body_chunk_)
    throw usage_error("websocket upgrade: the request body is being read; upgrade instead");
  auto all = final_fields(status, fields);
  if (advance(response_event::stream_reply, "stream_reply") != response_effect::send) return;
  link_->send(cmd::stream_reply{status, std::move(all)});
  body_complete_ = false;
  body_chunk_ = std::move(on_bytes);
  if (!body_.empty()) {
    std::string early = std::move(body_);
    body_.clear();
    body_chunk_(*this, early, false);
  }
}

void req::deliver_body(std::string_view data, bool fin) {
  if (fin) body_complete_ = true;
  if (body_chunk_) {
    auto cb = body_chunk_;  // the callback may finish the request
    cb(*this, data, fin);
    if (fin) body_chunk_ = nullptr;
    return;
  }
  if (body_overflow_) return;
  body_.append(data);
  if (body_done_ && body_.size() > body_limit_) {
    body_overflow_ = true;
    body_done_ = nullptr;
    body_.clear();
    if (!replied()) reply_error(413, {}, "Request body too large\n");
    return;
  }
  if (fin && body_done_) {
    auto cb = std::move(body_done_);
    body_done_ = nullptr;
    cb(*this, std::move(body_));
  }
}

void req::on_drain(std::function<void(req&)> ready) {
  drain_ = std::move(ready);
  link_->send(cmd::watch_drain{});
}

void req::deliver_drain() {
  blocked_ = false;
  unacked_ = 0;
  if (!drain_) return;
  auto cb = std::move(drain_);
  drain_ = nullptr;
  cb(*this);
}

bool req::waiting() const {
  if (finished() && !drain_) return false;
  return ((body_done_ || body_chunk_) && !body_complete_) || static_cast<bool>(drain_);
}

// --- response ---

namespace {

// What a handler did wrong, and what to do instead, for a misuse of `call`.
std::string misuse_message(response_effect misuse, std::string_view call) {
  const std::string name = "req." + std::string{call};
  switch (misuse) {
    case response_effect::final_sent:
      if (call == "inform")
        return name +
               ": the final response has started; send 1xx responses before reply or "
               "stream_reply";
      return name +
             ": the response was already sent; a request gets one final response (use "
             "stream_reply and stream_body to send it in pieces)";
    case response_effect::not_streaming:
      if (call == "stream_trailers")
        return name + ": call stream_reply first (trailers end a streamed response)";
      return name + ": call stream_reply first (reply sends a whole body)";
    case response_effect::ended:
      return name +
             ": the response is already complete (reply, stream_body with fin or "
             "stream_trailers ended it); " +
             (call == "stream_trailers"
                  ? "send the trailers instead of the last stream_body(..., true)"
                  : "send nothing after its end");
    default:
      return name + ": " + to_string(misuse);
  }
}

}  // namespace

response_effect req::advance(response_event e, const char* call) {
  auto step = next_response_state(state_, e);
  if (is_misuse(step.effect)) throw usage_error(misuse_message(step.effect, call));
  state_ = step.next;
  return step.effect;
}

rodeo::headers req::merged(const rodeo::headers& fields) const {
  if (resp_headers_.empty()) return fields;
  rodeo::headers all = resp_headers_;
  all.insert(all.end(), fields.begin(), fields.end());
  return all;
}

void req::set_resp_header(std::string name, std::string value) {
  if (replied())
    throw usage_error(
        "req.set_resp_header: the response was already sent; set response "
        "headers before reply or stream_reply");
  resp_headers_.emplace_back(std::move(name), std::move(value));
}

void req::inform(int status, const rodeo::headers& fields) {
  if (status < 100 || status > 199 || status == 101)
    throw usage_error("req.inform: status " + std::to_string(status) +
                      " is not an informational status (100-199, not 101)");
  flush_hints();
  if (advance(response_event::inform, "inform") != response_effect::send) return;
  link_->send(cmd::inform{status, fields});
}

void req::reply(int status, const rodeo::headers& fields, body_bytes body) {
  if (status < 200 || status > 999)
    throw usage_error("req.reply: status " + std::to_string(status) +
                      " is not a final status (200-999); use inform for 1xx");
  auto all = final_fields(status, fields);
  flush_hints();  // pushes the reply hooks made that became hints go first
  if (advance(response_event::reply, "reply") != response_effect::send) return;
  bytes_sent_ = body.size();
  link_->send(cmd::reply{status, std::move(all), std::move(body)});
}

std::optional<error_body> req::render_error(int status, std::string_view reason) const {
  const error_info info{status,        head_.method, head_.path, header("accept").value_or(""),
                        head_.version, reason};
  for (const error_page_fn* page : {&error_page_, listener_error_page_.get()}) {
    if (!page || !*page) continue;
    try {
      if (auto body = (*page)(info); body && !body->body.empty()) return body;
    } catch (const std::exception& e) {
      log::app()->error("{} {} stream {}: the error page for {} threw: {}", head_.method,
                        head_.path, stream(), status, e.what());
    }
  }
  return std::nullopt;
}

void req::reply_error(int status, const rodeo::headers& fields, std::string text) {
  rodeo::headers all = fields;
  if (auto page = render_error(status, text)) {
    all.emplace_back("content-type", std::move(page->content_type));
    reply(status, all, std::move(page->body));
    return;
  }
  if (!text.empty()) all.emplace_back("content-type", "text/plain");
  reply(status, all, std::move(text));
}

void req::stream_reply(int status, const rodeo::headers& fields) {
  if (status < 200 || status > 999)
    throw usage_error("req.stream_reply: status " + std::to_string(status) +
                      " is not a final status (200-999)");
  auto all = final_fields(status, fields);
  flush_hints();  // pushes the reply hooks made that became hints go first
  if (advance(response_event::stream_reply, "stream_reply") != response_effect::send) return;
  link_->send(cmd::stream_reply{status, std::move(all)});
}

void req::on_reply(reply_hook hook) {
  if (replied())
    throw usage_error(
        "req.on_reply: the response was already sent; add reply hooks before reply or "
        "stream_reply");
  reply_hooks_.push_back(std::move(hook));
}

rodeo::headers req::final_fields(int status, const rodeo::headers& fields) {
  auto all = merged(fields);
  // A misuse (a second reply) runs no hook: advance() reports it.
  if (replied()) return all;
  auto hooks = std::move(reply_hooks_);
  reply_hooks_.clear();
  for (auto& hook : hooks) hook(*this, status, all);
  if (digest_)
    if (auto cookie = digest_->set_cookie(head_.scheme == "https"))
      all.emplace_back("set-cookie", std::move(*cookie));
  return all;
}

void req::stream_body(body_bytes data, bool fin) {
  auto e = fin ? response_event::body_fin : response_event::body;
  if (advance(e, "stream_body") != response_effect::send) return;
  bytes_sent_ += data.size();
  unacked_ += data.size();
  link_->send(cmd::body{std::move(data), fin});
  if (!fin && !blocked_ && unacked_ >= stream_output_window) {
    blocked_ = true;
    link_->send(cmd::watch_drain{});
  }
}

void req::stream_trailers(const rodeo::headers& fields) {
  if (advance(response_event::trailers, "stream_trailers") != response_effect::send) return;
  link_->send(cmd::trailers{fields});
}

void req::send_crash() {
  body_done_ = nullptr;
  body_chunk_ = nullptr;
  drain_ = nullptr;
  // Before the final response the connection answers 500; mid-stream it resets the stream. A
  // complete response is left alone: the client gets it whole.
  auto step = next_response_state(state_, response_event::crash);
  state_ = step.next;
  if (step.effect == response_effect::reply_500) {
    // The 500 keeps the headers middlewares set (x-request-id...), as any other response.
    cmd::crash c{resp_headers_, {}};
    if (auto page = render_error(500, "Internal Server Error")) {
      c.fields.emplace_back("content-type", std::move(page->content_type));
      c.body = std::move(page->body);
    }
    link_->send(std::move(c));
  } else if (step.effect == response_effect::reset) {
    link_->send(cmd::crash{});
  }
}

void req::finish_default() {
  if (before_final(state_)) {
    reply(204);
  } else if (streaming(state_)) {
    state_ = next_response_state(state_, response_event::body_fin).next;
    link_->send(cmd::body{{}, true});
  }
}

handler_base& req::keep_handler(std::unique_ptr<handler_base> h) {
  handler_ = std::move(h);
  return *handler_;
}

// --- push (RFC 9113 §8.4) ---

push_outcome req::push(std::string_view path, const rodeo::headers& fields,
                       const push_options& opts) {
  if (replied())
    throw usage_error(
        "req.push: the final response has started; push before reply or "
        "stream_reply so the PUSH_PROMISE precedes the response (RFC 9113 §8.4)");
  // push_options::inherit: the parent's values of the chosen fields, after the given ones
  // (which win); a field the request lacks is skipped.
  rodeo::headers promised_fields = fields;
  for (const auto& name : opts.inherit) {
    const bool given =
        std::any_of(fields.begin(), fields.end(), [&](const auto& f) { return f.first == name; });
    if (given) continue;
    for (const auto& f : head_.fields)
      if (f.first == name) promised_fields.push_back(f);
  }
  validate_push(path, promised_fields, opts);

  push_outcome out;
  out.method = opts.method;
  out.path = remove_dot_segments(path);
  out.qs = opts.qs;
  const std::string scheme = opts.scheme.value_or(head_.scheme);
  const std::string host = http::detail::to_lower(opts.host.value_or(host_));
  const std::uint16_t port = opts.port.value_or(port_);
  const std::uint16_t default_port = scheme == "https" ? 443 : 80;
  const bool v6 = host.find(':') != std::string::npos && host.front() != '[';
  out.authority = (v6 ? "[" + host + "]" : host);
  if (port != default_port) out.authority += ":" + std::to_string(port);

  // RFC 9113 §8.4: only for an origin this connection is authoritative for: the request's
  // own, or over TLS another host its certificate covers (same scheme and port: the client
  // reached this listener through them). Host names compare case-insensitively (RFC 3986).
  if (scheme != head_.scheme || port != port_ || (host != host_ && !link_->push().serves(host)))
    throw usage_error("req.push: authority '" + scheme + "://" + out.authority +
                      "' is not an origin this connection serves (the request's own, " +
                      head_.scheme + "://" + head_.authority +
                      ", or over TLS a host its certificate covers); a server may only push "
                      "for an origin it is authoritative for");

  auto& metrics = link_->push().metrics();
  metrics.requested.fetch_add(1, std::memory_order_relaxed);
  const push_delivery delivery = link_->push().delivery();
  const rodeo::push_policy policy = push_policy_.value_or(delivery.policy);
  std::uint64_t id = 0;
  if (!pushed_ && link_->push().cache_digest()) {
    if (!digest_) digest_ = std::make_unique<push_digest>(head_.fields);
    id = push_digest::identity(out.path, out.qs, opts.validator);
  }
  if (pushed_) {
    out.skipped = push_skip::nested;  // RFC 9113 §8.4: no push on a pushed stream
  } else if (digest_ && digest_->cached(id)) {
    out.skipped = push_skip::client_cached;  // neither pushed nor hinted
  } else if (policy == push_policy::off || policy == push_policy::hint_only) {
    out.skipped = push_skip::policy;
  } else {
    const std::string key = out.method + ' ' + out.authority + ' ' + out.path + '?' + out.qs;
    out.skipped = link_->push().reserve(key);
    if (out.promised()) {
      request_head h;
      h.method = out.method;
      h.scheme = scheme;
      h.authority = out.authority;
      h.path = out.path;
      h.qs = out.qs;
      h.version = head_.version;  // "HTTP/2" or "HTTP/3": the connection's
      h.fields = std::move(promised_fields);
      auto shared = opts.share_meta ? std::make_shared<const rodeo::meta>(meta_) : nullptr;
      link_->send(cmd::push{std::move(h), key, std::move(shared),
                            std::make_shared<push_reservation>(link_->push_shared(), key)});
      if (digest_) digest_->pushed(id);
    }
  }
  if (!out.promised() && hintable(out.skipped, policy, delivery)) {
    if (!hints_) hints_ = std::make_unique<early_hints>();
    out.hinted = hints_->add(preload_link(out.path, out.qs, fields));
    if (!out.hinted) out.skipped = push_skip::duplicate;  // this request hinted it already
  }
  if (out.hinted) {
    // The client fetches what it was hinted: it is cached from now on, as if pushed.
    if (digest_) digest_->pushed(id);
    metrics.hinted.fetch_add(1, std::memory_order_relaxed);
    // The metrics count it hinted, not under its reason: the log says why it was no push
    // (disabled_by_client, no_push_id, http1, policy...).
    log::push()->debug("stream {} push {} {}{}{} hinted: {}", stream(), out.method, out.authority,
                       out.path, out.qs.empty() ? "" : "?" + out.qs, to_string(out.skipped));
  } else if (!out.promised()) {
    metrics.count_skip(out.skipped);
    log::push()->debug("stream {} push {} {}{}{} skipped: {}", stream(), out.method, out.authority,
                       out.path, out.qs.empty() ? "" : "?" + out.qs, to_string(out.skipped));
  }
  if (out.hinted)
    link_->pushes().hinted.fetch_add(1, std::memory_order_relaxed);
  else
    link_->pushes().count(out.skipped);
  pushes_.push_back(out);
  return out;
}

// --- early hints (RFC 8297) ---

bool req::hintable(push_skip why, rodeo::push_policy policy, const push_delivery& d) const {
  if (pushed_ || policy == push_policy::off || policy == push_policy::push_only) return false;
  // Only a push the client cannot take becomes a hint; one it could take later (a full
  // connection, a duplicate) would only be fetched twice.
  // HTTP/3: a client that sent no MAX_PUSH_ID, or whose push IDs are used up, cannot take
  // one either (RFC 9114 §4.6).
  if (why != push_skip::disabled_by_client && why != push_skip::http1 && why != push_skip::policy &&
      why != push_skip::no_push_id && why != push_skip::push_ids_exhausted)
    return false;
  if (head_.version == "HTTP/2" || head_.version == "HTTP/3") return true;
  // RFC 9110 §15.2: no 1xx to an HTTP/1.0 client.
  return head_.version == "HTTP/1.1" && d.hints_over_http1;
}

void req::flush_hints() {
  if (!hints_ || !hints_->pending()) return;
  auto fields = hints_->take();
  if (!before_final(state_)) return;  // the response started: too late for hints
  if (advance(response_event::inform, "inform") != response_effect::send) return;
  link_->send(cmd::inform{103, std::move(fields)});
}

}  // namespace rodeo
