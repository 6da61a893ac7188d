// br through libbrotlienc's streaming API.
#include <brotli/encode.h>

#include <stdexcept>

#include "rodeo/internal/compress/content_encoder.hpp"

namespace rodeo {

namespace {

class brotli_encoder final : public content_encoder {
 public:
  brotli_encoder(int quality, int window_bits)
      : s_(BrotliEncoderCreateInstance(nullptr, nullptr, nullptr)) {
    if (!s_) throw std::runtime_error("br: BrotliEncoderCreateInstance failed");
    BrotliEncoderSetParameter(s_, BROTLI_PARAM_QUALITY, static_cast<std::uint32_t>(quality));
    BrotliEncoderSetParameter(s_, BROTLI_PARAM_LGWIN, static_cast<std::uint32_t>(window_bits));
  }
  ~brotli_encoder() override { BrotliEncoderDestroyInstance(s_); }
  brotli_encoder(const brotli_encoder&) = delete;
  brotli_encoder& operator=(const brotli_encoder&) = delete;

  std::string_view name() const override { return "br"; }

  void encode(std::string_view in, mode m, std::string& out) override {
    if (BrotliEncoderIsFinished(s_)) return;
    auto op = m == mode::finish  ? BROTLI_OPERATION_FINISH
              : m == mode::flush ? BROTLI_OPERATION_FLUSH
                                 : BROTLI_OPERATION_PROCESS;
    auto avail_in = in.size();
    auto next_in = reinterpret_cast<const std::uint8_t*>(in.data());
    for (;;) {
      std::size_t avail_out = 0;
      if (!BrotliEncoderCompressStream(s_, op, &avail_in, &next_in, &avail_out, nullptr, nullptr))
        throw std::runtime_error("br: BrotliEncoderCompressStream failed");
      // Output by the encoder's own buffer: no guessing of sizes.
      std::size_t size = 0;
      const std::uint8_t* bytes = BrotliEncoderTakeOutput(s_, &size);
      out.append(reinterpret_cast<const char*>(bytes), size);
      if (avail_in == 0 && !BrotliEncoderHasMoreOutput(s_)) {
        if (op == BROTLI_OPERATION_FINISH && !BrotliEncoderIsFinished(s_)) continue;
        return;
      }
    }
  }

 private:
  BrotliEncoderState* s_;
};

}  // namespace

std::unique_ptr<content_encoder> make_brotli_encoder(int quality, int window_bits) {
  return std::make_unique<brotli_encoder>(quality, window_bits);
}

}  // namespace rodeo
