#pragma once
/// \file
/// Exceptions thrown at the API edge when a handler calls Rodeo wrongly. Their messages say
/// what was wrong and what to do instead. Inside the framework errors are values.

#include <stdexcept>

namespace rodeo {

/// A handler misused the API (reply twice, push after the reply, a forbidden push header...).
class usage_error : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

}  // namespace rodeo
