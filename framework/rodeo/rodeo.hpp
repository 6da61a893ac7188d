#pragma once
/// \file
/// Everything a handler module or an application needs from rodeo::framework.

#include <caf/event_based_actor.hpp>  // req.self(): loop handlers send and receive

#include "rodeo/env.hpp"
#include "rodeo/errors.hpp"
#include "rodeo/handler.hpp"
#include "rodeo/headers.hpp"
#include "rodeo/listener.hpp"
#include "rodeo/log.hpp"
#include "rodeo/middleware.hpp"
#include "rodeo/push.hpp"
#include "rodeo/req.hpp"
#include "rodeo/result.hpp"
#include "rodeo/runtime.hpp"
