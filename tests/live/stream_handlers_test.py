"""Stream handlers against the test server: a user handler tagging every response (500s
included), response compression (compress_stream_h) and the access log. Compression is
checked with curl --compressed and Python (http.client, h2, zlib, brotli) over HTTP/1.1 and
h2c, full replies and a streamed response with trailers."""

import gzip
import http.client
import re
import unittest
import zlib

import brotli
import h2.events

import push_test
from harness import ServerCase, Server, curl, main, raw, SLOW


def text(n):
    """The body of GET /text/:n (test_handlers.cpp text_h)."""
    out, i = "", 0
    while len(out) < n:
        out += f"<p>line {i}</p>\n"
        i += 1
    return out[:n].encode()


STREAM_BODY = b"".join(b"chunk%d\n" % i for i in range(5))


def decode(coding, data):
    if coding == "gzip":
        return gzip.decompress(data)
    if coding == "br":
        return brotli.decompress(data)
    return data


def h1_get(port, path, headers=None, method="GET"):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10 * SLOW)
    c.request(method, path, headers=headers or {})
    r = c.getresponse()
    body = r.read()
    c.close()
    return r, body


class Client(push_test.Client):
    """push_test's h2c client, with request fields, and trailers and each DATA frame kept."""

    def __init__(self, port):
        super().__init__(port, False)
        self.trailers, self.chunks = {}, []
        self.ping_acked = False

    def get_with(self, path, fields):
        self.c.send_headers(1, [(":method", "GET"), (":scheme", "http"),
                                (":authority", f"127.0.0.1:{self.port}"), (":path", path)]
                            + list(fields), end_stream=True)
        self.s.sendall(self.c.data_to_send())

    def on_event(self, e):
        if isinstance(e, h2.events.TrailersReceived):
            self.trailers = {k.decode(): v.decode() for k, v in e.headers}
        elif isinstance(e, h2.events.DataReceived):
            self.chunks.append(e.data)
        elif isinstance(e, h2.events.PingAckReceived):
            self.ping_acked = True
        super().on_event(e)


def h2_get(port, path, fields=()):
    """One h2c request by prior knowledge: the client once its stream ended."""
    c = Client(port)
    c.get_with(path, fields)
    c.pump(lambda: 1 in c.ended)
    c.close()
    if 1 not in c.ended:
        raise AssertionError(f"h2c GET {path}: no end of stream")
    return c


class CompressionTest(ServerCase):
    server_args = ["--compress", "on"]

    def test_http1_gzip_and_br_full_reply(self):
        for coding in ("gzip", "br"):
            with self.subTest(coding=coding):
                r, body = h1_get(self.server.port, "/text/5000", {"Accept-Encoding": coding})
                self.assertEqual(r.status, 200)
                self.assertEqual(r.getheader("content-encoding"), coding)
                self.assertEqual(r.getheader("vary"), "accept-encoding")
                self.assertEqual(r.getheader("etag"), 'W/"t5000"')
                self.assertEqual(int(r.getheader("content-length")), len(body))
                self.assertLess(len(body), 2500)
                self.assertEqual(decode(coding, body), text(5000))

    def test_curl_compressed_http1_and_h2c(self):
        for proto in ("--http1.1", "--http2-prior-knowledge"):
            with self.subTest(proto=proto):
                p = curl(proto, "--compressed", "-D", "-", self.server.url("/text/20000"))
                self.assertEqual(p.returncode, 0, p.stderr)
                # run() reads text: the head's CRLFs are newlines here.
                head, _, body = p.stdout.partition("\n\n")
                self.assertRegex(head, r"(?im)^content-encoding: (gzip|br)$")
                self.assertTrue(body.encode() == text(20000), "decoded body differs")

    def test_left_alone_without_accept_encoding_small_or_head(self):
        for path, headers, method in (("/text/5000", {}, "GET"),
                                      ("/text/5000", {"Accept-Encoding": "gzip;q=0"}, "GET"),
                                      ("/text/100", {"Accept-Encoding": "gzip"}, "GET"),
                                      ("/big/5000", {"Accept-Encoding": "gzip"}, "GET"),
                                      ("/text/5000", {"Accept-Encoding": "gzip"}, "HEAD")):
            with self.subTest(path=path, headers=headers, method=method):
                r, body = h1_get(self.server.port, path, headers, method)
                self.assertEqual(r.status, 200)
                self.assertIsNone(r.getheader("content-encoding"))
                if method == "GET":
                    self.assertEqual(int(r.getheader("content-length")), len(body))

    def test_h2c_br_full_reply(self):
        c = h2_get(self.server.port, "/text/8000", [("accept-encoding", "gzip, br")])
        self.assertEqual(c.headers[1][":status"], "200")
        self.assertEqual(c.headers[1]["content-encoding"], "br")
        self.assertEqual(brotli.decompress(c.data[1]), text(8000))

    def test_streamed_response_compressed_in_flight_h2c(self):
        c = h2_get(self.server.port, "/stream", [("accept-encoding", "gzip")])
        chunks = c.chunks
        self.assertEqual(c.headers[1]["content-encoding"], "gzip")
        self.assertEqual(c.trailers, {"x-checksum": "five"})
        # Every DATA frame decodes on arrival up to a chunk's end: each stream_body chunk was
        # flushed (the engine may put several in one frame).
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        decoded = [d.decompress(c) for c in chunks]
        self.assertTrue(d.eof)
        self.assertEqual(b"".join(decoded), STREAM_BODY)
        for piece in decoded:
            if piece:
                self.assertTrue(piece.endswith(b"\n"), decoded)

    def test_streamed_response_compressed_http1_chunked_with_trailers(self):
        reply = raw(self.server.port, b"GET /stream HTTP/1.1\r\nHost: x\r\nTE: trailers\r\n"
                                      b"Accept-Encoding: br\r\nConnection: close\r\n\r\n",
                    timeout=10)
        head, _, rest = reply.partition(b"\r\n\r\n")
        self.assertIn(b"content-encoding: br", head.lower())
        self.assertIn(b"transfer-encoding: chunked", head.lower())
        body, trailers = b"", b""
        while True:
            size_line, _, rest = rest.partition(b"\r\n")
            size = int(size_line.split(b";")[0], 16)
            if size == 0:
                trailers = rest
                break
            body += rest[:size]
            rest = rest[size + 2:]
        self.assertEqual(brotli.decompress(body), STREAM_BODY)
        self.assertIn(b"x-checksum: five", trailers.lower())


