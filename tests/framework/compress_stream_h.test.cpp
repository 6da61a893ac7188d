// Response compression: negotiation, what is left alone, the rewritten head, round trips
// through real decoders (zlib, brotli), streamed bodies decodable chunk by chunk.
#include <brotli/decode.h>
#include <doctest/doctest.h>
#include <zlib.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "rodeo/errors.hpp"
#include "rodeo/internal/compress/content_encoder.hpp"
#include "rodeo/internal/stream/stream_chain.hpp"
#include "rodeo/stream_handlers/compress_stream_h.hpp"

using namespace rodeo;

namespace {

// Inflates gzip input incrementally: feed() returns what the bytes so far decode to.
struct gunzip {
  z_stream z{};
  gunzip() { REQUIRE(inflateInit2(&z, 15 + 16) == Z_OK); }
  ~gunzip() { inflateEnd(&z); }
  std::string feed(std::string_view in) {
    std::string out;
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z.avail_in = static_cast<uInt>(in.size());
    char buf[4096];
    do {
      z.next_out = reinterpret_cast<Bytef*>(buf);
      z.avail_out = sizeof buf;
      int rc = inflate(&z, Z_NO_FLUSH);
      REQUIRE((rc == Z_OK || rc == Z_STREAM_END || rc == Z_BUF_ERROR));
      out.append(buf, sizeof buf - z.avail_out);
      if (rc == Z_STREAM_END) ended = true;
    } while (z.avail_out == 0);
    return out;
  }
  bool ended = false;
};

struct unbrotli {
  BrotliDecoderState* s = BrotliDecoderCreateInstance(nullptr, nullptr, nullptr);
  ~unbrotli() { BrotliDecoderDestroyInstance(s); }
  std::string feed(std::string_view in) {
    std::string out;
    std::size_t avail_in = in.size();
    auto next_in = reinterpret_cast<const std::uint8_t*>(in.data());
    for (;;) {
      std::size_t avail_out = 0;
      auto rc = BrotliDecoderDecompressStream(s, &avail_in, &next_in, &avail_out, nullptr, nullptr);
      REQUIRE(rc != BROTLI_DECODER_RESULT_ERROR);
      std::size_t n = 0;
      auto bytes = BrotliDecoderTakeOutput(s, &n);
      out.append(reinterpret_cast<const char*>(bytes), n);
      if (rc == BROTLI_DECODER_RESULT_SUCCESS) ended = true;
      if (rc != BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT) break;
    }
    return out;
  }
  bool ended = false;
};

std::string decode(std::string_view coding, std::string_view data, bool* ended = nullptr) {
  if (coding == "gzip") {
    gunzip g;
    auto out = g.feed(data);
    if (ended) *ended = g.ended;
    return out;
  }
  unbrotli b;
  auto out = b.feed(data);
  if (ended) *ended = b.ended;
  return out;
}

std::string page(std::size_t n) {
  std::string s;
  for (int i = 0; s.size() < n; ++i)
    s += "<li class=\"item\"><a href=\"/item/" + std::to_string(i) + "\">Item " +
         std::to_string(i % 97) + "</a></li>\n";
  s.resize(n);
  return s;
}

struct run {
  request_head head{"GET", "http", "h", "/", "", "HTTP/1.1", {}, {}, false};
  std::vector<command> sent;
  std::unique_ptr<stream_chain> chain;
  explicit run(std::optional<std::string> accept, std::string method = "GET",
               compress_options opts = {}) {
    head.method = std::move(method);
    if (accept) head.fields.emplace_back("accept-encoding", *accept);
    stream_info info{1, &head, "http/1.1", "p", false};
    chain = std::make_unique<stream_chain>(std::vector{compress_stream_h(opts)}, info,
                                           [this](command& c) { sent.push_back(c); });
  }
};

}  // namespace

TEST_CASE("negotiation: the higher quality wins, br at a tie, q=0 refuses, * counts") {
  struct row {
    std::optional<std::string> ae;
    std::string_view want;
  };
  std::vector<row> table{
      {std::nullopt, ""},
      {"", ""},
      {"identity", ""},
      {"gzip", "gzip"},
      {"x-gzip", "gzip"},
      {"br", "br"},
      {"gzip, deflate, br", "br"},
      {"gzip;q=1, br;q=0.5", "gzip"},
      {"br;q=0, gzip", "gzip"},
      {"gzip;q=0, br;q=0", ""},
      {"*", "br"},
      {"*;q=0.5, gzip", "gzip"},
      {"*, br;q=0", "gzip"},
      {"*;q=0", ""},
      {"GZIP", "gzip"},
      {"gzip;q=2", ""},  // malformed: nothing
  };
  for (const auto& r : table) {
    CAPTURE(r.ae.value_or("(none)"));
    CHECK(choose_content_coding(r.ae, {}) == r.want);
  }
  compress_options no_br;
  no_br.brotli = false;
  CHECK(choose_content_coding("br, gzip;q=0.1", no_br) == "gzip");
}

