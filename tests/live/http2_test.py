"""HTTP/2 with prior knowledge on the clear-text port: curl, nghttp, h2load, Python h2
(RFC 9113)."""

import socket
import time

import h2.config
import h2.connection
import h2.events

from harness import ServerCase, curl, run, stats, wait_stat, main, SLOW


def h2_connect(port):
    s = socket.create_connection(("127.0.0.1", port), timeout=10 * SLOW)
    c = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True,
                                                             validate_outbound_headers=False,
                                                             normalize_outbound_headers=False))
    c.initiate_connection()
    s.sendall(c.data_to_send())
    return s, c


def pump(s, c, until, timeout=10):
    """Reads events, handing each batch of new ones to `until`, until it returns true;
    returns all events."""
    events = []
    deadline = time.time() + timeout * SLOW
    while time.time() < deadline:
        data = s.recv(65536)
        if not data:
            break
        new = c.receive_data(data)
        events += new
        # `until` may acknowledge DATA: its WINDOW_UPDATE must leave before the next recv, or
        # a server waiting for window and a client waiting for bytes wait for each other.
        finished = until(new)
        out = c.data_to_send()
        if out:
            s.sendall(out)
        if finished:
            break
    return events


def get(c, sid, path, port, extra=()):
    c.send_headers(sid, [(":method", "GET"), (":scheme", "http"),
                         (":authority", f"127.0.0.1:{port}"), (":path", path)] + list(extra),
                   end_stream=True)


