#include "test_handlers.hpp"

#include "push_handlers.hpp"

#include <caf/event_based_actor.hpp>

#include <cstdio>
#include <map>
#include <mutex>
#include <thread>

namespace live {

namespace {

std::mutex stats_mutex;  // handlers on several CAF workers bump the counters
std::map<std::string, int> stats;

using rodeo::handler_result;
using rodeo::req;

const rodeo::headers text = {{"content-type", "text/plain"}};

// POST /echo: the whole body back, with its length.
struct echo_h : rodeo::handler_base {
  handler_result init(req& r) override {
    r.read_body([](req& r2, std::string body) {
      auto length = std::to_string(body.size());  // before the body is moved away
      r2.reply(200, {{"content-type", "application/octet-stream"}, {"x-body-length", length}},
               std::move(body));
    });
    return handler_result::ok;
  }
};

// POST /count: reads chunk by chunk, answers with the number of bytes and chunks.
struct count_h : rodeo::handler_base {
  std::size_t bytes = 0, chunks = 0;
  handler_result init(req& r) override {
    r.read_body_chunks([this](req& r2, std::string_view chunk, bool fin) {
      bytes += chunk.size();
      ++chunks;
      if (fin) r2.reply(200, text, std::to_string(bytes) + " bytes");
    });
    return handler_result::ok;
  }
};

// GET /sleep/:ms: blocks its worker for ms milliseconds (two of them on one connection must
// run at the same time: each request has its own actor).
struct sleep_h : rodeo::handler_base {
  handler_result init(req& r) override {
    auto ms = r.binding<std::int64_t>("ms");
    count("sleep_started");  // tests wait for this rather than for a guessed delay
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
    r.reply(200, text, "slept " + std::to_string(ms));
    return handler_result::ok;
  }
};

// GET /crash: throws before replying -> 500.
struct crash_h : rodeo::handler_base {
  handler_result init(req&) override { throw std::runtime_error("crash_h always throws"); }
  void terminate(rodeo::terminate_reason why, req&) override {
    count(std::string{"crash_terminate_"} + std::string{to_string(why)});
  }
};

// GET /crash-streaming: starts a streamed reply, then throws -> the stream is reset.
struct crash_streaming_h : rodeo::handler_base {
  handler_result init(req& r) override {
    r.stream_reply(200, text);
    r.stream_body("partial ");
    throw std::runtime_error("crash_streaming_h throws mid-stream");
  }
};

// GET /crash-after-reply: replies 200 with 200000 bytes (more than the HTTP/2 initial window),
// then throws -> the complete reply still reaches the client.
struct crash_after_reply_h : rodeo::handler_base {
  handler_result init(req& r) override {
    r.reply(200, text, std::string(200000, 'r'));
    throw std::runtime_error("crash_after_reply_h throws after a complete reply");
  }
};

// GET /stream: a chunked/streamed body with trailers.
struct stream_h : rodeo::handler_base {
  handler_result init(req& r) override {
    r.stream_reply(200, {{"content-type", "text/plain"}, {"trailer", "x-checksum"}});
    for (int i = 0; i < 5; ++i) r.stream_body("chunk" + std::to_string(i) + "\n");
    r.stream_trailers({{"x-checksum", "five"}});
    return handler_result::ok;
  }
};

// GET /inform: 103 Early Hints, then the page.
struct inform_h : rodeo::handler_base {
  handler_result init(req& r) override {
    r.inform(103, {{"link", "</style.css>; rel=preload; as=style"}});
    r.reply(200, text, "after hints");
    return handler_result::ok;
  }
};

// GET /noreply: returns without replying -> 204.
struct noreply_h : rodeo::handler_base {
  handler_result init(req&) override { return handler_result::ok; }
};

// GET /big/:n: n bytes of a repeating pattern.
struct big_h : rodeo::handler_base {
  handler_result init(req& r) override {
    auto n = static_cast<std::size_t>(r.binding<std::int64_t>("n"));
    std::string body(n, 'x');
    for (std::size_t i = 0; i < n; ++i) body[i] = static_cast<char>('a' + i % 26);
    r.reply(200, {{"content-type", "application/octet-stream"}}, std::move(body));
    return handler_result::ok;
  }
};

// GET /text/:n: n bytes of HTML-like text (compressible), with a strong ETag.
struct text_h : rodeo::handler_base {
  handler_result init(req& r) override {
    auto n = static_cast<std::size_t>(r.binding<std::int64_t>("n"));
    std::string body;
    for (int i = 0; body.size() < n; ++i) body += "<p>line " + std::to_string(i) + "</p>\n";
    body.resize(n);
    r.reply(200, {{"content-type", "text/html"}, {"etag", "\"t" + std::to_string(n) + "\""}},
            std::move(body));
    return handler_result::ok;
  }
};

// GET /hang: a loop handler that never replies on its own; a client reset must end it
// (terminate(reset) is counted).
struct hang_h : rodeo::handler_base {
  handler_result init(req&) override {
    count("hang_started");
    return handler_result::loop;
  }
  void terminate(rodeo::terminate_reason why, req&) override {
    count(std::string{"hang_terminate_"} + std::string{to_string(why)});
  }
};

// GET /wait/:ms: a loop handler answered by a message it sends itself after ms.
struct wait_h : rodeo::handler_base {
  handler_result init(req& r) override {
    auto ms = r.binding<std::int64_t>("ms");
    r.self()->delayed_send(r.self(), std::chrono::milliseconds(ms), std::string{"wake"});
    return handler_result::loop;
  }
  handler_result info(const caf::message& m, req& r) override {
    if (m.match_elements<std::string>()) r.reply(200, text, "woke " + m.get_as<std::string>(0));
    return handler_result::ok;
  }
};

// GET /firehose/:kib: a streamed body that never ends, one piece of kib KiB per message the
// handler sends itself, without waiting for drains: stream_body's own back-pressure must
// keep the server's memory bounded when the client does not read.
struct firehose_h : rodeo::handler_base {
  std::string piece;
  handler_result init(req& r) override {
    piece.assign(static_cast<std::size_t>(r.binding<std::int64_t>("kib")) * 1024, 'f');
    count("firehose_started");
    r.stream_reply(200, {{"content-type", "application/octet-stream"}});
    r.self()->send(r.self(), std::string{"more"});
    return handler_result::loop;
  }
  handler_result info(const caf::message&, req& r) override {
    r.stream_body(piece);
    r.self()->send(r.self(), std::string{"more"});
    return handler_result::loop;
  }
  void terminate(rodeo::terminate_reason why, req&) override {
    count(std::string{"firehose_terminate_"} + std::string{to_string(why)});
  }
};

// GET /ticks: server-sent events, one "tick" per 50 ms until the listener stops; on the
// graceful stop a last "bye" event, then the framework ends the stream. Prints how it ended on
// stdout ("ticks terminate: <reason>"), which the test reads once the server exited.
struct ticks_h : rodeo::handler_base {
  handler_result init(req& r) override {
    r.stream_reply(200, {{"content-type", "text/event-stream"}});
    r.stream_body("data: tick\n\n");
    r.self()->delayed_send(r.self(), std::chrono::milliseconds(50), std::string{"tick"});
    return handler_result::loop;
  }
  handler_result info(const caf::message&, req& r) override {
    r.stream_body("data: tick\n\n");
    r.self()->delayed_send(r.self(), std::chrono::milliseconds(50), std::string{"tick"});
    return handler_result::loop;
  }
  void on_shutdown(req& r) override { r.stream_body("data: bye\n\n"); }
  void terminate(rodeo::terminate_reason why, req&) override {
    std::printf("ticks terminate: %s\n", std::string{to_string(why)}.c_str());
    std::fflush(stdout);
  }
};

// GET /stats: the counters as JSON.
struct stats_h : rodeo::handler_base {
  handler_result init(req& r) override {
    r.reply(200, {{"content-type", "application/json"}},
            "{\"counters\":" + stats_json() + ",\"push\":" + push_metrics_json() +
                ",\"quic\":" + quic_metrics_json() + "}");
    return handler_result::ok;
  }
};

// GET /headers: the request's header fields and attributes, one per line.
struct headers_h : rodeo::handler_base {
  handler_result init(req& r) override {
    std::string out = "method=" + r.method() + "\nscheme=" + r.scheme() + "\nhost=" + r.host() +
                      "\nport=" + std::to_string(r.port()) + "\npath=" + r.path() +
                      "\nqs=" + r.qs() + "\nversion=" + r.version() +
                      "\nstream=" + std::to_string(r.stream()) + "\n";
    for (const auto& [n, v] : r.headers()) out += n + ": " + v + "\n";
    r.reply(200, text, out);
    return handler_result::ok;
  }
};

}  // namespace

void count(const std::string& name) {
  std::lock_guard<std::mutex> g{stats_mutex};
  ++stats[name];
}

namespace {
const rodeo::quic_metrics* quic = nullptr;
}  // namespace

void set_quic_metrics(const rodeo::quic_metrics* m) { quic = m; }

std::string quic_metrics_json() {
  if (!quic) return "{}";
  return "{\"retries\":" + std::to_string(quic->retries.load()) +
         ",\"invalid_tokens\":" + std::to_string(quic->invalid_tokens.load()) +
         ",\"validated\":" + std::to_string(quic->validated.load()) + "}";
}

std::string stats_json() {
  std::lock_guard<std::mutex> g{stats_mutex};
  std::string out = "{";
  for (const auto& [k, v] : stats)
    out += (out.size() > 1 ? "," : "") + ("\"" + k + "\":" + std::to_string(v));
  return out + "}";
}

std::vector<rodeo::router::path_rule> routes() {
  using rodeo::router::int_c;
  return {
      {"/sleep/:ms", {{"ms", int_c}}, rodeo::handler<sleep_h>()},
      {"/wait/:ms", {{"ms", int_c}}, rodeo::handler<wait_h>()},
      {"/big/:n", {{"n", int_c}}, rodeo::handler<big_h>()},
      {"/echo", rodeo::handler<echo_h>()},
      {"/count", rodeo::handler<count_h>()},
      {"/crash", rodeo::handler<crash_h>()},
      {"/crash-streaming", rodeo::handler<crash_streaming_h>()},
      {"/crash-after-reply", rodeo::handler<crash_after_reply_h>()},
      {"/stream", rodeo::handler<stream_h>()},
      {"/text/:n", {{"n", int_c}}, rodeo::handler<text_h>()},
      {"/inform", rodeo::handler<inform_h>()},
      {"/noreply", rodeo::handler<noreply_h>()},
      {"/hang", rodeo::handler<hang_h>()},
      {"/firehose/:kib", {{"kib", int_c}}, rodeo::handler<firehose_h>()},
      {"/stats", rodeo::handler<stats_h>()},
      {"/ticks", rodeo::handler<ticks_h>()},
      {"/ticks-by-method", rodeo::methods{.get = rodeo::handler<ticks_h>()}},
      {"/headers", rodeo::handler<headers_h>()},
  };
}

}  // namespace live
