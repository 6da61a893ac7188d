"""The demo program: flags, and /hello over HTTP/1.1, h2c (upgrade and prior knowledge) and
h2 over TLS."""

import unittest

from harness import Server, curl, run, main, DEMO


class Demo(unittest.TestCase):
    def test_help_lists_every_flag(self):
        p = run([DEMO, "--help"], timeout=10)
        self.assertEqual(p.returncode, 0)
        for flag in ["--port", "--tls-port", "--bind", "--cert", "--key", "--threads", "--quiet",
                     "--root", "--help"]:
            self.assertIn(flag, p.stdout)

    def test_hello_over_every_protocol(self):
        with Server(DEMO, ["--port", "0", "--tls-port", "0", "--quiet"], ready=r":(\d+)/") as s:
            self.assertEqual(curl("--http1.1", s.url("/hello")).stdout, "Hello world!")
            self.assertEqual(curl("--http2", s.url("/hello")).stdout, "Hello world!")
            self.assertEqual(curl("--http2-prior-knowledge", s.url("/hello")).stdout, "Hello world!")
            p = curl("--http2", "-k", "-w", " %{http_version}", s.url("/hello", tls=True))
            self.assertEqual(p.stdout, "Hello world! 2")
            self.assertEqual(curl(s.url("/hello/rodeo")).stdout, "Hello rodeo!")

    def test_hello_answers_other_methods_with_405_and_allow(self):
        # RFC 9110 §15.5.6: a 405 MUST carry allow; HEAD is GET without the body; OPTIONS
        # answers with allow.
        with Server(DEMO, ["--port", "0", "--tls-port", "0", "--quiet"], ready=r":(\d+)/") as s:
            # Over HTTP/2 without a body: curl 7.88 sometimes reports the RST_STREAM(NO_ERROR)
            # that ends an unread request body (RFC 9113 §8.1) as an error, whatever the route.
            for proto, body in (("--http1.1", ["-d", "x"]), ("--http2-prior-knowledge", [])):
                for path in ("/hello", "/hello/rodeo", "/events", "/push-info"):
                    p = curl(proto, "-i", "-X", "POST", *body, s.url(path))
                    self.assertRegex(p.stdout, r"^HTTP/[\d.]+ 405", path)
                    self.assertRegex(p.stdout, r"(?im)^allow: GET, HEAD\r?$", path)
                p = curl(proto, "-I", s.url("/hello/rodeo"))
                self.assertRegex(p.stdout, r"^HTTP/[\d.]+ 200")
                self.assertNotIn("Hello", p.stdout)
                p = curl(proto, "-i", "-X", "OPTIONS", s.url("/hello"))
                self.assertRegex(p.stdout, r"^HTTP/[\d.]+ 204")
                self.assertRegex(p.stdout, r"(?im)^allow: GET, HEAD\r?$")

    def test_bad_flags_stop_with_one_line_and_exit_2(self):
        for args, err in ((["--nope"], "unknown flag '--nope' (see --help)"),
                          (["--threads", "0"], "--threads takes a number from 1 to 256, not '0'"),
                          (["--root"], "flag --root needs a value (see --help)")):
            p = run([DEMO] + args, timeout=10)
            self.assertEqual((p.returncode, p.stderr), (2, "rodeo_demo: " + err + "\n"))

    def test_access_log_line_per_request(self):
        with Server(DEMO, ["--port", "0", "--tls-port", "0", "--threads", "2"],
                    ready=r":(\d+)/") as s:
            curl("--http2-prior-knowledge", s.url("/hello/log"))
            s.stop()
            out = s.stdout
        self.assertRegex(out, r'127\.0\.0\.1:\d+ "GET /hello/log" 200 10 \d+us h2c stream=1')


if __name__ == "__main__":
    main()
