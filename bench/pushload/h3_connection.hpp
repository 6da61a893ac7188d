// One client HTTP/3 connection of pushload (--h3): fetches pages and accepts their pushes.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "load_connection.hpp"
#include "rodeo/testing/h3/session.hpp"
#include "worker.hpp"

/// The HTTP/3 twin of `connection`: keeps `-m` pages in flight on a QUIC connection
/// (rodeo::test::h3::session, the non-blocking core of Rodeo's push-capable HTTP/3 client),
/// reconnects when it ends, and accounts pages, pushes and bytes into the same stats, the
/// same way: bytes are DATA payload, a page ends with its response and all its pushes.
class h3_connection final : public load_connection, rodeo::test::h3::session_handler {
 public:
  h3_connection(worker_context& ctx, int id);
  ~h3_connection() override;
  h3_connection(const h3_connection&) = delete;
  h3_connection& operator=(const h3_connection&) = delete;

  void start() override;
  void on_event(std::uint32_t events) override;
  /// QUIC timers, and reconnects when one is due.
  void on_timer() override;
  run_clock::time_point next_timer() const override;
  bool busy() const override { return !pages_.empty() || owed_ > 0; }

 private:
  /// A page: the request on a bidirectional stream plus every push promised on it.
  struct page {
    run_clock::time_point start;
    int pending_pushes = 0;
    bool response_done = false;
    bool got_headers = false;
    int status = 0;
    run_clock::time_point response_end;
  };
  /// A push, known from its promise or its push stream, whichever came first (RFC 9114 §4.6
  /// allows both orders). `page_id` is -1 until the promise names the page.
  struct push {
    std::int64_t page_id = -1;
    bool settled = false;  // ended or reset; its stats are counted then
    int status = 0;
  };
  enum class phase { idle, handshake, h3, waiting };

  // session_handler
  void on_field(std::int64_t stream, rodeo::test::h3::field f, bool trailer) override;
  void on_data(std::int64_t stream, std::span<const std::uint8_t> data) override;
  void on_end(std::int64_t stream) override;
  void on_close(std::int64_t stream, std::uint64_t app_error) override;
  void on_promise(std::int64_t stream, rodeo::http3::push::promise& p,
                  bool before_response) override;
  void on_push(rodeo::http3::push::push_stream_event& e) override;
  void on_push_reset(std::uint64_t push_id) override;
  void on_goaway(std::int64_t id) override;

  void after_io();
  void fill_pages();
  void settle_push(std::uint64_t push_id);
  void maybe_finish(std::int64_t page_id);
  void finish_page(std::int64_t page_id, bool reset);
  void drop(const std::string& why, bool is_error);
  void stop();
  void watch();
  void log(const std::string& what) const;

  worker_context& ctx_;
  int id_;
  std::vector<rodeo::test::h3::field> request_;
  std::unique_ptr<rodeo::test::h3::session> session_;
  phase phase_ = phase::idle;
  bool goaway_ = false;
  int owed_ = 0;             // refused pages to fetch again (-n: they keep their ticket)
  std::int64_t issued_ = 0;  // pages started on the current connection (--reconnect)
  std::uint32_t watching_ = 0;
  bool registered_ = false;
  run_clock::time_point reconnect_at_;
  std::unordered_map<std::int64_t, page> pages_;
  std::unordered_map<std::uint64_t, push> pushes_;
};
