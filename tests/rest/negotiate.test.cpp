#include "rodeo/rest/negotiate.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace rodeo::rest;
namespace http = rodeo::http;

namespace {
std::optional<std::size_t> media(const std::vector<std::string>& offers, const char* accept) {
  return choose_media_type(offers, http::parse_accept(accept));
}
std::optional<std::size_t> lang(const std::vector<std::string>& offers, const char* accept) {
  return choose_language(offers, http::parse_accept_language(accept));
}
}  // namespace

TEST_CASE("negotiate: media types") {
  const std::vector<std::string> offers{"application/json", "text/html", "text/plain"};
  CHECK(choose_media_type(offers, std::nullopt) == 0u);
  CHECK(choose_media_type({}, std::nullopt) == std::nullopt);
  CHECK(media(offers, "text/plain") == 2u);
  CHECK(media(offers, "text/*") == 1u);                 // the server's order among equals
  CHECK(media(offers, "text/plain, text/html") == 2u);  // the client's order among equals
  CHECK(media(offers, "text/*;q=0.9, application/json;q=0.8") == 1u);
  CHECK(media(offers, "*/*;q=0.1, text/plain") == 2u);
  CHECK(media(offers, "*/*, application/json;q=0, text/html;q=0") == 2u);
  CHECK(media(offers, "image/*") == std::nullopt);
  CHECK(media(offers, "application/json;q=0") == std::nullopt);
  CHECK(media(offers, "") == std::nullopt);
}

TEST_CASE("negotiate: languages by RFC 4647 basic filtering") {
  const std::vector<std::string> offers{"en", "en-gb", "fr"};
  CHECK(lang(offers, "en-gb") == 1u);
  CHECK(lang(offers, "en") == 0u);
  CHECK(lang({"en-gb"}, "en") == 0u);  // "en" covers "en-gb"
  CHECK(lang({"eng"}, "en") == std::nullopt);
  CHECK(lang(offers, "de, *;q=0.1") == 0u);
  CHECK(lang(offers, "fr;q=0.5, en;q=0.4") == 2u);
  CHECK(lang(offers, "*, en;q=0, en-gb;q=0") == 2u);
}

TEST_CASE("negotiate: charsets") {
  const std::vector<std::string> offers{"utf-8", "iso-8859-1"};
  CHECK(choose_charset(offers, std::nullopt) == 0u);
  CHECK(choose_charset(offers, http::parse_accept_charset("iso-8859-1, utf-8;q=0.5")) == 1u);
  CHECK(choose_charset(offers, http::parse_accept_charset("*;q=0.5, utf-8;q=0")) == 1u);
  CHECK(choose_charset(offers, http::parse_accept_charset("koi8-r")) == std::nullopt);
}

TEST_CASE("negotiate: an accepted pattern covers a content type") {
  CHECK(media_type_covers("application/json", "application", "json"));
  CHECK_FALSE(media_type_covers("application/json", "application", "xml"));
  CHECK(media_type_covers("application/*", "application", "xml"));
  CHECK_FALSE(media_type_covers("text/*", "application", "xml"));
  CHECK(media_type_covers("*/*", "image", "png"));
}
