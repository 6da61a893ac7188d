#pragma once
/// \file
/// The push frames Rodeo writes itself, whole (RFC 9114 §7.2). All integers are varints.
///   PUSH_PROMISE (§7.2.5), on the parent request stream:   0x05 len push_id field-section
///   CANCEL_PUSH  (§7.2.3), on a control stream (either side): 0x03 len push_id
///   MAX_PUSH_ID  (§7.2.7), on the client's control stream:  0x0d len push_id
///   HEADERS      (§7.2.2):                                  0x01 len field-section
///   DATA         (§7.2.1):                                  0x00 len payload

#include <cstdint>
#include <string>
#include <string_view>

namespace rodeo::http3::push {

std::string push_promise_frame(std::uint64_t push_id, std::string_view field_section);
std::string cancel_push_frame(std::uint64_t push_id);
std::string max_push_id_frame(std::uint64_t push_id);
std::string headers_frame(std::string_view field_section);
/// The header of a DATA frame of `length` payload bytes (the payload is written after it,
/// from the caller's own buffer).
std::string data_frame_header(std::uint64_t length);

}  // namespace rodeo::http3::push
