// The response contract as a handler meets it on req: each legal sequence sends its commands,
// each misuse throws usage_error naming the call and what to do, and sends nothing.
#include "rodeo/req.hpp"

#include <doctest/doctest.h>

#include <functional>
#include <iterator>
#include <string>
#include <variant>
#include <vector>

#include "framework/req_fixture.hpp"
#include "rodeo/errors.hpp"
#include "rodeo/internal/actor/req_access.hpp"

using rodeo::test::req_fixture;
namespace cmd = rodeo::cmd;

namespace {

const std::string final_sent =
    ": the response was already sent; a request gets one final response (use stream_reply and "
    "stream_body to send it in pieces)";
const std::string inform_late =
    "req.inform: the final response has started; send 1xx responses before reply or "
    "stream_reply";
const std::string header_late =
    "req.set_resp_header: the response was already sent; set response headers before reply or "
    "stream_reply";
const std::string body_first =
    "req.stream_body: call stream_reply first (reply sends a whole body)";
const std::string trailers_first =
    "req.stream_trailers: call stream_reply first (trailers end a streamed response)";
const std::string body_ended =
    "req.stream_body: the response is already complete (reply, stream_body with fin or "
    "stream_trailers ended it); send nothing after its end";
const std::string trailers_ended =
    "req.stream_trailers: the response is already complete (reply, stream_body with fin or "
    "stream_trailers ended it); send the trailers instead of the last stream_body(..., true)";

// The kind of each command, in order ("inform", "reply", ...).
std::vector<std::string> kinds(const std::vector<rodeo::command>& cmds) {
  static const char* const names[] = {"inform",   "reply", "stream_reply", "body",
                                      "trailers", "crash", "watch_drain",  "push"};
  static_assert(std::size(names) == std::variant_size_v<rodeo::command>);
  std::vector<std::string> out;
  for (const auto& c : cmds) out.emplace_back(names[c.index()]);
  return out;
}

// A req brought into a state by legal calls, and the commands those sent already taken.
struct at {
  req_fixture f{"/"};
  explicit at(const std::function<void(rodeo::req&)>& setup) {
    setup(*f.req);
    f.sent();
  }
  rodeo::req& r() { return *f.req; }
};

void idle(rodeo::req&) {}
void informed(rodeo::req& r) { r.inform(103, {{"link", "</a.css>; rel=preload"}}); }
void replied(rodeo::req& r) { r.reply(200, {}, "hi"); }
void streaming(rodeo::req& r) { r.stream_reply(200); }
void mid_body(rodeo::req& r) {
  r.stream_reply(200);
  r.stream_body("a");
}
void body_fin(rodeo::req& r) {
  r.stream_reply(200);
  r.stream_body("a", true);
}
void trailed(rodeo::req& r) {
  r.stream_reply(200);
  r.stream_trailers({{"x-sum", "1"}});
}

}  // namespace

TEST_CASE("req response: legal sequences send their commands in order") {
  SUBCASE("inform, inform, reply") {
    req_fixture f{"/"};
    f.req->inform(100);
    f.req->inform(103);
    CHECK_FALSE(f.req->replied());
    f.req->reply(200, {}, "ok");
    CHECK(f.req->replied());
    CHECK(f.req->finished());
    CHECK(kinds(f.sent()) == std::vector<std::string>{"inform", "inform", "reply"});
  }
  SUBCASE("stream_reply, body, body, trailers") {
    req_fixture f{"/"};
    f.req->stream_reply(200);
    CHECK(f.req->replied());
    CHECK_FALSE(f.req->finished());
    f.req->stream_body("a");
    f.req->stream_body("bc");
    CHECK_FALSE(f.req->finished());
    f.req->stream_trailers({{"x-sum", "3"}});
    CHECK(f.req->finished());
    CHECK(f.req->body_bytes_sent() == 3);
    CHECK(kinds(f.sent()) == std::vector<std::string>{"stream_reply", "body", "body", "trailers"});
  }
  SUBCASE("stream_reply, body with fin") {
    req_fixture f{"/"};
    f.req->stream_reply(200);
    f.req->stream_body("a", true);
    CHECK(f.req->finished());
    CHECK(kinds(f.sent()) == std::vector<std::string>{"stream_reply", "body"});
  }
}

