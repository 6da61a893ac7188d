#include "pushing_h.hpp"

#include <caf/event_based_actor.hpp>

#include <string_view>

#include "rodeo/log.hpp"
#include "rodeo/mw/static/push_map.hpp"
#include "rodeo/req.hpp"

namespace demo {

namespace {

using think_atom = caf::atom_constant<caf::atom("think")>;

// A static route answers 200 (and pushes) to a plain GET of an existing page. A conditional
// or range request most likely gets 304 or 206 (the client has the page and, likely, its
// assets), and a pushed request may not push again (RFC 9113 §8.4).
bool wants_push(const rodeo::req& r) {
  if (r.method() != "GET" || r.is_pushed()) return false;
  for (const char* field :
       {"if-none-match", "if-modified-since", "if-match", "if-unmodified-since", "range"})
    if (r.header(field)) return false;
  return true;
}

}  // namespace

pushing_h::pushing_h(std::shared_ptr<const push_plan> plan, rodeo::route_target inner,
                     std::chrono::milliseconds think)
    : plan_(std::move(plan)), inner_target_(std::move(inner)), think_(think) {}

rodeo::handler_result pushing_h::init(rodeo::req& r) {
  if (wants_push(r)) {
    for (const auto& asset : plan_->assets_for(r.path())) {
      rodeo::push_options opts;
      const auto q = asset.find('?');
      if (q != std::string::npos) opts.qs = asset.substr(q + 1);
      const std::string path = asset.substr(0, q);
      // The codings the page's request accepts, none if it named none (RFC 9110 §12.5.3).
      opts.inherit = {"accept-encoding"};
      try {
        // The accept a browser would send for the asset: the static route picks the same
        // representation (a precompressed variant) it would give the browser.
        r.push(path, {{"accept", std::string(rodeo::mw::static_files::push_accept_for(path))}},
               opts);
      } catch (const rodeo::usage_error& e) {
        rodeo::log::app()->warn("demo push of {} for {} refused: {}", asset, r.path(), e.what());
      }
    }
  }
  if (think_.count() > 0) {
    // The pushes (or their early hints) go out at the end of this turn, during the think.
    thinking_ = true;
    r.self()->delayed_send(r.self(), think_, think_atom::value);
    return rodeo::handler_result::loop;
  }
  inner_ = inner_target_->make();
  return inner_->init(r);
}

rodeo::handler_result pushing_h::info(const caf::message& msg, rodeo::req& r) {
  if (thinking_) {
    if (!msg.match_elements<think_atom>()) return rodeo::handler_result::loop;
    thinking_ = false;
    inner_ = inner_target_->make();
    return inner_->init(r);
  }
  return inner_ ? inner_->info(msg, r) : rodeo::handler_result::ok;
}

std::chrono::milliseconds pushing_h::loop_timeout() const {
  return inner_ ? inner_->loop_timeout() : handler_base::loop_timeout();
}

void pushing_h::timeout(rodeo::req& r) {
  if (inner_)
    inner_->timeout(r);
  else
    handler_base::timeout(r);
}

void pushing_h::terminate(rodeo::terminate_reason reason, rodeo::req& r) {
  if (inner_) inner_->terminate(reason, r);
}

}  // namespace demo
