"""Server push from routed handlers (RFC 9113 §8.4), with nghttp, curl and Python h2, over
h2c and TLS. Each test names the rule of the push contract it checks."""

import ssl
import socket
import time

import h2.config
import h2.errors
import h2.connection
import h2.events
import h2.settings
import hpack
import hyperframe.frame as hf

from harness import ServerCase, curl, run, stats, push_stats, wait_stat, main, SLOW


class Client:
    """A Python h2 client that records everything per stream, pushes included."""

    def __init__(self, port, tls=False, settings=None):
        raw = socket.create_connection(("127.0.0.1", port), timeout=10 * SLOW)
        if tls:
            ctx = ssl.create_default_context()
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
            ctx.set_alpn_protocols(["h2"])
            raw = ctx.wrap_socket(raw, server_hostname="localhost")
        self.s = raw
        self.port = port
        self.scheme = "https" if tls else "http"
        self.c = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True))
        self.c.initiate_connection()
        if settings:
            self.c.update_settings(settings)
        self.s.sendall(self.c.data_to_send())
        self.headers, self.data, self.ended, self.resets = {}, {}, set(), {}
        self.promises = []  # (parent, promised, headers) in arrival order
        self.frames = []    # ("headers"|"data"|"promise", stream) in arrival order

    def get(self, sid, path, fields=(), authority=None):
        authority = authority or f"127.0.0.1:{self.port}"
        self.c.send_headers(sid, [(":method", "GET"), (":scheme", self.scheme),
                                  (":authority", authority), (":path", path)]
                            + list(fields), end_stream=True)
        self.s.sendall(self.c.data_to_send())

    def pump(self, until, timeout=10):
        deadline = time.time() + timeout * SLOW
        while time.time() < deadline and not until():
            data = self.s.recv(65536)
            if not data:
                break
            for e in self.c.receive_data(data):
                self.on_event(e)
            out = self.c.data_to_send()
            if out:
                self.s.sendall(out)

    def on_event(self, e):
        if isinstance(e, h2.events.PushedStreamReceived):
            hs = {k.decode(): v.decode() for k, v in e.headers}
            self.promises.append((e.parent_stream_id, e.pushed_stream_id, hs))
            self.frames.append(("promise", e.pushed_stream_id))
        elif isinstance(e, h2.events.ResponseReceived):
            self.headers[e.stream_id] = {k.decode(): v.decode() for k, v in e.headers}
            self.frames.append(("headers", e.stream_id))
        elif isinstance(e, h2.events.DataReceived):
            self.data[e.stream_id] = self.data.get(e.stream_id, b"") + e.data
            self.c.acknowledge_received_data(e.flow_controlled_length, e.stream_id)
            self.frames.append(("data", e.stream_id))
        elif isinstance(e, h2.events.StreamEnded):
            self.ended.add(e.stream_id)
        elif isinstance(e, h2.events.StreamReset):
            self.resets[e.stream_id] = e.error_code

    def all_done(self):
        return 1 in self.ended and all(p in self.ended or p in self.resets
                                       for _, p, _ in self.promises)

    def close(self):
        self.s.close()


