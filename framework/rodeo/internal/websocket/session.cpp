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
    if (s.input_.empty()) {
      wslay_event_set_error(ctx, WSLAY_ERR_WOULDBLOCK);
      return -1;
    }
    auto n = std::min(len, s.input_.size());
    std::memcpy(buf, s.input_.data(), n);
    s.input_.remove_prefix(n);
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
    // RFC 7692 §6: RSV1 marks a compressed data message (wslay refuses it unless allowed).
    if ((arg->rsv & WSLAY_RSV1_BIT) != 0) {
      if (!s.deflate_ || wslay_is_ctrl_frame(arg->opcode)) return s.fail(ctx, close_code::protocol_error);
      switch (s.deflate_->decompress(payload, s.settings_.max_message_size, f.payload)) {
        case deflate_codec::inflate_error::none:
          break;
        case deflate_codec::inflate_error::too_big:
          return s.fail(ctx, close_code::message_too_big);
        case deflate_codec::inflate_error::corrupt:
          return s.fail(ctx, close_code::invalid_payload);
      }
    } else {
      f.payload.assign(payload);
    }
    // RFC 6455 §8.1: a text message that is not UTF-8 fails the connection.
    if (f.type == opcode::text && !valid_utf8(f.payload))
      return s.fail(ctx, close_code::invalid_payload);
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

void session::feed(std::string_view bytes, std::vector<frame>& messages) {
  if (fatal_ || !wslay_event_get_read_enabled(ctx_.get())) return;
  input_ = bytes;
  messages_ = &messages;
  if (wslay_event_recv(ctx_.get()) != 0) fatal_ = true;
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
