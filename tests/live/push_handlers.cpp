#include "push_handlers.hpp"

#include "rodeo/loop_handler.hpp"
#include "test_handlers.hpp"

namespace live {

namespace {

using rodeo::handler_result;
using rodeo::req;

const rodeo::push_metrics* metrics = nullptr;

std::string outcomes(const req& r) {
  std::string out;
  for (const auto& p : r.pushes())
    out += (out.empty() ? "" : ",") + std::string{p.hinted ? "hinted" : to_string(p.skipped)};
  return out;
}

void reply_page(req& r, const std::string& body) {
  r.reply(200, {{"content-type", "text/html"}, {"x-push-outcomes", outcomes(r)}}, body);
}

// GET /push/page: promises two assets with browser-like accept headers, then replies.
struct page_h : rodeo::handler_base {
  handler_result init(req& r) override {
    r.push("/push/asset/style.css", {{"accept", "text/css,*/*;q=0.1"}});
    r.push("/push/asset/app.js", {{"accept", "*/*"}});
    reply_page(r, "<html>page</html>");
    return handler_result::ok;
  }
};

// GET /push/big/:n: pushes /big/:n (n bytes, more than a flow-control window when large).
struct big_push_h : rodeo::handler_base {
  handler_result init(req& r) override {
    r.push("/big/" + r.binding<std::string>("n"));
    reply_page(r, "big");
    return handler_result::ok;
  }
};

// GET /push/asset/:name: an ordinary route; says whether it was pushed and what it got.
struct asset_h : rodeo::handler_base {
  handler_result init(req& r) override {
    auto name = r.binding<std::string>("name");
    r.reply(200,
            {{"content-type", "text/plain"},
             {"x-pushed", r.is_pushed() ? "yes" : "no"},
             {"x-accept", std::string{r.header("accept").value_or("")}},
             {"x-qs", r.qs()},
             {"x-method", r.method()}},
            "asset " + name);
    return handler_result::ok;
  }
};

// GET /push/nested: pushes /push/child, which tries to push again (RFC 9113 §8.4: no).
struct nested_h : rodeo::handler_base {
  handler_result init(req& r) override {
    r.push("/push/child");
    reply_page(r, "nested");
    return handler_result::ok;
  }
};
struct child_h : rodeo::handler_base {
  handler_result init(req& r) override {
    r.push("/push/asset/grandchild");
    r.reply(200, {{"x-push-outcomes", outcomes(r)}}, "child");
    return handler_result::ok;
  }
};

// GET /push/after-reply: the handler's mistake is an exception; the client's response is clean.
struct after_reply_h : rodeo::handler_base {
  handler_result init(req& r) override {
    r.reply(200, {{"content-type", "text/plain"}}, "replied");
    try {
      r.push("/push/asset/late");
    } catch (const rodeo::usage_error& e) {
      count("push_after_reply_error");
    }
    return handler_result::ok;
  }
};

// GET /push/invalid: an invalid push throws at the call site; nothing reaches the wire.
struct invalid_h : rodeo::handler_base {
  handler_result init(req& r) override {
    std::string errors;
    auto attempt = [&](auto f) {
      try {
        f();
        errors += "none\n";
      } catch (const rodeo::usage_error& e) {
        errors += std::string{e.what()} + "\n";
      }
    };
    attempt([&] { r.push("/push/asset/x", {}, {.method = "POST"}); });
    attempt([&] { r.push("relative"); });
    attempt([&] { r.push("/push/asset/x", {{"Accept", "*/*"}}); });
    attempt([&] { r.push("/push/asset/x", {{"content-length", "0"}}); });
    attempt([&] { r.push("/push/asset/x", {{"x-a", "bad\r\nvalue"}}); });
    attempt([&] { r.push("/push/asset/x", {{":path", "/"}}); });
    attempt([&] { r.push("/push/asset/x", {}, {.host = std::string{"evil.example"}}); });
    r.reply(200, {{"content-type", "text/plain"}, {"x-push-outcomes", outcomes(r)}}, errors);
    return handler_result::ok;
  }
};

// GET /push/head: a HEAD push.
struct head_h : rodeo::handler_base {
  handler_result init(req& r) override {
    r.push("/push/asset/head", {}, {.method = "HEAD"});
    reply_page(r, "head");
    return handler_result::ok;
  }
};

// GET /push/options: qs and port options (the port is this request's own, so allowed).
struct options_h : rodeo::handler_base {
  handler_result init(req& r) override {
    r.push("/push/asset/q", {}, {.port = r.port(), .qs = "v=2&x=y"});
    reply_page(r, "options");
    return handler_result::ok;
  }
};

// GET /push/missing: the router answers the pushed request with 404.
struct missing_h : rodeo::handler_base {
  handler_result init(req& r) override {
    r.push("/push/no/such/route");
    reply_page(r, "missing");
    return handler_result::ok;
  }
};

// GET /push/dup: the same resource twice: the second is skipped.
struct dup_h : rodeo::handler_base {
  handler_result init(req& r) override {
    r.push("/push/asset/dup");
    r.push("/push/asset/dup");
    reply_page(r, "dup");
    return handler_result::ok;
  }
};

// GET /push/many: three distinct resources (the client's MAX_CONCURRENT_STREAMS limits them).
struct many_h : rodeo::handler_base {
  handler_result init(req& r) override {
    for (auto n : {"m1", "m2", "m3"}) r.push(std::string{"/push/slow/"} + n);
    reply_page(r, "many");
    return handler_result::ok;
  }
};

// GET /push/slow/:name: a pushed handler that waits (a loop handler) so that the client can
// cancel it; answers after 2 s otherwise.
struct slow_h : rodeo::handler_base {
  handler_result init(req& r) override {
    count("slow_started");
    r.self()->delayed_send(r.self(), std::chrono::milliseconds(2000), std::string{"done"});
    return handler_result::loop;
  }
  handler_result info(const caf::message&, req& r) override {
    r.reply(200, {}, "slow " + r.binding<std::string>("name"));
    return handler_result::ok;
  }
  void terminate(rodeo::terminate_reason why, req&) override {
    count(std::string{"slow_terminate_"} + std::string{to_string(why)});
  }
};

// GET /push/cancel: pushes one slow resource, then replies at once.
struct cancel_h : rodeo::handler_base {
  handler_result init(req& r) override {
    r.push("/push/slow/cancel-me");
    reply_page(r, "cancel");
    return handler_result::ok;
  }
};

// GET /push/inform: 103 first, then a push: allowed after inform.
struct inform_push_h : rodeo::handler_base {
  handler_result init(req& r) override {
    r.inform(103, {{"link", "</push/asset/hinted>; rel=preload"}});
    r.push("/push/asset/hinted");
    reply_page(r, "inform");
    return handler_result::ok;
  }
};

// Push behind auth. The user a bearer token names ("Bearer ada" -> ada).
struct user {
  std::string name;
};

// Answers 401 without `authorization: Bearer <name>`; otherwise stores the user.
rodeo::middleware_ptr bearer_auth() {
  return rodeo::make_middleware([](req& r, rodeo::env&) {
    auto h = r.header("authorization");
    if (!h || h->substr(0, 7) != "Bearer " || h->size() == 7) {
      r.reply(401, {{"www-authenticate", "Bearer"}});
      return rodeo::middleware_result::stop;
    }
    r.meta().set(user{std::string{h->substr(7)}});
    return rodeo::middleware_result::next;
  });
}

// GET /push/auth/page?inherit=1&share=1 (behind bearer_auth): pushes /push/auth/secret (behind
// bearer_auth too) and /push/whoami (no auth: says who the store names), passing the
// parent's authorization on with inherit=1 and its store with share=1.
void auth_page(req& r) {
  rodeo::push_options opts;
  if (r.qs().find("inherit=1") != std::string::npos) opts.inherit = {"authorization", "cookie"};
  opts.share_meta = r.qs().find("share=1") != std::string::npos;
  r.push("/push/auth/secret", {}, opts);
  r.push("/push/whoami", {}, opts);
  reply_page(r, "auth page");
}

// Who the per-request store names, and whether the request carries credentials.
void whoami(req& r) {
  const user* u = r.meta().get<user>();
  r.reply(200,
          {{"x-authorization", r.header("authorization") ? "yes" : "no"},
           {"x-cookie", std::string{r.header("cookie").value_or("")}}},
          u ? u->name : "nobody");
}
// GET /push/think: pushes, then thinks 800 ms (a timer message, the io thread stays free)
// before replying: the pushed response should use the link meanwhile.
struct think_h : rodeo::handler_base {
  handler_result init(req& r) override {
    r.push("/push/asset/think.css", {{"accept", "text/css"}});
    r.self()->delayed_send(r.self(), std::chrono::milliseconds(800), std::string{"reply"});
    return handler_result::loop;
  }
  handler_result info(const caf::message&, req& r) override {
    reply_page(r, "thought");
    return handler_result::ok;
  }
};

// GET /push/on-reset: waits; when the client resets it, pushes from terminate, so that the
// push command reaches the connection after the stream is gone (a push racing a reset).
struct on_reset_h : rodeo::handler_base {
  handler_result init(req&) override {
    count("on_reset_started");
    return handler_result::loop;
  }
  void terminate(rodeo::terminate_reason, req& r) override {
    r.push("/push/asset/after-reset");
    count("on_reset_pushed");
  }
};

// GET /push/other-host: pushes for `localhost` (the request names 127.0.0.1): allowed over
// TLS, whose certificate covers both; a usage error on clear text.
struct other_host_h : rodeo::handler_base {
  handler_result init(req& r) override {
    std::string error;
    try {
      r.push("/push/asset/other", {}, {.host = std::string{"localhost"}});
    } catch (const rodeo::usage_error& e) {
      error = e.what();
    }
    r.reply(200, {{"x-push-outcomes", outcomes(r)}}, error);
    return handler_result::ok;
  }
};

}  // namespace

std::vector<rodeo::router::path_rule> push_routes() {
  return {
      {"/push/page", rodeo::handler<page_h>()},
      {"/push/asset/:name", rodeo::handler<asset_h>()},
      {"/push/nested", rodeo::handler<nested_h>()},
      {"/push/child", rodeo::handler<child_h>()},
      {"/push/after-reply", rodeo::handler<after_reply_h>()},
      {"/push/invalid", rodeo::handler<invalid_h>()},
      {"/push/head", rodeo::handler<head_h>()},
      {"/push/options", rodeo::handler<options_h>()},
      {"/push/missing", rodeo::handler<missing_h>()},
      {"/push/dup", rodeo::handler<dup_h>()},
      {"/push/many", rodeo::handler<many_h>()},
      {"/push/slow/:name", rodeo::handler<slow_h>()},
      {"/push/cancel", rodeo::handler<cancel_h>()},
      {"/push/inform", rodeo::handler<inform_push_h>()},
      {"/push/big/:n", rodeo::handler<big_push_h>()},
      rodeo::router::path_rule("/push/auth/page", rodeo::handler_fn(auth_page))
          .use({bearer_auth()}),
      rodeo::router::path_rule("/push/auth/secret", rodeo::handler_fn(whoami)).use({bearer_auth()}),
      {"/push/whoami", rodeo::handler_fn(whoami)},
      {"/push/think", rodeo::handler<think_h>()},
      {"/push/on-reset", rodeo::handler<on_reset_h>()},
      {"/push/other-host", rodeo::handler<other_host_h>()},
  };
}

rodeo::middleware_ptr push_header_middleware() {
  return rodeo::make_middleware([](req& r, rodeo::env& e) {
    if (r.path().rfind("/push/", 0) == 0) r.set_resp_header("x-mw", "seen");
    // ?policy=NAME: the route's push policy, over the listener's.
    if (auto p = parse_push_policy(r.qs().rfind("policy=", 0) == 0 ? r.qs().substr(7) : ""))
      e.set(rodeo::push_policy_key, *p);
    return rodeo::middleware_result::next;
  });
}

void set_push_metrics(const rodeo::push_metrics* m) { metrics = m; }

std::optional<rodeo::push_policy> parse_push_policy(std::string_view name) {
  for (auto p : {rodeo::push_policy::push_or_hint, rodeo::push_policy::push_only,
                 rodeo::push_policy::hint_only, rodeo::push_policy::off})
    if (to_string(p) == name) return p;
  return std::nullopt;
}

std::string push_metrics_json() {
  if (!metrics) return "{}";
  std::string out = "{\"requested\":" + std::to_string(metrics->requested.load()) +
                    ",\"promised\":" + std::to_string(metrics->promised.load()) +
                    ",\"hinted\":" + std::to_string(metrics->hinted.load()) +
                    ",\"completed\":" + std::to_string(metrics->completed.load()) +
                    ",\"cancelled\":" + std::to_string(metrics->cancelled.load()) +
                    ",\"failed\":" + std::to_string(metrics->failed.load());
  for (std::size_t i = 1; i < rodeo::push_metrics::reasons; ++i)
    out += ",\"" + std::string{to_string(static_cast<rodeo::push_skip>(i))} +
           "\":" + std::to_string(metrics->skipped[i].load());
  return out + "}";
}

}  // namespace live
