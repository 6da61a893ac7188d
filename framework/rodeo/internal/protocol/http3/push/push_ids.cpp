#include "rodeo/internal/protocol/http3/push/push_ids.hpp"

namespace rodeo::http3::push {

bool push_ids::allow_up_to(std::uint64_t max_push_id) {
  if (max_ && max_push_id < *max_) return false;
  max_ = max_push_id;
  return true;
}

push_ids::allocation push_ids::next() {
  if (!max_) return {.refused = push_id_refusal::no_push_id};
  if (next_ > *max_) return {.refused = push_id_refusal::push_ids_exhausted};
  return {.id = next_++};
}

}  // namespace rodeo::http3::push
