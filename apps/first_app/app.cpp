#include "app.hpp"

#include <rodeo/mw/default_chain.hpp>
#include <rodeo/mw/static/static.hpp>
#include <rodeo/router/router.hpp>

#include <nlohmann/json.hpp>

namespace first_app {

namespace {

// Every error the framework or a handler makes (401, 404, 400, 413, 405, 500) as
// {"error": "..."}.
std::optional<rodeo::error_body> json_errors(const rodeo::error_info& e) {
  std::string_view why = e.reason;
  while (why.ends_with('\n')) why.remove_suffix(1);
  auto text = why.empty() ? "HTTP " + std::to_string(e.status) : std::string{why};
  return rodeo::error_body{"application/json", nlohmann::json{{"error", text}}.dump() + "\n"};
}

}  // namespace

rodeo::result<rodeo::listener_options> options(store_ptr store, std::string public_dir) {
  using rodeo::router::path_rule;
  auto auth = bearer_auth({{"s3cret", "ada"}, {"t0ken", "grace"}});
  auto routes = rodeo::router::compile(
      {{"_",
        {
            {"/", page_route()},
            {"/assets/[...]", rodeo::static_dir(public_dir)},
            path_rule("/api/users", users_route(store)).use({auth}),
            path_rule("/api/users/:id", {{"id", rodeo::router::int_c}}, user_route(store))
                .use({auth}),
            path_rule("/api/events", events_route(store)).use({auth}),
            path_rule("/api/boom", boom_route()).use({auth}),
        }}});
  if (!routes) return rodeo::failure("invalid routes: " + routes.error());
  auto chain = rodeo::mw::default_chain(*routes);
  chain.insert(chain.begin(), request_id());
  return rodeo::listener_options{
      .stream_handlers = {timing()}, .chain = std::move(chain), .error_page = json_errors};
}

}  // namespace first_app
