#include "rodeo/http/parse_header.hpp"
#include <doctest/doctest.h>
