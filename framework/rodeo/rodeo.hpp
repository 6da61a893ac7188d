#pragma once
/// \file
/// Everything a handler module or an application needs from rodeo::framework.
///
/// Kept light on purpose: no CAF actor headers, no spdlog, no asio, no protocol library, so a
/// handler file compiles fast. Loop handlers, which talk to the request actor through CAF,
/// include rodeo/loop_handler.hpp instead; code that logs includes rodeo/log.hpp.

#include "rodeo/env.hpp"
#include "rodeo/errors.hpp"
#include "rodeo/handler.hpp"
#include "rodeo/handler_fn.hpp"
#include "rodeo/headers.hpp"
#include "rodeo/listener.hpp"
#include "rodeo/meta.hpp"
#include "rodeo/methods.hpp"
#include "rodeo/metrics_handler.hpp"
#include "rodeo/middleware.hpp"
#include "rodeo/push.hpp"
#include "rodeo/push_policy.hpp"
#include "rodeo/req.hpp"
#include "rodeo/result.hpp"
#include "rodeo/runtime.hpp"
