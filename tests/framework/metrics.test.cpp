// The metrics registry (requests by protocol and status class, the duration histogram, pushed
// streams' bytes), its stream handler, and its Prometheus text format.
#include <doctest/doctest.h>

#include <cstring>
#include <map>
#include <sstream>
#include <string>

#include "rodeo/internal/stream/stream_chain.hpp"
#include "rodeo/metrics.hpp"
#include "rodeo/stream_handlers/metrics_stream_h.hpp"

using namespace rodeo;

namespace {

stream_end ended(std::string protocol, int status, std::int64_t us, bool pushed = false) {
  stream_end e;
  e.protocol = std::move(protocol);
  e.status = status;
  e.pushed = pushed;
  e.start = stream_end::clock::time_point{};
  e.end = e.start + std::chrono::microseconds(us);
  return e;
}

// The text's samples by their full name with labels ("a{x=\"1\"}"), and the families that
// had a HELP and a TYPE line before their first sample.
struct exposition {
  std::map<std::string, std::string> samples;
  std::map<std::string, std::string> types;
  std::map<std::string, int> helps;
  std::vector<std::string> errors;

  explicit exposition(const std::string& text) {
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
      if (line.rfind("# HELP ", 0) == 0) {
        ++helps[line.substr(7, line.find(' ', 7) - 7)];
      } else if (line.rfind("# TYPE ", 0) == 0) {
        const auto name = line.substr(7, line.find(' ', 7) - 7);
        types[name] = line.substr(line.find(' ', 7) + 1);
      } else {
        const auto space = line.rfind(' ');
        if (space == std::string::npos) {
          errors.push_back("no value: " + line);
          continue;
        }
        const auto key = line.substr(0, space);
        samples[key] = line.substr(space + 1);
        auto name = key.substr(0, key.find('{'));
        for (const char* suffix : {"_bucket", "_sum", "_count"})
          if (!types.count(name) && name.size() > std::strlen(suffix) &&
              name.compare(name.size() - std::strlen(suffix), std::string::npos, suffix) == 0)
            name.resize(name.size() - std::strlen(suffix));
        if (!types.count(name) || helps[name] != 1) errors.push_back("no HELP/TYPE: " + line);
      }
    }
  }
  std::string at(const std::string& key) const {
    auto it = samples.find(key);
    return it == samples.end() ? "missing" : it->second;
  }
};

}  // namespace

TEST_CASE("requests count by protocol and status class; no final status is 'none'") {
  metrics_registry m;
  m.observe(ended("h2", 200, 10));
  m.observe(ended("h2", 204, 10));
  m.observe(ended("h2c", 404, 10));
  m.observe(ended("http/1.1", 503, 10));
  m.observe(ended("http/1.1", 101, 10));
  m.observe(ended("h2", 0, 10));
  m.observe(ended("h3", 200, 10));  // unknown protocol: ignored, not misfiled
  CHECK(m.requests("h2", "2xx") == 2);
  CHECK(m.requests("h2c", "4xx") == 1);
  CHECK(m.requests("http/1.1", "5xx") == 1);
  CHECK(m.requests("http/1.1", "1xx") == 1);
  CHECK(m.requests("h2", "none") == 1);
  CHECK(m.requests("h2", "4xx") == 0);
  CHECK(m.requests("h3", "2xx") == 0);
}

