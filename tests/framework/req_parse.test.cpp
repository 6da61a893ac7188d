#include "rodeo/req.hpp"

#include <doctest/doctest.h>

#include <any>
#include <cstdint>
#include <ctime>
#include <functional>
#include <string>
#include <vector>

#include "framework/req_fixture.hpp"

using rodeo::test::req_fixture;

namespace {

std::string what_of_bad_request(const std::function<void()>& f) {
  try {
    f();
  } catch (const rodeo::bad_request& e) {
    return e.what();
  }
  return "(no bad_request)";
}

}  // namespace

// --- query strings ---

TEST_CASE("req parse_qs decodes the query string in order") {
  req_fixture f{"/search?q=caf+actors&lang=en&q=rodeo%21&flag"};
  const rodeo::http::qs_pairs expected = {
      {"q", "caf actors"}, {"lang", "en"}, {"q", "rodeo!"}, {"flag", ""}};
  CHECK(f.req->parse_qs() == expected);
  CHECK(req_fixture{"/plain"}.req->parse_qs().empty());
}

TEST_CASE("req parse_qs throws bad_request for a malformed query string") {
  req_fixture f{"/search?q=%zz"};
  CHECK(what_of_bad_request([&] { (void)f.req->parse_qs(); }) ==
        "invalid query string: '%' at offset 2 is not followed by two hex digits");
}

TEST_CASE("req match_qs applies constraints and defaults") {
  using rodeo::http::int_c;
  req_fixture f{"/list?page=3&junk=1"};
  auto v = f.req->match_qs({{"page", {int_c}}, {"lang", {}, std::string{"en"}}});
  REQUIRE(v.size() == 2);
  CHECK(std::any_cast<std::int64_t>(v.at("page")) == 3);
  CHECK(std::any_cast<std::string>(v.at("lang")) == "en");
}

TEST_CASE("req match_qs throws bad_request naming the missing or refused field") {
  using rodeo::http::int_c;
  CHECK(what_of_bad_request([] {
          (void)req_fixture{"/list?page=three"}.req->match_qs({{"page", {int_c}}});
        }) == "query string field 'page': rejected by constraint 'int'");
  CHECK(what_of_bad_request([] {
          (void)req_fixture{"/list"}.req->match_qs({{"page", {int_c}}});
        }) == "query string field 'page': missing and has no default");
}

// --- cookies ---

TEST_CASE("req parse_cookies reads every cookie field, none gives no pairs") {
  // HTTP/2 may split the cookie-string over several fields (RFC 9113 §8.2.3).
  req_fixture f{"/", {{"cookie", "a=1; b=two"}, {"accept", "*/*"}, {"cookie", "c=3"}}};
  CHECK(f.req->parse_cookies() == rodeo::http::cookie_pairs{{"a", "1"}, {"b", "two"}, {"c", "3"}});
  CHECK(req_fixture{"/"}.req->parse_cookies().empty());
}

TEST_CASE("req parse_cookies throws bad_request for a malformed cookie header") {
  req_fixture f{"/", {{"cookie", "=nameless"}}};
  CHECK(what_of_bad_request([&] { (void)f.req->parse_cookies(); }) ==
        "invalid cookie header: empty cookie name at offset 0");
}

TEST_CASE("req set_resp_cookie adds a set-cookie field the reply carries") {
  req_fixture f{"/"};
  f.req->set_resp_cookie("sid", "abc123", {.path = "/", .http_only = true, .same_site = "lax"});
  f.req->set_resp_cookie("old", "", {.max_age = 0});
  const rodeo::headers expected = {
      {"set-cookie", "sid=abc123; Path=/; HttpOnly; SameSite=Lax"},
      {"set-cookie", "old=; Expires=Thu, 01 Jan 1970 00:00:01 GMT; Max-Age=0"}};
  CHECK(f.req->resp_headers() == expected);
  f.req->reply(200, {{"content-type", "text/plain"}}, "ok");
  auto cmds = f.sent();
  auto* reply = rodeo::test::only_reply(cmds);
  REQUIRE(reply != nullptr);
  CHECK(reply->fields == rodeo::headers{expected[0], expected[1], {"content-type", "text/plain"}});
}

TEST_CASE("req set_resp_cookie throws usage_error for a bad cookie or after the reply") {
  req_fixture f{"/"};
  CHECK_THROWS_WITH_AS(f.req->set_resp_cookie("a b", "v"),
                       doctest::Contains("req.set_resp_cookie: cookie name \"a b\""),
                       rodeo::usage_error);
  CHECK_THROWS_WITH_AS(f.req->set_resp_cookie("x", "v", {.same_site = "None"}),
                       "req.set_resp_cookie: cookie \"x\": SameSite=None needs secure = true "
                       "(user agents drop it otherwise)",
                       rodeo::usage_error);
  CHECK(f.req->resp_headers().empty());
  f.req->reply(204);
  CHECK_THROWS_AS(f.req->set_resp_cookie("x", "v"), rodeo::usage_error);
}

// --- header fields ---

