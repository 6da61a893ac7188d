#include "rodeo/internal/stream/stream_chain.hpp"

#include <exception>
#include <type_traits>

#include "rodeo/log.hpp"

namespace rodeo {

std::string_view to_string(stream_end_reason r) {
  switch (r) {
    case stream_end_reason::normal:
      return "normal";
    case stream_end_reason::reset:
      return "reset";
    case stream_end_reason::crash:
      return "crash";
    case stream_end_reason::timeout:
      return "timeout";
    case stream_end_reason::connection_closed:
      return "connection_closed";
  }
  return "unknown";
}

void stream_next::operator()(command& c) const { chain_->pass(index_, c); }

stream_chain::stream_chain(const std::vector<stream_handler_factory>& factories,
                           const stream_info& info, sink to_engine)
    : to_engine_(std::move(to_engine)) {
  end_.id = info.id;
  end_.protocol = std::string{info.protocol};
  end_.peer = std::string{info.peer};
  if (info.head) {
    end_.method = info.head->method;
    end_.path = info.head->path;
    end_.qs = info.head->qs;
  }
  end_.pushed = info.pushed;
  end_.start = end_.first_byte = stream_end::clock::now();
  for (const auto& make : factories) {
    if (!make) continue;
    if (auto h = make(info)) handlers_.push_back(std::move(h));
  }
}

void stream_chain::send(command c) {
  if (finished_) return;
  if (std::holds_alternative<cmd::crash>(c)) {
    if (!answered_) {
      auto& crash = std::get<cmd::crash>(c);
      cmd::reply page{500, std::move(crash.fields), std::move(crash.body)};
      if (page.body.empty()) {
        page.fields.emplace_back("content-type", "text/plain");
        page.body = "Internal Server Error\n";
      }
      c = std::move(page);
    } else {
      crashed_ = true;
    }
  }
  if (std::holds_alternative<cmd::reply>(c) || std::holds_alternative<cmd::stream_reply>(c))
    answered_ = true;
  ++depth_;
  try {
    pass(0, c);
  } catch (const std::exception& e) {
    // A stream handler threw on the io thread: the stream cannot be trusted any more.
    log::net()->error("stream {}: a stream handler threw: {}; resetting the stream", end_.id,
                      e.what());
    crashed_ = true;
    command reset = cmd::crash{};
    if (!finished_) to_engine_(reset);
  }
  --depth_;
  if (depth_ == 0 && finish_pending_) report();
}

void stream_chain::pass(std::size_t index, command& c) {
  if (index < handlers_.size()) {
    handlers_[index]->on_command(c, stream_next{*this, index + 1});
    return;
  }
  account(c);
  to_engine_(c);
}

void stream_chain::account(const command& c) {
  std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, cmd::reply>) {
          end_.status = x.status;
          end_.bytes_out += x.body.size();
          end_.first_byte = stream_end::clock::now();
        } else if constexpr (std::is_same_v<T, cmd::stream_reply>) {
          end_.status = x.status;
          end_.first_byte = stream_end::clock::now();
        } else if constexpr (std::is_same_v<T, cmd::body>) {
          end_.bytes_out += x.data.size();
        }
      },
      c);
}

void stream_chain::finish(stream_end_reason why) {
  if (finished_ || finish_pending_) return;
  // The reset (HTTP/2) or the close (HTTP/1.1) that follows a crash after the response
  // started is the crash's doing.
  if (why != stream_end_reason::normal && crashed_) why = stream_end_reason::crash;
  if (why != stream_end_reason::normal && expected_) why = *expected_;
  end_.reason = why;
  end_.end = stream_end::clock::now();
  finish_pending_ = true;
  if (depth_ == 0) report();
}

void stream_chain::report() {
  finish_pending_ = false;
  finished_ = true;
  for (auto& h : handlers_) {
    try {
      h->on_end(end_);
    } catch (const std::exception& e) {
      log::net()->error("stream {}: a stream handler's on_end threw: {}", end_.id, e.what());
    }
  }
}

}  // namespace rodeo
