"""Graceful stop with an open server-sent events stream (a loop handler), HTTP/1.1 and HTTP/2
with curl: on SIGTERM the handler is told (on_shutdown sends a last "bye" event), its stream
ends cleanly (curl exits 0 with the whole stream), `terminate` gets `shutdown`, and the
process exits long before the stop deadline (60 s here)."""

import subprocess
import time
import unittest

from harness import SLOW, Server, main


class ShutdownWithOpenStream(unittest.TestCase):
    def stop_with_open_stream(self, protocol_args, path="/ticks"):
        server = Server(args=["--stop-timeout-ms", "60000"]).__enter__()
        client = subprocess.Popen(["curl", "-sSN", "--max-time", str(30 * SLOW)] + protocol_args +
                                  [server.url(path)], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True)
        try:
            # The stream is open once its first event arrived.
            first = client.stdout.readline()
            self.assertEqual(first, "data: tick\n")
        except BaseException:
            client.kill()
            server.stop()
            raise
        # The stop deadline is 60 s; Server.stop fails if the process is still running after
        # 15 s (x SLOW): a stream held until the deadline fails the test.
        server.stop(timeout=15)
        rest, err = client.communicate(timeout=10 * SLOW)
        self.assertEqual(server.exit_code, 0)
        self.assertEqual(client.returncode, 0, err)
        self.assertTrue(rest.endswith("data: bye\n\n"), rest[-200:])
        self.assertIn("ticks terminate: shutdown", server.stdout)

    def test_http1(self):
        self.stop_with_open_stream(["--http1.1"])

    def test_http2(self):
        self.stop_with_open_stream(["--http2-prior-knowledge"])

    def test_loop_handler_behind_methods(self):
        # rodeo::methods passes on_shutdown on to the handler it chose.
        self.stop_with_open_stream(["--http1.1"], "/ticks-by-method")


if __name__ == "__main__":
    main()
