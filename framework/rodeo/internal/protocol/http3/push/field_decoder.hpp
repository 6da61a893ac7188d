#pragma once
/// \file
/// Decodes the field sections of PUSH_PROMISE frames and push streams (client side) with an
/// nghttp3 QPACK decoder of its own, with dynamic table capacity 0 (RFC 9204 §3.2.3: the
/// client advertises SETTINGS_QPACK_MAX_TABLE_CAPACITY 0, so a server may only send sections
/// with Required Insert Count 0). A section that references a dynamic table is rejected
/// (QPACK_DECOMPRESSION_FAILED), never blocked: this decoder has no encoder stream to wait on.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "rodeo/internal/protocol/http3/push/field.hpp"

struct nghttp3_qpack_decoder;

namespace rodeo::http3::push {

class field_decoder {
 public:
  /// `max_section_size`: the decoded size limit (name + value + 32 per field, as
  /// SETTINGS_MAX_FIELD_SECTION_SIZE counts, RFC 9114 §4.2.2). Throws std::bad_alloc.
  explicit field_decoder(std::size_t max_section_size = 64 * 1024);
  ~field_decoder();
  field_decoder(field_decoder&&) noexcept;
  field_decoder& operator=(field_decoder&&) noexcept;

  /// The fields of one whole section; nullopt when it cannot be decoded or is too large.
  std::optional<std::vector<field>> decode(std::span<const std::uint8_t> section);

 private:
  void renew();
  std::optional<std::vector<field>> decode_with(std::span<const std::uint8_t> section);

  struct deleter {
    void operator()(nghttp3_qpack_decoder* d) const;
  };
  std::unique_ptr<nghttp3_qpack_decoder, deleter> dec_;
  std::size_t max_section_size_;
  std::int64_t next_context_id_ = 0;
};

}  // namespace rodeo::http3::push
