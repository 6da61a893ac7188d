#include "rodeo/mw/static/listing.hpp"

#include <doctest/doctest.h>

#include "static/temp_dir.hpp"

using namespace rodeo::mw::static_files;

TEST_CASE("listing escapes names for HTML and links") {
  CHECK(html_escape("<a href='x'>&\"") == "&lt;a href=&#39;x&#39;&gt;&amp;&quot;");
  CHECK(html_escape("plain.txt") == "plain.txt");
  CHECK(encode_segment("a b/c?d#e%f:g") == "a%20b%2Fc%3Fd%23e%25f%3Ag");
  CHECK(encode_segment("\xC3\xA9t\xC3\xA9.txt") == "%C3%A9t%C3%A9.txt");
  CHECK(encode_segment("keep-._~!$()*+,;=@") == "keep-._~!$()*+,;=@");
}

TEST_CASE("listing renders entries with escaped names") {
  const std::vector<listing_entry> entries{{"img", true, 0}, {"a&b <1>.txt", false, 12}};
  CHECK(render_listing("/static/<x>/", entries) ==
        "<!DOCTYPE html>\n"
        "<html><head><meta charset=\"utf-8\"><title>Index of /static/&lt;x&gt;/</title></head>\n"
        "<body><h1>Index of /static/&lt;x&gt;/</h1>\n"
        "<ul>\n"
        "<li><a href=\"../\">../</a></li>\n"
        "<li><a href=\"./img/\">img/</a></li>\n"
        "<li><a href=\"./a%26b%20%3C1%3E.txt\">a&amp;b &lt;1&gt;.txt</a> 12 bytes</li>\n"
        "</ul></body></html>\n");
  CHECK(render_listing("/", {}).find("../") == std::string::npos);
}

TEST_CASE("listing reads a directory, directories first, hiding dotfiles") {
  rodeo::test::temp_dir dir;
  dir.write("b.txt", "bb");
  dir.write("a.txt", "a");
  dir.write(".secret", "x");
  dir.write("push.map", "/x: /y");
  dir.mkdir("zdir");
  const auto entries = read_listing(dir.str(), "push.map");
  REQUIRE(entries.size() == 3);
  CHECK(entries[0].name == "zdir");
  CHECK(entries[0].directory);
  CHECK(entries[1].name == "a.txt");
  CHECK(entries[1].size == 1);
  CHECK(entries[2].name == "b.txt");
  CHECK(entries[2].size == 2);
  CHECK(read_listing(dir.str("missing")).empty());
}