TEST_CASE("req header accessors give nullopt for absent fields") {
  req_fixture f{"/"};
  CHECK_FALSE(f.req->parse_accept());
  CHECK_FALSE(f.req->parse_accept_charset());
  CHECK_FALSE(f.req->parse_accept_encoding());
  CHECK_FALSE(f.req->parse_accept_language());
  CHECK_FALSE(f.req->parse_content_type());
  CHECK_FALSE(f.req->parse_content_length());
  CHECK_FALSE(f.req->parse_if_match());
  CHECK_FALSE(f.req->parse_if_none_match());
  CHECK_FALSE(f.req->parse_if_modified_since());
  CHECK_FALSE(f.req->parse_if_unmodified_since());
  CHECK_FALSE(f.req->parse_range());
}

TEST_CASE("RFC 9110 §5.3 req parse_accept combines several accept fields into one list") {
  req_fixture f{"/", {{"accept", "text/html;q=0.5"}, {"accept", "application/json"}}};
  auto a = f.req->parse_accept();
  REQUIRE(a);
  REQUIRE(a->size() == 2);
  CHECK((*a)[0].type == "application");
  CHECK((*a)[0].subtype == "json");
  CHECK((*a)[0].quality == 1000);
  CHECK((*a)[1].subtype == "html");
  CHECK((*a)[1].quality == 500);
}

TEST_CASE("req typed header accessors parse each field") {
  req_fixture f{"/",
                {{"accept-charset", "utf-8, iso-8859-1;q=0.2"},
                 {"accept-encoding", "gzip;q=0.8, br"},
                 {"accept-language", "fr-CH, en;q=0.9"},
                 {"content-type", "text/html; charset=UTF-8"},
                 {"content-length", "42"},
                 {"if-match", "\"a\", W/\"b\""},
                 {"if-none-match", "*"},
                 {"if-modified-since", "Sun, 06 Nov 1994 08:49:37 GMT"},
                 {"if-unmodified-since", "Sunday, 06-Nov-94 08:49:37 GMT"},
                 {"range", "bytes=0-99,-500"}}};
  using rodeo::http::weighted_token;
  CHECK(*f.req->parse_accept_charset() ==
        std::vector<weighted_token>{{"utf-8", 1000}, {"iso-8859-1", 200}});
  CHECK(*f.req->parse_accept_encoding() ==
        std::vector<weighted_token>{{"br", 1000}, {"gzip", 800}});
  CHECK(*f.req->parse_accept_language() ==
        std::vector<weighted_token>{{"fr-ch", 1000}, {"en", 900}});
  auto ct = f.req->parse_content_type();
  REQUIRE(ct);
  CHECK(ct->type == "text");
  CHECK(ct->subtype == "html");
  CHECK(ct->param("charset") == "utf-8");
  CHECK(f.req->parse_content_length() == 42u);
  CHECK(*f.req->parse_if_match() == rodeo::http::etag_list{false, {{"a", false}, {"b", true}}});
  CHECK(*f.req->parse_if_none_match() == rodeo::http::etag_list{true, {}});
  CHECK(f.req->parse_if_modified_since() == std::time_t{784111777});
  CHECK(f.req->parse_if_unmodified_since() == std::time_t{784111777});
  CHECK(*f.req->parse_range() ==
        std::vector<rodeo::http::byte_range>{{0u, 99u}, {std::nullopt, 500u}});
}

TEST_CASE("req typed header accessors throw bad_request for a malformed value") {
  CHECK(what_of_bad_request([] {
          (void)req_fixture{"/", {{"accept", "text/html;;q=x"}}}.req->parse_accept();
        }) == "malformed accept header \"text/html;;q=x\": see RFC 9110 §12.5.1");
  CHECK(what_of_bad_request([] {
          (void)req_fixture{"/", {{"content-length", "-1"}}}.req->parse_content_length();
        }) == "malformed content-length header \"-1\": see RFC 9110 §8.6");
  CHECK(what_of_bad_request([] {
          (void)req_fixture{"/", {{"if-none-match", "abc"}}}.req->parse_if_none_match();
        }) == "malformed if-none-match header \"abc\": see RFC 9110 §13.1.2");
  // The message never carries control bytes, and stays short.
  CHECK(what_of_bad_request([] {
          (void)req_fixture{"/", {{"content-type", "\x01" + std::string(100, 'x')}}}
              .req->parse_content_type();
        }) ==
        "malformed content-type header \"?" + std::string(79, 'x') + "...\": see RFC 9110 §8.3");
}

TEST_CASE("RFC 9110 §13.1.3 §14.2 req ignores a malformed date or range instead of refusing it") {
  req_fixture f{"/",
                {{"if-modified-since", "yesterday"},
                 {"if-unmodified-since", "Sun, 06 Nov 1994 08:49:37 GMT, again"},
                 {"range", "pages=1-2"}}};
  CHECK_FALSE(f.req->parse_if_modified_since());
  CHECK_FALSE(f.req->parse_if_unmodified_since());
  CHECK_FALSE(f.req->parse_range());
}
