#pragma once
/// \file
/// Binding constraints, Cowboy's `cowboy_constraints`: a route may attach to each binding a
/// list of constraints that accept or reject its text and may convert it.
///
///     {"/hats/:id", {{"id", rodeo::router::int_c}}, rodeo::handler<hat_h>()}
///     {"/users/:name", {{"name", {rodeo::router::nonempty_c, lowercase}}}, ...}
///
/// A rejected binding makes the route not match (the router tries the next one; nothing
/// matches: 404), exactly as in Cowboy. A constraint is any callable taking the binding's
/// percent-decoded text as `std::string_view` and returning one of:
/// - `bool`: accept or reject, the value stays the text;
/// - `std::optional<T>`: reject on nullopt, else accept and make the value a `T`;
/// - `std::optional<std::any>` (constraint_result): reject on nullopt; an empty `std::any`
///   accepts and keeps the value, a non-empty one replaces it.
///
/// In a list, every constraint sees the text (not the previous one's output) and the last
/// conversion wins; `{int_c, nonempty_c}` gives a std::int64_t. A constraint that throws
/// rejects the binding: matching never throws.

#include <any>
#include <concepts>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace rodeo::router {

/// What a constraint decides: nullopt rejects; an empty any accepts as is; a value converts.
using constraint_result = std::optional<std::any>;

namespace detail {
template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};

struct constraint_fn {
  virtual ~constraint_fn() = default;
  virtual constraint_result operator()(std::string_view text) const = 0;
};

template <class F>
class constraint_fn_of final : public constraint_fn {
 public:
  explicit constraint_fn_of(F f) : f_(std::move(f)) {}
  constraint_result operator()(std::string_view text) const override {
    using r = std::remove_cvref_t<std::invoke_result_t<const F&, std::string_view>>;
    if constexpr (std::is_same_v<r, constraint_result>) {
      return f_(text);
    } else if constexpr (std::is_same_v<r, bool>) {
      return f_(text) ? constraint_result{std::any{}} : std::nullopt;
    } else if constexpr (is_optional<r>::value) {
      auto v = f_(text);
      if (!v) return std::nullopt;
      return constraint_result{std::any{std::move(*v)}};
    } else {
      static_assert(is_optional<r>::value,
                    "a constraint returns bool, std::optional<T> or std::optional<std::any>");
    }
  }

 private:
  F f_;
};

constraint_result int_constraint(std::string_view text) noexcept;
constraint_result nonempty_constraint(std::string_view text) noexcept;
}  // namespace detail

/// One constraint: a built-in (`int_c`, `nonempty_c`) or a wrapped callable.
class constraint {
 public:
  using function_ptr = constraint_result (*)(std::string_view);

  /// From a plain function returning constraint_result (constant-initialisable: the
  /// built-ins are globals other globals may use during static initialisation).
  constexpr constraint(function_ptr fn) noexcept : fn_(fn) {}

  /// From any callable `R(std::string_view)`, R one of bool, std::optional<T>,
  /// std::optional<std::any>.
  template <class F>
  requires(!std::is_same_v<std::decay_t<F>, constraint> &&
           !std::is_convertible_v<F, function_ptr> &&
           std::invocable<const std::decay_t<F>&, std::string_view>)
      constraint(F&& f)  // decay: a function named without '&' is stored as a pointer
      : custom_(std::make_shared<detail::constraint_fn_of<std::decay_t<F>>>(std::forward<F>(f))) {}

  /// Applies the constraint to a binding's text.
  constraint_result operator()(std::string_view text) const {
    if (fn_) return fn_(text);
    if (custom_) return (*custom_)(text);
    return constraint_result{std::any{}};
  }

 private:
  function_ptr fn_ = nullptr;
  std::shared_ptr<const detail::constraint_fn> custom_;
};

/// `int`: an optional sign and decimal digits that fit a std::int64_t; the value becomes
/// that std::int64_t (read it with `binding.as<std::int64_t>()`).
inline constinit const constraint int_c{&detail::int_constraint};

/// `nonempty`: rejects the empty text; the value stays the text.
inline constinit const constraint nonempty_c{&detail::nonempty_constraint};

/// The constraints on one binding: `{"id", int_c}` or `{"id", {int_c, nonempty_c}}`.
struct field {
  field(std::string binding_name, constraint c)
      : name(std::move(binding_name)), constraints{std::move(c)} {}
  field(std::string binding_name, std::vector<constraint> cs)
      : name(std::move(binding_name)), constraints(std::move(cs)) {}

  std::string name;
  std::vector<constraint> constraints;
};

using fields = std::vector<field>;

/// Runs `cs` in order over `text`. Returns false if one rejects (or throws); on success `value`
/// holds the last conversion, or is left as it was if no constraint converted.
[[nodiscard]] bool apply_constraints(const std::vector<constraint>& cs, std::string_view text,
                                     std::any& value) noexcept;

}  // namespace rodeo::router
