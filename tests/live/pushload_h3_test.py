"""bench/pushload over HTTP/3 (--h3) against the test server: a smoke test of the load
generator, not a measurement (no timing is asserted). It must report the pages and the pushes
it got with no error, and count them the way its HTTP/2 mode does on the same routes."""

import os
import re
import socket
import unittest

from harness import ServerCase, main, run, SLOW

PUSHLOAD = os.environ.get("RODEO_PUSHLOAD", "")


def summary(p):
    """pushload's last line, `pushload: key=value ...`, as a dict of numbers."""
    lines = [l for l in p.stdout.splitlines() if l.startswith("pushload: pages=")]
    assert lines, p.stdout + p.stderr
    return {k: float(v) for k, v in re.findall(r"(\w+)=([0-9.]+)", lines[-1])}


@unittest.skipUnless(PUSHLOAD, "needs pushload built with --h3 (RODEO_BUILD_BENCH, ngtcp2)")
class PushloadH3(ServerCase):
    def pushload(self, *args, h3=True, ok=True):
        port = self.server.quic_port if h3 else self.server.tls_port
        url = args[-1].replace("PORT", str(port))
        cmd = [PUSHLOAD] + (["--h3"] if h3 else []) + list(args[:-1]) + [url]
        p = run(cmd, timeout=60 * SLOW)
        if ok:
            self.assertEqual(p.returncode, 0, p.stdout[-2000:] + p.stderr[-2000:])
        return p, summary(p)

    def test_cold_pages_get_their_pushes(self):
        # --reconnect 1: a new QUIC connection per page, so each page gets both pushes
        # (Rodeo pushes a resource once per connection).
        p, s = self.pushload("-n", "12", "-c", "2", "-m", "1", "--reconnect", "1",
                             "https://127.0.0.1:PORT/push/page")
        self.assertIn("over HTTP/3", p.stdout)
        self.assertEqual(s["pages"], 12)
        self.assertEqual(s["failed"], 0)
        self.assertEqual(s["errors"], 0)
        self.assertEqual(s["promised"], 24)
        self.assertEqual(s["pushed"], 24)
        # A connection that served its page reconnects even when no page is left to take.
        connects = int(re.search(r"(\d+) reached HTTP/3", p.stdout).group(1))
        self.assertGreaterEqual(connects, 12)

    def test_pushed_bytes_are_counted_as_over_http2(self):
        args = ("-n", "8", "-c", "1", "-m", "1", "--reconnect", "1",
                "https://127.0.0.1:PORT/push/page")
        _, h3 = self.pushload(*args)
        _, h2 = self.pushload(*args, h3=False)
        for key in ("pages", "promised", "pushed", "bytes", "failed", "errors"):
            self.assertEqual(h3[key], h2[key], key)
        # Two pushed bodies of "asset style.css" and "asset app.js" per page, and the page.
        self.assertGreater(h3["bytes"], 8 * len("asset style.cssasset app.js"))

    def test_warm_connection_keeps_pages_in_flight(self):
        # One connection, 4 pages in flight: the pushes come with the first pages only.
        p, s = self.pushload("-n", "40", "-c", "1", "-m", "4", "https://127.0.0.1:PORT/push/page")
        self.assertEqual(s["pages"], 40)
        self.assertEqual(s["failed"], 0)
        self.assertEqual(s["errors"], 0)
        self.assertGreaterEqual(s["pushed"], 2)
        self.assertLessEqual(s["pushed"], s["promised"])
        self.assertIn("1 reached HTTP/3", p.stdout)

    def test_no_push_sends_no_max_push_id(self):
        # RFC 9114 §4.6: without MAX_PUSH_ID the server may not push.
        _, s = self.pushload("--no-push", "-n", "6", "-c", "2", "--reconnect", "1",
                             "https://127.0.0.1:PORT/push/page")
        self.assertEqual(s["pages"], 6)
        self.assertEqual(s["failed"], 0)
        self.assertEqual(s["promised"], 0)
        self.assertEqual(s["pushed"], 0)

    def test_a_missing_page_is_a_failed_page_not_an_error(self):
        p, s = self.pushload("-n", "3", "https://127.0.0.1:PORT/no/such/page", ok=False)
        self.assertEqual(p.returncode, 1)
        self.assertEqual(s["pages"], 3)
        self.assertEqual(s["failed"], 3)
        self.assertEqual(s["errors"], 0)

    def test_nothing_listening_is_reported_as_errors(self):
        # A UDP port nobody serves (bound, then closed): QUIC gets ICMP port unreachable or
        # silence; either way no page, and pushload stops at its --timeout, exit status 1.
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        p = run([PUSHLOAD, "--h3", "-n", "1", "--timeout", "2",
                 f"https://127.0.0.1:{port}/"], timeout=30 * SLOW)
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        self.assertEqual(summary(p)["pages"], 0)

    def test_h3_wants_https(self):
        p = run([PUSHLOAD, "--h3", "http://127.0.0.1:1/"])
        self.assertEqual(p.returncode, 2)
        self.assertIn("--h3 wants an https:// URL", p.stderr)


if __name__ == "__main__":
    main()
