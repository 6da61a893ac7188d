"""Routing, middleware and handler kinds through real clients: host rules and bindings over
HTTP/1.1 and h2c, the router's 400 and 404, a path-rewriting middleware, match_qs, cookies,
Accept, and loop handlers (answered by another actor, or timing out)."""

import re
import time

from harness import ServerCase, curl, main, stats

H1 = "--http1.1"
H2C = "--http2-prior-knowledge"


class Routing(ServerCase):
    def url(self, path):
        return self.server.url(path)

    def status(self, *args):
        p = curl("-o", "/dev/null", "-w", "%{http_code}", *args)
        return p.stdout

    # --- host rules, bindings, 400 and 404 ---

    def test_binding_of_a_second_host_rule_over_http1_and_h2c(self):
        for proto, version in ((H1, "HTTP/1.1"), (H2C, "HTTP/2")):
            with self.subTest(proto=proto):
                p = curl(proto, "-H", "Host: api.localhost", self.url("/v/42"))
                self.assertEqual(p.stdout, f"n=42 host=api.localhost version={version}")
                p = curl(proto, "-H", "Host: API.localhost:8080", self.url("/v/-7"))
                self.assertEqual(p.stdout, f"n=-7 host=api.localhost version={version}")

    def test_rfc7540_s3_2_binding_over_an_h2c_upgrade(self):
        p = curl("--http2", "-v", "-H", "Host: api.localhost", self.url("/v/5"))
        self.assertIn("101 Switching Protocols", p.stderr)
        self.assertIn("HTTP/2 200", p.stderr)
        # The upgraded request itself was sent as HTTP/1.1; it becomes stream 1 and is
        # answered over HTTP/2 (RFC 7540 §3.2).
        self.assertTrue(p.stdout.startswith("n=5 host=api.localhost version=HTTP/"), p.stdout)

    def test_the_host_rule_owns_its_paths_other_paths_are_404(self):
        # /hello exists under the catch-all host, but api.localhost matched first: 404.
        for proto in (H1, H2C):
            with self.subTest(proto=proto):
                self.assertEqual(self.status(proto, "-H", "Host: api.localhost",
                                             self.url("/hello")), "404")
                self.assertEqual(self.status(proto, self.url("/hello")), "200")

    def test_a_rejected_int_constraint_is_404(self):
        self.assertEqual(self.status(H1, "-H", "Host: api.localhost", self.url("/v/x")), "404")
        self.assertEqual(self.status(H2C, "-H", "Host: api.localhost", self.url("/v/1.5")), "404")

    def test_a_host_no_rule_matches_is_400(self):
        # "a..b" has an empty label: neither "api.localhost" nor "[...]" matches it.
        for proto in (H1, H2C):
            with self.subTest(proto=proto):
                self.assertEqual(self.status(proto, "-H", "Host: a..b", self.url("/hello")), "400")

    def test_rfc3986_s2_1_a_bad_percent_escape_in_the_path_is_400(self):
        for proto in (H1, H2C):
            with self.subTest(proto=proto):
                self.assertEqual(self.status(proto, self.url("/hello/%zz")), "400")

    # --- middleware ---

    def test_a_middleware_rewrites_the_path_before_routing(self):
        for proto in (H1, H2C):
            with self.subTest(proto=proto):
                self.assertEqual(curl(proto, self.url("/old/rodeo")).stdout, "Hello rodeo!")
                self.assertEqual(curl(proto, self.url("/old/")).stdout, "Hello world!")
        self.assertEqual(self.status(H1, self.url("/older/rodeo")), "404")

    # --- query strings ---

    def test_match_qs_converts_and_defaults(self):
        self.assertEqual(curl(H1, self.url("/qs?n=21")).stdout, "n*2=42")
        self.assertEqual(curl(H2C, self.url("/qs?n=-4&label=twice")).stdout, "twice=-8")

    def test_match_qs_refusal_is_400_with_the_reason(self):
        cases = (("/qs?n=abc", "query string field 'n': rejected by constraint 'int'\n"),
                 ("/qs", "query string field 'n': missing and has no default\n"),
                 ("/qs?n=%zz", "invalid query string: '%' at offset 2 is not followed by two "
                               "hex digits\n"))
        for proto in (H1, H2C):
            for path, reason in cases:
                with self.subTest(proto=proto, path=path):
                    p = curl(proto, "-w", "\n%{http_code}", self.url(path))
                    self.assertEqual(p.stdout, reason + "\n400")

    # --- cookies ---

    def test_set_resp_cookie_sends_set_cookie_fields(self):
        p = curl(H1, "-i", self.url("/cookie/set"))
        lines = [l for l in p.stdout.splitlines() if l.lower().startswith("set-cookie:")]
        self.assertEqual(lines, ["set-cookie: flavor=oatmeal; Path=/; HttpOnly; SameSite=Lax",
                                 "set-cookie: visits=1"])
        p = curl(H2C, "-i", self.url("/cookie/set"))
        self.assertIn("set-cookie: flavor=oatmeal; Path=/; HttpOnly; SameSite=Lax\n", p.stdout)

    def test_parse_cookies_echoes_the_cookie_header(self):
        for proto in (H1, H2C):
            with self.subTest(proto=proto):
                p = curl(proto, "-b", "a=1; b=two words", self.url("/cookie/echo"))
                self.assertEqual(p.stdout, "a=1\nb=two words\n")

    def test_cookies_round_trip_through_a_cookie_jar(self):
        import os
        import tempfile
        with tempfile.TemporaryDirectory() as d:
            jar = os.path.join(d, "jar")
            curl(H1, "-c", jar, self.url("/cookie/set"))
            p = curl(H1, "-b", jar, self.url("/cookie/echo"))
        self.assertEqual(sorted(p.stdout.splitlines()), ["flavor=oatmeal", "visits=1"])

    def test_a_malformed_cookie_header_is_400(self):
        p = curl(H1, "-H", "Cookie: =x", "-w", "\n%{http_code}", self.url("/cookie/echo"))
        self.assertEqual(p.stdout, "invalid cookie header: empty cookie name at offset 0\n\n400")

    # --- parse_header ---

    def test_parse_accept_picks_the_preferred_offer(self):
        p = curl(H1, "-H", "Accept: application/json;q=0.5, text/*;q=0.2", self.url("/negotiate"))
        self.assertEqual(p.stdout, "application/json")
        p = curl(H2C, "-H", "Accept: image/png, text/plain;q=0.1", self.url("/negotiate"))
        self.assertEqual(p.stdout, "text/plain")
        self.assertEqual(self.status(H1, "-H", "Accept: image/png", self.url("/negotiate")), "406")

    def test_rfc9110_s12_5_1_a_malformed_accept_is_400(self):
        p = curl(H1, "-H", "Accept: text/html;;q=x", "-w", "\n%{http_code}", self.url("/negotiate"))
        self.assertEqual(p.stdout,
                         'malformed accept header "text/html;;q=x": see RFC 9110 §12.5.1\n\n400')

    # --- loop handlers ---

    def test_a_loop_handler_is_answered_by_another_actor(self):
        for proto in (H1, H2C):
            with self.subTest(proto=proto):
                p = curl(proto, self.url("/relay"))
                m = re.fullmatch(r"from actor (\d+) to actor (\d+)", p.stdout)
                self.assertIsNotNone(m, p.stdout)
                self.assertNotEqual(m.group(1), m.group(2))

    def test_a_loop_handler_times_out_with_204(self):
        before = stats(self.server).get("loop_timeout_terminate_timeout", 0)
        p = curl(H1, "-o", "/dev/null", "-w", "%{http_code} %{time_total}",
                 self.url("/loop-timeout"))
        code, took = p.stdout.split()
        self.assertEqual(code, "204")
        self.assertGreaterEqual(float(took), 0.29)
        self.assertLess(float(took), 5)
        deadline = time.time() + 5
        while time.time() < deadline:
            if stats(self.server).get("loop_timeout_terminate_timeout", 0) == before + 1:
                break
            time.sleep(0.05)
        self.assertEqual(stats(self.server).get("loop_timeout_terminate_timeout", 0), before + 1)


if __name__ == "__main__":
    main()