class Push(ServerCase):
    def fetch(self, path, tls=False, settings=None, fields=(), authority=None):
        c = Client(self.server.tls_port if tls else self.server.port, tls, settings)
        c.get(1, path, fields, authority)
        c.pump(c.all_done)
        c.close()
        return c

    # --- what a push does when allowed ---

    def check_page(self, tls):
        url = self.server.url("/push/page", tls=tls)
        p = run(["nghttp", "-nv", url], timeout=20)
        out = p.stdout
        # PUSH_PROMISE frames on the parent stream, before the parent's HEADERS.
        # nghttp sends its request on stream 13 (after its priority anchors 3..11).
        first_promise = out.find("recv PUSH_PROMISE frame")
        promise_line = out[first_promise:out.find("\n", first_promise)]
        self.assertTrue(promise_line.endswith("stream_id=13>"), promise_line)  # on the parent
        parent_status = out.find("recv (stream_id=13) :status: 200")
        self.assertGreater(first_promise, 0, out)
        self.assertGreater(parent_status, 0, out)
        self.assertLess(first_promise, parent_status)
        self.assertEqual(out.count("recv PUSH_PROMISE frame"), 2)
        scheme = "https" if tls else "http"
        port = self.server.tls_port if tls else self.server.port
        for path in ["/push/asset/style.css", "/push/asset/app.js"]:
            self.assertIn(f":path: {path}", out)
        self.assertIn(":method: GET", out)
        self.assertIn(f":scheme: {scheme}", out)
        self.assertIn(f":authority: 127.0.0.1:{port}", out)
        # Pushed responses with the bodies their route produces.
        p = run(["nghttp", "-a", "-v", url], timeout=20)
        self.assertIn("asset style.css", p.stdout)
        self.assertIn("asset app.js", p.stdout)

    def test_promise_and_pushed_responses_h2c(self):
        self.check_page(tls=False)

    def test_promise_and_pushed_responses_tls(self):
        self.check_page(tls=True)

    def test_pushed_request_is_routed_to_its_own_handler(self):
        c = self.fetch("/push/page")
        pushed = {hs[":path"]: sid for _, sid, hs in c.promises}
        sid = pushed["/push/asset/style.css"]
        self.assertEqual(sid % 2, 0)  # RFC 9113 §5.1.1: server streams are even
        self.assertEqual(c.data[sid], b"asset style.css")
        self.assertEqual(c.headers[sid]["x-pushed"], "yes")
        self.assertEqual(c.headers[sid]["x-accept"], "text/css,*/*;q=0.1")
        self.assertEqual(c.headers[1]["x-push-outcomes"], "promised,promised")

    def test_parent_headers_and_first_data_before_pushed_data(self):
        c = self.fetch("/push/page", tls=True)
        order = c.frames
        parent_data = order.index(("data", 1))
        pushed_data = [i for i, f in enumerate(order) if f[0] == "data" and f[1] != 1]
        self.assertTrue(pushed_data)
        self.assertLess(order.index(("headers", 1)), min(pushed_data))
        self.assertLess(parent_data, min(pushed_data))

    def test_pushed_route_behind_a_middleware_gets_its_header(self):
        c = self.fetch("/push/page")
        for _, sid, _ in c.promises:
            self.assertEqual(c.headers[sid]["x-mw"], "seen")

    # --- push behind auth: push_options::inherit and share_meta ---

    def auth_fetch(self, qs):
        c = self.fetch("/push/auth/page" + qs,
                       fields=[("authorization", "Bearer ada"), ("cookie", "k=v")])
        self.assertEqual(c.headers[1][":status"], "200")
        pushed = {hs[":path"]: sid for _, sid, hs in c.promises}
        return c, pushed["/push/auth/secret"], pushed["/push/whoami"]

    def test_pushed_route_behind_auth_answers_401_without_inherit(self):
        c, secret, whoami = self.auth_fetch("")
        # Its 401 is an error response: the promised stream is cancelled, not sent (push_failed).
        self.assertNotIn(secret, c.headers)
        self.assertEqual(c.resets.get(secret), h2.errors.ErrorCodes.CANCEL)
        self.assertEqual(c.data.get(whoami), b"nobody")
        self.assertEqual(c.headers[whoami]["x-authorization"], "no")

    def test_pushed_route_behind_auth_answers_200_with_inherit(self):
        c, secret, whoami = self.auth_fetch("?inherit=1")
        self.assertEqual(c.headers[secret][":status"], "200")
        self.assertEqual(c.data[secret], b"ada")  # its own auth middleware found the user
        self.assertEqual(c.headers[whoami]["x-authorization"], "yes")
        self.assertEqual(c.headers[whoami]["x-cookie"], "k=v")
        # The promise shows the inherited fields (RFC 9113 §8.4: the promised request).
        promised = {hs[":path"]: hs for _, _, hs in c.promises}
        self.assertEqual(promised["/push/whoami"]["authorization"], "Bearer ada")

    def test_per_route_auth_over_http1_with_curl(self):
        url = self.server.url("/push/auth/page")
        p = curl("--http1.1", "-s", "-o", "/dev/null", "-w", "%{http_code}", url)
        self.assertEqual(p.stdout, "401")
        p = curl("--http1.1", "-s", "-H", "authorization: Bearer ada", "-w", " %{http_code}", url)
        self.assertEqual(p.stdout, "auth page 200")  # HTTP/1.1: the pushes are skipped
        # The route's middleware runs for that route only.
        p = curl("--http1.1", "-s", self.server.url("/push/whoami"))
        self.assertEqual(p.stdout, "nobody")

    def test_pushed_request_sees_the_parents_store_with_share_meta(self):
        c, secret, whoami = self.auth_fetch("?share=1")
        # No credentials: auth still runs, and its 401 cancels the promised stream.
        self.assertEqual(c.resets.get(secret), h2.errors.ErrorCodes.CANCEL)
        self.assertEqual(c.data[whoami], b"ada")
        self.assertEqual(c.headers[whoami]["x-authorization"], "no")

    def test_head_push(self):
        c = self.fetch("/push/head")
        (_, sid, hs), = c.promises
        self.assertEqual(hs[":method"], "HEAD")
        self.assertEqual(c.headers[sid]["x-method"], "HEAD")
        self.assertNotIn(sid, c.data)  # no body for HEAD

    def test_qs_and_port_options(self):
        c = self.fetch("/push/options")
        (_, sid, hs), = c.promises
        self.assertEqual(hs[":path"], "/push/asset/q?v=2&x=y")
        self.assertEqual(hs[":authority"], f"127.0.0.1:{self.server.port}")
        self.assertEqual(c.headers[sid]["x-qs"], "v=2&x=y")

    def test_pushed_request_the_router_answers_404_is_cancelled(self):
        # As h2o: an error nobody asked for is not sent; the promised stream is cancelled
        # (RST_STREAM CANCEL) and counted as failed.
        before = push_stats(self.server)
        c = self.fetch("/push/missing")
        (_, sid, _), = c.promises
        self.assertNotIn(sid, c.headers)
        self.assertEqual(c.resets.get(sid), h2.errors.ErrorCodes.CANCEL)
        self.assertEqual(c.headers[1][":status"], "200")
        deadline = time.time() + 5 * SLOW
        while time.time() < deadline and push_stats(self.server)["failed"] == before["failed"]:
            time.sleep(0.02)
        after = push_stats(self.server)
        self.assertEqual(after["failed"] - before["failed"], 1)
        self.assertEqual(after["cancelled"] - before["cancelled"], 0)

    def test_pushed_response_uses_the_link_while_the_parent_thinks(self):
        c = self.fetch("/push/think")
        (_, sid, _), = c.promises
        self.assertEqual(c.data[sid], b"asset think.css")
        self.assertEqual(c.data[1], b"thought")
        # The handler thinks 800 ms after its push: the pushed response is complete before
        # the parent's HEADERS arrive.
        self.assertLess(c.frames.index(("data", sid)), c.frames.index(("headers", 1)), c.frames)

    def test_a_push_racing_its_parents_reset_gives_back_its_slot(self):
        before = push_stats(self.server)
        started = stats(self.server).get("on_reset_started", 0)
        pushed = stats(self.server).get("on_reset_pushed", 0)
        c = Client(self.server.port, settings={h2.settings.SettingCodes.MAX_CONCURRENT_STREAMS: 1})
        c.get(1, "/push/on-reset")
        self.assertEqual(wait_stat(self.server, "on_reset_started", started + 1), started + 1)
        c.c.reset_stream(1, h2.errors.ErrorCodes.CANCEL)
        c.s.sendall(c.c.data_to_send())
        self.assertEqual(wait_stat(self.server, "on_reset_pushed", pushed + 1), pushed + 1)
        # Another page on the same connection: its pushes are not blocked by a leaked slot.
        c.get(3, "/push/page")
        c.pump(lambda: 3 in c.ended and all(p in c.ended or p in c.resets
                                             for _, p, _ in c.promises))
        c.close()
        self.assertEqual(c.headers[3]["x-push-outcomes"], "promised,concurrency_limit")
        self.assertEqual(len(c.promises), 1)
        # The funnel adds up: every push requested was promised or skipped for a reason.
        after = push_stats(self.server)
        delta = {k: after[k] - before[k] for k in after}
        skipped = sum(v for k, v in delta.items()
                      if k not in ("requested", "promised", "completed", "cancelled", "failed"))
        self.assertEqual(delta["requested"], 3)
        self.assertEqual(delta["stream_closed"], 1)
        self.assertEqual(delta["requested"], delta["promised"] + skipped)

    def test_push_allowed_after_inform(self):
        c = self.fetch("/push/inform")
        self.assertEqual(len(c.promises), 1)
        self.assertEqual(c.headers[1]["x-push-outcomes"], "promised")

    # --- silent no-ops ---

    def test_no_push_with_nghttp_no_push(self):
        p = run(["nghttp", "-nv", "--no-push", self.server.url("/push/page")], timeout=20)
        self.assertNotIn("PUSH_PROMISE", p.stdout)
        self.assertIn("x-push-outcomes: hinted,hinted", p.stdout)

    def test_no_push_after_the_client_sent_goaway(self):
        # Raw frames: Python h2 sends nothing after its own GOAWAY. The request and a GOAWAY
        # (last stream 0: no pushed stream accepted) arrive in one read; the page is still
        # answered (RFC 9113 §6.8), and its pushes are skipped.
        s = socket.create_connection(("127.0.0.1", self.server.port), timeout=10 * SLOW)
        enc, dec = hpack.Encoder(), hpack.Decoder()
        headers = hf.HeadersFrame(1, enc.encode([(":method", "GET"), (":scheme", "http"),
                                                 (":authority", f"127.0.0.1:{self.server.port}"),
                                                 (":path", "/push/page")]),
                                  flags=["END_HEADERS", "END_STREAM"])
        s.sendall(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + hf.SettingsFrame(0).serialize() +
                  headers.serialize() + hf.GoAwayFrame(0, last_stream_id=0).serialize())
        buf, frames, ended = b"", [], False
        deadline = time.time() + 10 * SLOW
        while not ended and time.time() < deadline:
            data = s.recv(65536)
            if not data:
                break
            buf += data
            while len(buf) >= 9:
                f, length = hf.Frame.parse_frame_header(memoryview(buf[:9]))
                if len(buf) < 9 + length:
                    break
                f.parse_body(memoryview(buf[9:9 + length]))
                buf = buf[9 + length:]
                frames.append(f)
                ended = ended or (f.stream_id == 1 and "END_STREAM" in f.flags)
        s.close()
        self.assertTrue(ended, frames)
        self.assertFalse([f for f in frames if isinstance(f, hf.PushPromiseFrame)])
        response, = [f for f in frames if isinstance(f, hf.HeadersFrame) and f.stream_id == 1]
        fields = {k.decode() if isinstance(k, bytes) else k: v.decode() if isinstance(v, bytes)
                  else v for k, v in dec.decode(response.data)}
        self.assertEqual(fields[":status"], "200")
        self.assertEqual(fields["x-push-outcomes"], "connection_closing,connection_closing")

    def test_no_push_over_http1(self):
        p = curl("--http1.1", "-i", self.server.url("/push/page"))
        self.assertIn("x-push-outcomes: http1,http1", p.stdout)
        self.assertTrue(p.stdout.endswith("<html>page</html>"))

    def test_nested_push_is_skipped(self):
        c = self.fetch("/push/nested")
        (_, sid, _), = c.promises
        self.assertEqual(c.headers[sid]["x-push-outcomes"], "nested")

    def test_duplicate_resource_is_pushed_once(self):
        c = self.fetch("/push/dup")
        self.assertEqual(len(c.promises), 1)
        self.assertEqual(c.headers[1]["x-push-outcomes"], "promised,duplicate")

    def test_max_concurrent_streams_0_means_no_push(self):
        c = self.fetch("/push/page", settings={h2.settings.SettingCodes.MAX_CONCURRENT_STREAMS: 0})
        self.assertEqual(c.promises, [])
        self.assertEqual(c.headers[1]["x-push-outcomes"], "concurrency_limit,concurrency_limit")

    def test_max_concurrent_streams_1_allows_one_open_push(self):
        c = Client(self.server.port, settings={h2.settings.SettingCodes.MAX_CONCURRENT_STREAMS: 1})
        c.get(1, "/push/many")
        c.pump(lambda: 1 in c.ended)
        c.close()
        self.assertEqual(len(c.promises), 1)
        self.assertEqual(c.headers[1]["x-push-outcomes"],
                         "promised,concurrency_limit,concurrency_limit")

    # --- authority (RFC 9113 §8.4, §9.1.1; RFC 9110 §15.5.20) ---

    def test_tls_request_for_a_host_the_certificate_does_not_cover_gets_421(self):
        c = self.fetch("/push/page", tls=True, authority=f"evil.example:{self.server.tls_port}")
        self.assertEqual(c.headers[1][":status"], "421")
        self.assertEqual(c.promises, [])

    def test_tls_host_compare_is_case_insensitive(self):
        c = self.fetch("/push/page", tls=True, authority=f"LocalHost:{self.server.tls_port}")
        self.assertEqual(c.headers[1][":status"], "200")
        self.assertEqual(len(c.promises), 2)
        self.assertEqual(c.promises[0][2][":authority"], f"localhost:{self.server.tls_port}")

    def test_tls_http1_request_for_another_host_gets_421(self):
        p = curl("-k", self.server.url("/push/page", tls=True), "--http1.1", "-H", "Host: evil.example",
                 "-o", "/dev/null", "-w", "%{http_code}")
        self.assertEqual(p.stdout.strip(), "421")

    def test_clear_text_has_no_authority_check(self):
        c = self.fetch("/push/page", authority=f"evil.example:{self.server.port}")
        self.assertEqual(c.headers[1][":status"], "200")

    def test_push_for_another_host_the_certificate_covers(self):
        c = self.fetch("/push/other-host", tls=True)
        self.assertEqual(c.headers[1]["x-push-outcomes"], "promised")
        (_, sid, hs), = c.promises
        self.assertEqual(hs[":authority"], f"localhost:{self.server.tls_port}")
        self.assertEqual(c.data[sid], b"asset other")
        # Clear text: no certificate, the request's own origin only.
        c = self.fetch("/push/other-host")
        self.assertEqual(c.promises, [])
        self.assertIn(b"is not an origin this connection serves", c.data[1])

    # --- errors (the handler's mistakes) ---

    def test_push_after_reply_is_an_error_and_the_client_gets_a_clean_response(self):
        before = stats(self.server).get("push_after_reply_error", 0)
        c = self.fetch("/push/after-reply")
        self.assertEqual(c.promises, [])
        self.assertEqual(c.data[1], b"replied")
        self.assertEqual(stats(self.server).get("push_after_reply_error", 0), before + 1)

    def test_invalid_arguments_throw_and_nothing_reaches_the_wire(self):
        c = self.fetch("/push/invalid")
        self.assertEqual(c.promises, [])
        errors = c.data[1].decode().split("\n")[:-1]
        self.assertEqual(len(errors), 7)
        self.assertIn("method 'POST' cannot be pushed", errors[0])
        self.assertIn("must be an absolute path", errors[1])
        self.assertIn("uppercase", errors[2])
        self.assertIn("'content-length' may not appear", errors[3])
        self.assertIn("CR, LF or NUL", errors[4])
        self.assertIn("pseudo-header", errors[5])
        self.assertIn("is not an origin this connection serves", errors[6])

    # --- cancellation ---

    def test_client_reset_of_a_promised_stream_ends_its_actor(self):
        before = stats(self.server).get("slow_terminate_reset", 0)
        cancelled_before = push_stats(self.server)["cancelled"]
        c = Client(self.server.port)
        c.get(1, "/push/cancel")
        c.pump(lambda: 1 in c.ended and c.promises)
        (_, sid, _), = c.promises
        deadline = time.time() + 5 * SLOW
        while time.time() < deadline and stats(self.server).get("slow_started", 0) == 0:
            time.sleep(0.02)
        c.c.reset_stream(sid, error_code=8)  # CANCEL while its handler runs
        c.s.sendall(c.c.data_to_send())
        self.assertEqual(c.data[1], b"cancel")  # the parent completed
        deadline = time.time() + 5 * SLOW
        while time.time() < deadline and stats(self.server).get("slow_terminate_reset", 0) == before:
            time.sleep(0.02)
        c.close()
        self.assertEqual(stats(self.server).get("slow_terminate_reset", 0), before + 1)
        self.assertEqual(push_stats(self.server)["cancelled"], cancelled_before + 1)

    def test_connection_loss_ends_every_pushed_actor(self):
        before = stats(self.server)
        started = before.get("slow_started", 0)
        resets = before.get("slow_terminate_reset", 0)
        c = Client(self.server.port)
        c.get(1, "/push/many")  # three slow pushed requests, each in its own actor
        c.pump(lambda: 1 in c.ended and len(c.promises) == 3)
        self.assertEqual(len(c.promises), 3)
        deadline = time.time() + 5 * SLOW
        while time.time() < deadline and stats(self.server).get("slow_started", 0) < started + 3:
            time.sleep(0.02)
        c.close()  # no RST_STREAM, no GOAWAY: the connection is just gone
        deadline = time.time() + 5 * SLOW
        while (time.time() < deadline and
               stats(self.server).get("slow_terminate_reset", 0) < resets + 3):
            time.sleep(0.02)
        self.assertEqual(stats(self.server).get("slow_terminate_reset", 0), resets + 3)

    def test_metrics_count_promised_and_skipped(self):
        before = push_stats(self.server)
        self.fetch("/push/dup")
        after = push_stats(self.server)
        self.assertEqual(after["requested"] - before["requested"], 2)
        self.assertEqual(after["promised"] - before["promised"], 1)
        self.assertEqual(after["duplicate"] - before["duplicate"], 1)


if __name__ == "__main__":
    main()
