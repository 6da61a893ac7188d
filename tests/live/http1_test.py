"""HTTP/1.1 on the clear-text port with curl and raw sockets (RFC 9112)."""

import subprocess

from harness import ServerCase, curl, raw, main


class Http1(ServerCase):
    def url(self, path):
        return self.server.url(path)

    def test_hello_over_http1(self):
        p = curl("--http1.1", "-i", self.url("/hello"))
        self.assertIn("HTTP/1.1 200 OK", p.stdout)
        self.assertIn("content-type: text/plain", p.stdout.lower())
        self.assertIn("content-length: 12", p.stdout.lower())
        self.assertTrue(p.stdout.endswith("Hello world!"))

    def test_binding_through_curl(self):
        self.assertEqual(curl("--http1.1", self.url("/hello/rodeo")).stdout, "Hello rodeo!")

    def test_unknown_path_is_404(self):
        p = curl("--http1.1", "-o", "/dev/null", "-w", "%{http_code}", self.url("/nope"))
        self.assertEqual(p.stdout, "404")

    def test_keep_alive_reuses_the_connection(self):
        p = curl("--http1.1", "-v", self.url("/hello"), self.url("/hello/again"))
        self.assertIn("Hello world!Hello again!", p.stdout)
        self.assertIn("Re-using existing connection", p.stderr)

    def test_rfc9112_s9_3_2_pipelined_responses_leave_in_request_order(self):
        # The first request is slow; its answer must still come first.
        reqs = (b"GET /sleep/300 HTTP/1.1\r\nHost: x\r\n\r\n"
                b"GET /hello/two HTTP/1.1\r\nHost: x\r\n\r\n"
                b"GET /hello/three HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        out = raw(self.server.port, reqs)
        i1, i2, i3 = out.find(b"slept 300"), out.find(b"Hello two!"), out.find(b"Hello three!")
        self.assertTrue(0 < i1 < i2 < i3, out)
        self.assertEqual(out.count(b"HTTP/1.1 200 OK"), 3)

    def test_chunked_request_body_is_dechunked(self):
        body = "x" * 100000
        p = subprocess.run(
            ["curl", "-sS", "--http1.1", "-H", "Transfer-Encoding: chunked", "--data-binary", "@-",
             "-D", "-", self.url("/echo")], input=body, capture_output=True, text=True, timeout=30)
        head, _, got = p.stdout.rpartition("\n\n")  # after any 100 Continue
        self.assertIn("x-body-length: 100000", head.lower())
        self.assertTrue(got == body, f"echoed {len(got)} bytes")

    def test_body_read_chunk_by_chunk(self):
        out = raw(self.server.port,
                  b"POST /count HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                  b"Connection: close\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n")
        self.assertIn(b"11 bytes", out)

    def test_rfc9110_s10_1_1_expect_100_continue(self):
        p = subprocess.run(
            ["curl", "-sS", "-v", "--http1.1", "-H", "Expect: 100-continue", "--data-binary", "@-",
             self.url("/echo")], input="y" * 5000, capture_output=True, text=True, timeout=30)
        self.assertIn("HTTP/1.1 100 Continue", p.stderr)
        self.assertTrue(p.stdout == "y" * 5000, f"echoed {len(p.stdout)} bytes")

    def test_streamed_reply_is_chunked_with_trailers(self):
        p = curl("--http1.1", "--raw", "-i", self.url("/stream"))
        self.assertIn("transfer-encoding: chunked", p.stdout.lower())
        self.assertIn("chunk0\n", p.stdout)
        self.assertIn("chunk4\n", p.stdout)
        self.assertIn("x-checksum: five", p.stdout.lower())

    def test_head_has_length_but_no_body(self):
        out = raw(self.server.port, b"HEAD /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        self.assertIn(b"content-length: 12", out.lower())
        self.assertFalse(out.endswith(b"Hello world!"))

    def test_handler_without_reply_gets_204(self):
        p = curl("--http1.1", "-o", "/dev/null", "-w", "%{http_code}", self.url("/noreply"))
        self.assertEqual(p.stdout, "204")

    def test_inform_sends_103_before_the_reply(self):
        p = curl("--http1.1", "-v", self.url("/inform"))
        self.assertIn("HTTP/1.1 103", p.stderr)
        self.assertEqual(p.stdout, "after hints")

    def test_throwing_handler_gets_500_and_the_connection_goes_on(self):
        out = raw(self.server.port,
                  b"GET /crash HTTP/1.1\r\nHost: x\r\n\r\n"
                  b"GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        self.assertIn(b"HTTP/1.1 500", out)
        self.assertTrue(out.endswith(b"Hello world!"), out)

    def test_crash_after_a_complete_reply_still_delivers_it(self):
        out = raw(self.server.port,
                  b"GET /crash-after-reply HTTP/1.1\r\nHost: x\r\n\r\n"
                  b"GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        self.assertTrue(out.startswith(b"HTTP/1.1 200"), out[:200])
        self.assertIn(b"r" * 200000 + b"HTTP/1.1 200", out)
        self.assertTrue(out.endswith(b"Hello world!"), out[-200:])

    def test_malformed_request_gets_400_and_close(self):
        out = raw(self.server.port, b"GET / HTTP/1.1\r\nHost x\r\n\r\n")
        self.assertTrue(out.startswith(b"HTTP/1.1 400"), out)

    def test_rfc9112_s5_1_space_before_colon_is_400(self):
        out = raw(self.server.port, b"GET /hello HTTP/1.1\r\nHost : x\r\n\r\n")
        self.assertTrue(out.startswith(b"HTTP/1.1 400"), out)

    def test_rfc9112_s3_2_missing_host_is_400(self):
        out = raw(self.server.port, b"GET /hello HTTP/1.1\r\n\r\n")
        self.assertTrue(out.startswith(b"HTTP/1.1 400"), out)

    def test_http10_closes_after_the_response(self):
        out = raw(self.server.port, b"GET /hello HTTP/1.0\r\n\r\n")  # raw() reads until close
        self.assertIn(b"Hello world!", out)

    def test_rfc7540_s3_2_upgrade_to_h2c(self):
        p = curl("--http2", "-v", self.url("/hello"))
        self.assertIn("101 Switching Protocols", p.stderr)
        self.assertIn("HTTP/2 200", p.stderr)
        self.assertEqual(p.stdout, "Hello world!")


if __name__ == "__main__":
    main()
