// The HTTP/2 engine (framework/rodeo/http2) fed the client connection preface and an empty
// SETTINGS frame (RFC 9113 §3.4), then arbitrary bytes, as a connection feeds it; the
// requests it reports are answered (replies, streamed bodies above the flow-control window,
// trailers, 1xx, resets, server push) so that the response and push paths run too.
// Input: two script bytes (engine_driver.hpp), then frames.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "engine_driver.hpp"
#include "rodeo/internal/protocol/http2/engine.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  auto s = rodeo::fuzz::script::decode(data[0], data[1]);
  static constexpr char preface[] =
      "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
      "\x00\x00\x00\x04\x00\x00\x00\x00\x00";  // SETTINGS, no parameters
  auto d = std::make_unique<rodeo::fuzz::driver>(s);
  d->reset_engine(std::make_unique<rodeo::http2::engine>(d->events, s.protocol(), s.tls));
  d->prime({preface, sizeof preface - 1});
  d->run({reinterpret_cast<const char*>(data) + 2, size - 2});
  return 0;
}
