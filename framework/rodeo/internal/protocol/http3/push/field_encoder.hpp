#pragma once
/// \file
/// QPACK field sections (RFC 9204) for PUSH_PROMISE and push streams, from an nghttp3 QPACK
/// encoder of its own with dynamic table capacity 0: static table references and literals
/// only. Such a section has Required Insert Count 0 (§4.5.1), so it never blocks the peer's
/// decoder and needs no encoder stream instruction: it is independent of the dynamic table
/// nghttp3's own encoder keeps for the connection, and any QPACK decoder reads it.

#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "rodeo/internal/protocol/http3/push/field.hpp"

struct nghttp3_qpack_encoder;

namespace rodeo::http3::push {

class field_encoder {
 public:
  /// Throws std::bad_alloc when nghttp3 cannot allocate.
  field_encoder();
  ~field_encoder();
  field_encoder(field_encoder&&) noexcept;
  field_encoder& operator=(field_encoder&&) noexcept;

  /// The field section (prefix and field lines) for `fields`, in order. Names are sent
  /// lowercased (RFC 9114 §4.2).
  std::string encode(std::span<const field> fields);

 private:
  struct deleter {
    void operator()(nghttp3_qpack_encoder* e) const;
  };
  std::unique_ptr<nghttp3_qpack_encoder, deleter> enc_;
};

}  // namespace rodeo::http3::push
