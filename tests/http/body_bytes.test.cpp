#include "rodeo/body_bytes.hpp"

#include <doctest/doctest.h>

#include <memory>
#include <string>

using rodeo::body_bytes;

TEST_CASE("body_bytes owns a string moved in, without copying it") {
  std::string s(1000, 'x');
  const char* bytes = s.data();
  body_bytes b{std::move(s)};
  CHECK_FALSE(b.shared());
  CHECK(b.size() == 1000);
  CHECK(b.data() == bytes);
  CHECK(std::move(b).take().data() == bytes);
}

TEST_CASE("body_bytes shares a buffer: views and substrings point into it") {
  auto buf = std::make_shared<const std::string>(5000, 'c');
  auto b = body_bytes::share(buf);
  CHECK(b.shared());
  CHECK(b.data() == buf->data());
  CHECK(b.size() == 5000);
  CHECK(buf.use_count() == 2);

  auto part = b.substr(100, 50);
  CHECK(part.shared());
  CHECK(part.data() == buf->data() + 100);
  CHECK(part.size() == 50);
  CHECK(buf.use_count() == 3);

  auto copy = b;  // a copy of the body, not of the bytes
  CHECK(copy.data() == buf->data());
  CHECK(buf.use_count() == 4);
}

TEST_CASE("body_bytes: taking or appending to a shared body copies, the buffer stays intact") {
  auto buf = std::make_shared<const std::string>("immutable");
  auto b = body_bytes::share(buf, std::string_view{*buf}.substr(2));
  b.append("!");
  CHECK_FALSE(b.shared());
  CHECK(b == "mutable!");
  CHECK(*buf == "immutable");
  CHECK(buf.use_count() == 1);

  auto c = body_bytes::share(buf);
  CHECK(std::move(c).take() == "immutable");
}

TEST_CASE("body_bytes: += appends like a string's, to owned and shared bodies alike") {
  body_bytes owned = "Hello";
  (owned += ", ") += "world";
  CHECK(owned == "Hello, world");

  auto buf = std::make_shared<const std::string>("shared");
  auto b = body_bytes::share(buf);
  b += std::string{" bytes"};
  CHECK(b == "shared bytes");
  CHECK_FALSE(b.shared());
  CHECK(*buf == "shared");
}

TEST_CASE("body_bytes converts from the types handlers reply with") {
  body_bytes from_literal = "hi";
  body_bytes from_string = std::string{"hi"};
  CHECK(from_literal == from_string);
  CHECK(from_literal == std::string{"hi"});
  CHECK(from_literal == std::string_view{"hi"});
  CHECK(body_bytes{}.empty());
  CHECK_FALSE(body_bytes::share(nullptr).shared());
}
