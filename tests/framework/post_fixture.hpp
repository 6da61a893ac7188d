#pragma once
// Test support: a POST whose body reaches a real request actor as the connection sends it
// (body messages, the last with fin), for the body readers' tests.

#include <doctest/doctest.h>

#include <caf/send.hpp>

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "framework/req_fixture.hpp"

namespace rodeo::test {

// POST `target` with `fields` through `chain` in a real request actor, the body sent in
// `chunks` (the last with fin). Returns what the req sent.
inline std::vector<rodeo::command> post(caf::actor_system& sys, rodeo::headers fields,
                                        const std::vector<std::string>& chunks,
                                        rodeo::middleware_chain chain, std::string target = "/") {
  auto head = rodeo::test::make_head("POST", "example.org", std::move(target), std::move(fields));
  head.has_body = true;
  // The engines set content_length from the field.
  if (auto n = rodeo::find_header(head.fields, "content-length"))
    head.content_length = std::stoull(std::string{*n});
  req_fixture f{std::move(head)};
  auto a = rodeo::test::start(sys, f, std::move(chain));
  for (std::size_t i = 0; i < chunks.size(); ++i)
    caf::anon_send(a, rodeo::body_atom::value, chunks[i], i + 1 == chunks.size());
  if (!rodeo::test::wait_ended(sys, a)) return {};
  return f.sent();
}

// As above, with `start` as the whole chain (it starts reading the body, or replies).
inline std::vector<rodeo::command> post(caf::actor_system& sys, rodeo::headers fields,
                                        const std::vector<std::string>& chunks,
                                        std::function<void(rodeo::req&)> start) {
  return post(sys, std::move(fields), chunks,
              {rodeo::make_middleware([start](rodeo::req& r, rodeo::env&) {
                start(r);
                return rodeo::middleware_result::stop;
              })});
}

/// A request the client got wrong: its fields and body pieces, and what must come back (a
/// reply of `status` whose body contains `says`).
struct fault_case {
  rodeo::headers fields;
  std::vector<std::string> body;
  int status;
  std::string says;
};

/// Posts each case to `start` and checks the reply.
inline void check_faults(caf::actor_system& sys, const std::vector<fault_case>& cases,
                         const std::function<void(rodeo::req&)>& start) {
  for (const auto& c : cases) {
    CAPTURE(c.says);
    auto cmds = post(sys, c.fields, c.body, start);
    auto* reply = only_reply(cmds);
    REQUIRE(reply != nullptr);
    CHECK(reply->status == c.status);
    CHECK(reply->body.view().find(c.says) != std::string::npos);
  }
}

}  // namespace rodeo::test