class Http2(ServerCase):
    def url(self, path):
        return self.server.url(path)

    def test_hello_with_prior_knowledge(self):
        p = curl("--http2-prior-knowledge", "-i", self.url("/hello"))
        self.assertIn("HTTP/2 200", p.stdout)
        self.assertTrue(p.stdout.endswith("Hello world!"))

    def test_nghttp_sees_settings_and_the_response(self):
        p = run(["nghttp", "-nv", self.url("/hello/nghttp")], timeout=20)
        self.assertIn("recv SETTINGS frame", p.stdout)
        self.assertIn("SETTINGS_MAX_CONCURRENT_STREAMS", p.stdout)
        self.assertIn(":status: 200", p.stdout)
        p = run(["nghttp", self.url("/hello/nghttp")], timeout=20)
        self.assertEqual(p.stdout, "Hello nghttp!")

    def test_two_requests_on_one_connection_run_concurrently(self):
        # Two handlers that never answer on their own both start: the second stream does
        # not wait for the first one's response (each request has its own actor).
        before = stats(self.server).get("hang_started", 0)
        ended = stats(self.server).get("hang_terminate_reset", 0)
        s, c = h2_connect(self.server.port)
        get(c, 1, "/hang", self.server.port)
        get(c, 3, "/hang", self.server.port)
        s.sendall(c.data_to_send())
        self.assertEqual(wait_stat(self.server, "hang_started", before + 2), before + 2)
        s.close()
        self.assertEqual(wait_stat(self.server, "hang_terminate_reset", ended + 2), ended + 2)

    def test_two_slow_requests_on_one_connection_both_complete(self):
        p = run(["nghttp", self.url("/sleep/100"), self.url("/sleep/101")], timeout=20)
        self.assertIn("slept 100", p.stdout)
        self.assertIn("slept 101", p.stdout)

    def test_throwing_handler_next_to_a_healthy_stream(self):
        s, c = h2_connect(self.server.port)
        get(c, 1, "/crash", self.server.port)
        get(c, 3, "/hello", self.server.port)
        s.sendall(c.data_to_send())
        status, body, ended = {}, {}, set()

        def done(evs):
            for e in evs:
                if isinstance(e, h2.events.ResponseReceived):
                    status[e.stream_id] = dict(e.headers)[b":status"]
                elif isinstance(e, h2.events.DataReceived):
                    body[e.stream_id] = body.get(e.stream_id, b"") + e.data
                    c.acknowledge_received_data(e.flow_controlled_length, e.stream_id)
                elif isinstance(e, h2.events.StreamEnded):
                    ended.add(e.stream_id)
            return {1, 3} <= ended
        pump(s, c, done)
        s.close()
        self.assertEqual(status[1], b"500")
        self.assertEqual(status[3], b"200")
        self.assertEqual(body[3], b"Hello world!")

    def test_crash_after_the_reply_started_resets_the_stream(self):
        p = run(["nghttp", "-v", self.url("/crash-streaming")], timeout=20)
        self.assertIn("recv RST_STREAM", p.stdout)
        self.assertIn("INTERNAL_ERROR", p.stdout)

    def test_crash_after_a_complete_reply_still_delivers_it(self):
        s, c = h2_connect(self.server.port)
        get(c, 1, "/crash-after-reply", self.server.port)
        s.sendall(c.data_to_send())
        status, body, ended, resets = {}, b"", set(), []

        def done(evs):
            nonlocal body
            for e in evs:
                if isinstance(e, h2.events.ResponseReceived):
                    status[e.stream_id] = dict(e.headers)[b":status"]
                elif isinstance(e, h2.events.DataReceived):
                    body += e.data
                    c.acknowledge_received_data(e.flow_controlled_length, e.stream_id)
                elif isinstance(e, h2.events.StreamEnded):
                    ended.add(e.stream_id)
                elif isinstance(e, h2.events.StreamReset):
                    resets.append((e.stream_id, e.error_code))
            return 1 in ended or resets
        pump(s, c, done)
        s.close()
        self.assertEqual(resets, [])
        self.assertEqual(status.get(1), b"200")
        self.assertEqual(len(body), 200000)
        self.assertIn(1, ended)

    def test_client_reset_ends_the_request_actor(self):
        before = stats(self.server).get("hang_terminate_reset", 0)
        s, c = h2_connect(self.server.port)
        started = stats(self.server).get("hang_started", 0)
        get(c, 1, "/hang", self.server.port)
        s.sendall(c.data_to_send())
        # Reset once the handler runs (an event, not a guessed delay).
        self.assertEqual(wait_stat(self.server, "hang_started", started + 1), started + 1)
        c.reset_stream(1, error_code=8)  # CANCEL
        get(c, 3, "/hello", self.server.port)
        s.sendall(c.data_to_send())
        evs = pump(s, c, lambda evs: any(isinstance(e, h2.events.StreamEnded) for e in evs))
        self.assertTrue(any(isinstance(e, h2.events.StreamEnded) and e.stream_id == 3 for e in evs))
        s.close()
        deadline = time.time() + 5 * SLOW
        while time.time() < deadline and stats(self.server).get("hang_terminate_reset", 0) == before:
            time.sleep(0.05)
        self.assertEqual(stats(self.server).get("hang_terminate_reset", 0), before + 1)

    def test_rfc9113_s8_2_malformed_stream_is_reset_and_its_neighbour_completes(self):
        s, c = h2_connect(self.server.port)
        # Uppercase field names are malformed in HTTP/2 (RFC 9113 §8.2.1).
        get(c, 1, "/hello", self.server.port, extra=[("X-Upper", "1")])
        get(c, 3, "/hello/neighbour", self.server.port)
        s.sendall(c.data_to_send())
        got = {}

        def done(evs):
            for e in evs:
                if isinstance(e, h2.events.StreamReset):
                    got[e.stream_id] = ("reset", e.error_code)
                elif isinstance(e, h2.events.DataReceived):
                    got[e.stream_id] = ("data", e.data)
            return 1 in got and 3 in got
        pump(s, c, done)
        s.close()
        self.assertEqual(got[1], ("reset", 1))  # PROTOCOL_ERROR
        self.assertEqual(got[3], ("data", b"Hello neighbour!"))

    def test_request_body_over_h2(self):
        p = run(["curl", "-sS", "--http2-prior-knowledge", "--data-binary", "@-", self.url("/echo")],
                input="z" * 200000, timeout=30)
        self.assertEqual(len(p.stdout), 200000)

    def test_large_response_respects_flow_control(self):
        # nghttp's default window is 64 KiB: a 1 MB body needs WINDOW_UPDATEs to finish.
        p = run(["nghttp", self.url("/big/1000000")], timeout=30)
        self.assertEqual(len(p.stdout), 1000000)
        self.assertEqual(p.stdout[:26], "abcdefghijklmnopqrstuvwxyz")

    def test_h2load_smoke_20000_requests_no_failure(self):
        p = run(["h2load", "-n", "20000", "-c", "4", "-m", "16", self.url("/hello")], timeout=120)
        self.assertIn("20000 succeeded, 0 failed", p.stdout, p.stdout)


if __name__ == "__main__":
    main()
