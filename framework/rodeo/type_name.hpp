#pragma once
/// \file
/// Type names for error and log messages: demangled, and the usual value types in words
/// ("64-bit integer" rather than `long` or `l`).

#include <cxxabi.h>

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <typeinfo>

namespace rodeo {

/// The demangled name of `t` (the mangled one if demangling fails).
inline std::string demangled_name(const std::type_info& t) {
  int status = 0;
  std::unique_ptr<char, void (*)(void*)> name{
      abi::__cxa_demangle(t.name(), nullptr, nullptr, &status), std::free};
  return status == 0 && name ? std::string{name.get()} : std::string{t.name()};
}

/// `t` in words for a message: integers by width and sign, strings and floating point by
/// name, anything else demangled.
inline std::string type_in_words(const std::type_info& t) {
  if (t == typeid(std::int64_t)) return "64-bit integer";
  if (t == typeid(std::int32_t)) return "32-bit integer";
  if (t == typeid(std::int16_t)) return "16-bit integer";
  if (t == typeid(std::uint64_t)) return "unsigned 64-bit integer";
  if (t == typeid(std::uint32_t)) return "unsigned 32-bit integer";
  if (t == typeid(std::uint16_t)) return "unsigned 16-bit integer";
  if (t == typeid(bool)) return "bool";
  if (t == typeid(double)) return "double";
  if (t == typeid(float)) return "float";
  if (t == typeid(std::string)) return "string";
  return demangled_name(t);
}

/// "a <type in words>" or "an <...>".
inline std::string a_type_in_words(const std::type_info& t) {
  auto words = type_in_words(t);
  const bool vowel = words.find_first_of("aeiou") == 0;
  return (vowel ? "an " : "a ") + words;
}

}  // namespace rodeo
