#include "rodeo/router/constraints.hpp"

#include <charconv>

namespace rodeo::router {

namespace detail {

constraint_result int_constraint(std::string_view text) noexcept {
  // Cowboy's int is Erlang's list_to_integer: an optional sign, then at least one digit,
  // nothing else (no spaces, no hex). Erlang integers are unbounded; ours must fit 64 bits,
  // and a value that does not is rejected rather than wrapped.
  std::string_view digits = text;
  bool negative = false;
  if (!digits.empty() && (digits.front() == '+' || digits.front() == '-')) {
    negative = digits.front() == '-';
    digits.remove_prefix(1);
  }
  if (digits.empty()) return std::nullopt;
  for (char c : digits)
    if (c < '0' || c > '9') return std::nullopt;
  // Parse with the sign attached so that INT64_MIN is representable.
  std::int64_t v = 0;
  std::string_view signed_text = negative ? text : digits;
  auto [end, ec] = std::from_chars(signed_text.data(), signed_text.data() + signed_text.size(), v);
  if (ec != std::errc{} || end != signed_text.data() + signed_text.size()) return std::nullopt;
  return constraint_result{std::any{v}};
}

constraint_result nonempty_constraint(std::string_view text) noexcept {
  if (text.empty()) return std::nullopt;
  return constraint_result{std::any{}};
}

}  // namespace detail

bool apply_constraints(const std::vector<constraint>& cs, std::string_view text,
                       std::any& value) noexcept {
  try {
    std::any converted;
    bool any_converted = false;
    for (const auto& c : cs) {
      auto r = c(text);
      if (!r) return false;
      if (r->has_value()) {
        converted = std::move(*r);
        any_converted = true;
      }
    }
    if (any_converted) value = std::move(converted);
    return true;
  } catch (...) {
    // A user constraint that throws cannot crash the request: the binding is rejected, so
    // the route does not match.
    return false;
  }
}

}  // namespace rodeo::router
