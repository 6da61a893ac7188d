// The HTTP/1.1 engine, request side: parsing into request_head, request bodies, and the
// requests the engine refuses by itself. Pipelining is in engine_pipeline.test.cpp, responses
// in engine_response.test.cpp, h2c in engine_upgrade.test.cpp.
#include "rodeo/internal/protocol/http1/engine.hpp"

#include <doctest/doctest.h>

#include "http1/recorder.hpp"

using rodeo::headers;
using rodeo::protocol_limits;
using rodeo::test::error_response;
using rodeo::test::h1_fixture;
using rodeo::test::ok_response;

TEST_CASE("RFC 9112 §3: a GET request is reported with every request_head field") {
  h1_fixture h;
  CHECK(h.engine.name() == "http/1.1");
  REQUIRE(
      h.engine.feed("GET /hello?name=joe&x= HTTP/1.1\r\nHost: example.com:8080\r\n"
                    "User-Agent: test/1.0\r\nACCEPT: */*\r\n\r\n"));
  REQUIRE(h.events.requests.size() == 1);
  const auto& [id, head] = h.events.requests[0];
  CHECK(id == 1);
  CHECK(head.method == "GET");
  CHECK(head.scheme == "http");
  CHECK(head.authority == "example.com:8080");
  CHECK(head.path == "/hello");
  CHECK(head.qs == "name=joe&x=");
  CHECK(head.version == "HTTP/1.1");
  CHECK(head.fields ==
        headers{{"host", "example.com:8080"}, {"user-agent", "test/1.0"}, {"accept", "*/*"}});
  CHECK_FALSE(head.content_length.has_value());
  CHECK_FALSE(head.has_body);
  CHECK(h.engine.open_streams() == 1);
  CHECK(h.output().empty());

  h.engine.reply(1, 200, {{"content-type", "text/plain"}}, "hi");
  CHECK(h.output() ==
        "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 2\r\n"
        "date: Sun, 06 Nov 1994 08:49:37 GMT\r\nserver: Rodeo\r\n\r\nhi");
  CHECK(h.events.log == std::vector<std::string>{"request 1 GET /hello", "done 1"});
  CHECK(h.engine.open_streams() == 0);
  CHECK_FALSE(h.engine.should_close());
  CHECK(h.engine.want_read());
}

TEST_CASE("RFC 9110 §6.6.1: without a date hook the date field is a current IMF-fixdate") {
  rodeo::test::recorder events;
  rodeo::http1::engine engine(events, {}, false);
  REQUIRE(engine.feed("GET / HTTP/1.1\r\nHost: a\r\n\r\n"));
  engine.reply(1, 200, {}, "");
  std::string out;
  engine.take_output(out);
  auto at = out.find("\r\ndate: ");
  REQUIRE(at != std::string::npos);
  auto date = out.substr(at + 8, out.find("\r\n", at + 8) - at - 8);
  // "Sun, 06 Nov 1994 08:49:37 GMT": fixed positions for separators and digits.
  REQUIRE(date.size() == 29);
  const std::string shape = "Aaa, 00 Aaa 0000 00:00:00 GMT";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    CAPTURE(i);
    if (shape[i] == '0')
      CHECK((date[i] >= '0' && date[i] <= '9'));
    else if (shape[i] == 'A')
      CHECK((date[i] >= 'A' && date[i] <= 'Z'));
    else if (shape[i] == 'a')
      CHECK((date[i] >= 'a' && date[i] <= 'z'));
    else
      CHECK(date[i] == shape[i]);
  }
  CHECK(std::string_view{"SunMonTueWedThuFriSat"}.find(date.substr(0, 3)) % 3 == 0);
}

TEST_CASE("RFC 9112 §3.2: the scheme is https on TLS") {
  h1_fixture h({}, true);
  REQUIRE(h.engine.feed("GET / HTTP/1.1\r\nHost: a\r\n\r\n"));
  REQUIRE(h.events.requests.size() == 1);
  CHECK(h.events.requests[0].second.scheme == "https");
}

