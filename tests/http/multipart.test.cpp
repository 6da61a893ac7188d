#include "rodeo/http/multipart.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "http/fuzz.hpp"

using namespace rodeo::http;
using namespace std::string_literals;

namespace {

// What a whole body gave: its parts (headers and data joined), and how it ended.
struct read_part {
  std::string name;
  std::optional<std::string> filename;
  std::string content_type;
  std::string data;
  bool ended = false;
};
struct read_result {
  std::vector<read_part> parts;
  multipart_event_kind end = multipart_event_kind::need_more;
  std::string error;
};

// Pulls every event the parser has; false once it reached an end (done or an error).
bool drain(multipart_parser& p, read_result& out) {
  for (int guard = 0; guard < 100000; ++guard) {
    auto e = p.next();
    switch (e.kind) {
      case multipart_event_kind::need_more:
        return true;
      case multipart_event_kind::part:
        out.parts.push_back({e.part.name, e.part.filename, e.part.content_type, {}, false});
        break;
      case multipart_event_kind::data:
        REQUIRE(!out.parts.empty());
        REQUIRE(!out.parts.back().ended);
        CHECK(!e.data.empty());
        out.parts.back().data += e.data;
        break;
      case multipart_event_kind::part_end:
        REQUIRE(!out.parts.empty());
        out.parts.back().ended = true;
        break;
      default:
        out.end = e.kind;
        out.error = e.error;
        return false;
    }
  }
  FAIL("the parser never asked for more input");
  return false;
}

// Feeds `body` in the pieces `cuts` makes (offsets, increasing), then finishes.
read_result read(std::string_view body, const std::vector<std::size_t>& cuts = {},
                 const std::string& boundary = "XyZ", multipart_limits limits = {}) {
  multipart_parser p{boundary, limits};
  read_result out;
  std::size_t from = 0;
  for (auto cut : cuts) {
    p.feed(body.substr(from, cut - from));
    from = cut;
    if (!drain(p, out)) return out;
  }
  p.feed(body.substr(from));
  if (!drain(p, out)) return out;
  p.finish();
  drain(p, out);
  return out;
}

read_result read_limited(std::string_view body, multipart_limits limits) {
  return read(body, {}, "XyZ", limits);
}

const std::string form =
    "preamble to ignore\r\n"
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"title\"\r\n"
    "\r\n"
    "Hello\r\nworld\r\n"
    "--XyZ  \r\n"
    "content-disposition: form-data; name=\"file\"; filename=\"a b.txt\"\r\n"
    "Content-Type: application/octet-stream\r\n"
    "\r\n"
    "\r\n--XyNOT\r\n--Xy\r\n--X\0bytes"s
    "\r\n--XyZ--\r\n"
    "epilogue";

void check_form(const read_result& r) {
  CHECK(r.end == multipart_event_kind::done);
  CHECK(r.error == "");
  REQUIRE(r.parts.size() == 2);
  CHECK(r.parts[0].name == "title");
  CHECK(!r.parts[0].filename);
  CHECK(r.parts[0].content_type == "text/plain");
  CHECK(r.parts[0].data == "Hello\r\nworld");
  CHECK(r.parts[0].ended);
  CHECK(r.parts[1].name == "file");
  CHECK(r.parts[1].filename == "a b.txt");
  CHECK(r.parts[1].content_type == "application/octet-stream");
  CHECK(r.parts[1].data == "\r\n--XyNOT\r\n--Xy\r\n--X\0bytes"s);
  CHECK(r.parts[1].ended);
}

}  // namespace

TEST_CASE("multipart: a form with a field and a file, in one piece") { check_form(read(form)); }

TEST_CASE("multipart: the same events whatever byte the input is split at") {
  for (std::size_t i = 0; i <= form.size(); ++i) {
    CAPTURE(i);
    check_form(read(form, {i}));
  }
  for (std::size_t i = 0; i + 7 <= form.size(); i += 3) {
    CAPTURE(i);
    check_form(read(form, {i, i + 7}));
  }
}

