// The push layer between two real nghttp3 0.8 connections, server and client, with the QUIC
// streams in memory: what the HTTP/3 engine and the test client do with it. nghttp3 keeps the
// request stream, QPACK and the control streams; Rodeo adds MAX_PUSH_ID and CANCEL_PUSH on the
// client's control stream, PUSH_PROMISE on the request stream (offsets translated for
// nghttp3's write and ack offsets) and the push streams (RFC 9114 §4.6).
#include "rodeo/internal/protocol/http3/push/offset_map.hpp"

#include <doctest/doctest.h>
#include <nghttp3/nghttp3.h>

#include <map>
#include <memory>

#include "bytes.hpp"
#include "rodeo/internal/protocol/http3/push/control_stream_filter.hpp"
#include "rodeo/internal/protocol/http3/push/field_decoder.hpp"
#include "rodeo/internal/protocol/http3/push/field_encoder.hpp"
#include "rodeo/internal/protocol/http3/push/frame_writer.hpp"
#include "rodeo/internal/protocol/http3/push/push_ids.hpp"
#include "rodeo/internal/protocol/http3/push/push_stream_reader.hpp"
#include "rodeo/internal/protocol/http3/push/push_stream_writer.hpp"
#include "rodeo/internal/protocol/http3/push/request_stream_filter.hpp"

using namespace rodeo::http3::push;
using namespace rodeo::http3::push::test;

namespace {

using conn_ptr = std::unique_ptr<nghttp3_conn, void (*)(nghttp3_conn*)>;

const std::string page = "<!doctype html><script src=/app.js></script>";

std::string rc(const nghttp3_rcbuf* b) {
  nghttp3_vec v = nghttp3_rcbuf_get_buf(b);
  return std::string(reinterpret_cast<const char*>(v.base), v.len);
}

struct message {
  std::vector<field> fields;
  std::string body;
  bool ended = false;
};

int on_header(nghttp3_conn*, int64_t, int32_t, nghttp3_rcbuf* name, nghttp3_rcbuf* value, uint8_t,
              void* user, void*) {
  static_cast<message*>(user)->fields.push_back({rc(name), rc(value)});
  return 0;
}
int on_data(nghttp3_conn*, int64_t, const uint8_t* data, size_t len, void* user, void*) {
  static_cast<message*>(user)->body.append(reinterpret_cast<const char*>(data), len);
  return 0;
}
int on_end(nghttp3_conn*, int64_t, void* user, void*) {
  static_cast<message*>(user)->ended = true;
  return 0;
}
nghttp3_ssize read_page(nghttp3_conn*, int64_t, nghttp3_vec* vec, size_t, uint32_t* flags, void*,
                        void*) {
  vec[0] = {reinterpret_cast<uint8_t*>(const_cast<char*>(page.data())), page.size()};
  *flags |= NGHTTP3_DATA_FLAG_EOF;
  return 1;
}

conn_ptr make_conn(bool server, message* user) {
  nghttp3_callbacks cb{};
  cb.recv_header = on_header;
  cb.recv_data = on_data;
  cb.end_stream = on_end;
  nghttp3_settings settings;
  nghttp3_settings_default(&settings);
  settings.qpack_max_dtable_capacity = 0;  // the client's choice, so that promises decode alone
  nghttp3_conn* c = nullptr;
  int rv = server ? nghttp3_conn_server_new(&c, &cb, &settings, nghttp3_mem_default(), user)
                  : nghttp3_conn_client_new(&c, &cb, &settings, nghttp3_mem_default(), user);
  REQUIRE(rv == 0);
  return conn_ptr(c, nghttp3_conn_del);
}

// One endpoint's streams that carry Rodeo's frames beside nghttp3's.
struct mixed_stream {
  std::int64_t id;
  offset_map map;
};

struct pair {
  message request, response;  // what the server and the client received
  conn_ptr server = make_conn(true, &request);
  conn_ptr client = make_conn(false, &response);

  // server side
  std::map<std::int64_t, control_stream_filter> from_client_uni;
  std::vector<control_event> control_events;
  std::size_t control_removed = 0;
  mixed_stream request_stream{0, offset_map(0)};
  std::map<std::uint64_t, push_stream_writer> push_streams;  // push ID -> writer (stream 15+4i)
  // client side
  field_decoder decoder;
  request_stream_filter promises_filter{decoder, 9};
  std::vector<promise> promises;
  std::map<std::int64_t, push_stream_reader> from_server_uni;
  std::map<std::uint64_t, message> pushed;
  mixed_stream client_control{2, offset_map(1)};
  std::vector<std::string> client_frames_due;  // MAX_PUSH_ID, CANCEL_PUSH
  std::uint64_t h3_acked_request_stream = 0;

