#pragma once
/// \file
/// A streaming content coder (RFC 9110 §8.4.1) for response compression: gzip (zlib) and br
/// (Brotli, RFC 7932). One per compressed stream; not thread-safe.

#include <memory>
#include <string>
#include <string_view>

namespace rodeo {

class content_encoder {
 public:
  enum class mode {
    more,   ///< more input follows; output may be held back
    flush,  ///< everything given so far must be decodable from the output (a streamed chunk)
    finish  ///< the end: the output closes the coded stream
  };

  virtual ~content_encoder() = default;
  /// The content-coding's name: "gzip" or "br".
  virtual std::string_view name() const = 0;
  /// Compresses `in`, appending the output to `out`. Throws std::runtime_error if the codec
  /// fails (it does not with valid parameters).
  virtual void encode(std::string_view in, mode m, std::string& out) = 0;
};

/// gzip (RFC 1952) at `level` 1..9.
std::unique_ptr<content_encoder> make_gzip_encoder(int level);

/// br at `quality` 0..11, with a 2^`window_bits` byte window (10..24): smaller windows use
/// less memory per stream.
std::unique_ptr<content_encoder> make_brotli_encoder(int quality, int window_bits = 18);

}  // namespace rodeo
