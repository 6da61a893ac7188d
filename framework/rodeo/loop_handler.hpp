#pragma once
/// \file
/// rodeo/rodeo.hpp plus what a loop handler needs to talk to its request actor: CAF's
/// event-based actor (`req.self()->send`, `delayed_send`, `spawn`) and `caf::message`
/// (matched in `handler_base::info`). Plain handlers include rodeo/rodeo.hpp alone and do not
/// pay for these headers.

#include <caf/event_based_actor.hpp>
#include <caf/message.hpp>

#include "rodeo/rodeo.hpp"
