// The opening handshake (RFC 6455 §4.2, RFC 8441 §4-5) and permessage-deflate's negotiation
// (RFC 7692 §7.1).
#include "rodeo/websocket/handshake.hpp"

#include <doctest/doctest.h>

#include "rodeo/internal/websocket/deflate.hpp"
#include "rodeo/internal/websocket/utf8.hpp"

using namespace rodeo;

namespace {

request_head h1_upgrade(headers extra = {}) {
  request_head h;
  h.method = "GET";
  h.version = "HTTP/1.1";
  h.path = "/chat";
  h.fields = {{"host", "server.example.com"},
              {"upgrade", "websocket"},
              {"connection", "keep-alive, Upgrade"},
              {"sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ=="},
              {"sec-websocket-version", "13"}};
  for (auto& f : extra) h.fields.push_back(f);
  return h;
}

request_head without(request_head h, std::string_view name) {
  std::erase_if(h.fields, [&](const header& f) { return f.first == name; });
  return h;
}

}  // namespace

TEST_CASE("RFC 6455 §1.3: the accept key of the example nonce") {
  CHECK(ws::accept_key("dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

TEST_CASE("RFC 6455 §4.2.2: a valid upgrade is accepted with sec-websocket-accept") {
  auto h = ws::check(h1_upgrade(), {});
  CHECK(h.status == 0);
  CHECK(find_header(h.fields, "sec-websocket-accept") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
  CHECK_FALSE(has_header(h.fields, "sec-websocket-protocol"));
  CHECK_FALSE(h.deflate);
}

TEST_CASE("RFC 6455 §4.2.1: what makes an upgrade request invalid") {
  auto post = h1_upgrade();
  post.method = "POST";
  auto http10 = h1_upgrade();
  http10.version = "HTTP/1.0";
  CHECK(ws::check(post, {}).status == 400);
  CHECK(ws::check(http10, {}).status == 400);
  CHECK(ws::check(without(h1_upgrade(), "upgrade"), {}).status == 400);
  CHECK(ws::check(without(h1_upgrade(), "connection"), {}).status == 400);
  CHECK(ws::check(without(h1_upgrade(), "sec-websocket-key"), {}).status == 400);
  auto short_key = without(h1_upgrade(), "sec-websocket-key");
  short_key.fields.emplace_back("sec-websocket-key", "c2hvcnQ=");
  CHECK(ws::check(short_key, {}).status == 400);
}

TEST_CASE("RFC 6455 §4.4: another version is answered 426 with the version we speak") {
  auto v8 = without(h1_upgrade(), "sec-websocket-version");
  v8.fields.emplace_back("sec-websocket-version", "8");
  for (const auto& head : {v8, without(h1_upgrade(), "sec-websocket-version")}) {
    auto h = ws::check(head, {});
    CHECK(h.status == 426);
    CHECK(find_header(h.fields, "sec-websocket-version") == "13");
  }
}

TEST_CASE("RFC 6455 §4.2.2 item 5.4: the server's preferred subprotocol among the client's") {
  ws::options o;
  o.protocols = {"superchat", "chat"};
  auto h = ws::check(h1_upgrade({{"sec-websocket-protocol", "chat, superchat"}}), o);
  CHECK(h.protocol == "superchat");
  CHECK(find_header(h.fields, "sec-websocket-protocol") == "superchat");
  auto none = ws::check(h1_upgrade({{"sec-websocket-protocol", "mqtt"}}), o);
  CHECK(none.status == 0);
  CHECK(none.protocol.empty());
}

TEST_CASE("RFC 8441 §4-5: an extended CONNECT needs no key and gets no accept") {
  request_head h2;
  h2.method = "CONNECT";
  h2.version = "HTTP/2";
  h2.protocol = "websocket";
  h2.path = "/chat";
  h2.fields = {{"sec-websocket-version", "13"}};
  auto h = ws::check(h2, {});
  CHECK(h.status == 0);
  CHECK_FALSE(has_header(h.fields, "sec-websocket-accept"));
  CHECK(ws::is_upgrade(h2));
  h2.protocol = "other";
  CHECK(ws::check(h2, {}).status == 400);
}

TEST_CASE("RFC 7692 §7.1: permessage-deflate offers, accepted or declined") {
  auto plain = ws::negotiate_deflate("permessage-deflate");
  REQUIRE(plain);
  CHECK(plain->response == "permessage-deflate");
  auto python = ws::negotiate_deflate("permessage-deflate; client_max_window_bits");
  REQUIRE(python);
  CHECK(python->response == "permessage-deflate");
  auto firefox = ws::negotiate_deflate(
      "permessage-deflate; server_no_context_takeover; client_max_window_bits=10");
  REQUIRE(firefox);
  CHECK(firefox->params.server_no_context_takeover);
  CHECK(firefox->params.client_max_window_bits == 10);
  CHECK(firefox->response ==
        "permessage-deflate; server_no_context_takeover; client_max_window_bits=10");
  CHECK(ws::negotiate_deflate("permessage-deflate; server_max_window_bits=12")->response ==
        "permessage-deflate; server_max_window_bits=12");
  // Declined: another extension, unknown or repeated parameters, bad values, a window of 8
  // for our side (zlib cannot deflate with it).
  CHECK_FALSE(ws::negotiate_deflate("x-webkit-deflate-frame"));
  CHECK_FALSE(ws::negotiate_deflate("permessage-deflate; foo"));
  CHECK_FALSE(ws::negotiate_deflate(
      "permessage-deflate; server_no_context_takeover; server_no_context_takeover"));
  CHECK_FALSE(ws::negotiate_deflate("permessage-deflate; server_max_window_bits=16"));
  CHECK_FALSE(ws::negotiate_deflate("permessage-deflate; server_max_window_bits"));
  CHECK_FALSE(ws::negotiate_deflate("permessage-deflate; server_max_window_bits=8"));
  CHECK_FALSE(ws::negotiate_deflate("permessage-deflate; server_no_context_takeover=1"));

  ws::options o;
  o.compress = true;
  auto h = ws::check(
      h1_upgrade({{"sec-websocket-extensions", "foo, permessage-deflate; client_max_window_bits"}}),
      o);
  REQUIRE(h.deflate);
  CHECK(find_header(h.fields, "sec-websocket-extensions") == "permessage-deflate");
  CHECK_FALSE(ws::check(h1_upgrade({{"sec-websocket-extensions", "permessage-deflate"}}), {})
                  .deflate);  // compression off: never negotiated
}

TEST_CASE("RFC 3629 §4: UTF-8 validation") {
  CHECK(ws::valid_utf8(""));
  CHECK(ws::valid_utf8("Hello-\xc2\xb5@\xc3\x9f\xc3\xb6\xc3\xa4\xc3\xbc\xc3\xa0\xc3\xa1-UTF-8!!"));
  CHECK(ws::valid_utf8("\xf4\x8f\xbf\xbf"));        // U+10FFFF
  CHECK_FALSE(ws::valid_utf8("\xf4\x90\x80\x80"));  // above U+10FFFF
  CHECK_FALSE(ws::valid_utf8("\xed\xbf\xbf"));      // a surrogate
  CHECK_FALSE(ws::valid_utf8("\xe0\x80\xaf"));      // overlong
  CHECK_FALSE(ws::valid_utf8("\xc2"));              // cut short
  CHECK_FALSE(ws::valid_utf8("\x80"));              // a lone continuation byte
}
