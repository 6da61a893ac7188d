#pragma once
/// \file
/// Push ID allocation (RFC 9114 §4.6): push IDs are 0, 1, 2... and a server may use one only
/// up to the client's MAX_PUSH_ID (§7.2.7). A client that sent no MAX_PUSH_ID allows no push
/// at all, which is every browser today.

#include <cstdint>
#include <optional>

namespace rodeo::http3::push {

/// Why no push ID was given; `req.push` reports these as its no-op reasons.
enum class push_id_refusal {
  no_push_id,          ///< the client sent no MAX_PUSH_ID
  push_ids_exhausted,  ///< every ID up to the client's MAX_PUSH_ID is used
};

class push_ids {
 public:
  struct allocation {
    std::uint64_t id = 0;
    std::optional<push_id_refusal> refused;
    explicit operator bool() const { return !refused; }
  };

  /// The client's MAX_PUSH_ID. False (and nothing changes) when it is lower than the one
  /// before: H3_ID_ERROR (§7.2.7).
  bool allow_up_to(std::uint64_t max_push_id);

  /// The next push ID, never above the client's MAX_PUSH_ID.
  allocation next();

  std::optional<std::uint64_t> max_push_id() const { return max_; }
  /// How many push IDs were handed out.
  std::uint64_t used() const { return next_; }

 private:
  std::optional<std::uint64_t> max_;
  std::uint64_t next_ = 0;
};

}  // namespace rodeo::http3::push
