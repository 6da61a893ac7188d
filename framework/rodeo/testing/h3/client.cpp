#include "rodeo/testing/h3/client.hpp"

#include <netdb.h>
#include <poll.h>

#include <algorithm>
#include <cstdlib>
#include <functional>

#include "rodeo/testing/h3/session.hpp"

namespace rodeo::test::h3 {

namespace p = rodeo::http3::push;

namespace {

void fill_status(response& r) {
  for (const auto& f : r.headers) {
    if (f.name == ":status") r.status = std::atoi(f.value.c_str());
  }
}

}  // namespace

// Keeps every response and push of the connection, and runs the session with poll(2).
struct client::impl : session_handler {
  client_options opt;
  session s;
  bool opened = false;
  struct request {
    response resp;
    std::vector<std::uint64_t> promised;
  };
  std::map<std::int64_t, request> requests;
  std::map<std::uint64_t, pushed> pushes;

  explicit impl(client_options o) : opt(std::move(o)), s(session_options_of(opt), *this) {}

  static session_options session_options_of(const client_options& o) {
    session_options so;
    so.server_name = o.server_name;
    so.max_push_id = o.max_push_id;
    so.then_max_push_id = o.then_max_push_id;
    so.max_streams_uni = o.max_streams_uni;
    so.stream_window = o.stream_window;
    so.hold_credit = o.hold_credit;
    return so;
  }

  pushed& push(std::uint64_t id) {
    pushed& ps = pushes[id];
    ps.push_id = id;
    return ps;
  }
  bool push_settled(std::uint64_t id) const {
    auto it = pushes.find(id);
    return it != pushes.end() &&
           (it->second.cancelled || it->second.reset || it->second.resp.complete);
  }

  void on_field(std::int64_t stream, field f, bool trailer) override {
    auto& r = requests[stream].resp;
    (trailer ? r.trailers : r.headers).push_back(std::move(f));
  }
  void on_data(std::int64_t stream, std::span<const std::uint8_t> data) override {
    requests[stream].resp.body.append(reinterpret_cast<const char*>(data.data()), data.size());
  }
  void on_reset(std::int64_t stream, std::uint64_t app_error) override {
    requests[stream].resp.reset = app_error;
  }
  void on_end(std::int64_t stream) override {
    auto& r = requests[stream].resp;
    fill_status(r);
    r.complete = true;
  }
  void on_promise(std::int64_t stream, p::promise& pr, bool before_response) override {
    pushed& ps = push(pr.push_id);
    ps.promise = std::move(pr.fields);
    ps.promised = true;
    ps.before_response = before_response;
    requests[stream].promised.push_back(pr.push_id);
    if (opt.cancel.count(pr.push_id) && !ps.cancelled) {
      ps.cancelled = true;
      s.cancel_push(pr.push_id);
    }
  }
  void on_push(p::push_stream_event& e) override {
    using k = p::push_stream_event::kind;
    pushed& ps = push(e.push_id);
    switch (e.what) {
      case k::push_id:
        break;
      case k::headers:
        ps.resp.headers = std::move(e.fields);
        fill_status(ps.resp);
        break;
      case k::data:
        ps.resp.body += e.data;
        break;
      case k::trailers:
        ps.resp.trailers = std::move(e.fields);
        break;
      case k::end:
        ps.resp.complete = true;
        break;
    }
  }
  void on_push_reset(std::uint64_t push_id) override { push(push_id).reset = true; }

  void check() {
    if (!s.failure().empty()) throw client_error(s.failure());
  }
  void open() {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_DGRAM;
    addrinfo* res = nullptr;
    std::string port = std::to_string(opt.port);
    if (int rv = getaddrinfo(opt.host.c_str(), port.c_str(), &hints, &res); rv != 0) {
      throw client_error("h3 client: cannot resolve " + opt.host + ": " + gai_strerror(rv));
    }
    std::unique_ptr<addrinfo, void (*)(addrinfo*)> guard(res, freeaddrinfo);
    opened = true;
    if (!s.open(res->ai_addr, res->ai_addrlen)) check();
  }
  exchange send(const std::string& method, const std::string& path, const std::vector<field>& extra,
                const std::string* stalled_body);
  void run_until(const std::function<bool()>& done) {
    auto deadline = std::chrono::steady_clock::now() + opt.timeout;
    for (;;) {
      s.flush();
      check();
      if (done()) return;
      auto now = std::chrono::steady_clock::now();
      if (now >= deadline) throw client_error("h3 client: timed out");
      auto until = std::min(s.next_timer(), deadline);
      auto wait_ms =
          until <= now
              ? 0
              : std::chrono::duration_cast<std::chrono::milliseconds>(until - now).count() + 1;
      pollfd pfd{s.fd(), static_cast<short>(POLLIN | (s.wants_write() ? POLLOUT : 0)), 0};
      int rv = ::poll(&pfd, 1, static_cast<int>(wait_ms));
      if (rv > 0 && (pfd.revents & (POLLIN | POLLERR | POLLHUP))) s.on_readable();
      if (s.next_timer() <= std::chrono::steady_clock::now()) s.on_timer();
    }
  }
};

client::client(client_options options) : impl_(std::make_unique<impl>(std::move(options))) {}
client::~client() = default;

void client::connect() {
  impl& c = *impl_;
  c.open();
  c.run_until([&] { return c.s.ready(); });
}

exchange client::get(const std::string& path, const std::vector<field>& extra) {
  return impl_->send("GET", path, extra, nullptr);
}

exchange client::post_stalled(const std::string& path, const std::string& body_start) {
  return impl_->send("POST", path, {}, &body_start);
}

exchange client::impl::send(const std::string& method, const std::string& path,
                            const std::vector<field>& extra, const std::string* stalled_body) {
  impl& c = *this;
  if (!c.opened) {
    c.open();
    c.run_until([&] { return c.s.ready(); });
  }
  if (c.s.requests_left() == 0) throw client_error("h3 client: no bidirectional stream left");
  std::string authority = c.opt.server_name.empty() ? c.opt.host : c.opt.server_name;
  authority += ":" + std::to_string(c.opt.port);
  std::vector<field> fields = {
      {":method", method}, {":scheme", "https"}, {":authority", authority}, {":path", path}};
  fields.insert(fields.end(), extra.begin(), extra.end());
  std::int64_t id = stalled_body ? c.s.submit_stalled(fields, *stalled_body) : c.s.submit(fields);
  c.check();
  auto& req = c.requests[id];
  c.run_until([&] {
    if (req.resp.reset) return true;
    if (!req.resp.complete) return false;
    return std::all_of(req.promised.begin(), req.promised.end(),
                       [&](std::uint64_t pid) { return c.push_settled(pid); });
  });
  exchange ex;
  ex.resp = req.resp;
  std::vector<std::uint64_t> ids = req.promised;
  std::sort(ids.begin(), ids.end());
  for (auto pid : ids) ex.pushes.push_back(c.pushes[pid]);
  return ex;
}

}  // namespace rodeo::test::h3