TEST_CASE("RFC 9112 §3.2.2: an absolute-form target gives scheme and authority, not Host") {
  h1_fixture h({}, true);
  REQUIRE(
      h.engine.feed("GET HTTP://other.example:81/a/b?x=1#frag HTTP/1.1\r\nHost: ignored\r\n\r\n"
                    "GET http://c.example HTTP/1.1\r\nHost: c.example\r\n\r\n"));
  REQUIRE(h.events.requests.size() == 2);
  auto head = h.events.requests[0].second;
  CHECK(head.scheme == "http");
  CHECK(head.authority == "other.example:81");
  CHECK(head.path == "/a/b");
  CHECK(head.qs == "x=1");
  CHECK(h.events.requests[1].second.authority == "c.example");
  CHECK(h.events.requests[1].second.path == "/");  // an empty path is "/"
}

TEST_CASE("RFC 9112 §3.2.4: OPTIONS * keeps the path *") {
  h1_fixture h;
  REQUIRE(h.engine.feed("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n"));
  REQUIRE(h.events.requests.size() == 1);
  CHECK(h.events.requests[0].second.method == "OPTIONS");
  CHECK(h.events.requests[0].second.path == "*");
  CHECK(h.events.requests[0].second.qs.empty());
}

TEST_CASE("RFC 9112 §3.2.4: the asterisk-form is refused for other methods with 400") {
  h1_fixture h;
  CHECK_FALSE(h.engine.feed("GET * HTTP/1.1\r\nHost: a\r\n\r\n"));
  CHECK(h.events.requests.empty());
  CHECK(h.output() == error_response("400 Bad Request", "Bad Request"));
}

TEST_CASE("RFC 9112 §3.2: an HTTP/1.0 request may omit Host") {
  h1_fixture h;
  REQUIRE(h.engine.feed("GET /x HTTP/1.0\r\n\r\n"));
  REQUIRE(h.events.requests.size() == 1);
  CHECK(h.events.requests[0].second.version == "HTTP/1.0");
  CHECK(h.events.requests[0].second.authority.empty());
}

TEST_CASE("RFC 9112 §3.2: an HTTP/1.1 request without Host is rejected with 400") {
  h1_fixture h;
  CHECK_FALSE(h.engine.feed("GET / HTTP/1.1\r\nAccept: */*\r\n\r\n"));
  CHECK(h.events.requests.empty());
  CHECK(h.output() ==
        "HTTP/1.1 400 Bad Request\r\ncontent-type: text/plain\r\ncontent-length: 12\r\n"
        "date: Sun, 06 Nov 1994 08:49:37 GMT\r\nserver: Rodeo\r\nconnection: close\r\n\r\n"
        "Bad Request\n");
  CHECK(h.engine.should_close());
  CHECK_FALSE(h.engine.want_read());
  CHECK_FALSE(h.engine.feed("GET / HTTP/1.1\r\nHost: a\r\n\r\n"));  // stays refused
  CHECK(h.events.requests.empty());
}

TEST_CASE("RFC 9112 §3.2: two Host fields are rejected with 400") {
  h1_fixture h;
  CHECK_FALSE(h.engine.feed("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"));
  CHECK(h.events.requests.empty());
  CHECK(h.output() == error_response("400 Bad Request", "Bad Request"));
}

TEST_CASE("RFC 9112 §3.2: an invalid Host value is rejected with 400") {
  h1_fixture h;
  CHECK_FALSE(h.engine.feed("GET / HTTP/1.1\r\nHost: user@a/b\r\n\r\n"));
  CHECK(h.output() == error_response("400 Bad Request", "Bad Request"));
}

TEST_CASE("RFC 9112 §5.1: whitespace before colon is rejected with 400") {
  for (std::string_view request : {"GET / HTTP/1.1\r\nHost : a\r\n\r\n",
                                   "GET / HTTP/1.1\r\nHost: a\r\nAccept\t: */*\r\n\r\n"}) {
    CAPTURE(request);
    h1_fixture whole, bytewise;
    CHECK_FALSE(whole.engine.feed(request));
    CHECK_FALSE(bytewise.feed_bytewise(request));
    CHECK(whole.events.requests.empty());
    CHECK(bytewise.events.requests.empty());
    CHECK(whole.output() == error_response("400 Bad Request", "Bad Request"));
    CHECK(bytewise.output() == error_response("400 Bad Request", "Bad Request"));
  }
}

