#include "rodeo/http/accept.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "http/fuzz.hpp"

using namespace rodeo::http;
using namespace std::string_literals;

namespace {

media_range mr(std::string type, std::string subtype, int q = 1000, header_params params = {},
               header_params ext = {}) {
  return {std::move(type), std::move(subtype), std::move(params), q, std::move(ext)};
}

using tokens = std::vector<weighted_token>;

bool is_lower(const std::string& s) {
  for (char c : s)
    if (c >= 'A' && c <= 'Z') return false;
  return true;
}

}  // namespace

TEST_CASE("RFC 9110 §12.5.1: accept q-values order the media ranges") {
  CHECK(parse_accept("audio/*; q=0.2, audio/basic") ==
        std::vector{mr("audio", "basic"), mr("audio", "*", 200)});
  CHECK(parse_accept("text/plain; q=0.5, text/html, text/x-dvi; q=0.8, text/x-c") ==
        std::vector{mr("text", "html"), mr("text", "x-c"), mr("text", "x-dvi", 800),
                    mr("text", "plain", 500)});
}

TEST_CASE("RFC 9110 §12.5.1: among equal q-values the more specific range comes first") {
  CHECK(parse_accept("text/*, text/html, text/html;level=1, */*") ==
        std::vector{mr("text", "html", 1000, {{"level", "1"}}), mr("text", "html"), mr("text", "*"),
                    mr("*", "*")});
  CHECK(parse_accept("text/*;q=0.3, text/html;q=0.7, text/html;level=1, "
                     "text/html;level=2;q=0.4, */*;q=0.5") ==
        std::vector{mr("text", "html", 1000, {{"level", "1"}}), mr("text", "html", 700),
                    mr("*", "*", 500), mr("text", "html", 400, {{"level", "2"}}),
                    mr("text", "*", 300)});
  // Otherwise header order is kept.
  CHECK(parse_accept("image/png, application/json, text/html") ==
        std::vector{mr("image", "png"), mr("application", "json"), mr("text", "html")});
}

TEST_CASE("RFC 9110 §12.5.1: accept parameters, q and extensions") {
  CHECK(parse_accept("text/html;level=1;quoted=\"hi hi hi\";q=0.123;standalone;complex=gits, "
                     "text/plain") ==
        std::vector{mr("text", "plain"),
                    mr("text", "html", 123, {{"level", "1"}, {"quoted", "hi hi hi"}},
                       {{"standalone", ""}, {"complex", "gits"}})});
  CHECK(parse_accept("Text/HTML;Level=One;Q=0.5") ==
        std::vector{mr("text", "html", 500, {{"level", "One"}})});
  CHECK(parse_accept("a/b;p=\"q\\\"uote\"") == std::vector{mr("a", "b", 1000, {{"p", "q\"uote"}})});
  // RFC 9110 §5.6.6: empty parameters.
  CHECK(parse_accept("text/html;;level=1;") ==
        std::vector{mr("text", "html", 1000, {{"level", "1"}})});
  CHECK(parse_accept("a/b ; q=0.5 ; x") == std::vector{mr("a", "b", 500, {}, {{"x", ""}})});
}

TEST_CASE("RFC 9110 §12.4.2: qvalues are thousandths with at most three decimals") {
  const std::vector<std::pair<std::string, int>> rows = {
      {"1", 1000},  {"1.", 1000}, {"1.0", 1000}, {"1.000", 1000}, {"0", 0},    {"0.", 0},
      {"0.5", 500}, {"0.05", 50}, {"0.001", 1},  {"0.999", 999},  {".2", 200}, {".25", 250},
  };
  for (const auto& [q, v] : rows) {
    CAPTURE(q);
    CHECK(parse_accept("a/b;q=" + q) == std::vector{mr("a", "b", v)});
    CHECK(parse_accept_encoding("gzip;q=" + q) == tokens{{"gzip", v}});
  }
  for (std::string_view q :
       {"", "2", "1.5", "1.0001", "0.1234", "-1", "x", ".", ".1234", "0.5x", "01"}) {
    CAPTURE(q);
    CHECK_FALSE(parse_accept("a/b;q=" + std::string{q}).has_value());
    CHECK_FALSE(parse_accept_encoding("gzip;q=" + std::string{q}).has_value());
  }
}

TEST_CASE("RFC 9110 §12.5.1: accept takes what Cowboy takes from broken user agents") {
  CHECK(parse_accept("text/html, image/gif, image/jpeg, *; q=.2, */*; q=.2") ==
        std::vector{mr("text", "html"), mr("image", "gif"), mr("image", "jpeg"), mr("*", "*", 200),
                    mr("*", "*", 200)});
  CHECK(parse_accept("*") == std::vector{mr("*", "*")});
}

TEST_CASE("RFC 9110 §5.6.1.2: empty accept lists and empty elements") {
  CHECK(parse_accept("") == std::vector<media_range>{});
  CHECK(parse_accept("   ") == std::vector<media_range>{});
  CHECK(parse_accept(" , ,") == std::vector<media_range>{});
  CHECK(parse_accept(",a/b,, c/d ,") == std::vector{mr("a", "b"), mr("c", "d")});
}

TEST_CASE("RFC 9110 §12.5.1: malformed accept values are nullopt") {
  for (std::string_view bad :
       {"audio/basic, */;q=0.5", "audio/, audio/basic", "aud\tio/basic", "*/html", "text", "/html",
        "a/b/c", "text/html x", "text/html;charset", "text/html;=x", "text/html;a=\"open",
        "text/html;a=", "text/html;a= b", "text/html;a=b c", "a/b;q=0.5;x=\"open", "a/b;q=0.5;=1",
        "a/b, ;", "text/html\x80", "a/b;p=\"\x01\""}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_accept(bad).has_value());
  }
  CHECK_FALSE(parse_accept("audio/basic;t=\"zero \\\0 woo\""s).has_value());
}

