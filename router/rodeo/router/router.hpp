#pragma once
/// \file
/// Rodeo's router, Cowboy's routing language: the public entry. A route table is data,
/// compiled once at start (compile.hpp), matched per request (match.hpp) by the router
/// middleware (rodeo/mw/router.hpp).
///
/// The language (pattern.hpp): host rules then path rules; literal segments, `:name`
/// bindings, `:_`, optional `[groups]` (nested), a trailing `[...]` (path_info) or leading
/// `[...]` (host_info), "_" for any host or path, "*" for `OPTIONS *`; constraints per
/// binding (constraints.hpp): `int_c`, `nonempty_c`, any callable.

#include "rodeo/result.hpp"
#include "rodeo/router/compile.hpp"
#include "rodeo/router/constraints.hpp"
#include "rodeo/router/match.hpp"
#include "rodeo/router/pattern.hpp"
#include "rodeo/router/split.hpp"