TEST_CASE("what is never compressed") {
  auto big = std::optional<std::size_t>{1000};
  CHECK(compress_refusal(200, {{"content-type", "text/html"}}, big).empty());
  CHECK(compress_refusal(200, {}, std::nullopt).empty());
  CHECK(compress_refusal(404, {}, big).empty());
  CHECK(compress_refusal(204, {}, big) == "status");
  CHECK(compress_refusal(206, {}, big) == "status");
  CHECK(compress_refusal(304, {}, big) == "status");
  CHECK(compress_refusal(103, {}, big) == "status");
  CHECK(compress_refusal(200, {}, 299) == "small");
  CHECK(compress_refusal(200, {{"content-encoding", "gzip"}}, big) == "encoded");
  CHECK(compress_refusal(200, {{"content-encoding", "identity"}}, big).empty());
  CHECK(compress_refusal(200, {{"content-range", "bytes 0-9/99"}}, big) == "range");
  CHECK(compress_refusal(200, {{"cache-control", "public, No-Transform"}}, big) == "no-transform");
  CHECK(compress_refusal(200, {{"cache-control", "max-age=60"}}, big).empty());
  for (auto t : {"image/png", "image/jpeg", "video/mp4", "audio/ogg", "application/zip",
                 "application/gzip", "font/woff2", "application/octet-stream", "IMAGE/WEBP; q=1"}) {
    CAPTURE(t);
    CHECK(compress_refusal(200, {{"content-type", t}}, big) == "type");
  }
  for (auto t : {"text/html; charset=utf-8", "application/json", "image/svg+xml",
                 "text/event-stream", "application/javascript", ""}) {
    CAPTURE(t);
    CHECK(compressible_type(t));
  }
}

