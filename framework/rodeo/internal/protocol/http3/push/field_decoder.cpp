#include "rodeo/internal/protocol/http3/push/field_decoder.hpp"

#include <nghttp3/nghttp3.h>

#include <new>

namespace rodeo::http3::push {

void field_decoder::deleter::operator()(nghttp3_qpack_decoder* d) const {
  nghttp3_qpack_decoder_del(d);
}

field_decoder::field_decoder(std::size_t max_section_size) : max_section_size_(max_section_size) {
  renew();
}

void field_decoder::renew() {
  nghttp3_qpack_decoder* d = nullptr;
  if (nghttp3_qpack_decoder_new(&d, 0, 0, nghttp3_mem_default()) != 0) throw std::bad_alloc();
  dec_.reset(d);
}

field_decoder::~field_decoder() = default;
field_decoder::field_decoder(field_decoder&&) noexcept = default;
field_decoder& field_decoder::operator=(field_decoder&&) noexcept = default;

std::optional<std::vector<field>> field_decoder::decode(std::span<const std::uint8_t> section) {
  auto fields = decode_with(section);
  // nghttp3 leaves its decoder unusable after a bad section. With no dynamic table there is
  // no state to lose, so a fresh one serves the next section.
  if (!fields) renew();
  return fields;
}

std::optional<std::vector<field>> field_decoder::decode_with(
    std::span<const std::uint8_t> section) {
  nghttp3_qpack_stream_context* sctx = nullptr;
  if (nghttp3_qpack_stream_context_new(&sctx, next_context_id_++, nghttp3_mem_default()) != 0) {
    throw std::bad_alloc();
  }
  std::unique_ptr<nghttp3_qpack_stream_context, void (*)(nghttp3_qpack_stream_context*)> guard(
      sctx, nghttp3_qpack_stream_context_del);
  std::vector<field> fields;
  std::size_t size = 0;
  const std::uint8_t* p = section.data();
  std::size_t left = section.size();
  for (;;) {
    nghttp3_qpack_nv nv;
    std::uint8_t flags = 0;
    nghttp3_ssize n = nghttp3_qpack_decoder_read_request(dec_.get(), sctx, &nv, &flags, p, left, 1);
    if (n < 0) return std::nullopt;
    p += n;
    left -= static_cast<std::size_t>(n);
    if (flags & NGHTTP3_QPACK_DECODE_FLAG_EMIT) {
      nghttp3_vec name = nghttp3_rcbuf_get_buf(nv.name);
      nghttp3_vec value = nghttp3_rcbuf_get_buf(nv.value);
      size += name.len + value.len + 32;
      fields.push_back({std::string(reinterpret_cast<const char*>(name.base), name.len),
                        std::string(reinterpret_cast<const char*>(value.base), value.len)});
      nghttp3_rcbuf_decref(nv.name);
      nghttp3_rcbuf_decref(nv.value);
      if (size > max_section_size_) return std::nullopt;
      continue;
    }
    if (flags & NGHTTP3_QPACK_DECODE_FLAG_FINAL) break;
    // Blocked (a dynamic table reference) or input ended inside a field line.
    if ((flags & NGHTTP3_QPACK_DECODE_FLAG_BLOCKED) || n == 0) return std::nullopt;
  }
  if (left != 0) return std::nullopt;
  return fields;
}

}  // namespace rodeo::http3::push