TEST_CASE("multipart: fed one byte at a time") {
  std::vector<std::size_t> cuts;
  for (std::size_t i = 1; i < form.size(); ++i) cuts.push_back(i);
  check_form(read(form, cuts));
}

TEST_CASE("multipart: the first delimiter may open the body; an empty part is allowed") {
  const auto r = read("--XyZ\r\ncontent-disposition: form-data; name=a\r\n\r\n\r\n--XyZ--");
  CHECK(r.end == multipart_event_kind::done);
  REQUIRE(r.parts.size() == 1);
  CHECK(r.parts[0].name == "a");
  CHECK(r.parts[0].data == "");
  CHECK(r.parts[0].ended);
}

TEST_CASE("multipart: malformed bodies") {
  struct row {
    std::string body;
    std::string error;
  };
  const std::string cd = "content-disposition: form-data; name=a\r\n";
  const std::vector<row> rows = {
      {"", "without its boundary"},
      {"no delimiter at all", "without its boundary"},
      {"--XyZ--", "without any part"},
      {"--XyZ\r\n" + cd + "\r\nunterminated", "ends inside a part"},
      {"--XyZ\r\n" + cd + "\r\nx\r\n--XyZ", "ends after a delimiter"},
      {"--XyZ\r\n" + cd, "ends inside a part's headers"},
      {"--XyZjunk\r\n" + cd + "\r\n\r\n--XyZ--", "not followed by CRLF"},
      {"--XyZ\r\ncontent-type: text/plain\r\n\r\nx\r\n--XyZ--", "Content-Disposition"},
      {"--XyZ\r\ncontent-disposition: attachment; name=a\r\n\r\nx\r\n--XyZ--",
       "Content-Disposition"},
      {"--XyZ\r\ncontent-disposition: form-data\r\n\r\nx\r\n--XyZ--", "Content-Disposition"},
      {"--XyZ\r\n" + cd + " folded\r\n\r\nx\r\n--XyZ--", "header line"},
      {"--XyZ\r\nno colon\r\n\r\nx\r\n--XyZ--", "header line"},
      {"--XyZ\r\n" + cd + "content-type: ///\r\n\r\nx\r\n--XyZ--", "Content-Type"},
      {"--XyZ\r\n\r\nx\r\n--XyZ--", "Content-Disposition"},
  };
  for (const auto& [body, error] : rows) {
    CAPTURE(body);
    const auto r = read(body);
    CHECK(r.end == multipart_event_kind::malformed);
    CHECK(r.error.find(error) != std::string::npos);
  }
}

TEST_CASE("multipart: limits") {
  const std::string part = "--XyZ\r\ncontent-disposition: form-data; name=a\r\n\r\nvalue\r\n";
  SUBCASE("parts") {
    std::string body;
    for (int i = 0; i < 4; ++i) body += part;
    body += "--XyZ--";
    CHECK(read_limited(body, {.parts = 4}).end == multipart_event_kind::done);
    const auto r = read_limited(body, {.parts = 3});
    CHECK(r.end == multipart_event_kind::too_large);
    CHECK(r.error == "more than 3 parts");
    CHECK(r.parts.size() == 3);
  }
  SUBCASE("header block, even when its end never comes") {
    const std::string body = part + "--XyZ--";
    const auto block = body.find("\r\n\r\n") + 4 - 7;  // after "--XyZ\r\n"
    CHECK(read_limited(body, {.header_bytes = block}).end == multipart_event_kind::done);
    CHECK(read_limited(body, {.header_bytes = block - 1}).end == multipart_event_kind::too_large);
    multipart_parser p{"XyZ", {.header_bytes = 100}};
    p.feed("--XyZ\r\ncontent-disposition: form-data; name=a\r\nx-pad: ");
    read_result out;
    CHECK(drain(p, out));
    p.feed(std::string(100, 'a'));
    CHECK(!drain(p, out));
    CHECK(out.end == multipart_event_kind::too_large);
  }
  SUBCASE("total bytes, counted as fed") {
    const std::string body = part + "--XyZ--";
    CHECK(read_limited(body, {.total_bytes = body.size()}).end == multipart_event_kind::done);
    const auto r = read_limited(body, {.total_bytes = body.size() - 1});
    CHECK(r.end == multipart_event_kind::too_large);
    CHECK(r.error.find("larger than") != std::string::npos);
  }
}