  pair() {
    nghttp3_conn_set_max_client_streams_bidi(server.get(), 100);
    REQUIRE(nghttp3_conn_bind_control_stream(server.get(), 3) == 0);
    REQUIRE(nghttp3_conn_bind_qpack_streams(server.get(), 7, 11) == 0);
    REQUIRE(nghttp3_conn_bind_control_stream(client.get(), 2) == 0);
    REQUIRE(nghttp3_conn_bind_qpack_streams(client.get(), 6, 10) == 0);
  }

  void to_server(std::int64_t id, std::span<const std::uint8_t> bytes, bool fin) {
    std::vector<std::uint8_t> out;
    if (id & 0x2) {  // a client unidirectional stream
      auto r = from_client_uni[id].feed(bytes, out);
      REQUIRE_FALSE(r.error);
      control_removed += r.removed;
      control_events.insert(control_events.end(), r.events.begin(), r.events.end());
    } else {
      out.assign(bytes.begin(), bytes.end());
    }
    auto n = nghttp3_conn_read_stream(server.get(), id, out.data(), out.size(), fin);
    REQUIRE(n >= 0);
  }

  void to_client(std::int64_t id, std::span<const std::uint8_t> bytes, bool fin) {
    std::vector<std::uint8_t> out;
    if (id & 0x2) {  // a server unidirectional stream
      auto it = from_server_uni.try_emplace(id, decoder, std::uint64_t{9}).first;
      auto r = it->second.feed(bytes, fin, out);
      REQUIRE_FALSE(r.error);
      for (auto& e : r.events) {
        message& m = pushed[e.push_id];
        if (e.what == push_stream_event::kind::headers) m.fields = e.fields;
        if (e.what == push_stream_event::kind::data) m.body += e.data;
        if (e.what == push_stream_event::kind::end) m.ended = true;
      }
      if (it->second.is_push().value_or(false)) return;
    } else {
      auto r = promises_filter.feed(bytes, out);
      REQUIRE_FALSE(r.error);
      promises.insert(promises.end(), r.promises.begin(), r.promises.end());
    }
    auto n = nghttp3_conn_read_stream(client.get(), id, out.data(), out.size(), fin);
    REQUIRE(n >= 0);
  }

  // Moves one side's output to the other, every byte accepted and acknowledged at once, the
  // way QUIC would report it (in QUIC offsets for the mixed stream). Returns bytes moved.
  std::size_t pump(nghttp3_conn* from, mixed_stream& mixed, bool from_server) {
    std::size_t moved = 0;
    auto deliver = [&](std::int64_t id, std::span<const std::uint8_t> b, bool fin) {
      from_server ? to_client(id, b, fin) : to_server(id, b, fin);
      moved += b.size();
    };
    for (int guard = 0; guard < 1000; ++guard) {
      if (!from_server && mixed.map.h3_offset() > 1 && mixed.map.can_inject()) {
        for (auto& f : client_frames_due) REQUIRE(mixed.map.inject(std::move(f)));
        client_frames_due.clear();
      }
      if (auto inj = mixed.map.injected_unsent(); !inj.empty()) {
        std::uint64_t at = mixed.map.quic_offset();
        std::vector<std::uint8_t> copy(inj.begin(), inj.end());
        mixed.map.injected_sent(copy.size());
        deliver(mixed.id, copy, false);
        CHECK(mixed.map.acked(at, copy.size()) == 0);
        continue;
      }
      std::int64_t id = -1;
      int fin = 0;
      nghttp3_vec vec[16];
      auto n = nghttp3_conn_writev_stream(from, &id, &fin, vec, 16);
      REQUIRE(n >= 0);
      if (id < 0) break;
      std::vector<std::uint8_t> bytes;
      for (nghttp3_ssize i = 0; i < n; ++i)
        bytes.insert(bytes.end(), vec[i].base, vec[i].base + vec[i].len);
      REQUIRE(nghttp3_conn_add_write_offset(from, id, bytes.size()) == 0);
      std::uint64_t h3_acked = bytes.size();
      if (id == mixed.id) {
        std::uint64_t at = mixed.map.quic_offset();
        mixed.map.h3_sent(bytes);
        if (fin) mixed.map.h3_fin();
        h3_acked = mixed.map.acked(at, bytes.size());
        if (from_server) h3_acked_request_stream += h3_acked;
      }
      deliver(id, bytes, fin);
      if (h3_acked > 0) REQUIRE(nghttp3_conn_add_ack_offset(from, id, h3_acked) == 0);
      if (n == 0 && !fin) break;
    }
    if (from_server) {
      for (auto& [push_id, w] : push_streams) {
        std::int64_t id = 15 + 4 * static_cast<std::int64_t>(push_id);
        std::vector<std::uint8_t> bytes;
        for (auto s : w.output().unsent()) bytes.insert(bytes.end(), s.begin(), s.end());
        if (bytes.empty()) continue;
        std::uint64_t at = w.output().sent_offset();
        w.output().sent(bytes.size());
        deliver(id, bytes, w.fin_due());
        w.output().acked(at, bytes.size());
      }
    }
    return moved;
  }