TEST_CASE("RFC 9112 §5.2: obs-fold is rejected with 400") {
  for (std::string_view request : {"GET / HTTP/1.1\r\nHost: a\r\nX-A: one\r\n two\r\n\r\n",
                                   "GET / HTTP/1.1\r\nHost: a\r\nX-A: one\r\n\ttwo\r\n\r\n",
                                   "GET / HTTP/1.1\r\nHost: a\r\nX-A:\r\n two\r\n\r\n",
                                   "GET / HTTP/1.1\r\nHost: a\r\n\tX-B: 1\r\n\r\n"}) {
    CAPTURE(request);
    h1_fixture whole, bytewise;
    CHECK_FALSE(whole.engine.feed(request));
    CHECK_FALSE(bytewise.feed_bytewise(request));
    CHECK(whole.events.requests.empty());
    CHECK(bytewise.events.requests.empty());
    CHECK(whole.output() == error_response("400 Bad Request", "Bad Request"));
    CHECK(bytewise.output() == error_response("400 Bad Request", "Bad Request"));
  }
}

TEST_CASE("RFC 9110 §5.5: field values lose surrounding whitespace, keep inner whitespace") {
  h1_fixture h;
  REQUIRE(h.feed_bytewise("GET / HTTP/1.1\r\nHost: a\r\nX-A: \t one  two \t\r\nX-B:\r\n\r\n"));
  REQUIRE(h.events.requests.size() == 1);
  CHECK(h.events.requests[0].second.fields ==
        headers{{"host", "a"}, {"x-a", "one  two"}, {"x-b", ""}});
}

TEST_CASE("RFC 9112 §2.2: garbage is rejected with 400 and the connection closes") {
  for (std::string_view garbage :
       {"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", "hello world\r\n\r\n", "GET /\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n"
        "Content-Length: 2\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nBad\x01Name: x\r\n\r\n"}) {
    CAPTURE(garbage);
    h1_fixture h;
    CHECK_FALSE(h.engine.feed(garbage));
    CHECK(h.events.requests.empty());
    CHECK(h.output() == error_response("400 Bad Request", "Bad Request"));
    CHECK(h.engine.should_close());
  }
}

TEST_CASE("RFC 9110 §15.6.6: an unsupported HTTP version is rejected with 505") {
  for (std::string_view request :
       {"GET / HTTP/2.0\r\nHost: a\r\n\r\n", "GET / HTTP/1.2\r\nHost: a\r\n\r\n",
        "GET / HTTP/0.9\r\nHost: a\r\n\r\n"}) {
    CAPTURE(request);
    h1_fixture h;
    CHECK_FALSE(h.engine.feed(request));
    CHECK(h.events.requests.empty());
    CHECK(h.output() ==
          error_response("505 HTTP Version Not Supported", "HTTP Version Not Supported"));
  }
}

TEST_CASE("RFC 9110 §9.3.6: CONNECT is refused with 501") {
  h1_fixture h;
  CHECK_FALSE(h.engine.feed("CONNECT a.example:443 HTTP/1.1\r\nHost: a.example:443\r\n\r\n"));
  CHECK(h.events.requests.empty());
  CHECK(h.output() == error_response("501 Not Implemented", "Not Implemented"));
}

