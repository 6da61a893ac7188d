#include "rodeo/internal/websocket/session.hpp"

#include <wslay/wslay.h>

#include <cstring>

#include "rodeo/internal/websocket/deflate.hpp"
#include "rodeo/internal/websocket/utf8.hpp"

namespace rodeo::ws {

// wslay's C callbacks, with the session as user data.
struct session::callbacks {
  static ssize_t recv(wslay_event_context_ptr ctx, std::uint8_t* buf, std::size_t len, int,
                      void* user) {
    auto& s = *static_cast<session*>(user);
    if (s.read_ == s.input_.size()) {
      wslay_event_set_error(ctx, WSLAY_ERR_WOULDBLOCK);
      return -1;
    }
    auto n = std::min(len, s.input_.size() - s.read_);
    // Stop before the next close frame, or hand it over whole (see session::closes_).
    for (const auto& c : s.closes_) {
      if (c.end <= s.read_) continue;
      n = std::min(n, (c.begin > s.read_ ? c.begin : c.end) - s.read_);
      break;
    }
    std::memcpy(buf, s.input_.data() + s.read_, n);
    s.read_ += n;
    return static_cast<ssize_t>(n);
  }

  // The output is a string the caller drains: it never blocks (the request actor's
  // stream_body back-pressure and the connection's output limits bound it).
  static ssize_t send(wslay_event_context_ptr, const std::uint8_t* data, std::size_t len, int,
                      void* user) {
    static_cast<session*>(user)->output_.append(reinterpret_cast<const char*>(data), len);
    return static_cast<ssize_t>(len);
  }

  static void frame_start(wslay_event_context_ptr ctx,
                          const wslay_event_on_frame_recv_start_arg* arg, void* user) {
    auto& s = *static_cast<session*>(user);
    if (arg->payload_length > s.settings_.max_frame_size) s.fail(ctx, close_code::message_too_big);
  }