TEST_CASE("durations land in the first bucket whose bound they do not exceed") {
  metrics_registry m;
  m.observe(ended("h2", 200, 3'000));       // 0.003 s -> le 0.005
  m.observe(ended("h2", 200, 5'000));       // exactly 0.005 s -> le 0.005 (inclusive)
  m.observe(ended("h2", 200, 5'001));       // -> le 0.01
  m.observe(ended("h2", 200, 20'000'000));  // 20 s -> +Inf
  const auto h = m.durations("h2");
  CHECK(h.buckets[0] == 2);
  CHECK(h.buckets[1] == 1);
  CHECK(h.buckets.back() == 1);
  CHECK(h.count == 4);
  CHECK(h.sum_seconds == doctest::Approx(20.013001));
  CHECK(m.durations("h2c").count == 0);
}

TEST_CASE("pushed streams count their bytes in the funnel, and wasted ones when cancelled") {
  metrics_registry m;
  auto done = ended("h2", 200, 10, true);
  done.bytes_out = 1000;
  auto cancelled = ended("h2", 200, 10, true);
  cancelled.bytes_out = 300;
  cancelled.reason = stream_end_reason::reset;
  m.observe(done);
  m.observe(cancelled);
  CHECK(m.pushes().body_bytes == 1300);
  CHECK(m.pushes().wasted_bytes == 300);
  // A pushed stream is not a client request.
  CHECK(m.requests("h2", "2xx") == 0);
  CHECK(m.durations("h2").count == 0);
}

TEST_CASE("the stream handler reports every end to the registry") {
  auto m = std::make_shared<metrics_registry>();
  request_head head{"GET", "http", "h", "/p", "", "HTTP/2", {}, {}, false};
  stream_info info{3, &head, "h2c", "127.0.0.1:9", false};
  {
    stream_chain chain({metrics_stream_h(m)}, info, [](command&) {});
    chain.send(cmd::reply{404, {}, "no"});
    chain.finish(stream_end_reason::normal);
  }
  CHECK(m->requests("h2c", "4xx") == 1);
  CHECK(m->durations("h2c").count == 1);
}

TEST_CASE("the Prometheus text: HELP and TYPE before every family, every reason, _total") {
  metrics_registry m;
  m.pushes().requested = 5;
  m.pushes().promised = 3;
  m.pushes().count_skip(push_skip::http1);
  m.pushes().count_skip(push_skip::duplicate);
  m.pushes().wasted_bytes = 77;
  m.observe(ended("h2c", 200, 20'000));
  const exposition x(m.prometheus_text());
  CHECK(x.errors.empty());
  for (const auto& e : x.errors) MESSAGE(e);
  CHECK(x.at("rodeo_push_requested_total") == "5");
  CHECK(x.at("rodeo_push_promised_total") == "3");
  CHECK(x.at("rodeo_push_hinted_total") == "0");
  CHECK(x.at("rodeo_push_failed_total") == "0");
  CHECK(x.at("rodeo_push_wasted_bytes_total") == "77");
  CHECK(x.at("rodeo_push_skipped_total{reason=\"http1\"}") == "1");
  CHECK(x.at("rodeo_push_skipped_total{reason=\"duplicate\"}") == "1");
  for (std::size_t i = 1; i < push_metrics::reasons; ++i)
    CHECK(x.samples.count("rodeo_push_skipped_total{reason=\"" +
                          std::string{to_string(static_cast<push_skip>(i))} + "\"}") == 1);
  CHECK(x.samples.count("rodeo_push_skipped_total{reason=\"none\"}") == 0);
  CHECK(x.at("rodeo_requests_total{protocol=\"h2c\",code=\"2xx\"}") == "1");
  CHECK(x.at("rodeo_requests_total{protocol=\"http/1.1\",code=\"none\"}") == "0");
  for (const auto& [name, type] : x.types) {
    if (type == "counter") CHECK(name.size() > 6);
    if (type == "counter") CHECK(name.compare(name.size() - 6, 6, "_total") == 0);
  }
  CHECK(x.types.at("rodeo_request_duration_seconds") == "histogram");
}

TEST_CASE("the Prometheus text has the QUIC listener's Retry counters") {
  metrics_registry m;
  m.quic().retries = 4;
  m.quic().invalid_tokens = 2;
  m.quic().validated = 3;
  const exposition x(m.prometheus_text());
  CHECK(x.errors.empty());
  CHECK(x.at("rodeo_quic_retry_sent_total") == "4");
  CHECK(x.at("rodeo_quic_invalid_token_total") == "2");
  CHECK(x.at("rodeo_quic_validated_total") == "3");
  CHECK(x.types.at("rodeo_quic_retry_sent_total") == "counter");
}

TEST_CASE("the histogram's buckets are cumulative and end with +Inf equal to _count") {
  metrics_registry m;
  m.observe(ended("h2", 200, 3'000));
  m.observe(ended("h2", 200, 60'000));
  m.observe(ended("h2", 200, 30'000'000));
  const exposition x(m.prometheus_text());
  const std::string b = "rodeo_request_duration_seconds_bucket{protocol=\"h2\",le=";
  CHECK(x.at(b + "\"0.005\"}") == "1");
  CHECK(x.at(b + "\"0.05\"}") == "1");
  CHECK(x.at(b + "\"0.1\"}") == "2");
  CHECK(x.at(b + "\"10\"}") == "2");
  CHECK(x.at(b + "\"+Inf\"}") == "3");
  CHECK(x.at("rodeo_request_duration_seconds_count{protocol=\"h2\"}") == "3");
  CHECK(std::stod(x.at("rodeo_request_duration_seconds_sum{protocol=\"h2\"}")) ==
        doctest::Approx(30.063));
  CHECK(x.at(b.substr(0, b.find("h2")) + "http/1.1\",le=\"+Inf\"}") == "0");
}
