"""TLS: ALPN picks h2 or http/1.1 (RFC 9113 §3.2), TLS 1.2 is the floor, and a bad
certificate stops start-up with one line and exit code 2."""

import os
import subprocess
import tempfile
import unittest

from harness import ServerCase, Server, curl, run, main, TEST_SERVER, DEMO


class Tls(ServerCase):
    def test_alpn_h2_with_curl(self):
        p = curl("--http2", "-k", "-v", self.server.url("/hello", tls=True))
        self.assertIn("ALPN: server accepted h2", p.stderr)
        self.assertEqual(p.stdout, "Hello world!")

    def test_alpn_http11_with_curl(self):
        p = curl("--http1.1", "-k", "-i", self.server.url("/hello/tls", tls=True))
        self.assertIn("HTTP/1.1 200", p.stdout)
        self.assertTrue(p.stdout.endswith("Hello tls!"))

    def test_nghttp_over_tls(self):
        p = run(["nghttp", "-nv", self.server.url("/hello", tls=True)], timeout=20)
        self.assertIn("negotiated protocol: h2", p.stdout)
        self.assertIn(":status: 200", p.stdout)

    def test_no_alpn_means_http11(self):
        p = curl("--http1.1", "--no-alpn", "-k", "-i", self.server.url("/hello", tls=True))
        self.assertIn("HTTP/1.1 200", p.stdout)

    def test_rfc9113_s9_2_tls11_is_refused(self):
        # The client offers only TLS 1.1 (seclevel 0 lets OpenSSL 3 offer it at all).
        p = run(["openssl", "s_client", "-connect", f"127.0.0.1:{self.server.tls_port}",
                 "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0"], input="", timeout=20)
        self.assertIn("Cipher is (NONE)", p.stdout)
        p = run(["openssl", "s_client", "-connect", f"127.0.0.1:{self.server.tls_port}",
                 "-tls1_2"], input="", timeout=20)
        self.assertIn("Protocol  : TLSv1.2", p.stdout)

    def test_self_signed_certificate_names_localhost(self):
        p = run(["openssl", "s_client", "-connect", f"127.0.0.1:{self.server.tls_port}",
                 "-alpn", "h2"], input="", timeout=20)
        self.assertIn("ALPN protocol: h2", p.stdout)
        self.assertIn("CN = localhost", p.stdout)


class TlsConfig(unittest.TestCase):
    def test_unreadable_certificate_stops_startup_with_one_line(self):
        p = run([DEMO, "--port", "0", "--tls-port", "0", "--cert", "/nonexistent/cert.pem",
                 "--key", "/nonexistent/key.pem"], timeout=20)
        self.assertEqual(p.returncode, 2)
        lines = p.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, p.stderr)
        self.assertIn("cannot use certificate '/nonexistent/cert.pem'", lines[0])

    def test_certificate_files_are_used(self):
        with tempfile.TemporaryDirectory() as d:
            cert, key = os.path.join(d, "c.pem"), os.path.join(d, "k.pem")
            run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                 "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=rodeo-test"],
                timeout=30, check=True)
            with Server(DEMO, ["--port", "0", "--tls-port", "0", "--cert", cert, "--key", key,
                               "--quiet"], ready=r":(\d+)/") as s:
                p = run(["openssl", "s_client", "-connect", f"127.0.0.1:{s.tls_port}"], input="",
                        timeout=20)
                self.assertIn("CN = rodeo-test", p.stdout)


if __name__ == "__main__":
    main()