class RequestIdTest(unittest.TestCase):
    def test_every_response_is_tagged_including_a_crash_500(self):
        with Server(args=["--request-id", "on"]) as s:
            for proto in ("--http1.1", "--http2-prior-knowledge"):
                for path, status in (("/hello", 200), ("/crash", 500), ("/stream", 200)):
                    with self.subTest(proto=proto, path=path):
                        p = curl(proto, "-D", "-", "-o", "/dev/null", s.url(path))
                        self.assertRegex(p.stdout, rf"^HTTP/[12](\.1)? {status}")
                        self.assertRegex(p.stdout, r"(?im)^x-request-id: s1$")


class OffByDefaultTest(unittest.TestCase):
    def test_no_compression_unless_the_listener_asks(self):
        with Server() as s:
            r, body = h1_get(s.port, "/text/5000", {"Accept-Encoding": "gzip, br"})
        self.assertIsNone(r.getheader("content-encoding"))
        self.assertEqual(body, text(5000))


class AccessLogTest(unittest.TestCase):
    def test_line_per_stream_with_query_string_protocol_and_compressed_size(self):
        with Server(args=["--access-log", "on", "--compress", "on"]) as s:
            curl("--http2-prior-knowledge", "-H", "accept-encoding: gzip",
                 s.url("/text/5000?x=1&y"))
            curl("--http1.1", s.url("/hello/log?q=2"))
            s.stop()
            out = s.stdout
        m = re.search(r'127\.0\.0\.1:\d+ "GET /text/5000\?x=1&y" 200 (\d+) \d+us h2c stream=1\n',
                      out)
        self.assertIsNotNone(m, out)
        self.assertLess(int(m.group(1)), 2500)  # the compressed size, as sent
        self.assertRegex(out, r'127\.0\.0\.1:\d+ "GET /hello/log\?q=2" 200 \d+ \d+us '
                              r'http/1\.1 stream=1\n')

    def test_a_stream_reset_by_the_client_is_logged_as_such(self):
        with Server(args=["--access-log", "on"]) as s:
            c = Client(s.port)
            c.get(1, "/hang")
            c.c.reset_stream(1)
            # A PING after the RST_STREAM: its ACK means the server has handled the reset.
            c.c.ping(b"rodeo-rs")
            c.s.sendall(c.c.data_to_send())
            c.pump(lambda: c.ping_acked)
            c.close()
            self.assertTrue(c.ping_acked)
            s.stop()
            out = s.stdout
        self.assertRegex(out, r'"GET /hang" 0 0 \d+us h2c stream=1 reset\n')

    def test_custom_format_and_a_bad_one(self):
        with Server(args=["--access-log", "on", "--access-log-format",
                          "$method $request_uri -> $status in:$bytes_in"]) as s:
            curl("--http1.1", "-d", "abcd", s.url("/echo?z"))
            s.stop()
            out = s.stdout
        self.assertIn("POST /echo?z -> 200 in:4\n", out)
        with self.assertRaises(RuntimeError) as e:
            Server(args=["--access-log", "on", "--access-log-format", "$nope"]).__enter__()
        self.assertIn("access log format: unknown variable '$nope'", str(e.exception))


if __name__ == "__main__":
    main()
