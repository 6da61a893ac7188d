// One client HTTP/2 connection of pushload: fetches pages and accepts their pushes.
#pragma once

#include <nghttp2/nghttp2.h>

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "load_connection.hpp"
#include "transport.hpp"
#include "worker.hpp"

/// A connection that keeps `-m` pages in flight, reconnects when the server closes it,
/// and accounts every page and push into its worker's stats. Single-threaded.
class connection final : public load_connection {
 public:
  connection(worker_context& ctx, int id);
  ~connection() override;
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;

  void start() override;
  void on_event(std::uint32_t events) override;
  /// Reconnects when a reconnect is due.
  void on_timer() override;
  bool busy() const override { return !pages_.empty() || owed_ > 0; }
  /// The run is over: closes without counting what was in flight.
  void stop();

 private:
  /// A page: the request on an odd stream plus every push promised on it.
  struct page {
    run_clock::time_point start;
    int pending_pushes = 0;
    bool response_done = false;
    bool reset = false;
    int status = 0;
    run_clock::time_point response_end;
  };
  /// An open stream: a page's own, or a pushed one; `page_id` is the page's stream id.
  struct stream {
    std::int32_t page_id = 0;
    bool pushed = false;
    bool got_headers = false;
    bool reset_by_server = false;
    int status = 0;
  };
  enum class phase { idle, handshake, h2, waiting };

  void begin_session();
  void fill_pages();
  void flush();
  void on_readable();
  void stream_closed(std::int32_t id, std::uint32_t error_code);
  void finish_page(std::int32_t id);
  void drop(const std::string& why, bool is_error);
  void retire();
  void watch(std::uint32_t events);
  void log(const std::string& what) const;

  static int on_frame_recv(nghttp2_session*, const nghttp2_frame*, void*);
  static int on_header(nghttp2_session*, const nghttp2_frame*, const std::uint8_t*, std::size_t,
                       const std::uint8_t*, std::size_t, std::uint8_t, void*);
  static int on_data_chunk(nghttp2_session*, std::uint8_t, std::int32_t, const std::uint8_t*,
                           std::size_t, void*);
  static int on_stream_close(nghttp2_session*, std::int32_t, std::uint32_t, void*);

  worker_context& ctx_;
  int id_;
  transport tr_;
  nghttp2_session* session_ = nullptr;
  bool closing_session_ = false;  // callbacks fired while the session is deleted are ignored
  phase phase_ = phase::idle;
  bool goaway_ = false;
  int owed_ = 0;             // refused pages to fetch again (-n: they keep their ticket)
  std::int64_t issued_ = 0;  // pages started on the current connection (--reconnect)
  std::uint32_t watching_ = 0;
  bool registered_ = false;
  run_clock::time_point reconnect_at_;
  std::unordered_map<std::int32_t, page> pages_;
  std::unordered_map<std::int32_t, stream> streams_;
  std::vector<std::uint8_t> out_;
  std::size_t out_off_ = 0;
};