TEST_CASE("RFC 9110 §12.5.2: accept-charset tokens and weights") {
  CHECK(parse_accept_charset("iso-8859-5, unicode-1-1;q=0.8") ==
        tokens{{"iso-8859-5", 1000}, {"unicode-1-1", 800}});
  // Some user agents put ';' where ',' belongs: Cowboy reads on.
  CHECK(parse_accept_charset("ISO-8859-1;utf-8;q=0.7,*;q=0.7") ==
        tokens{{"iso-8859-1", 1000}, {"utf-8", 700}, {"*", 700}});
  CHECK(parse_accept_charset("utf-8;") == tokens{{"utf-8", 1000}});
  for (std::string_view bad : {"", " ", ",,", "utf 8", "utf-8;q=2", "\"utf-8\"", "utf-8;q=0.5;x"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_accept_charset(bad).has_value());
  }
}

TEST_CASE("RFC 9110 §12.5.3: accept-encoding may be empty and sorts by weight") {
  CHECK(parse_accept_encoding("") == tokens{});
  CHECK(parse_accept_encoding(" , ") == tokens{});
  CHECK(parse_accept_encoding("*") == tokens{{"*", 1000}});
  CHECK(parse_accept_encoding("compress, gzip") == tokens{{"compress", 1000}, {"gzip", 1000}});
  CHECK(parse_accept_encoding("compress;q=0.5, gzip;q=1.0") ==
        tokens{{"gzip", 1000}, {"compress", 500}});
  CHECK(parse_accept_encoding("gzip;q=1.0, identity; q=0.5, *;q=0") ==
        tokens{{"gzip", 1000}, {"identity", 500}, {"*", 0}});
  CHECK(parse_accept_encoding("br;Q=0.9 ,GZIP") == tokens{{"gzip", 1000}, {"br", 900}});
  // The ';'-for-',' leniency reads a bare "q" as the next coding, as Cowboy does.
  CHECK(parse_accept_encoding("gzip;q") == tokens{{"gzip", 1000}, {"q", 1000}});
  for (std::string_view bad :
       {"gzip q=1", "gz/ip", "gzip;q=", "gzip,\"x\"", "gzip;q=0.5;level=1", "gzip;q=0.5 x"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_accept_encoding(bad).has_value());
  }
}

TEST_CASE("RFC 9110 §12.5.4: accept-language ranges are lowercased and sorted stably") {
  CHECK(parse_accept_language("da, en-gb;q=0.8, en;q=0.7") ==
        tokens{{"da", 1000}, {"en-gb", 800}, {"en", 700}});
  CHECK(parse_accept_language("en, en-US, en-cockney, i-cherokee, x-pig-latin, es-419") ==
        tokens{{"en", 1000},
               {"en-us", 1000},
               {"en-cockney", 1000},
               {"i-cherokee", 1000},
               {"x-pig-latin", 1000},
               {"es-419", 1000}});
  CHECK(parse_accept_language("fr;q=0.5, de, en;q=0.5, it") ==
        tokens{{"de", 1000}, {"it", 1000}, {"fr", 500}, {"en", 500}});
  CHECK(parse_accept_language("*;q=0.1, zh-Hant-TW") == tokens{{"zh-hant-tw", 1000}, {"*", 100}});
  CHECK(parse_accept_language("abcdefgh-12345678") == tokens{{"abcdefgh-12345678", 1000}});
  for (std::string_view bad : {"", "loooooong", "en-us-loooooong", "419-en-us", "en-", "en--us",
                               "en_US", "*-us", "-en", "en-us-", "e\xc3\xa9"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_accept_language(bad).has_value());
  }
}

TEST_CASE("RFC 9110 §12.5: accept header fuzz never throws and results are well formed") {
  rodeo::test::fuzzer fuzz{
      "ab*/;,= q.01\"\\-\t",
      {"text/*;q=0.3, text/html;q=0.7, */*;q=0.5", "gzip;q=1.0, identity; q=0.5",
       "da, en-gb;q=0.8, en;q=0.7", "a/b;p=\"x y\";q=.5;e"}};
  for (int i = 0; i < rodeo::test::fuzz_iterations; ++i) {
    const auto in = fuzz.next();
    CAPTURE(in);
    std::optional<std::vector<media_range>> ranges;
    REQUIRE_NOTHROW(ranges = parse_accept(in));
    if (ranges) {
      for (std::size_t k = 0; k < ranges->size(); ++k) {
        const auto& m = (*ranges)[k];
        REQUIRE(!m.type.empty());
        REQUIRE(!m.subtype.empty());
        REQUIRE(is_lower(m.type));
        REQUIRE(is_lower(m.subtype));
        REQUIRE((m.quality >= 0 && m.quality <= 1000));
        if (k > 0) REQUIRE((*ranges)[k - 1].quality >= m.quality);
      }
    }
    for (auto parse : {parse_accept_charset, parse_accept_encoding, parse_accept_language}) {
      std::optional<tokens> ts;
      REQUIRE_NOTHROW(ts = parse(in));
      if (!ts) continue;
      for (std::size_t k = 0; k < ts->size(); ++k) {
        REQUIRE(!(*ts)[k].value.empty());
        REQUIRE(is_lower((*ts)[k].value));
        if (k > 0) REQUIRE((*ts)[k - 1].quality >= (*ts)[k].quality);
      }
    }
  }
}
