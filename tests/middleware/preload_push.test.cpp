#include "rodeo/mw/preload_push.hpp"

#include <doctest/doctest.h>

#include "framework/req_fixture.hpp"

using namespace rodeo;
using mw::preload_link;

TEST_CASE("RFC 8288 §3: parse_preload_links keeps the links whose rel has preload") {
  using links = std::vector<preload_link>;
  CHECK(mw::parse_preload_links("</x.css>; rel=preload; as=style") ==
        links{{"/x.css", "style", false}});
  CHECK(mw::parse_preload_links("</a.js>; rel=\"preload\"; as=script; nopush, </b.css>;"
                                " rel=\"stylesheet preload\" ; AS=\"Style\"") ==
        links{{"/a.js", "script", true}, {"/b.css", "style", false}});
  CHECK(mw::parse_preload_links("</next>; rel=next, </f.woff2>; rel=PRELOAD; as=font; "
                                "crossorigin") == links{{"/f.woff2", "font", false}});
  CHECK(mw::parse_preload_links(" , </a>;rel=preload,,</b>;rel=preload") ==
        links{{"/a", "", false}, {"/b", "", false}});
  CHECK(mw::parse_preload_links("").empty());
  // Malformed: what came before is kept.
  CHECK(mw::parse_preload_links("</a>; rel=preload, <b; rel=preload") == links{{"/a", "", false}});
  CHECK(mw::parse_preload_links("</a>; rel=\"preload").empty());
  CHECK(mw::parse_preload_links("/a; rel=preload").empty());
  CHECK(mw::accept_for_destination("style") == "text/css,*/*;q=0.1");
  CHECK(mw::accept_for_destination("font") == "*/*");
}

namespace {

// Runs the middleware on an HTTP/2 request for /page, then a handler that replies with
// `link` fields; returns the promised paths (with their accept field) in order.
std::vector<std::string> pushed_by(const headers& reply_fields, int status = 200,
                                   std::string authority = "example.org") {
  auto io = std::make_shared<asio::io_context>();
  auto sink = std::make_shared<test::recording_sink>();
  auto state = std::make_shared<push_state>(true, std::make_shared<push_metrics>());
  auto head = test::make_head("GET", std::move(authority), "/page");
  head.version = "HTTP/2";
  req r{std::move(head), std::make_shared<stream_link>(sink, io, 1, state), "127.0.0.1:1", false};
  env e;
  CHECK(mw::preload_push()->execute(r, e) == middleware_result::next);
  r.reply(status, reply_fields, "page");
  io->restart();
  io->poll();
  std::vector<std::string> out;
  bool link_kept = false;
  for (auto& c : sink->got) {
    if (auto* p = std::get_if<cmd::push>(&c))
      out.push_back(p->promised.path + (p->promised.qs.empty() ? "" : "?" + p->promised.qs) + " " +
                    std::string{find_header(p->promised.fields, "accept").value_or("")});
    if (auto* rep = std::get_if<cmd::reply>(&c))
      link_kept = reply_fields.empty() || find_header(rep->fields, "link").has_value();
  }
  CHECK(link_kept);
  return out;
}

}  // namespace

TEST_CASE("preload_push: same-origin preload links are pushed before the reply; nopush is not") {
  CHECK(pushed_by({{"link", "</x.css>; rel=preload; as=style"},
                   {"link", "</y.js>; rel=preload; as=script; nopush"},
                   {"content-type", "text/html"}}) ==
        std::vector<std::string>{"/x.css text/css,*/*;q=0.1"});
  CHECK(pushed_by({{"link",
                    "<http://example.org/a.png?v=2#top>; rel=preload; as=image, "
                    "<//cdn.example/b.css>; rel=preload, "
                    "<https://example.org/c.css>; rel=preload, "
                    "<http://other.example/d.css>; rel=preload, "
                    "</e.css>; rel=stylesheet"}}) ==
        std::vector<std::string>{"/a.png?v=2 image/avif,image/webp,image/*,*/*;q=0.8"});
  // Not for an error or a 304: nothing of the page is sent.
  CHECK(pushed_by({{"link", "</x.css>; rel=preload"}}, 404).empty());
  CHECK(pushed_by({{"link", "</x.css>; rel=preload"}}, 304).empty());
  // A link the push contract refuses is left as a link.
  CHECK(pushed_by({{"link", "</a b>; rel=preload, </ok>; rel=preload"}}) ==
        std::vector<std::string>{"/ok */*"});
}
