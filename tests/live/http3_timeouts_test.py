"""body_timeout and send_timeout on HTTP/3 request streams, with Rodeo's HTTP/3 test client
(rodeo_h3_get): an upload that stalls gets 408, as on HTTP/2; a response the client stops
taking (its stream window held at a few bytes) is cancelled (RESET_STREAM
H3_REQUEST_CANCELLED) and its request actor ends, while the connection serves the next
request. Every wait is for an event (the client's exit, a counter in /stats), bounded."""

import os
import time
import unittest

from harness import Server, SLOW, main, run, stats

H3_GET = os.environ.get("RODEO_H3_GET", "")
TIMEOUT_MS = 1000
BOUND = 20  # seconds (times SLOW in run): far above TIMEOUT_MS plus a tick


def wait_for(predicate, bound=10 * SLOW, step=0.05):
    deadline = time.time() + bound
    while True:
        value = predicate()
        if value or time.time() >= deadline:
            return value
        time.sleep(step)


def h3_get(server, flags, *paths):
    return run([H3_GET] + flags + ["127.0.0.1", str(server.quic_port)] + list(paths),
               timeout=BOUND)


@unittest.skipUnless(H3_GET, "needs rodeo_h3_get")
class Http3Timeouts(unittest.TestCase):
    def test_body_that_stops_gets_408(self):
        with Server(args=["--body-timeout-ms", str(TIMEOUT_MS)]) as srv:
            p = h3_get(srv, ["--stall-body", "10"], "/echo")
            self.assertIn("response status 408", p.stdout, p.stdout + p.stderr)

    def test_response_the_client_does_not_take_is_cancelled(self):
        with Server(args=["--send-timeout-ms", str(TIMEOUT_MS)]) as srv:
            p = h3_get(srv, ["--stream-window", "4096", "--hold-credit"], "/firehose/16",
                       "/hello")
            self.assertIn("response reset 0x10c", p.stdout, p.stdout + p.stderr)
            # The connection goes on: the next request on it is served.
            self.assertIn("response status 200 body 12 bytes", p.stdout, p.stdout)
            self.assertTrue(wait_for(lambda: stats(srv).get("firehose_terminate_reset") == 1),
                            stats(srv))

    def test_slow_but_complete_download_is_not_cut(self):
        # A window of 64 KiB, credit returned as the client reads: the body arrives whole.
        with Server(args=["--send-timeout-ms", str(TIMEOUT_MS)]) as srv:
            p = h3_get(srv, ["--stream-window", "65536"], "/big/3000000")
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertIn("response status 200 body 3000000 bytes", p.stdout[:200])


if __name__ == "__main__":
    main()