TEST_CASE("req response: each misuse throws usage_error naming the call and sends nothing") {
  struct row {
    std::string name;
    void (*setup)(rodeo::req&);
    std::function<void(rodeo::req&)> call;
    std::string message;
  };
  const std::vector<row> table = {
      {"inform after reply", replied, [](rodeo::req& r) { r.inform(103); }, inform_late},
      {"inform after stream_reply", streaming, [](rodeo::req& r) { r.inform(103); }, inform_late},
      {"reply after reply", replied, [](rodeo::req& r) { r.reply(200); }, "req.reply" + final_sent},
      {"reply after stream_reply", streaming, [](rodeo::req& r) { r.reply(200); },
       "req.reply" + final_sent},
      {"reply after a body piece", mid_body, [](rodeo::req& r) { r.reply(200); },
       "req.reply" + final_sent},
      {"stream_reply after reply", replied, [](rodeo::req& r) { r.stream_reply(200); },
       "req.stream_reply" + final_sent},
      {"stream_reply twice", streaming, [](rodeo::req& r) { r.stream_reply(200); },
       "req.stream_reply" + final_sent},
      {"set_resp_header after reply", replied, [](rodeo::req& r) { r.set_resp_header("x", "1"); },
       header_late},
      {"set_resp_header after stream_reply", streaming,
       [](rodeo::req& r) { r.set_resp_header("x", "1"); }, header_late},
      {"stream_body before any response", idle, [](rodeo::req& r) { r.stream_body("a"); },
       body_first},
      {"stream_body after a 1xx only", informed, [](rodeo::req& r) { r.stream_body("a"); },
       body_first},
      {"stream_body after reply", replied, [](rodeo::req& r) { r.stream_body("a"); }, body_ended},
      {"stream_body after fin", body_fin, [](rodeo::req& r) { r.stream_body("a"); }, body_ended},
      {"stream_body after trailers", trailed, [](rodeo::req& r) { r.stream_body("a", true); },
       body_ended},
      {"stream_trailers before any response", idle, [](rodeo::req& r) { r.stream_trailers({}); },
       trailers_first},
      {"stream_trailers after a 1xx only", informed, [](rodeo::req& r) { r.stream_trailers({}); },
       trailers_first},
      {"stream_trailers after reply", replied, [](rodeo::req& r) { r.stream_trailers({}); },
       trailers_ended},
      {"stream_trailers after fin", body_fin, [](rodeo::req& r) { r.stream_trailers({}); },
       trailers_ended},
      {"stream_trailers twice", trailed, [](rodeo::req& r) { r.stream_trailers({}); },
       trailers_ended},
  };
  for (const auto& t : table) {
    CAPTURE(t.name);
    at a{t.setup};
    const bool was_replied = a.r().replied(), was_finished = a.r().finished();
    CHECK_THROWS_WITH_AS(t.call(a.r()), t.message.c_str(), rodeo::usage_error);
    CHECK(a.f.sent().empty());
    CHECK(a.r().replied() == was_replied);  // a refused call changes nothing
    CHECK(a.r().finished() == was_finished);
  }
}

TEST_CASE("req response: a status outside its class is refused before anything is sent") {
  req_fixture f{"/"};
  CHECK_THROWS_AS(f.req->inform(200), rodeo::usage_error);
  CHECK_THROWS_AS(f.req->inform(101), rodeo::usage_error);
  CHECK_THROWS_AS(f.req->reply(199), rodeo::usage_error);
  CHECK_THROWS_AS(f.req->stream_reply(99), rodeo::usage_error);
  CHECK(f.sent().empty());
  CHECK_FALSE(f.req->replied());
  f.req->reply(200);  // still idle: the real reply goes out
  CHECK(f.sent().size() == 1);
}

TEST_CASE("req response: a crash sends a crash command only while the response is open") {
  struct row {
    std::string name;
    void (*setup)(rodeo::req&);
    bool crash_sent;
  };
  const row table[] = {
      {"before anything (the connection answers 500)", idle, true},
      {"after a 1xx (the connection answers 500)", informed, true},
      {"after stream_reply (the stream is reset)", streaming, true},
      {"mid-body (the stream is reset)", mid_body, true},
      // The complete response must reach the client: a crash now is too late to matter.
      {"after reply", replied, false},
      {"after the body's fin", body_fin, false},
      {"after trailers", trailed, false},
  };
  for (const auto& t : table) {
    CAPTURE(t.name);
    at a{t.setup};
    rodeo::req_access::send_crash(a.r());
    CHECK(kinds(a.f.sent()) ==
          (t.crash_sent ? std::vector<std::string>{"crash"} : std::vector<std::string>{}));
    CHECK(a.r().replied());
    CHECK(a.r().finished());
    rodeo::req_access::send_crash(a.r());  // a second crash says nothing more
    CHECK(a.f.sent().empty());
  }
}

TEST_CASE("req response: finish_default completes what the handler left open") {
  struct row {
    std::string name;
    void (*setup)(rodeo::req&);
    std::vector<std::string> sent;  // "reply <status>", "body fin"
  };
  const row table[] = {
      {"nothing sent: 204", idle, {"reply 204"}},
      {"after a 1xx: 204", informed, {"reply 204"}},
      {"a streamed response without body: an empty last piece", streaming, {"body fin"}},
      {"a streamed body left open: an empty last piece", mid_body, {"body fin"}},
      {"after reply: nothing", replied, {}},
      {"after the body's fin: nothing", body_fin, {}},
      {"after trailers: nothing", trailed, {}},
  };
  for (const auto& t : table) {
    CAPTURE(t.name);
    at a{t.setup};
    rodeo::req_access::finish_default(a.r());
    std::vector<std::string> sent;
    for (const auto& c : a.f.sent()) {
      if (const auto* r = std::get_if<cmd::reply>(&c))
        sent.push_back("reply " + std::to_string(r->status));
      else if (const auto* b = std::get_if<cmd::body>(&c))
        sent.push_back(b->fin && b->data.empty() ? "body fin" : "body");
      else
        sent.push_back(kinds({c})[0]);
    }
    CHECK(sent == t.sent);
    CHECK(a.r().finished());
  }
}

TEST_CASE("req response: a body above the read limit gets 413 only before the final response") {
  SUBCASE("nothing sent yet: 413") {
    req_fixture f{rodeo::test::make_head("POST", "example.org", "/", {{"content-length", "10"}})};
    rodeo::req_access::deliver_body(*f.req, "0123456789", true);
    f.req->read_body([](rodeo::req&, std::string) { FAIL("the body is above the limit"); }, 4);
    auto c = f.sent();
    REQUIRE(c.size() == 1);
    CHECK(std::get<cmd::reply>(c[0]).status == 413);
  }
  SUBCASE("the response started: no second response") {
    auto head = rodeo::test::make_head("POST", "example.org", "/", {{"content-length", "10"}});
    head.has_body = true;
    req_fixture f{head};
    f.req->stream_reply(200);
    f.sent();
    f.req->read_body([](rodeo::req&, std::string) { FAIL("the body is above the limit"); }, 4);
    rodeo::req_access::deliver_body(*f.req, "0123456789", true);
    CHECK(f.sent().empty());
  }
}
