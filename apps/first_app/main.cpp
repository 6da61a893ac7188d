// first_app: a users API with bearer auth, a pushing page, SSE and a handler that throws, on
// http://127.0.0.1:19200 (HTTP/1.1, h2c) and https://127.0.0.1:19243 (h2 with push).
#include <cstdio>

#include "app.hpp"

int main() {
  auto store = std::make_shared<first_app::user_store>();
  store->add("ada", "ada@example.org");
  store->add("grace", "grace@example.org");
  auto opts = first_app::options(store, FIRST_APP_PUBLIC_DIR);
  if (!opts) return std::fprintf(stderr, "%s\n", opts.error().c_str()), 2;
  opts->port = 19200;
  opts->tls_port = 19243;
  return rodeo::serve(std::move(*opts));
}
