"""rodeo_clock: a server-sent events clock (a loop handler streaming until the client leaves)
and a long-polling chat room (loop handlers answered by a room actor), with curl."""

import os
import re
import subprocess
import threading
import time
import unittest

from harness import SLOW, Server, _BUILD, curl, main

CLOCK = os.environ.get("RODEO_CLOCK", os.path.join(_BUILD, "apps", "clock", "rodeo_clock"))

EVENT = re.compile(r"data: (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)\n\n")


def utc(stamp):
    return time.mktime(time.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ"))


class Clock(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(CLOCK, ["--port", "0", "--tls-port", "0", "--quiet"],
                            ready=r":(\d+)/").__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.server.__exit__(None, None, None)

    def url(self, path, tls=False):
        return self.server.url(path, tls)

    def open_clocks(self):
        return curl(self.url("/clock/clients")).stdout

    def wait_until_closed(self):
        # terminate runs once the connection has noticed the client left.
        deadline = time.time() + 5 * SLOW
        while self.open_clocks() != "0\n" and time.time() < deadline:
            time.sleep(0.05)
        self.assertEqual(self.open_clocks(), "0\n")

    def read_events(self, *args):
        # curl -N stops buffering; --max-time ends the stream (exit 28) after two ticks.
        p = subprocess.run(["curl", "-sS", "-N", "-i", "--max-time", str(1.6 * SLOW)] + list(args),
                           capture_output=True, text=True, timeout=30)
        self.assertEqual(p.returncode, 28, p.stderr)  # timed out: the stream never ends itself
        head, _, body = p.stdout.partition("\n\n")
        return head.lower(), body

    def check_events(self, body):
        stamps = EVENT.findall(body)
        self.assertEqual(EVENT.sub("", body), "", "nothing but events: " + body)
        self.assertGreaterEqual(len(stamps), 2, body)
        now = time.time()
        first = utc(stamps[0])
        self.assertLess(abs(first - now), 10)
        for a, b in zip(stamps, stamps[1:]):
            self.assertIn(utc(b) - utc(a), (0, 1, 2), stamps)  # one a second, give or take

    def test_sse_events_over_http1(self):
        head, body = self.read_events("--http1.1", self.url("/clock"))
        self.assertIn("content-type: text/event-stream", head)
        self.assertIn("cache-control: no-cache", head)
        self.assertIn("transfer-encoding: chunked", head)
        self.check_events(body)
        self.wait_until_closed()

    def test_sse_events_over_h2c_and_h2(self):
        for args in (["--http2-prior-knowledge", self.url("/clock")],
                     ["--http2", "-k", self.url("/clock", tls=True)]):
            with self.subTest(args=args):
                head, body = self.read_events(*args)
                self.assertTrue(head.startswith("http/2 200"), head)
                self.assertIn("content-type: text/event-stream", head)
                self.check_events(body)
                self.wait_until_closed()

    def test_clock_is_get_only(self):
        p = curl("-X", "POST", "-o", "/dev/null", "-w", "%{http_code}", self.url("/clock"))
        self.assertEqual(p.stdout, "405")

    def say_until_delivered(self, text, waiters):
        """POSTs `text` until `waiters` waiters got it (a waiter may not have joined yet)."""
        delivered = 0
        deadline = time.time() + 10 * SLOW
        while delivered < waiters and time.time() < deadline:
            p = curl("--data-binary", text, self.url("/chat/say"))
            m = re.fullmatch(r"delivered to (\d+)\n", p.stdout)
            self.assertIsNotNone(m, p.stdout)
            delivered += int(m.group(1))
            if delivered < waiters:
                time.sleep(0.05)
        self.assertEqual(delivered, waiters)

    def start_waiter(self, *args):
        got = {}

        def wait():
            got["p"] = curl("-w", "\n%{http_code}", *args, self.url("/chat/wait"))

        t = threading.Thread(target=wait)
        t.start()
        return t, got

    def test_a_waiter_gets_what_is_said(self):
        t, got = self.start_waiter("--http1.1")
        self.say_until_delivered("howdy, partner", 1)
        t.join(timeout=15 * SLOW)
        self.assertEqual(got["p"].stdout, "howdy, partner\n200")

    def test_every_waiter_gets_the_message_over_http1_and_h2c(self):
        waiters = [self.start_waiter("--http1.1"), self.start_waiter("--http2-prior-knowledge")]
        self.say_until_delivered("round up", 2)
        for t, got in waiters:
            t.join(timeout=15 * SLOW)
            self.assertEqual(got["p"].stdout, "round up\n200")

    def test_saying_to_an_empty_room_delivers_to_nobody(self):
        self.assertEqual(curl("--data-binary", "anyone?", self.url("/chat/say")).stdout,
                         "delivered to 0\n")

    def test_say_is_post_only_and_bounded(self):
        p = curl("-i", self.url("/chat/say"))
        self.assertIn("405", p.stdout.splitlines()[0])
        self.assertIn("allow: POST", p.stdout)
        p = curl("--data-binary", "x" * 5000, "-o", "/dev/null", "-w", "%{http_code}",
                 self.url("/chat/say"))
        self.assertEqual(p.stdout, "413")


if __name__ == "__main__":
    main()
