#pragma once
/// \file
/// Query strings and `application/x-www-form-urlencoded` bodies, as Cowboy's `cow_qs` and
/// `cowboy_req:match_qs`.
///
/// Errors: a malformed query string is the client's fault, so `parse_qs`, `urldecode` and
/// `match_qs` throw `std::invalid_argument` (a `qs_error` for a field that is missing or
/// fails its constraints), which the framework answers with 400 as Cowboy does. The `try_`
/// forms return `std::nullopt` instead and never throw on any input.

#include <any>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace rodeo::http {

/// Decoded (name, value) pairs in the order they came.
using qs_pairs = std::vector<std::pair<std::string, std::string>>;

/// The most pairs `parse_qs` accepts by default (Cowboy's `max_keys`): a bound on the work a
/// request can cause.
inline constexpr std::size_t default_qs_max_keys = 100;

/// Parses a query string or form body: pairs split on '&', name and value on the first '=',
/// '+' is a space, `%XX` is a byte. A name without '=' gets an empty value (Cowboy gives
/// `true`; here `a` and `a=` both give ""). Empty pairs (`a&&b`) are skipped.
/// Throws `std::invalid_argument` on an empty name before '=' (`=b`), a '%' not followed by
/// two hex digits, or more than `max_keys` pairs.
[[nodiscard]] qs_pairs parse_qs(std::string_view qs, std::size_t max_keys = default_qs_max_keys);

/// As `parse_qs`, with `std::nullopt` instead of the exception.
[[nodiscard]] std::optional<qs_pairs> try_parse_qs(std::string_view qs,
                                                   std::size_t max_keys = default_qs_max_keys);

/// Form encoding (cow_qs:urlencode): `A-Z a-z 0-9 - . _` stay, space becomes '+', every
/// other byte becomes `%XX` with uppercase hex.
std::string urlencode(std::string_view s);

/// Form decoding: '+' is a space, `%XX` (either case) a byte, anything else as is.
/// Throws `std::invalid_argument` on a bad percent escape.
std::string urldecode(std::string_view s);

/// As `urldecode`, with `std::nullopt` instead of the exception.
[[nodiscard]] std::optional<std::string> try_urldecode(std::string_view s);

/// Builds `name=value&...` with `urlencode` (the inverse of `parse_qs`).
std::string build_qs(const qs_pairs& pairs);

// --- match_qs -----------------------------------------------------------------------------

/// A check and conversion on one query string value, as Cowboy's constraints: it receives
/// the value (a `std::string` for the first constraint of a field, or what the previous
/// constraint returned) and returns the new value, or `std::nullopt` to reject it.
class constraint {
 public:
  /// A plain constraint function: the converted value, or `std::nullopt` to reject.
  using function_ptr = std::optional<std::any> (*)(const std::any&);
  /// The same as any callable.
  using function = std::function<std::optional<std::any>(const std::any&)>;

  /// A named constraint from a plain function (how `int_c` and `nonempty_c` are made).
  constexpr constraint(std::string_view name, function_ptr fn) noexcept : name_(name), ptr_(fn) {}

  /// A constraint from any callable. `f` takes either `std::string_view` (the text value; a
  /// value that is no longer text is then rejected) or `const std::any&`, and returns
  /// `std::optional<std::any>` (declare the return type: an `std::optional<int>` would be
  /// wrapped whole in the `std::any`). `name` appears in error messages.
  template <class F>
  static constraint from(F f, std::string_view name = "custom") {
    auto impl = std::make_shared<custom>();
    impl->name.assign(name);
    if constexpr (std::is_invocable_v<F&, const std::any&>) {
      impl->fn = std::move(f);
    } else {
      static_assert(std::is_invocable_r_v<std::optional<std::any>, F&, std::string_view>,
                    "a constraint takes std::string_view or const std::any& and returns "
                    "std::optional<std::any>");
      impl->fn = [g = std::move(f)](const std::any& v) mutable -> std::optional<std::any> {
        if (const auto* s = std::any_cast<std::string>(&v)) return g(std::string_view{*s});
        return std::nullopt;
      };
    }
    return constraint{std::move(impl)};
  }

  /// Applies the constraint: the converted value, or `std::nullopt` if rejected.
  std::optional<std::any> operator()(const std::any& value) const;

  /// The name used in error messages ("int", "nonempty", or the name given to `from`).
  std::string_view name() const noexcept { return name_; }

 private:
  struct custom {
    std::string name;
    function fn;
  };
  explicit constraint(std::shared_ptr<const custom> impl) noexcept
      : name_(impl->name), custom_(std::move(impl)) {}

  std::string_view name_;  // borrows from custom_->name for custom constraints
  function_ptr ptr_ = nullptr;
  std::shared_ptr<const custom> custom_;
};

namespace detail {
std::optional<std::any> int_constraint(const std::any& value);
std::optional<std::any> nonempty_constraint(const std::any& value);
}  // namespace detail

/// Cowboy's `int`: optional sign and decimal digits to `std::int64_t` (overflow is rejected).
inline constinit const constraint int_c{"int", &detail::int_constraint};

/// Cowboy's `nonempty`: rejects the empty string, passes anything else through.
inline constinit const constraint nonempty_c{"nonempty", &detail::nonempty_constraint};

/// One field `match_qs` extracts: `{"id", {int_c}}`, `{"lang", {}, std::string{"en"}}`.
struct qs_field {
  std::string name;
  std::vector<constraint> constraints = {};
  /// Used, as is and unconstrained, when the field is absent. Without it, absence is an error.
  std::optional<std::any> default_value = std::nullopt;
};

/// Field name → value: a `std::string` when the field has no constraints, else what the last
/// constraint returned; the default when absent. A field given several times with no
/// constraints maps to a `std::vector<std::string>` of its values in order.
using qs_values = std::map<std::string, std::any, std::less<>>;

/// What `match_qs` throws when a field is missing or rejected: the field and the reason.
class qs_error : public std::invalid_argument {
 public:
  /// what() is "query string field '<field>': <reason>".
  qs_error(std::string field, std::string reason);
  /// The field's name, as listed in the fields given to `match_qs`.
  const std::string& field() const noexcept { return field_; }
  /// Why it was refused, e.g. "missing and has no default".
  const std::string& reason() const noexcept { return reason_; }

 private:
  std::string field_;
  std::string reason_;
};

/// cowboy_req:match_qs: parses `qs` and keeps only the listed fields, applying each field's
/// constraints in order. Throws `qs_error` for a missing field without default, a value a
/// constraint rejects, or a constrained field given more than once; `std::invalid_argument`
/// if `qs` itself is malformed (see `parse_qs`).
[[nodiscard]] qs_values match_qs(std::string_view qs, const std::vector<qs_field>& fields);

}  // namespace rodeo::http
