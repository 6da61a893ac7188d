#pragma once
/// \file
/// The client's reader of a response stream, before nghttp3 (RFC 9114 §4.6, §7.2.5).
///
/// A server that pushes writes PUSH_PROMISE frames on the request stream, before and among
/// the response's frames; nghttp3 0.8 as a client fails the connection on any PUSH_PROMISE
/// (H3_FRAME_UNEXPECTED). So a push-capable client feeds each request stream's bytes through
/// this filter: PUSH_PROMISE frames are taken out, their push ID checked against the client's
/// MAX_PUSH_ID (above it: H3_ID_ERROR, §7.2.5) and their field section decoded; everything
/// else (HEADERS, DATA, unknown and GREASE frames) is passed on byte for byte, payloads
/// streamed. `feed` returns the bytes it removed, whose flow-control credit the caller gives
/// back itself (nghttp3 never saw them). A promise's payload is held until complete, up to
/// `max_promise_size` (above it: H3_EXCESSIVE_LOAD).
///
/// Field sections are decoded with a static-table-only QPACK decoder (field_decoder.hpp): the
/// client must advertise SETTINGS_QPACK_MAX_TABLE_CAPACITY 0 to nghttp3 so that no server may
/// use a dynamic table. A promise with the same push ID on several streams must carry the same
/// fields (§4.6); that is the connection's check, since it spans streams.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "rodeo/internal/protocol/http3/push/field.hpp"
#include "rodeo/internal/protocol/http3/push/field_decoder.hpp"
#include "rodeo/internal/protocol/http3/push/frame.hpp"
#include "rodeo/internal/protocol/http3/push/varint.hpp"

namespace rodeo::http3::push {

/// A PUSH_PROMISE read from a request stream.
struct promise {
  std::uint64_t push_id;
  std::vector<field> fields;  ///< the promised request (:method, :scheme, :authority, :path...)
  bool operator==(const promise&) const = default;
};

class request_stream_filter {
 public:
  struct result {
    std::size_t removed = 0;  ///< bytes taken out by this call (flow-control credit to return)
    std::vector<promise> promises;
    std::optional<h3_error> error;  ///< a connection error
  };

  /// `max_push_id`: the highest push ID this client allowed (nullopt: it sent no MAX_PUSH_ID,
  /// so any promise is an error). `decoder` must outlive the filter.
  request_stream_filter(field_decoder& decoder, std::optional<std::uint64_t> max_push_id,
                        std::size_t max_promise_size = 64 * 1024);

  /// The client raised its MAX_PUSH_ID.
  void allow_up_to(std::uint64_t max_push_id) { max_push_id_ = max_push_id; }

  /// Reads `in`; appends the bytes for nghttp3 to `out`.
  result feed(std::span<const std::uint8_t> in, std::vector<std::uint8_t>& out);

  /// Bytes read but neither passed on nor removed yet (an incomplete frame header or promise).
  std::size_t held() const;

 private:
  enum class mode { frame_header, pass_payload, promise_payload, failed };
  void fail(result& r, h3_error e);
  void end_promise(result& r);

  field_decoder& decoder_;
  std::optional<std::uint64_t> max_push_id_;
  std::size_t max_promise_size_;
  mode mode_ = mode::frame_header;
  frame_header_reader header_;
  std::uint64_t left_ = 0;
  std::vector<std::uint8_t> payload_;
};

}  // namespace rodeo::http3::push