TEST_CASE("multipart: the parser holds a delimiter's length, not the part") {
  multipart_parser p{"XyZ"};
  p.feed("--XyZ\r\ncontent-disposition: form-data; name=big\r\n\r\n");
  CHECK(p.next().kind == multipart_event_kind::part);
  std::size_t got = 0;
  for (int i = 0; i < 1000; ++i) {
    p.feed(std::string(1000, 'x') + "\r\n--X");  // ends like a delimiter, is not one
    for (auto e = p.next(); e.kind != multipart_event_kind::need_more; e = p.next()) {
      REQUIRE(e.kind == multipart_event_kind::data);
      got += e.data.size();
    }
  }
  CHECK(got >= 1000 * 1005 - 5);
  p.feed("\r\n--XyZ--");
  p.finish();
  auto e = p.next();
  if (e.kind == multipart_event_kind::data) got += e.data.size(), e = p.next();
  CHECK(e.kind == multipart_event_kind::part_end);
  CHECK(got == 1000 * 1005);
  CHECK(p.next().kind == multipart_event_kind::done);
}

TEST_CASE("multipart_boundary: from the Content-Type, checked (RFC 2046 §5.1.1)") {
  CHECK(multipart_boundary("multipart/form-data; boundary=abc") == "abc");
  CHECK(multipart_boundary("Multipart/Form-Data;boundary=\"a b:c\"") == "a b:c");
  CHECK(multipart_boundary("multipart/form-data; boundary=" + std::string(70, 'a')));
  CHECK(!multipart_boundary("multipart/form-data; boundary=" + std::string(71, 'a')));
  CHECK(!multipart_boundary("multipart/form-data"));
  CHECK(!multipart_boundary("multipart/form-data; boundary=\"\""));
  CHECK(!multipart_boundary("multipart/form-data; boundary=\"ends \""));
  CHECK(!multipart_boundary("multipart/form-data; boundary=\"a;b\""));
  CHECK(!multipart_boundary("multipart/mixed; boundary=abc"));
  CHECK(!multipart_boundary("text/plain"));
}

TEST_CASE("parse_form_disposition") {
  multipart_part p;
  CHECK(parse_form_disposition("form-data; name=\"a\\\"b\"; filename=x.png", p));
  CHECK(p.name == "a\"b");
  CHECK(p.filename == "x.png");
  CHECK(parse_form_disposition("FORM-DATA;name=n", p));
  CHECK(p.name == "n");
  CHECK(!p.filename);
  CHECK(!parse_form_disposition("form-data; filename=x", p));
  CHECK(!parse_form_disposition("inline; name=x", p));
  CHECK(!parse_form_disposition("form-data; name", p));
}

TEST_CASE("multipart: any input ends in an event, never a throw") {
  rodeo::test::fuzzer fz{"-XyZ\r\n:;=\" ", {form}};
  for (int i = 0; i < rodeo::test::fuzz_iterations / 4; ++i) {
    const auto in = fz.next();
    multipart_parser p{"XyZ", {.header_bytes = 64, .parts = 4, .total_bytes = 4096}};
    read_result out;
    for (std::size_t at = 0; at < in.size(); at += 5) {
      p.feed(std::string_view{in}.substr(at, 5));
      if (!drain(p, out)) break;
    }
    if (out.end == multipart_event_kind::need_more) {
      p.finish();
      drain(p, out);
    }
    CHECK(out.end != multipart_event_kind::need_more);
  }
}
