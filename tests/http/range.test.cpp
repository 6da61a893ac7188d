#include "rodeo/http/range.hpp"
#include <doctest/doctest.h>
