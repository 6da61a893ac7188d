#include "rodeo/internal/protocol/gathered_output.hpp"

#include "rodeo/internal/protocol/body_queue.hpp"

#include <doctest/doctest.h>

#include <memory>
#include <string>

using rodeo::body_bytes;
using rodeo::gathered_output;

namespace {

std::string flat(const gathered_output& out) {
  std::string s;
  out.copy_to(s);
  return s;
}

}  // namespace

TEST_CASE("gathered_output: text joins, a large shared body is a piece of its own") {
  auto buf = std::make_shared<const std::string>(8192, 'b');
  gathered_output out;
  out.append("head ");
  out.text() += "more ";
  out.append_body(body_bytes::share(buf));
  out.append(" tail");
  REQUIRE(out.pieces() == 3);
  CHECK(out.piece(0) == "head more ");
  CHECK(out.piece_shared(1));
  CHECK(out.piece(1).data() == buf->data());
  CHECK(out.size() == 10 + 8192 + 5);
  CHECK(flat(out) == "head more " + *buf + " tail");
}

TEST_CASE("gathered_output copies small shared bodies and owned ones") {
  auto small = std::make_shared<const std::string>(100, 's');
  gathered_output out;
  out.append_body(body_bytes::share(small));
  out.append_body(body_bytes{std::string(5000, 'o')});
  CHECK(out.pieces() == 1);
  CHECK_FALSE(out.piece_shared(0));
  CHECK(out.size() == 5100);
  CHECK(small.use_count() == 1);
}

TEST_CASE("gathered_output::consume drops written bytes across pieces") {
  auto buf = std::make_shared<const std::string>(4096, 'x');
  gathered_output out;
  out.append("abc");
  out.append_body(body_bytes::share(buf));
  out.append("def");
  out.consume(2);
  CHECK(out.size() == 1 + 4096 + 3);
  CHECK(out.piece(0) == "c");
  out.consume(1 + 4000);
  CHECK(out.size() == 96 + 3);
  CHECK(out.piece(0).data() == buf->data() + 4000);
  out.consume(96);
  CHECK(buf.use_count() == 1);  // the written piece let go of the buffer
  CHECK(flat(out) == "def");
  out.text() += "g";
  CHECK(out.size() == 4);
  out.consume(4);
  CHECK(out.empty());
}

TEST_CASE("gathered_output::splice moves every piece, in order") {
  auto buf = std::make_shared<const std::string>(3000, 'y');
  gathered_output a, b;
  a.append("1");
  b.append("2");
  b.append_body(body_bytes::share(buf));
  b.append("3");
  a.splice(b);
  CHECK(b.empty());
  CHECK(a.size() == 3 + 3000);
  CHECK(flat(a) == "12" + *buf + "3");
  gathered_output c;
  c.splice(a);
  CHECK(c.size() == 3 + 3000);
  CHECK(a.empty());
  c.append("4");
  CHECK(flat(c) == "12" + *buf + "34");
}

TEST_CASE("body_queue joins owned chunks, keeps shared and large bodies as pieces") {
  rodeo::body_queue q;
  q.push(std::string("ab"));
  q.push(std::string("cd"));
  CHECK(q.front() == "abcd");  // small streamed chunks fill one frame
  auto buf = std::make_shared<const std::string>(4000, 'z');
  q.push(body_bytes::share(buf));
  q.push(std::string("ef"));
  CHECK(q.size() == 4 + 4000 + 2);
  q.consume(4);
  CHECK(q.front_shared());
  CHECK(q.front().data() == buf->data());
  CHECK(q.front_body(10).data() == buf->data());
  q.consume(4000);
  CHECK(q.front() == "ef");
  CHECK(buf.use_count() == 1);

  std::string big(20000, 'b');
  const char* bytes = big.data();
  q.push(std::move(big));  // large owned: made shared, not copied
  q.consume(2);
  CHECK(q.front_shared());
  CHECK(q.front().data() == bytes);
  q.clear();
  CHECK(q.size() == 0);
}