  static void message(wslay_event_context_ptr ctx, const wslay_event_on_msg_recv_arg* arg,
                      void* user) {
    auto& s = *static_cast<session*>(user);
    if (arg->opcode == WSLAY_CONNECTION_CLOSE) {
      s.received_code_ = arg->status_code == 0 ? close_code::no_status : arg->status_code;
      return;
    }
    if (!wslay_event_get_read_enabled(ctx)) return;  // failed already
    std::string_view payload{reinterpret_cast<const char*>(arg->msg), arg->msg_length};
    frame f;
    f.type = static_cast<opcode>(arg->opcode);
    // RFC 7692 §6: RSV1 marks a compressed data message. wslay refuses RSV1 unless allowed
    // (only with deflate) and on control and continuation frames (§6.1), and checks the UTF-8
    // of uncompressed text itself (RFC 6455 §8.1, 1007): only inflated text is checked here.
    if ((arg->rsv & WSLAY_RSV1_BIT) != 0) {
      switch (s.deflate_->decompress(payload, s.settings_.max_message_size, f.payload)) {
        case deflate_codec::inflate_error::none:
          break;
        case deflate_codec::inflate_error::too_big:
          return s.fail(ctx, close_code::message_too_big);
        case deflate_codec::inflate_error::corrupt:
          return s.fail(ctx, close_code::invalid_payload);
      }
      if (f.type == opcode::text && !valid_utf8(f.payload))
        return s.fail(ctx, close_code::invalid_payload);
    } else {
      f.payload.assign(payload);
    }
    s.messages_->push_back(std::move(f));
  }
};

namespace {

void free_context(wslay_event_context* ctx) { wslay_event_context_free(ctx); }

}  // namespace

session::session(const settings& s) : ctx_(nullptr, free_context), settings_(s) {
  wslay_event_callbacks cbs{};
  cbs.recv_callback = callbacks::recv;
  cbs.send_callback = callbacks::send;
  cbs.on_frame_recv_start_callback = callbacks::frame_start;
  cbs.on_msg_recv_callback = callbacks::message;
  wslay_event_context_ptr ctx = nullptr;
  wslay_event_context_server_init(&ctx, &cbs, this);
  ctx_.reset(ctx);
  // wslay closes with 1009 above this (the compressed size, for deflated messages).
  wslay_event_config_set_max_recv_msg_length(ctx, settings_.max_message_size);
  if (settings_.deflate) {
    wslay_event_config_set_allowed_rsv_bits(ctx, WSLAY_RSV1_BIT);
    deflate_ = std::make_unique<deflate_codec>(*settings_.deflate);
  }
}

session::~session() = default;

void session::fail(wslay_event_context* ctx, std::uint16_t code) {
  failed_ = true;
  wslay_event_queue_close(ctx, code, nullptr, 0);
  wslay_event_shutdown_read(ctx);
}

std::size_t session::scan_headers(std::string_view bytes) {
  constexpr auto npos = std::string_view::npos;
  closes_.clear();
  std::size_t at = 0;
  while (at < bytes.size()) {
    if (skip_ > 0) {
      auto n = std::min<std::uint64_t>(skip_, bytes.size() - at);
      skip_ -= n;
      at += n;
      if (skip_close_) {
        closes_.push_back({0, skip_ == 0 ? at : npos, true});
        skip_close_ = skip_ > 0;
      }
      continue;
    }
    const std::size_t start = at;
    const bool had = !header_.empty();  // header bytes from earlier input
    // RFC 6455 §5.2: 2 bytes, then 0, 2 or 8 of extended length, then 4 of mask key. The
    // verdict comes with the length, before wslay (fed up to here) could judge.
    std::size_t need = 2;
    std::uint64_t len = 0;
    auto length = [&](std::size_t ext) {
      std::uint64_t n = ext == 0 ? static_cast<unsigned char>(header_[1]) & 0x7f : 0;
      for (std::size_t i = 2; i < 2 + ext; ++i)
        n = (n << 8) | static_cast<unsigned char>(header_[i]);
      return n;
    };
    while (at < bytes.size()) {
      header_ += bytes[at++];
      if (header_.size() < 2) continue;
      auto b1 = static_cast<unsigned char>(header_[1]);
      std::size_t ext = (b1 & 0x7f) == 126 ? 2 : (b1 & 0x7f) == 127 ? 8 : 0;
      need = 2 + ext + ((b1 & 0x80) ? 4 : 0);
      auto b0 = static_cast<unsigned char>(header_[0]);
      // §5.5: control frames are whole and short (a 7-bit length above 125 says it already).
      if (header_.size() == 2 && (b0 & 0x08) != 0 && ((b0 & 0x80) == 0 || (b1 & 0x7f) > 125))
        return had ? 0 : start;
      len = header_.size() >= 2 + ext ? length(ext) : 0;
      // §5.2: the top bit of a 64-bit length is 0, and a length takes the fewest bytes
      // that hold it (wslay refuses both, with a close that has no code).
      if (header_.size() == 2 + ext &&
          ((len >> 63) != 0 || (ext == 2 && len < 126) || (ext == 8 && len < 65536)))
        return had ? 0 : start;
      if (header_.size() == need) break;
    }
    const bool close = (static_cast<unsigned char>(header_[0]) & 0x0f) == 0x8;
    const std::size_t begin = had ? 0 : start;
    if (header_.size() < need || header_.size() < 2) {  // the rest comes later
      if (close) closes_.push_back({begin, npos, had});
      break;
    }
    header_.clear();
    skip_ = len;
    if (close) {
      // A control frame's length is 125 at most here (checked above).
      // Its payload is passed over here, so that the skip step above only ever sees the
      // rest of a close frame that began in an earlier feed.
      const std::size_t here = bytes.size() - at;
      const bool whole = len <= here;
      closes_.push_back({begin, whole ? at + len : npos, had});
      skip_close_ = !whole;
      skip_ = whole ? 0 : len - here;
      at = whole ? at + len : bytes.size();
    }
  }
  return npos;
}

void session::feed(std::string_view bytes, std::vector<frame>& messages) {
  if (fatal_ || !wslay_event_get_read_enabled(ctx_.get())) return;
  if (bytes.empty()) {  // nothing to read (and a held close frame stays held)
    if (wslay_event_send(ctx_.get()) != 0) fatal_ = true;
    return;
  }
  auto bad = scan_headers(bytes);
  std::string_view in = bytes.substr(0, bad);
  std::erase_if(closes_, [&](const close_span& c) { return c.begin >= in.size() && !c.continued; });
  std::string joined;  // a held close frame and what follows it
  if (!held_.empty()) {
    if (bad == 0) {
      held_.clear();  // the held frame's own header was the bad one
    } else {
      joined = held_;
      joined.append(in);
      for (auto& c : closes_) {
        c.begin = c.continued ? 0 : c.begin + held_.size();
        if (c.end != std::string_view::npos) c.end += held_.size();
      }
      in = joined;
    }
  }
  held_.clear();
  if (!closes_.empty() && closes_.back().end == std::string_view::npos) {
    held_.assign(in.substr(closes_.back().begin));
    in = in.substr(0, closes_.back().begin);
    closes_.pop_back();
  }
  input_ = in;
  read_ = 0;
  messages_ = &messages;
  if (wslay_event_recv(ctx_.get()) != 0) fatal_ = true;
  if (bad != std::string_view::npos && !fatal_ && wslay_event_get_read_enabled(ctx_.get()))
    fail(ctx_.get(), close_code::protocol_error);
  // A protocol error wslay found itself: it queued a close (1002 or 1009) and stopped reading.
  if (!wslay_event_get_read_enabled(ctx_.get()) && !close_received()) failed_ = true;
  input_ = {};
  messages_ = nullptr;
  if (wslay_event_send(ctx_.get()) != 0) fatal_ = true;
}

bool session::send(const frame& f) {
  if (fatal_ || closing_ || close_sent()) return false;
  std::string compressed;
  std::uint8_t rsv = WSLAY_RSV_NONE;
  std::string_view payload = f.payload;
  if (deflate_ && (f.type == opcode::text || f.type == opcode::binary)) {
    compressed = deflate_->compress(payload);
    payload = compressed;
    rsv = WSLAY_RSV1_BIT;
  }
  wslay_event_msg msg{static_cast<std::uint8_t>(f.type),
                      reinterpret_cast<const std::uint8_t*>(payload.data()), payload.size()};
  if (wslay_event_queue_msg_ex(ctx_.get(), &msg, rsv) != 0) return false;
  if (wslay_event_send(ctx_.get()) != 0) fatal_ = true;
  return true;
}

void session::close(std::uint16_t code, std::string_view reason) {
  if (fatal_ || closing_ || close_sent()) return;
  closing_ = true;
  // RFC 6455 §5.5: a control frame's payload is at most 125 bytes, 2 of them the code.
  reason = reason.substr(0, 123);
  wslay_event_queue_close(ctx_.get(), code, reinterpret_cast<const std::uint8_t*>(reason.data()),
                          reason.size());
  if (wslay_event_send(ctx_.get()) != 0) fatal_ = true;
}

void session::take_output(std::string& out) {
  if (out.empty())
    out.swap(output_);
  else
    out += output_;
  output_.clear();
}

bool session::close_sent() const { return wslay_event_get_close_sent(ctx_.get()) != 0; }

bool session::close_received() const { return wslay_event_get_close_received(ctx_.get()) != 0; }

std::uint16_t session::sent_code() const {
  return close_sent() ? wslay_event_get_status_code_sent(ctx_.get()) : 0;
}

// RFC 6455 §7.1.1: the server closes the TCP connection once both closes were exchanged;
// after a protocol error it need not wait for the client's answer (§7.1.7).
bool session::over() const {
  if (fatal_) return true;
  if (!close_sent()) return false;
  return close_received() || failed_;
}

}  // namespace rodeo::ws
