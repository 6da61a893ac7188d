// Compiled by options_wextra.cmake with -Wextra -Werror: a user's code that fills every
// options struct of the API with designated initializers, naming only some members. Rodeo's
// headers must give no warning (-Wmissing-field-initializers) for the members left out.
#include "rodeo/http/cookies.hpp"
#include "rodeo/mw/static/static.hpp"
#include "rodeo/rodeo.hpp"
#include "rodeo/stream_handlers/compress_stream_h.hpp"
#include "rodeo/testing/client.hpp"

int main() {
  rodeo::listener_options listen{.port = 8080};
  rodeo::listener_options tls{.tls_port = 8443, .cert_file = "c.pem", .key_file = "k.pem"};
  rodeo::protocol_limits limits{.max_body = 1024};
  rodeo::push_options push{.qs = "v=1"};
  rodeo::push_options inherit{.inherit = {"authorization"}, .share_meta = true};
  rodeo::methods only_get{.get = rodeo::handler_fn([](rodeo::req&) {})};
  rodeo::testing::request get{.path = "/hello"};
  rodeo::testing::client_options client{.actor_threads = 1};
  rodeo::static_options stat{.cache_control = "max-age=60"};
  rodeo::compress_options compress{.gzip_level = 9};
  rodeo::http::cookie_options cookie{.path = "/", .http_only = true};
  return static_cast<int>(listen.io_threads + tls.io_threads + limits.max_header_block +
                          push.method.size() + inherit.inherit.size() + !only_get.allow().empty() +
                          get.method.size() + client.actor_threads + stat.index.size() +
                          compress.min_size + cookie.domain.size()) == -1;
}
