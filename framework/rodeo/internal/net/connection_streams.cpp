// The stream side of a connection: what the protocol engine reports (requests, bodies,
// stream ends) and what request actors command go to the stream table. The I/O side is in
// connection.cpp.
#include "rodeo/internal/net/connection.hpp"

#include <asio/post.hpp>

namespace rodeo {

// --- protocol_events ---

void connection::on_request(stream_id id, request_head head) {
  head_started_.reset();  // the header timeout stops with a complete head
  open_stream(id, std::move(head));
}

void connection::on_body(stream_id id, std::string_view data, bool fin) {
  streams_.on_body(id, data, fin);
}

void connection::on_stream_reset(stream_id id, std::uint32_t error_code) {
  streams_.finish(id, {stream_finish::kind::reset, error_code});
}

void connection::on_stream_done(stream_id id) {
  if (streams_.finish(id, {stream_finish::kind::done}))
    last_activity_ = clock::now();  // idle time counts from here
}

void connection::on_upgrade_h2c(request_head head, std::string settings, std::string rest) {
  selector_.note_upgrade(std::move(head), std::move(settings), std::move(rest));
}

// --- commands from request actors ---

void connection::on_command(stream_id id, command c) {
  if (driver_.closed()) return;
  if (!streams_.apply(id, c)) return;  // reset by the client meanwhile: nothing to say
  // Commands from many request actors queue up on this thread between two reads; one pump
  // after the batch turns their responses into one write instead of one each.
  if (!pump_posted_) {
    pump_posted_ = true;
    asio::post(worker_.io, [self = shared_from_this()] {
      self->pump_posted_ = false;
      self->pump();
    });
  }
}

}  // namespace rodeo
