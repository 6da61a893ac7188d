// HTTP/1.1 client side: the request as bytes, the response parsed with llhttp (the parser the
// server uses for requests), 1xx responses kept apart from the final one.
#include <llhttp.h>

#include <cctype>
#include <string>
#include <utility>

#include "rodeo/testing/peer.hpp"

namespace rodeo::testing {

namespace {

class http1_peer final : public peer {
 public:
  explicit http1_peer(const request& r) : head_(r.method == "HEAD") {
    out_ = r.method + " " + r.path + " HTTP/1.1\r\n";
    if (!has_header(r.headers, "host")) out_ += "host: " + r.host + "\r\n";
    for (const auto& [n, v] : request_fields(r)) out_ += n + ": " + v + "\r\n";
    out_ += "\r\n" + r.body;
    llhttp_settings_init(&settings_);
    settings_.on_header_field = [](llhttp_t* p, const char* at, std::size_t n) {
      auto& self = of(p);
      if (!self.in_field_) self.fields().emplace_back();
      self.in_field_ = true;
      for (std::size_t i = 0; i < n; ++i)
        self.fields().back().first +=
            static_cast<char>(std::tolower(static_cast<unsigned char>(at[i])));
      return 0;
    };
    settings_.on_header_value = [](llhttp_t* p, const char* at, std::size_t n) {
      auto& self = of(p);
      self.in_field_ = false;
      self.fields().back().second.append(at, n);
      return 0;
    };
    settings_.on_headers_complete = [](llhttp_t* p) {
      auto& self = of(p);
      self.in_field_ = false;
      self.current_.status = p->status_code;
      self.in_trailers_ = true;
      // A response to HEAD has no body whatever its fields say (RFC 9110 §9.3.2): 1 tells
      // llhttp to skip it.
      return self.head_ && p->status_code >= 200 ? 1 : 0;
    };
    settings_.on_body = [](llhttp_t* p, const char* at, std::size_t n) {
      of(p).current_.body.append(at, n);
      return 0;
    };
    settings_.on_message_complete = [](llhttp_t* p) {
      auto& self = of(p);
      self.in_trailers_ = false;
      if (self.current_.status < 200) {
        self.res_.informational.push_back(std::move(self.current_));
        self.current_ = {};
        return 0;
      }
      static_cast<message&>(self.res_) = std::move(self.current_);
      self.res_.complete = true;
      return static_cast<int>(HPE_PAUSED);  // nothing after the final response is ours
    };
    llhttp_init(&parser_, HTTP_RESPONSE, &settings_);
    parser_.data = this;
  }

  std::string output() override { return std::exchange(out_, {}); }

  void input(std::string_view bytes) override {
    if (done_) return;
    if (llhttp_execute(&parser_, bytes.data(), bytes.size()) != HPE_OK) done_ = true;
  }

  void closed() override {
    // A body delimited by the close ends here (RFC 9112 §6.3).
    if (!done_) llhttp_finish(&parser_);
    done_ = true;
  }

  bool done() const override { return done_ || res_.complete; }
  response take() override { return std::move(res_); }

 private:
  static http1_peer& of(llhttp_t* p) { return *static_cast<http1_peer*>(p->data); }
  // Header fields go to the message's fields, or after the body to its trailers. llhttp
  // keeps names' case: fold them as the server's own parser does.
  rodeo::headers& fields() { return in_trailers_ ? current_.trailers : current_.headers; }

  bool head_;
  std::string out_;
  llhttp_settings_t settings_{};
  llhttp_t parser_{};
  message current_;
  response res_;
  bool in_field_ = false, in_trailers_ = false, done_ = false;
};

}  // namespace

std::unique_ptr<peer> make_http1_peer(const request& r) { return std::make_unique<http1_peer>(r); }

rodeo::headers request_fields(const request& r) {
  rodeo::headers out = r.headers;
  if (!r.body.empty() && !has_header(out, "content-length") &&
      !has_header(out, "transfer-encoding"))
    out.emplace_back("content-length", std::to_string(r.body.size()));
  return out;
}

}  // namespace rodeo::testing