TEST_CASE("a full reply is compressed and its head rewritten; both codings round-trip") {
  for (std::string coding : {"gzip", "br"}) {
    CAPTURE(coding);
    run r{coding};
    auto body = page(60'000);
    r.chain->send(cmd::reply{200,
                             {{"content-type", "text/html"},
                              {"content-length", "60000"},
                              {"accept-ranges", "bytes"},
                              {"etag", "\"abc\""},
                              {"vary", "Origin"}},
                             body});
    REQUIRE(r.sent.size() == 1);
    auto& out = std::get<cmd::reply>(r.sent[0]);
    CHECK(out.body.size() < body.size() / 4);
    bool ended = false;
    CHECK(decode(coding, out.body, &ended) == body);
    CHECK(ended);
    CHECK(find_header(out.fields, "content-encoding") == coding);
    CHECK(find_header(out.fields, "vary") == "Origin, accept-encoding");
    CHECK(find_header(out.fields, "etag") == "W/\"abc\"");
    CHECK(!has_header(out.fields, "content-length"));
    CHECK(!has_header(out.fields, "accept-ranges"));
  }
}

TEST_CASE("vary is added once; weak etags stay as they are") {
  run r{"gzip"};
  r.chain->send(cmd::reply{200, {{"vary", "Accept-Encoding"}, {"etag", "W/\"x\""}}, page(400)});
  auto& out = std::get<cmd::reply>(r.sent[0]);
  CHECK(find_header(out.fields, "vary") == "Accept-Encoding");
  CHECK(find_header(out.fields, "etag") == "W/\"x\"");
  run star{"gzip"};
  star.chain->send(cmd::reply{200, {}, page(400)});
  CHECK(find_header(std::get<cmd::reply>(star.sent[0]).fields, "vary") == "accept-encoding");
}

TEST_CASE("left alone: small bodies, refused codings, HEAD, images, 206") {
  auto unchanged = [](run& r, command c) {
    auto before = c;
    r.chain->send(std::move(c));
    REQUIRE(r.sent.size() == 1);
    auto& a = std::get<cmd::reply>(r.sent[0]);
    auto& b = std::get<cmd::reply>(before);
    CHECK(a.body == b.body);
    CHECK(a.fields == b.fields);
  };
  {
    run r{"gzip"};
    unchanged(r, cmd::reply{200, {}, "short"});
  }
  {
    run r{std::nullopt};
    unchanged(r, cmd::reply{200, {}, page(5000)});
  }
  {
    run r{"gzip;q=0"};
    unchanged(r, cmd::reply{200, {}, page(5000)});
  }
  {
    run r{"gzip", "HEAD"};
    CHECK(r.chain->size() == 0);
  }
  {
    run r{"br"};
    unchanged(r, cmd::reply{200, {{"content-type", "image/png"}}, page(5000)});
  }
  {
    run r{"br"};
    unchanged(r, cmd::reply{206, {{"content-range", "bytes 0-4999/9000"}}, page(5000)});
  }
}

TEST_CASE("a streamed body is compressed in flight: every chunk decodes on arrival") {
  for (std::string coding : {"gzip", "br"}) {
    CAPTURE(coding);
    run r{coding};
    r.chain->send(
        cmd::stream_reply{200, {{"content-type", "text/event-stream"}, {"content-length", "100"}}});
    REQUIRE(r.sent.size() == 1);
    auto& head = std::get<cmd::stream_reply>(r.sent[0]);
    CHECK(find_header(head.fields, "content-encoding") == coding);
    CHECK(!has_header(head.fields, "content-length"));
    gunzip g;
    unbrotli b;
    for (int i = 0; i < 3; ++i) {
      std::string event = "data: tick " + std::to_string(i) + "\n\n";
      r.chain->send(cmd::body{event, false});
      auto& data = std::get<cmd::body>(r.sent.back()).data;
      CHECK(!data.empty());
      CHECK((coding == "gzip" ? g.feed(data) : b.feed(data)) == event);
    }
    r.chain->send(cmd::trailers{{{"x-sum", "3"}}});
    // The coded stream is closed before the trailers.
    REQUIRE(r.sent.size() == 6);
    auto& tail = std::get<cmd::body>(r.sent[4]);
    CHECK(!tail.fin);
    CHECK((coding == "gzip" ? g.feed(tail.data) : b.feed(tail.data)).empty());
    CHECK((coding == "gzip" ? g.ended : b.ended));
    CHECK(std::holds_alternative<cmd::trailers>(r.sent[5]));
  }
}

TEST_CASE("a streamed body ended by fin closes the coded stream") {
  run r{"gzip"};
  r.chain->send(cmd::stream_reply{200, {}});
  r.chain->send(cmd::body{"part one, ", false});
  r.chain->send(cmd::body{"part two", true});
  std::string all;
  for (std::size_t i = 1; i < r.sent.size(); ++i) all += std::get<cmd::body>(r.sent[i]).data;
  CHECK(std::get<cmd::body>(r.sent.back()).fin);
  bool ended = false;
  CHECK(decode("gzip", all, &ended) == "part one, part two");
  CHECK(ended);
}

TEST_CASE("options out of range are a usage error") {
  compress_options bad;
  bad.gzip_level = 10;
  CHECK_THROWS_AS(compress_stream_h(bad), usage_error);
}

// Figures quoted in compress_stream_h.hpp:
// RODEO_COMPRESS_BENCH=FILE test_framework -tc='*cost*'
TEST_CASE("the cost of compressing a 60 KB page (printed with RODEO_COMPRESS_BENCH=1)") {
  const char* bench = std::getenv("RODEO_COMPRESS_BENCH");
  if (!bench) return;
  // RODEO_COMPRESS_BENCH=FILE: the first 60 KB of FILE (real text compresses less well than
  // the generated page).
  auto body = page(60'000);
  if (std::FILE* f = std::fopen(bench, "rb")) {
    body.resize(60'000);
    body.resize(std::fread(body.data(), 1, body.size(), f));
    std::fclose(f);
  }
  auto time = [&](auto make) {
    constexpr int rounds = 50;
    std::size_t size = 0;
    auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < rounds; ++i) {
      std::string out;
      make()->encode(body, content_encoder::mode::finish, out);
      size = out.size();
    }
    auto us =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0)
            .count() /
        rounds;
    return std::pair{us, size};
  };
  for (int level : {1, 6, 9}) {
    auto [us, size] = time([&] { return make_gzip_encoder(level); });
    std::printf("gzip %d: %lld us, %zu bytes\n", level, static_cast<long long>(us), size);
  }
  for (int q : {1, 4, 5, 6, 9, 11}) {
    auto [us, size] = time([&] { return make_brotli_encoder(q); });
    std::printf("br %d: %lld us, %zu bytes\n", q, static_cast<long long>(us), size);
  }
}
