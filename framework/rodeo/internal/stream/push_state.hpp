#pragma once
/// \file
/// A connection's push bookkeeping, the one place that counts its pushes: shared with its
/// request actors so that `req.push` can answer at once whether a push will happen (and why
/// not). The connection writes it on its thread when its protocol reports a new
/// `push_capability` (SETTINGS, GOAWAY) and when pushed streams are promised or end; request
/// actors read it and reserve slots from worker threads, hence the mutex (held for a few
/// instructions).

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_set>

#include "rodeo/internal/net/tls/served_names.hpp"
#include "rodeo/internal/protocol/protocol.hpp"
#include "rodeo/push.hpp"
#include "rodeo/push_metrics.hpp"
#include "rodeo/push_policy.hpp"

namespace rodeo {

class push_state {
 public:
  push_state(bool http2, std::shared_ptr<push_metrics> metrics)
      : metrics_(std::move(metrics)), http2_(http2) {}

  push_metrics& metrics() { return *metrics_; }
  /// The listener's delivery settings (push_policy.hpp), set before the first request.
  void set_delivery(push_delivery d) { delivery_ = d; }
  const push_delivery& delivery() const { return delivery_; }

  /// Whether requests read and write the pushed-resources digest cookie
  /// (listener_options::push_cache_digest); set once when the connection starts.
  bool cache_digest() const { return cache_digest_; }
  void set_cache_digest(bool v) { cache_digest_ = v; }

  /// Decides a push of resource `key` and, if allowed, reserves a concurrent-stream slot
  /// and remembers the key (RFC 9113 §8.4: no wasted pushes).
  push_skip reserve(const std::string& key) {
    std::lock_guard<std::mutex> g{m_};
    if (!http2_) return push_skip::http1;
    if (!enabled_) return push_skip::disabled_by_client;
    if (closing_) return push_skip::connection_closing;
    if (no_ids_ != push_skip::none) return no_ids_;
    if (open_ >= max_concurrent_) return push_skip::concurrency_limit;
    // A push adds output that nobody asked for yet: not while the connection waits to drain.
    if (output_full_) return push_skip::output_full;
    if (!keys_.insert(key).second) return push_skip::duplicate;
    ++open_;
    return push_skip::none;
  }

  /// A reserved push did not reach the wire after all, or a pushed stream ended.
  void release() {
    std::lock_guard<std::mutex> g{m_};
    if (open_ > 0) --open_;
  }

  /// What the connection's protocol allows now. A connection once closing stays closing.
  void update(push_capability c) {
    std::lock_guard<std::mutex> g{m_};
    http2_ = c.skip != push_skip::http1;
    if (!http2_) return;
    enabled_ = c.skip != push_skip::disabled_by_client;
    if (c.skip == push_skip::connection_closing) closing_ = true;
    // HTTP/3 (RFC 9114 §4.6): no push ID to use, until the client's MAX_PUSH_ID says.
    no_ids_ = c.skip == push_skip::no_push_id || c.skip == push_skip::push_ids_exhausted
                  ? c.skip
                  : push_skip::none;
    max_concurrent_ = c.max_concurrent;
  }

  /// A reserved push was refused by the protocol after all, or its command was dropped on
  /// the way (its parent stream ended): its slot and its key are free again.
  void refused(const std::string& key) {
    {
      std::lock_guard<std::mutex> g{m_};
      if (open_ > 0) --open_;
      keys_.erase(key);
    }
    metrics_->count_skip(push_skip::stream_closed);
  }
  /// A reserved push was promised on the wire.
  void promised() { metrics_->promised.fetch_add(1, std::memory_order_relaxed); }
  /// How a pushed stream ended.
  enum class end { completed, cancelled, failed };
  /// A pushed stream ended: its response complete, reset by the client, or reset by us
  /// because its response was an error (push_failed).
  void ended(end how) {
    release();
    auto& n = how == end::completed   ? metrics_->completed
              : how == end::cancelled ? metrics_->cancelled
                                      : metrics_->failed;
    n.fetch_add(1, std::memory_order_relaxed);
  }

  /// Over TLS, the names the certificate covers: pushes may name any of them (RFC 9113 §8.4:
  /// the server is authoritative for them on this connection).
  void set_served(std::shared_ptr<const tls::served_names> names) {
    std::lock_guard<std::mutex> g{m_};
    served_ = std::move(names);
  }
  bool serves(std::string_view host) {
    std::lock_guard<std::mutex> g{m_};
    return served_ && served_->covers(host);
  }

  void set_http2(bool v) {
    std::lock_guard<std::mutex> g{m_};
    http2_ = v;
  }
  void update_peer(bool enabled, std::uint32_t max_concurrent) {
    std::lock_guard<std::mutex> g{m_};
    enabled_ = enabled;
    max_concurrent_ = max_concurrent;
  }
  void set_closing() {
    std::lock_guard<std::mutex> g{m_};
    closing_ = true;
  }
  /// The connection's queued output is above its limits (or back within them).
  void set_output_full(bool v) {
    std::lock_guard<std::mutex> g{m_};
    output_full_ = v;
  }

 private:
  std::shared_ptr<push_metrics> metrics_;
  push_delivery delivery_;
  std::mutex m_;
  bool http2_;
  bool enabled_ = true;  // RFC 9113 §6.5.2: ENABLE_PUSH starts at 1
  bool closing_ = false;
  push_skip no_ids_ = push_skip::none;  ///< no_push_id or push_ids_exhausted (HTTP/3)
  bool output_full_ = false;
  bool cache_digest_ = true;
  std::uint32_t max_concurrent_ = UINT32_MAX;  // unlimited until the peer says
  std::uint32_t open_ = 0;
  std::unordered_set<std::string> keys_;
  std::shared_ptr<const tls::served_names> served_;
};

/// A push reserved by req::push and not promised yet. The last copy of a push command that
/// never reached its promise gives the reservation back, whichever way it was dropped.
class push_reservation {
 public:
  push_reservation(std::shared_ptr<push_state> state, std::string key)
      : state_(std::move(state)), key_(std::move(key)) {}
  push_reservation(const push_reservation&) = delete;
  push_reservation& operator=(const push_reservation&) = delete;
  ~push_reservation() {
    if (state_) state_->refused(key_);
  }
  /// The promise is on its way: the pushed stream's end releases the slot from now on.
  void promised() {
    if (state_) state_->promised();
    state_.reset();
  }

 private:
  std::shared_ptr<push_state> state_;
  std::string key_;
};

}  // namespace rodeo
