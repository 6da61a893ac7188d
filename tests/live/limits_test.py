"""Limits and bad configuration: 431, 413, idle timeout, port in use."""

import socket
import tempfile
import subprocess
import time
import unittest

from harness import Server, curl, raw, run, main, DEMO, SLOW


class Limits(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(args=["--max-body", "1000", "--max-header", "2048",
                                  "--idle-ms", "1500"]).__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.server.__exit__(None, None, None)

    def test_oversize_header_block_is_431_on_http1(self):
        out = raw(self.server.port, b"GET /hello HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 4000 +
                  b"\r\n\r\n")
        self.assertTrue(out.startswith(b"HTTP/1.1 431"), out[:100])

    def test_oversize_declared_body_is_413_on_http1(self):
        out = raw(self.server.port, b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n")
        self.assertTrue(out.startswith(b"HTTP/1.1 413"), out[:100])

    def _nghttp_post(self, *flags):
        with tempfile.NamedTemporaryFile() as f:
            f.write(b"q" * 5000)
            f.flush()
            return run(["nghttp", "-v", *flags, "-d", f.name, self.server.url("/echo")], timeout=20)

    def test_oversize_declared_body_is_413_on_http2(self):
        self.assertIn(":status: 413", self._nghttp_post().stdout)

    def test_oversize_streamed_body_is_413_on_http2(self):
        # No content-length: the limit is found while the DATA frames arrive.
        self.assertIn(":status: 413", self._nghttp_post("--no-content-length").stdout)

    def test_body_within_the_limit_is_served(self):
        p = subprocess.run(["curl", "-sS", "--http1.1", "--data-binary", "@-",
                            self.server.url("/echo")], input="k" * 900, capture_output=True,
                           text=True, timeout=30)
        self.assertEqual(p.stdout, "k" * 900)

    def test_idle_connection_is_closed(self):
        with socket.create_connection(("127.0.0.1", self.server.port), timeout=10 * SLOW) as s:
            s.sendall(b"GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
            t0 = time.time()
            data = b""
            while True:
                b = s.recv(4096)
                if not b:
                    break
                data += b
            self.assertIn(b"Hello world!", data)
            self.assertGreater(time.time() - t0, 1.0)
            self.assertLess(time.time() - t0, 8 * SLOW)


class BadConfig(unittest.TestCase):
    def test_port_in_use_stops_startup_with_one_line_and_code_2(self):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            s.listen()
            port = s.getsockname()[1]
            p = run([DEMO, "--port", str(port), "--tls-port", "off"], timeout=20)
        self.assertEqual(p.returncode, 2)
        lines = p.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, p.stderr)
        self.assertIn(f"cannot listen on clear-text port 127.0.0.1:{port}", lines[0])

    def test_bad_flag_stops_startup_with_one_line(self):
        p = run([DEMO, "--threads", "zero"], timeout=20)
        self.assertEqual(p.returncode, 2)
        self.assertEqual(len(p.stderr.strip().splitlines()), 1)
        self.assertIn("--threads", p.stderr)


if __name__ == "__main__":
    main()
