#include "rodeo/internal/protocol/http3/push/field_encoder.hpp"

#include <nghttp3/nghttp3.h>

#include <new>
#include <stdexcept>
#include <vector>

namespace rodeo::http3::push {

void field_encoder::deleter::operator()(nghttp3_qpack_encoder* e) const {
  nghttp3_qpack_encoder_del(e);
}

field_encoder::field_encoder() {
  nghttp3_qpack_encoder* e = nullptr;
  // hard_max_dtable_capacity 0: the table can never grow, whatever the peer's SETTINGS say.
  if (nghttp3_qpack_encoder_new(&e, 0, nghttp3_mem_default()) != 0) throw std::bad_alloc();
  enc_.reset(e);
}

field_encoder::~field_encoder() = default;
field_encoder::field_encoder(field_encoder&&) noexcept = default;
field_encoder& field_encoder::operator=(field_encoder&&) noexcept = default;

std::string field_encoder::encode(std::span<const field> fields) {
  std::vector<std::string> names;
  names.reserve(fields.size());
  std::vector<nghttp3_nv> nva;
  nva.reserve(fields.size());
  for (const auto& f : fields) {
    std::string& n = names.emplace_back(f.name);
    for (char& c : n) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    nva.push_back({reinterpret_cast<uint8_t*>(n.data()),
                   reinterpret_cast<uint8_t*>(const_cast<char*>(f.value.data())), n.size(),
                   f.value.size(), NGHTTP3_NV_FLAG_NONE});
  }
  nghttp3_buf pbuf, rbuf, ebuf;
  nghttp3_buf_init(&pbuf);
  nghttp3_buf_init(&rbuf);
  nghttp3_buf_init(&ebuf);
  const nghttp3_mem* mem = nghttp3_mem_default();
  // The stream ID only matters for blocked-stream accounting, which a table of capacity 0
  // never does.
  int rv = nghttp3_qpack_encoder_encode(enc_.get(), &pbuf, &rbuf, &ebuf, 0, nva.data(), nva.size());
  std::string out;
  if (rv == 0) {
    out.append(reinterpret_cast<const char*>(pbuf.pos), nghttp3_buf_len(&pbuf));
    out.append(reinterpret_cast<const char*>(rbuf.pos), nghttp3_buf_len(&rbuf));
  }
  bool encoder_stream_used = nghttp3_buf_len(&ebuf) != 0;
  nghttp3_buf_free(&pbuf, mem);
  nghttp3_buf_free(&rbuf, mem);
  nghttp3_buf_free(&ebuf, mem);
  if (rv == NGHTTP3_ERR_NOMEM) throw std::bad_alloc();
  if (rv != 0) throw std::runtime_error("qpack encoder failed");
  // With capacity 0 there is nothing to insert; a byte here would be a broken invariant.
  if (encoder_stream_used) throw std::logic_error("qpack encoder wrote encoder stream bytes");
  return out;
}

}  // namespace rodeo::http3::push
