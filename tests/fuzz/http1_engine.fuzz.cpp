// The HTTP/1.1 engine (framework/rodeo/http1/engine) fed arbitrary bytes as a connection
// feeds it, with the reported requests answered (plain, streamed, chunked with trailers, 1xx,
// reset...) so that the response and pipeline paths run too. An accepted `Upgrade: h2c` swaps
// in the HTTP/2 engine, as the connection does. Input: two script bytes (engine_driver.hpp),
// then the bytes of the connection.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "engine_driver.hpp"
#include "rodeo/internal/protocol/http1/engine.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  auto s = rodeo::fuzz::script::decode(data[0], data[1]);
  // A fixed date: the output must not depend on the clock.
  rodeo::http1::engine_options options{
      .date = [] { return std::string{"Sun, 06 Nov 1994 08:49:37 GMT"}; }};
  // The engine keeps a reference to the events: both live in the driver.
  auto d = std::make_unique<rodeo::fuzz::driver>(s);
  d->reset_engine(std::make_unique<rodeo::http1::engine>(d->events, s.protocol(), s.tls, options));
  d->run({reinterpret_cast<const char*>(data) + 2, size - 2});
  return 0;
}
