#include "rodeo/mw/static/response_plan.hpp"

#include <doctest/doctest.h>

using namespace rodeo::mw::static_files;
using rodeo::headers;

namespace {

constexpr std::int64_t now = 2'000'000'000;
constexpr const char* etag = "\"2710-ae1b981bc490a00\"";
constexpr const char* last_modified = "Sun, 06 Nov 1994 08:49:37 GMT";

representation text_file() {
  representation rep;
  rep.meta = {file_kind::regular, 10000, 784111777'000'000'000};
  rep.content_type = "text/plain; charset=utf-8";
  return rep;
}

}  // namespace

TEST_CASE("response_plan sends the whole file with validators") {
  const auto plan = plan_response("GET", {}, text_file(), "", now);
  CHECK(plan.status == 200);
  CHECK(plan.fields == headers{{"content-type", "text/plain; charset=utf-8"},
                               {"content-length", "10000"},
                               {"accept-ranges", "bytes"},
                               {"last-modified", last_modified},
                               {"etag", etag}});
  CHECK(plan.offset == 0);
  CHECK(plan.length == 10000);
}

TEST_CASE("response_plan answers HEAD with the GET fields and no body (RFC 9110 §9.3.2)") {
  const auto head = plan_response("HEAD", {{"range", "bytes=0-1"}}, text_file(), "", now);
  CHECK(head.status == 200);
  CHECK(head.fields == plan_response("GET", {}, text_file(), "", now).fields);
  CHECK(head.length == 0);
}

TEST_CASE("response_plan adds cache-control, content-encoding and vary for a variant") {
  auto rep = text_file();
  rep.coding = "br";
  rep.has_variants = true;
  const auto plan = plan_response("GET", {}, rep, "public, max-age=60", now);
  CHECK(plan.fields == headers{{"content-type", "text/plain; charset=utf-8"},
                               {"content-length", "10000"},
                               {"accept-ranges", "bytes"},
                               {"last-modified", last_modified},
                               {"content-encoding", "br"},
                               {"etag", "\"2710-ae1b981bc490a00-br\""},
                               {"cache-control", "public, max-age=60"},
                               {"vary", "accept-encoding"}});
}

TEST_CASE("response_plan 304 carries etag, cache-control and vary only (RFC 9110 §15.4.5)") {
  auto rep = text_file();
  rep.has_variants = true;
  const auto plan = plan_response("GET", {{"if-none-match", etag}}, rep, "max-age=60", now);
  CHECK(plan.status == 304);
  CHECK(plan.fields ==
        headers{{"etag", etag}, {"cache-control", "max-age=60"}, {"vary", "accept-encoding"}});
  CHECK(plan.length == 0);
  CHECK(plan_response("GET", {{"if-modified-since", last_modified}}, text_file(), "", now).status ==
        304);
}

TEST_CASE("response_plan 412 when If-Match fails (RFC 9110 §13.1.1)") {
  const auto plan = plan_response("GET", {{"if-match", "\"other\""}}, text_file(), "", now);
  CHECK(plan.status == 412);
  CHECK(plan.fields.empty());
  CHECK(plan.length == 0);
}

TEST_CASE("response_plan 206 for one range (RFC 9110 §15.3.7)") {
  const auto plan = plan_response("GET", {{"range", "bytes=-500"}}, text_file(), "", now);
  CHECK(plan.status == 206);
  CHECK(plan.fields == headers{{"content-type", "text/plain; charset=utf-8"},
                               {"content-length", "500"},
                               {"accept-ranges", "bytes"},
                               {"last-modified", last_modified},
                               {"etag", etag},
                               {"content-range", "bytes 9500-9999/10000"}});
  CHECK(plan.offset == 9500);
  CHECK(plan.length == 500);
}

TEST_CASE("response_plan 416 names the size (RFC 9110 §15.5.17)") {
  const auto plan = plan_response("GET", {{"range", "bytes=10000-"}}, text_file(), "", now);
  CHECK(plan.status == 416);
  CHECK(plan.fields == headers{{"content-range", "bytes */10000"}, {"accept-ranges", "bytes"}});
  CHECK(plan.length == 0);
}

TEST_CASE("response_plan preconditions come before the range (RFC 9110 §13.2.2)") {
  CHECK(
      plan_response("GET", {{"if-none-match", etag}, {"range", "bytes=0-1"}}, text_file(), "", now)
          .status == 304);
  CHECK(
      plan_response("GET", {{"if-match", "\"x\""}, {"range", "bytes=99999-"}}, text_file(), "", now)
          .status == 412);
}

TEST_CASE("response_plan never dates Last-Modified after now (RFC 9110 §8.8.2.1)") {
  const auto plan = plan_response("GET", {}, text_file(), "", 784111000);
  CHECK(rodeo::find_header(plan.fields, "last-modified") == "Sun, 06 Nov 1994 08:36:40 GMT");
}
