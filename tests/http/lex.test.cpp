#include "rodeo/http/lex.hpp"
#include <doctest/doctest.h>
