// The examples of docs/rest.md, compiled and run through the real request path (router, handler
// middleware, request actor). The code between "// guide: NAME begin" and "// guide: NAME end"
// is a ```cpp block of docs/rest.md, verbatim up to whitespace: tests/docs/check_guide.py
// fails when the two drift apart.
#include <doctest/doctest.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "docs/guide_support.hpp"
#include "rodeo/mw/default_chain.hpp"
#include "rodeo/rest/rest_handler.hpp"
#include "rodeo/rodeo.hpp"
#include "rodeo/router/router.hpp"

using guide::test::response;

namespace guide {

// guide: rest-hello begin
struct hello_resource : rodeo::rest_handler {
  std::vector<rodeo::rest::provided_type> content_types_provided(rodeo::req&) override {
    return {{"text/plain", [](rodeo::req&) { return std::string("Hello!\n"); }},
            {"application/json", [](rodeo::req&) { return std::string("{\"hello\":true}"); }}};
  }
  std::optional<rodeo::http::entity_tag> generate_etag(rodeo::req&) override {
    return rodeo::http::entity_tag{"hello-1"};
  }
};
// in the route table: {"/hello", rodeo::handler<hello_resource>()}
// guide: rest-hello end

// guide: rest-memo begin
/// One memo shared by every request (request actors run in parallel: it takes a lock).
struct memo {
  std::mutex mu;
  std::string text;
};

class memo_h : public rodeo::rest_handler {
 public:
  explicit memo_h(std::shared_ptr<memo> m) : memo_(std::move(m)) {}

  std::vector<std::string> allowed_methods(rodeo::req&) override {
    return {"GET", "HEAD", "PUT", "DELETE", "OPTIONS"};
  }
  bool resource_exists(rodeo::req&) override {
    std::lock_guard lock(memo_->mu);
    text_ = memo_->text;  // one snapshot for the whole request
    return !text_.empty();
  }
  std::vector<rodeo::rest::provided_type> content_types_provided(rodeo::req&) override {
    return {{"text/plain", [this](rodeo::req&) { return text_; }},
            {"text/html", [this](rodeo::req& req) { return to_html(req); }}};
  }
  std::string to_html(rodeo::req& req) override {
    req.push("/memo.css");  // over HTTP/2 the style sheet travels with the page
    return "<link rel=stylesheet href=/memo.css><p>" + text_ + "</p>";  // escape it in earnest
  }
  std::vector<rodeo::rest::accepted_type> content_types_accepted(rodeo::req&) override {
    return {{"text/plain", [this](rodeo::req&, std::string body) {
               if (body.empty()) return rodeo::rest::accept_result::refused();  // 400
               std::lock_guard lock(memo_->mu);
               memo_->text = std::move(body);
               return rodeo::rest::accept_result::ok();  // 201 if new, else 204
             }}};
  }
  bool delete_resource(rodeo::req&) override {
    std::lock_guard lock(memo_->mu);
    memo_->text.clear();
    return true;  // 204
  }

 private:
  std::shared_ptr<memo> memo_;
  std::string text_;
};
// in the route table: {"/memo", rodeo::handler<memo_h>(std::make_shared<memo>())}
// guide: rest-memo end

}  // namespace guide

namespace {

using guide::test::one_route;

/// `method /memo` with `fields` and, if not empty, `body`, through `chain`.
response call(const rodeo::middleware_chain& chain, std::string method, rodeo::headers fields,
              std::string body = {}) {
  return guide::test::call(chain, std::move(method), "/memo", std::move(fields), std::move(body));
}

}  // namespace

TEST_CASE("rest guide rest-hello: negotiation and the ETag") {
  auto chain = one_route("/hello", rodeo::handler<guide::hello_resource>());
  using guide::test::run;
  CHECK(run(chain, "/hello") == response{200, "Hello!\n"});
  CHECK(run(chain, "/hello", "example.org", {{"accept", "application/json"}}) ==
        response{200, "{\"hello\":true}"});
  CHECK(run(chain, "/hello", "example.org", {{"accept", "image/png"}}).status == 406);
  CHECK(run(chain, "/hello", "example.org", {{"if-none-match", "\"hello-1\""}}) ==
        response{304, ""});
}

TEST_CASE("rest guide rest-memo: create, read, replace, delete") {
  auto chain = one_route("/memo", rodeo::handler<guide::memo_h>(std::make_shared<guide::memo>()));
  CHECK(call(chain, "GET", {}).status == 404);
  CHECK(call(chain, "PUT", {{"content-type", "text/plain"}}, "milk").status == 201);
  CHECK(call(chain, "GET", {}) == response{200, "milk"});
  CHECK(call(chain, "GET", {{"accept", "text/html"}}) ==
        response{200, "<link rel=stylesheet href=/memo.css><p>milk</p>"});
  CHECK(call(chain, "PUT", {{"content-type", "text/plain"}}, "eggs").status == 204);
  CHECK(call(chain, "PUT", {{"content-type", "application/json"}}, "{}").status == 415);
  CHECK(call(chain, "POST", {{"content-type", "text/plain"}}, "x").status == 405);
  CHECK(call(chain, "DELETE", {}).status == 204);
  CHECK(call(chain, "GET", {}).status == 404);
}