TEST_CASE("RFC 9110 §15.5.20: a header block above max_header_block gets 431") {
  protocol_limits limits;
  limits.max_header_block = 256;
  SUBCASE("complete") {
    h1_fixture h(limits);
    std::string request =
        "GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + std::string(300, 'x') + "\r\n\r\n";
    CHECK_FALSE(h.engine.feed(request));
    CHECK(h.events.requests.empty());
    CHECK(h.output() ==
          error_response("431 Request Header Fields Too Large", "Request Header Fields Too Large"));
  }
  SUBCASE("still incomplete, fed in pieces") {
    h1_fixture h(limits);
    REQUIRE(h.engine.feed("GET /" + std::string(200, 'p')));
    CHECK(h.output().empty());
    CHECK_FALSE(h.engine.feed(std::string(100, 'p')));
    CHECK(h.output() ==
          error_response("431 Request Header Fields Too Large", "Request Header Fields Too Large"));
  }
  SUBCASE("at the limit passes") {
    h1_fixture h(limits);
    std::string request = "GET / HTTP/1.1\r\nHost: a\r\nX-Big: ";
    request += std::string(256 - request.size(), 'x') + "\r\n\r\n";
    CHECK(h.engine.feed(request));
    CHECK(h.events.requests.size() == 1);
  }
  SUBCASE("the default limit, 16 KiB") {
    h1_fixture h;
    std::string request = "GET / HTTP/1.1\r\nHost: a\r\n";
    for (int i = 0; i < 20; ++i)
      request += "X-" + std::to_string(i) + ": " + std::string(1000, 'v') + "\r\n";
    CHECK_FALSE(h.engine.feed(request + "\r\n"));
    CHECK(h.events.requests.empty());
    CHECK(h.output().starts_with("HTTP/1.1 431 Request Header Fields Too Large\r\n"));
  }
}

TEST_CASE("RFC 9112 §6.2: a Content-Length body split across feeds ends with fin") {
  h1_fixture h;
  REQUIRE(h.engine.feed("POST /up HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nhel"));
  REQUIRE(h.events.requests.size() == 1);
  CHECK(h.events.requests[0].second.content_length == 10u);
  CHECK(h.events.requests[0].second.has_body);
  REQUIRE(h.engine.feed("lo"));
  REQUIRE(h.engine.feed("world"));
  using ev = std::tuple<rodeo::stream_id, std::string, bool>;
  CHECK(h.events.body_events ==
        std::vector<ev>{{1, "hel", false}, {1, "lo", false}, {1, "world", true}});
  CHECK(h.events.log == std::vector<std::string>{"request 1 POST /up", "fin 1"});
}

TEST_CASE("RFC 9112 §6.3: Content-Length 0 means no body events") {
  h1_fixture h;
  REQUIRE(h.engine.feed("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n"));
  REQUIRE(h.events.requests.size() == 1);
  CHECK(h.events.requests[0].second.content_length == 0u);
  CHECK_FALSE(h.events.requests[0].second.has_body);
  CHECK(h.events.body_events.empty());
}

