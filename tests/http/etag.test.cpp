#include "rodeo/http/etag.hpp"
#include <doctest/doctest.h>
