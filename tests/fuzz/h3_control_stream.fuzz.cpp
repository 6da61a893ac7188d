// The HTTP/3 push layer's stream readers (framework/rodeo/internal/protocol/http3/push):
// control_stream_filter (server side, a client's unidirectional streams), request_stream_filter
// and push_stream_reader (client side, response streams and server-initiated unidirectional
// streams), each fed the same stream bytes twice: whole, and in chunks whose sizes come from the
// input. A reader is a state machine over a byte stream, so where the reads are cut must not
// matter: the two runs must pass on the same bytes, remove the same count, report the same
// events and stop on the same error. The filters must also account for every byte (fed = passed
// on + removed + held) while they have not failed.
//
// Input: byte 0 picks the reader (low two bits: 0 control, 1 request stream, 2 push stream, 3
// control again) and options (0x04: the client sent MAX_PUSH_ID, byte 1 is its value; 0x08:
// limits of 64 bytes instead of 64 KiB on held promises and field sections; 0x10: no FIN on a
// push stream). Byte 2: how many chunk-size bytes follow (0 to 7; none: one byte at a time);
// they are used in turn, over and over (a size of 0 is an empty read). The rest is the stream,
// from its first byte (a unidirectional stream's type included).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <span>
#include <vector>

#include "rodeo/internal/protocol/http3/push/control_stream_filter.hpp"
#include "rodeo/internal/protocol/http3/push/field_decoder.hpp"
#include "rodeo/internal/protocol/http3/push/push_stream_reader.hpp"
#include "rodeo/internal/protocol/http3/push/request_stream_filter.hpp"

namespace {

using namespace rodeo::http3::push;
using bytes = std::span<const std::uint8_t>;

struct options {
  int reader = 0;
  std::optional<std::uint64_t> max_push_id;
  std::size_t limit = 64 * 1024;
  bool fin = true;
  std::vector<std::size_t> chunks;  // empty: the whole stream in one read
};

[[noreturn]] void broken(const char* what) {
  std::fprintf(stderr, "contract broken: %s\n", what);
  std::abort();
}

// Calls read(piece, last) for each piece of `in` cut as `chunks` says (empty: one piece), at
// least once (an empty stream is one empty last read).
template <class Read>
void cut(bytes in, const std::vector<std::size_t>& chunks, Read read) {
  if (chunks.empty()) return read(in, true);
  bool progress = false;
  for (auto n : chunks) progress = progress || n > 0;
  std::size_t i = 0;
  do {
    std::size_t n = progress ? std::min(chunks[i++ % chunks.size()], in.size()) : 1;
    n = std::min(n, in.size());
    read(in.first(n), n == in.size());
    in = in.subspan(n);
  } while (!in.empty());
}

struct control_run {
  std::vector<std::uint8_t> out;
  std::size_t removed = 0;
  std::vector<control_event> events;
  std::optional<h3_error> error;
  std::optional<std::uint64_t> max_push_id;
  bool is_control = false;
  bool operator==(const control_run&) const = default;
};

control_run run_control(bytes in, const std::vector<std::size_t>& chunks) {
  control_run run;
  control_stream_filter filter;
  std::size_t fed = 0;
  cut(in, chunks, [&](bytes piece, bool) {
    auto r = filter.feed(piece, run.out);
    fed += piece.size();
    run.removed += r.removed;
    run.events.insert(run.events.end(), r.events.begin(), r.events.end());
    if (!run.error && r.error != filter.error())
      broken("control: result and filter disagree on the error");
    if (r.error) run.error = r.error;
    if (!run.error && fed != run.out.size() + run.removed + filter.held())
      broken("control: fed != passed + removed + held");
  });
  run.max_push_id = filter.max_push_id();
  run.is_control = filter.is_control();
  return run;
}

struct request_run {
  std::vector<std::uint8_t> out;
  std::size_t removed = 0;
  std::vector<promise> promises;
  std::optional<h3_error> error;
  bool operator==(const request_run&) const = default;
};

request_run run_request(bytes in, const options& o, const std::vector<std::size_t>& chunks) {
  request_run run;
  field_decoder decoder;
  request_stream_filter filter{decoder, o.max_push_id, o.limit};
  std::size_t fed = 0;
  cut(in, chunks, [&](bytes piece, bool) {
    auto r = filter.feed(piece, run.out);
    fed += piece.size();
    run.removed += r.removed;
    for (auto& p : r.promises) run.promises.push_back(std::move(p));
    if (r.error) run.error = r.error;
    if (!run.error && fed != run.out.size() + run.removed + filter.held())
      broken("request: fed != passed + removed + held");
  });
  return run;
}

struct push_run {
  std::vector<std::uint8_t> out;
  std::vector<push_stream_event> events;  // consecutive data pieces joined
  std::optional<h3_error> error;
  std::optional<bool> is_push;
  std::optional<std::uint64_t> push_id;
  bool operator==(const push_run& o) const {
    auto same = [](const push_stream_event& a, const push_stream_event& b) {
      return a.what == b.what && a.push_id == b.push_id && a.fields == b.fields && a.data == b.data;
    };
    return out == o.out &&
           std::equal(events.begin(), events.end(), o.events.begin(), o.events.end(), same) &&
           error == o.error && is_push == o.is_push && push_id == o.push_id;
  }
};

push_run run_push(bytes in, const options& o, const std::vector<std::size_t>& chunks) {
  push_run run;
  field_decoder decoder{o.limit};
  push_stream_reader reader{decoder, o.max_push_id, o.limit};
  cut(in, chunks, [&](bytes piece, bool last) {
    auto r = reader.feed(piece, o.fin && last, run.out);
    for (auto& e : r.events) {
      if (e.what == push_stream_event::kind::data && e.data.empty())
        broken("push: an empty data event");
      if (e.what == push_stream_event::kind::data && !run.events.empty() &&
          run.events.back().what == push_stream_event::kind::data)
        run.events.back().data += e.data;
      else
        run.events.push_back(std::move(e));
    }
    if (r.error) run.error = r.error;
  });
  run.is_push = reader.is_push();
  run.push_id = reader.push_id();
  return run;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 3) return 0;
  options o;
  o.reader = data[0] & 3;
  if (data[0] & 0x04) o.max_push_id = data[1];
  if (data[0] & 0x08) o.limit = 64;
  o.fin = !(data[0] & 0x10);
  std::size_t n = data[2] % 8;
  if (size < 3 + n) return 0;
  std::vector<std::size_t> chunks(data + 3, data + 3 + n);
  if (chunks.empty()) chunks.push_back(1);
  bytes stream{data + 3 + n, size - 3 - n};

  switch (o.reader) {
    case 1:
      if (run_request(stream, o, {}) != run_request(stream, o, chunks))
        broken("request_stream_filter: chunked reads differ from one read");
      break;
    case 2:
      if (run_push(stream, o, {}) != run_push(stream, o, chunks))
        broken("push_stream_reader: chunked reads differ from one read");
      break;
    default:
      if (run_control(stream, {}) != run_control(stream, chunks))
        broken("control_stream_filter: chunked reads differ from one read");
      break;
  }
  return 0;
}