TEST_CASE("RFC 9112 §7.1: a chunked request body is dechunked and ends with fin") {
  h1_fixture h;
  REQUIRE(
      h.engine.feed("POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                    "4\r\nWiki\r\n5;ext=1\r\npedia\r\n0\r\nX-Trailer: t\r\n\r\n"));
  REQUIRE(h.events.requests.size() == 1);
  const auto& head = h.events.requests[0].second;
  CHECK(head.has_body);
  CHECK_FALSE(head.content_length.has_value());
  using ev = std::tuple<rodeo::stream_id, std::string, bool>;
  CHECK(h.events.body_events ==
        std::vector<ev>{{1, "Wiki", false}, {1, "pedia", false}, {1, "", true}});
  // Trailers are read, not added to the head.
  CHECK(head.fields == headers{{"host", "a"}, {"transfer-encoding", "chunked"}});
}

TEST_CASE("RFC 9110 §15.5.14: a Content-Length above max_body gets 413 and no request") {
  protocol_limits limits;
  limits.max_body = 10;
  h1_fixture h(limits);
  CHECK_FALSE(h.engine.feed("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\n"));
  CHECK(h.events.requests.empty());
  CHECK(h.output() == error_response("413 Content Too Large", "Content Too Large"));
  CHECK(h.engine.should_close());
}

TEST_CASE("RFC 9110 §15.5.14: a chunked body growing above max_body gets 413") {
  protocol_limits limits;
  limits.max_body = 10;
  h1_fixture h(limits);
  REQUIRE(
      h.engine.feed("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                    "6\r\nabcdef\r\n"));
  REQUIRE(h.events.requests.size() == 1);
  CHECK_FALSE(h.engine.feed("6\r\nghijkl\r\n0\r\n\r\n"));
  CHECK(h.events.body(1) == "abcdef");
  CHECK(h.events.log == std::vector<std::string>{"request 1 POST /", "reset 1 0"});
  CHECK(h.output() == error_response("413 Content Too Large", "Content Too Large"));
  CHECK(h.engine.should_close());
  h.engine.reply(1, 200, {}, "late");  // the stream is gone: harmless
  CHECK(h.output().empty());
}

TEST_CASE("RFC 9112 §7.1: a bad chunk size is rejected with 400") {
  h1_fixture h;
  REQUIRE(h.engine.feed("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"));
  CHECK_FALSE(h.engine.feed("zz\r\n"));
  CHECK(h.events.log == std::vector<std::string>{"request 1 POST /", "reset 1 0"});
  CHECK(h.output() == error_response("400 Bad Request", "Bad Request"));
}

TEST_CASE("RFC 9112 §6.1: Transfer-Encoding in an HTTP/1.0 request is rejected with 400") {
  h1_fixture h;
  CHECK_FALSE(h.engine.feed("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"));
  CHECK(h.events.requests.empty());
  CHECK(h.output() == error_response("400 Bad Request", "Bad Request"));
}

TEST_CASE("RFC 9112 §9.3.2: an error response waits for the pipelined responses before it") {
  h1_fixture h;
  CHECK_FALSE(h.engine.feed("GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\n\r\n"));
  CHECK(h.events.log == std::vector<std::string>{"request 1 GET /1"});
  CHECK(h.output().empty());
  CHECK_FALSE(h.engine.should_close());
  h.engine.reply(1, 200, {}, "one");
  CHECK(h.output() == ok_response("one") + error_response("400 Bad Request", "Bad Request"));
  CHECK(h.engine.should_close());
}

TEST_CASE("RFC 9112 §2.2: empty lines before a request line are ignored") {
  h1_fixture h;
  REQUIRE(h.engine.feed("\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n"));
  CHECK(h.events.log == std::vector<std::string>{"request 1 GET /"});
}

TEST_CASE("RFC 9112 §2.2: up to 8 empty lines before a request line pass, then 400 and close") {
  {
    h1_fixture h;
    std::string eight;
    for (int i = 0; i < 8; ++i) eight += "\r\n";
    REQUIRE(h.engine.feed(eight + "GET / HTTP/1.1\r\nHost: a\r\n\r\n"));
    CHECK(h.events.log == std::vector<std::string>{"request 1 GET /"});
  }
  {
    // One at a time, as a slowloris peer sends them: the count is not reset between feeds.
    h1_fixture h;
    bool ok = true;
    for (int i = 0; i < 100 && ok; ++i) ok = h.engine.feed("\r\n");
    CHECK_FALSE(ok);
    CHECK(h.events.requests.empty());
    CHECK(h.output() == error_response("400 Bad Request", "Bad Request"));
    CHECK(h.engine.should_close());
  }
  {
    // The count starts again with every request.
    h1_fixture h;
    std::string request = "\r\n\r\n\r\n\r\n\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n";
    REQUIRE(h.engine.feed(request + request));
    h.engine.reply(1, 200, {}, "one");
    h.engine.reply(2, 200, {}, "two");
    CHECK(h.events.log ==
          std::vector<std::string>{"request 1 GET /", "request 2 GET /", "done 1", "done 2"});
  }
}

TEST_CASE("RFC 9110 §5.5: obs-text in a field value is accepted as is") {
  h1_fixture h;
  REQUIRE(h.engine.feed("GET / HTTP/1.1\r\nHost: a\r\nX-Name: caf\xc3\xa9\r\n\r\n"));
  REQUIRE(h.events.requests.size() == 1);
  CHECK(rodeo::find_header(h.events.requests[0].second.fields, "x-name") == "caf\xc3\xa9");
}

TEST_CASE("RFC 9112 §6.3: ambiguous request framing is rejected with 400") {
  for (std::string_view request :
       {"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"
        "0\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\nabc",
        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\nabc",
        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3, 4\r\n\r\nabcd"}) {
    CAPTURE(request);
    h1_fixture h;
    CHECK_FALSE(h.engine.feed(request));
    CHECK(h.events.requests.empty());
    CHECK(h.output() == error_response("400 Bad Request", "Bad Request"));
  }
}
