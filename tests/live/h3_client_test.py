"""Rodeo's push-capable HTTP/3 client (rodeo_h3_get, framework/rodeo/testing/h3) against a
stock HTTP/3 server: ngtcp2's example `gtlsserver` (Debian's ngtcp2-server) serving files.
A plain GET and a 3 MB file arrive byte-identical, and the client's MAX_PUSH_ID frame, put on
its control stream after nghttp3's SETTINGS, is accepted by nghttp3 on the server side."""

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest

from harness import SLOW, main, run

H3_GET = os.environ.get("RODEO_H3_GET", "")
GTLSSERVER = shutil.which("gtlsserver") or "/usr/sbin/gtlsserver"


def free_udp_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def udp_bound(port):
    """True once a socket is bound to 127.0.0.1:port (read from /proc/net/udp)."""
    want = f"0100007F:{port:04X}"
    with open("/proc/net/udp") as f:
        return any(line.split()[1] == want for line in f.readlines()[1:])


@unittest.skipUnless(H3_GET and os.path.exists(GTLSSERVER), "needs rodeo_h3_get and gtlsserver")
class GtlsServerTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="rodeo-h3-")
        cls.docs = os.path.join(cls.dir, "htdocs")
        os.mkdir(cls.docs)
        key, cert = os.path.join(cls.dir, "key.pem"), os.path.join(cls.dir, "cert.pem")
        run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
             "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=localhost"],
            check=True)
        with open(os.path.join(cls.docs, "hello.txt"), "w") as f:
            f.write("Hello, HTTP/3!\n")
        cls.big = os.urandom(3 * 1024 * 1024)
        with open(os.path.join(cls.docs, "big.bin"), "wb") as f:
            f.write(cls.big)
        cls.port = free_udp_port()
        cls.server = subprocess.Popen([GTLSSERVER, "-q", "-d", cls.docs, "127.0.0.1",
                                       str(cls.port), key, cert],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.time() + 10 * SLOW
        while not udp_bound(cls.port):
            if cls.server.poll() is not None or time.time() > deadline:
                raise RuntimeError("gtlsserver did not start: " + cls.server.stderr.read().decode())
            time.sleep(0.05)

    @classmethod
    def tearDownClass(cls):
        cls.server.send_signal(signal.SIGTERM)
        try:
            cls.server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            cls.server.kill()
            cls.server.wait()
        cls.server.stderr.close()
        shutil.rmtree(cls.dir)

    def get(self, path, *flags):
        out = os.path.join(self.dir, "out.bin")
        p = run([H3_GET, *flags, "--output", out, "127.0.0.1", str(self.port), path], timeout=30)
        if not os.path.exists(out):  # no complete response
            return p, None
        with open(out, "rb") as f:
            body = f.read()
        os.unlink(out)
        return p, body

    def test_plain_get(self):
        p, body = self.get("/hello.txt")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("response status 200", p.stdout)
        self.assertIn("content-type: text/plain", p.stdout)
        self.assertEqual(body, b"Hello, HTTP/3!\n")

    def test_3mb_file_byte_identical(self):
        p, body = self.get("/big.bin")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(len(body), len(self.big))
        self.assertEqual(body, self.big)

    def test_max_push_id_is_accepted(self):
        # RFC 9114 §7.2.7: nghttp3 (server side) reads the client's MAX_PUSH_ID; a malformed
        # control stream would close the connection before the response.
        p, body = self.get("/hello.txt", "--max-push-id", "15")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(body, b"Hello, HTTP/3!\n")
        self.assertNotIn("push ", p.stdout)  # gtlsserver never pushes

    def test_lowered_max_push_id_closes_the_connection(self):
        # Proof that the server's nghttp3 parses the client's frames on its control stream:
        # a lower second MAX_PUSH_ID is a connection error there (nghttp3 0.8 says
        # H3_FRAME_ERROR, RFC 9114 §7.2.7 H3_ID_ERROR), so the GET never completes.
        p, _ = self.get("/hello.txt", "--max-push-id", "15", "--then-max-push-id", "3")
        self.assertEqual(p.returncode, 1, p.stdout)
        self.assertIn("closed the connection", p.stderr)

    def test_missing_file_is_404(self):
        p, _ = self.get("/none")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("response status 404", p.stdout)


if __name__ == "__main__":
    main()
