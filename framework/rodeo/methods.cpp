#include "rodeo/methods.hpp"

#include <memory>
#include <utility>

#include "rodeo/errors.hpp"
#include "rodeo/req.hpp"

namespace rodeo {

namespace {

// Runs the handler of the request's method; it stays the req's handler for the request's
// life, so loop messages, timeouts and terminate reach it through this one.
class method_dispatch_h final : public handler_base {
 public:
  explicit method_dispatch_h(std::shared_ptr<const methods> m) : methods_(std::move(m)) {}

  handler_result init(req& r) override {
    if (auto target = methods_->find(r.method())) {
      inner_ = target->make();
      return inner_->init(r);
    }
    // RFC 9110 §9.3.7 (OPTIONS) and §15.5.6 (405 MUST send allow); the 405 goes through the
    // error pages like the framework's other errors.
    if (r.method() == "OPTIONS")
      r.reply(204, {{"allow", methods_->allow()}});
    else
      r.reply_error(405, {{"allow", methods_->allow()}});
    return handler_result::ok;
  }
  handler_result info(const caf::message& msg, req& r) override {
    return inner_ ? inner_->info(msg, r) : handler_result::ok;
  }
  std::chrono::milliseconds loop_timeout() const override {
    return inner_ ? inner_->loop_timeout() : handler_base::loop_timeout();
  }
  void timeout(req& r) override { inner_ ? inner_->timeout(r) : handler_base::timeout(r); }
  void on_shutdown(req& r) override {
    if (inner_) inner_->on_shutdown(r);
  }
  void terminate(terminate_reason reason, req& r) override {
    if (inner_) inner_->terminate(reason, r);
  }

 private:
  std::shared_ptr<const methods> methods_;
  std::unique_ptr<handler_base> inner_;
};

class method_dispatch_factory final : public handler_factory {
 public:
  explicit method_dispatch_factory(methods m) : methods_(std::make_shared<const methods>(m)) {}
  std::unique_ptr<handler_base> make() const override {
    return std::make_unique<method_dispatch_h>(methods_);
  }

 private:
  std::shared_ptr<const methods> methods_;
};

}  // namespace

route_target methods::find(const std::string& method) const {
  if (method == "GET") return get.target();
  if (method == "HEAD") return head ? head.target() : get.target();
  if (method == "POST") return post.target();
  if (method == "PUT") return put.target();
  if (method == "PATCH") return patch.target();
  if (method == "DELETE") return delete_.target();
  if (method == "OPTIONS") return options.target();
  return nullptr;
}

std::string methods::allow() const {
  std::string out;
  auto add = [&out](const method_target& t, const char* name) {
    if (!t) return;
    if (!out.empty()) out += ", ";
    out += name;
  };
  add(get, "GET");
  add(head ? head : get, "HEAD");
  add(post, "POST");
  add(put, "PUT");
  add(patch, "PATCH");
  add(delete_, "DELETE");
  add(options, "OPTIONS");
  return out;
}

methods::operator route_target() const {
  if (allow().empty())
    throw usage_error(
        "rodeo::methods has no target: give at least one, as in "
        "rodeo::methods{.get = rodeo::handler<my_h>()}");
  return std::make_shared<method_dispatch_factory>(*this);
}

}  // namespace rodeo