  void run() {
    for (int round = 0; round < 100; ++round) {
      if (pump(client.get(), client_control, false) + pump(server.get(), request_stream, true) ==
          0) {
        return;
      }
    }
    FAIL("the two ends never went quiet");
  }
};

}  // namespace

TEST_CASE(
    "§4.6 end to end between two nghttp3s: MAX_PUSH_ID, promises before the response, "
    "a 100 KB push, a CANCEL_PUSH, exact ack offsets") {
  pair p;
  field_encoder enc;
  p.client_frames_due.push_back(max_push_id_frame(9));
  std::vector<field> get = {
      {":method", "GET"}, {":scheme", "https"}, {":authority", "example.com"}, {":path", "/"}};
  std::vector<nghttp3_nv> nva;
  for (auto& f : get) {
    nva.push_back({reinterpret_cast<uint8_t*>(f.name.data()),
                   reinterpret_cast<uint8_t*>(f.value.data()), f.name.size(), f.value.size(),
                   NGHTTP3_NV_FLAG_NONE});
  }
  REQUIRE(nghttp3_conn_submit_request(p.client.get(), 0, nva.data(), nva.size(), nullptr,
                                      nullptr) == 0);
  p.run();

  // The server has the request and the client's MAX_PUSH_ID; nghttp3 (server) got the
  // control stream without complaint and wrote nothing on the request stream yet.
  REQUIRE(p.request.ended);
  REQUIRE(p.control_events == std::vector<control_event>{{control_event::kind::max_push_id, 9}});
  CHECK(p.request_stream.map.h3_offset() == 0);
  push_ids ids;
  REQUIRE(ids.allow_up_to(9));

  // Two promises on the request stream, before nghttp3's first byte; then the response.
  std::string body(100 * 1024, '\0');
  for (std::size_t i = 0; i < body.size(); ++i) body[i] = static_cast<char>(i * 7 + i / 251);
  std::vector<field> app = {{":method", "GET"},
                            {":scheme", "https"},
                            {":authority", "example.com"},
                            {":path", "/app.js"}};
  std::vector<field> css = app;
  css[3].value = "/style.css";
  auto first = ids.next();
  auto second = ids.next();
  REQUIRE((first && second));
  REQUIRE(p.request_stream.map.inject(push_promise_frame(first.id, enc.encode(app))));
  REQUIRE(p.request_stream.map.inject(push_promise_frame(second.id, enc.encode(css))));
  std::vector<field> ok = {{":status", "200"}, {"content-type", "text/html"}};
  std::vector<nghttp3_nv> resp;
  for (auto& f : ok) {
    resp.push_back({reinterpret_cast<uint8_t*>(f.name.data()),
                    reinterpret_cast<uint8_t*>(f.value.data()), f.name.size(), f.value.size(),
                    NGHTTP3_NV_FLAG_NONE});
  }
  nghttp3_data_reader dr{read_page};
  REQUIRE(nghttp3_conn_submit_response(p.server.get(), 0, resp.data(), resp.size(), &dr) == 0);
  auto& w = p.push_streams.try_emplace(first.id, first.id).first->second;
  const std::vector<field> js = {{":status", "200"}, {"content-type", "text/javascript"}};
  w.headers(enc.encode(js));
  for (std::size_t at = 0; at < body.size(); at += 16384) w.data(body.substr(at, 16384));
  w.end();
  // The client refuses the second push as soon as it sees the promise.
  p.run();
  REQUIRE(p.promises.size() == 2);
  p.client_frames_due.push_back(cancel_push_frame(p.promises[1].push_id));
  p.run();

  CHECK(p.promises[0] == promise{0, app});
  CHECK(p.promises[1] == promise{1, css});
  REQUIRE(p.response.ended);
  CHECK(p.response.body == page);
  CHECK(p.response.fields.front() == field{":status", "200"});
  REQUIRE(p.pushed[0].ended);
  CHECK(p.pushed[0].body == body);
  CHECK(p.pushed.count(1) == 0);
  // The server's nghttp3 never saw the CANCEL_PUSH (it would have failed the connection).
  CHECK(p.control_events.back() == control_event{control_event::kind::cancel_push, 1});
  CHECK(p.control_removed == cancel_push_frame(1).size());
  // nghttp3 was told of exactly its own bytes as acknowledged: no more, no less.
  CHECK(p.h3_acked_request_stream == p.request_stream.map.h3_offset());
  CHECK(p.request_stream.map.quic_offset() ==
        p.request_stream.map.h3_offset() + p.request_stream.map.injected_bytes());
  CHECK(p.request_stream.map.injected_held() == 0);
}
