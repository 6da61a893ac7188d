"""Static files with real clients, over HTTP/1.1, h2c and h2 (TLS), on rodeo_file_server with
a temporary root: conditional requests (RFC 9110 §13), ranges (§14), HEAD, precompressed
variants, traversal attempts, large downloads with bounded server memory, and the flags."""

import gzip
import hashlib
import os
import re
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import unittest

import h2.events
import h2.settings

from harness import Server, run, main, SLOW, _BUILD, bounded_quarantine_env
from push_test import Client

FILE_SERVER = os.environ.get("RODEO_FILE_SERVER",
                             os.path.join(_BUILD, "apps", "file_server", "rodeo_file_server"))
READY = r":(\d+)/"
TEXT = b"hello static world\n"
SECRET = b"TOPSECRET-3f1c9e outside the root\n"
# (name, curl flags, over TLS)
PROTOCOLS = [("HTTP/1.1", ["--http1.1"], False),
             ("h2c", ["--http2-prior-knowledge"], False),
             ("h2", ["--http2", "-k"], True)]


def fetch(server, path, flags, tls=False, extra=(), timeout=30):
    """One request with curl; returns (status, headers of the last response, body bytes)."""
    with tempfile.TemporaryDirectory() as t:
        head, body = os.path.join(t, "head"), os.path.join(t, "body")
        url = f"{'https' if tls else 'http'}://127.0.0.1:{server.tls_port if tls else server.port}{path}"
        cmd = (["curl", "-sS", "--path-as-is", "--max-time", str(timeout * SLOW), "-D", head,
                "-o", body] + list(flags) + list(extra) + [url])
        p = subprocess.run(cmd, capture_output=True, timeout=(timeout + 5) * SLOW)
        if p.returncode != 0:
            raise AssertionError(f"{cmd}: {p.stderr.decode(errors='replace')}")
        with open(head, "rb") as f:
            blocks = [b for b in f.read().decode("latin-1").split("\r\n\r\n") if b.strip()]
        lines = blocks[-1].split("\r\n")
        status = int(lines[0].split()[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        data = b""
        if os.path.exists(body):
            with open(body, "rb") as f:
                data = f.read()
        return status, headers, data


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS")


class RssSampler:
    """Samples a process's VmRSS every 20 ms in a thread; `peak` in KiB."""

    def __init__(self, pid):
        self.pid, self.peak, self.stop_flag = pid, 0, False
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self.stop_flag:
            self.peak = max(self.peak, rss_kib(self.pid))
            time.sleep(0.02)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop_flag = True
        self.thread.join()
        self.peak = max(self.peak, rss_kib(self.pid))


class StaticFiles(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="rodeo-static-")
        cls.root = os.path.join(cls.tmp, "root")
        os.makedirs(os.path.join(cls.root, "sub"))
        with open(os.path.join(cls.tmp, "secret.txt"), "wb") as f:
            f.write(SECRET)
        with open(os.path.join(cls.root, "a.txt"), "wb") as f:
            f.write(TEXT)
        with open(os.path.join(cls.root, "a.txt.gz"), "wb") as f:
            f.write(gzip.compress(TEXT * 50, mtime=0))
        with open(os.path.join(cls.root, "sub", "b.txt"), "wb") as f:
            f.write(b"bee\n")
        # A symlink that leads out of the root must not be followed (path_safety.hpp).
        os.symlink(os.path.join(cls.tmp, "secret.txt"), os.path.join(cls.root, "escape.txt"))
        cls.big = os.path.join(cls.root, "20mb.bin")
        with open(cls.big, "wb") as f:
            f.write(os.urandom(20 * 1024 * 1024))
        cls.server = Server(FILE_SERVER, ["--root", cls.root, "--port", "0", "--tls-port", "0",
                                          "--quiet"], ready=READY,
                            env=bounded_quarantine_env()).__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.server.__exit__(None, None, None)
        shutil.rmtree(cls.tmp)

    # --- RFC 9110 §13: conditional requests ---

    def test_if_none_match_with_the_etag_gives_304(self):
        for name, flags, tls in PROTOCOLS:
            with self.subTest(protocol=name):
                status, h, body = fetch(self.server, "/a.txt", flags, tls)
                self.assertEqual((status, body), (200, TEXT))
                etag = h["etag"]
                self.assertRegex(etag, r'^"[^"]+"$')  # strong (RFC 9110 §8.8.3)
                status, again, body = fetch(self.server, "/a.txt", flags, tls,
                                          ["-H", "if-none-match: " + etag])
                self.assertEqual((status, body), (304, b""))
                self.assertEqual(again["etag"], etag)
                status, _, body = fetch(self.server, "/a.txt", flags, tls,
                                        ["-H", 'if-none-match: "other"'])
                self.assertEqual((status, body), (200, TEXT))

    # --- RFC 9110 §14: ranges ---

    def test_one_range_gives_206_with_content_range(self):
        for name, flags, tls in PROTOCOLS:
            with self.subTest(protocol=name):
                status, h, body = fetch(self.server, "/a.txt", flags, tls, ["-H", "range: bytes=6-11"])
                self.assertEqual((status, body), (206, b"static"))
                self.assertEqual(h["content-range"], f"bytes 6-11/{len(TEXT)}")
                self.assertEqual(h["content-length"], "6")
                status, h, body = fetch(self.server, "/a.txt", flags, tls, ["-H", "range: bytes=-6"])
                self.assertEqual((status, body), (206, b"world\n"))
                self.assertEqual(h["content-range"], f"bytes 13-18/{len(TEXT)}")

    def test_unsatisfiable_range_gives_416(self):
        for name, flags, tls in PROTOCOLS:
            with self.subTest(protocol=name):
                status, h, body = fetch(self.server, "/a.txt", flags, tls,
                                        ["-H", "range: bytes=100-200"])
                self.assertEqual(status, 416)
                self.assertEqual(h["content-range"], f"bytes */{len(TEXT)}")
                self.assertNotIn(b"static", body)

    def test_several_ranges_give_the_whole_file(self):
        for name, flags, tls in PROTOCOLS:
            with self.subTest(protocol=name):
                status, h, body = fetch(self.server, "/a.txt", flags, tls,
                                        ["-H", "range: bytes=0-1,6-11"])
                self.assertEqual((status, body), (200, TEXT))
                self.assertNotIn("content-range", h)

    def test_range_in_a_streamed_file(self):
        with open(self.big, "rb") as f:
            f.seek(5_000_000)
            want = f.read(300_001)
        for name, flags, tls in PROTOCOLS:
            with self.subTest(protocol=name):
                status, h, body = fetch(self.server, "/20mb.bin", flags, tls,
                                        ["-H", "range: bytes=5000000-5300000"])
                self.assertEqual(status, 206)
                self.assertEqual(body, want)

    # --- HEAD ---

    def test_head_has_the_get_fields_and_no_body(self):
        # RFC 9110 §9.3.2: the GET response's fields, no content. On the wire, not via curl
        # (which never reads a body for HEAD).
        for path, length in (("/a.txt", len(TEXT)), ("/20mb.bin", 20 * 1024 * 1024)):
            with self.subTest(protocol="HTTP/1.1", path=path):
                with socket.create_connection(("127.0.0.1", self.server.port), 5 * SLOW) as s:
                    s.sendall(b"HEAD " + path.encode() + b" HTTP/1.1\r\nhost: x\r\n"
                              b"connection: close\r\n\r\n")
                    data = b""
                    while chunk := s.recv(65536):
                        data += chunk
                head, _, rest = data.partition(b"\r\n\r\n")
                self.assertTrue(head.startswith(b"HTTP/1.1 200 OK\r\n"), head)
                self.assertIn(b"\r\ncontent-length: %d\r\n" % length, head + b"\r\n")
                self.assertEqual(rest, b"")
            for tls in (False, True):
                with self.subTest(protocol="h2" if tls else "h2c", path=path):
                    c = Client(self.server.tls_port if tls else self.server.port, tls)
                    c.c.send_headers(1, [(":method", "HEAD"), (":scheme", c.scheme),
                                         (":authority", "127.0.0.1"), (":path", path)],
                                     end_stream=True)
                    c.s.sendall(c.c.data_to_send())
                    c.pump(lambda: 1 in c.ended)
                    c.close()
                    self.assertEqual(c.headers[1][":status"], "200")
                    self.assertEqual(c.headers[1]["content-length"], str(length))
                    self.assertNotIn(1, c.data)

    # --- precompressed variants ---

    def test_gzip_variant_with_accept_encoding(self):
        with open(os.path.join(self.root, "a.txt.gz"), "rb") as f:
            gz = f.read()
        for name, flags, tls in PROTOCOLS:
            with self.subTest(protocol=name):
                status, h, body = fetch(self.server, "/a.txt", flags, tls,
                                        ["-H", "accept-encoding: gzip"])
                self.assertEqual((status, body), (200, gz))
                self.assertEqual(h["content-encoding"], "gzip")
                self.assertEqual(h["vary"], "accept-encoding")
                self.assertEqual(h["content-type"], "text/plain; charset=utf-8")
                status, h, body = fetch(self.server, "/a.txt", flags, tls,
                                        ["-H", "accept-encoding: identity"])
                self.assertEqual((status, body), (200, TEXT))
                self.assertNotIn("content-encoding", h)
                self.assertEqual(h["vary"], "accept-encoding")

    # --- never a file outside the root ---

    TRAVERSALS = ["/../secret.txt", "/../../etc/passwd", "/%2e%2e/secret.txt",
                  "/%2e%2e/%2e%2e/etc/passwd", "/..%2fsecret.txt", "/..%2f..%2fetc/passwd",
                  "/sub/..%2f..%2fsecret.txt", "/..\\secret.txt", "/sub/..\\..\\secret.txt",
                  "/%5c..%5csecret.txt", "/sub/%5c..%5c..%5csecret.txt", "/a.txt%00",
                  "/%00/../secret.txt", "/sub/../../secret.txt", "/./../secret.txt",
                  "//etc/passwd", "/sub//../../secret.txt", "/%252e%252e/secret.txt",
                  "/escape.txt"]

    def assert_refused(self, status, body, what):
        self.assertIn(status, (400, 404), what)
        self.assertNotIn(b"TOPSECRET", body, what)
        self.assertNotIn(b"root:", body, what)

    def test_traversal_with_curl_path_as_is(self):
        for name, flags, tls in PROTOCOLS:
            with self.subTest(protocol=name):
                for path in self.TRAVERSALS:
                    status, _, body = fetch(self.server, path, flags, tls)
                    self.assert_refused(status, body, path)

    def test_traversal_with_raw_http1_requests(self):
        targets = [p.encode() for p in self.TRAVERSALS] + [b"/a.txt\x00", b"/..\x00/secret.txt"]
        for target in targets:
            with socket.create_connection(("127.0.0.1", self.server.port), timeout=5 * SLOW) as s:
                s.sendall(b"GET " + target + b" HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n")
                data = b""
                while chunk := s.recv(65536):
                    data += chunk
            m = re.match(rb"HTTP/1\.1 (\d{3}) ", data)
            self.assertIsNotNone(m, (target, data[:80]))
            self.assert_refused(int(m.group(1)), data, target)

    def test_traversal_with_raw_h2_requests(self):
        targets = self.TRAVERSALS + ["/a.txt\x00", "/..\x00/secret.txt"]
        c = Client(self.server.port)
        # Send the paths exactly as given: the checks under test are the server's.
        c.c.config.validate_outbound_headers = False
        c.c.config.normalize_outbound_headers = False
        for i, path in enumerate(targets):
            c.get(1 + 2 * i, path)
        sids = [1 + 2 * i for i in range(len(targets))]
        c.pump(lambda: all(s in c.ended or s in c.resets for s in sids))
        c.close()
        for sid, path in zip(sids, targets):
            # A stream reset (a malformed request, RFC 9113 §8.1.1) is a refusal too.
            if sid in c.resets:
                self.assertNotIn(sid, c.data, path)
                continue
            self.assert_refused(int(c.headers[sid][":status"]), c.data.get(sid, b""), path)

    # --- large bodies ---

    def test_20mb_download_is_byte_identical(self):
        want = sha256_file(self.big)
        for name, flags, tls in PROTOCOLS:
            with self.subTest(protocol=name):
                with tempfile.TemporaryDirectory() as t:
                    out = os.path.join(t, "out")
                    scheme, port = ("https", self.server.tls_port) if tls else ("http", self.server.port)
                    p = run(["curl", "-sS", "-o", out, "-w", "%{http_code}"] + flags +
                            [f"{scheme}://127.0.0.1:{port}/20mb.bin"], timeout=60)
                    self.assertEqual(p.stdout, "200", p.stderr)
                    self.assertEqual(os.path.getsize(out), 20 * 1024 * 1024)
                    self.assertEqual(sha256_file(out), want)

    def large_file(self):
        path = os.path.join(self.root, "sparse-300mb.bin")
        if not os.path.exists(path):
            with open(path, "wb") as f:
                f.truncate(300 * 1024 * 1024)
                # A few marks so that an offset error changes the hash.
                for k in range(1, 6):
                    f.seek(k * 50 * 1024 * 1024 + k)
                    f.write(b"mark %d" % k)
        return path

    def check_memory(self, sampler, start):
        grown = (sampler.peak - start) / 1024
        self.assertLess(grown, 100, f"server RSS grew by {grown:.1f} MiB")

    def test_large_download_http1_slow_reader_bounded_memory(self):
        path = self.large_file()
        want = sha256_file(path)
        pid = self.server.proc.pid
        start = rss_kib(pid)
        with RssSampler(pid) as sampler:
            s = socket.socket()
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 * 1024)
            s.settimeout(30 * SLOW)
            s.connect(("127.0.0.1", self.server.port))
            s.sendall(b"GET /sparse-300mb.bin HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n")
            buf = b""
            while b"\r\n\r\n" not in buf:
                buf += s.recv(16384)
            head, body = buf.split(b"\r\n\r\n", 1)
            self.assertTrue(head.startswith(b"HTTP/1.1 200"), head)
            self.assertIn(b"content-length: %d" % (300 * 1024 * 1024), head)
            h = hashlib.sha256(body)
            got = len(body)
            slow_until = time.time() + 2
            while time.time() < slow_until:  # about 800 KB/s: the server must wait
                chunk = s.recv(16384)
                h.update(chunk)
                got += len(chunk)
                time.sleep(0.02)
            slow_got = got
            while chunk := s.recv(1 << 20):
                h.update(chunk)
                got += len(chunk)
            s.close()
        self.assertLess(slow_got, 20 * 1024 * 1024)
        self.assertEqual(got, 300 * 1024 * 1024)
        self.assertEqual(h.hexdigest(), want)
        self.check_memory(sampler, start)

    def test_large_download_h2c_slow_reader_bounded_memory(self):
        path = self.large_file()
        want = sha256_file(path)
        pid = self.server.proc.pid
        start = rss_kib(pid)
        size = 300 * 1024 * 1024
        with RssSampler(pid) as sampler:
            c = Client(self.server.port)
            c.s.settimeout(30 * SLOW)
            c.get(1, "/sparse-300mb.bin")
            h = hashlib.sha256()
            state = {"got": 0, "status": None, "ended": False}

            def pump_once(n):
                data = c.s.recv(n)
                if not data:
                    state["ended"] = True
                for e in c.c.receive_data(data):
                    if isinstance(e, h2.events.ResponseReceived):
                        state["status"] = dict(e.headers)[b":status"]
                    elif isinstance(e, h2.events.DataReceived):
                        h.update(e.data)
                        state["got"] += len(e.data)
                        c.c.acknowledge_received_data(e.flow_controlled_length, e.stream_id)
                    elif isinstance(e, (h2.events.StreamEnded, h2.events.StreamReset)):
                        state["ended"] = True
                out = c.c.data_to_send()
                if out:
                    c.s.sendall(out)

            slow_until = time.time() + 2
            while time.time() < slow_until and not state["ended"]:
                pump_once(16384)  # flow-control windows of 64 KiB, refilled slowly
                time.sleep(0.02)
            slow_got = state["got"]
            # Full speed: large windows (RFC 9113 §6.9).
            c.c.update_settings({h2.settings.SettingCodes.INITIAL_WINDOW_SIZE: 8 * 1024 * 1024})
            c.c.increment_flow_control_window(32 * 1024 * 1024)
            c.c.increment_flow_control_window(8 * 1024 * 1024, stream_id=1)
            c.s.sendall(c.c.data_to_send())
            while not state["ended"]:
                pump_once(1 << 20)
            c.close()
        self.assertEqual(state["status"], b"200")
        self.assertLess(slow_got, 20 * 1024 * 1024)
        self.assertEqual(state["got"], size)
        self.assertEqual(h.hexdigest(), want)
        self.check_memory(sampler, start)


class Flags(unittest.TestCase):
    FLAGS = ["--root", "--port", "--tls-port", "--bind", "--cert", "--key", "--threads",
             "--listing", "--cache-control", "--no-push", "--quiet", "--help"]

    def test_help_lists_every_flag(self):
        p = run([FILE_SERVER, "--help"], timeout=10)
        self.assertEqual(p.returncode, 0)
        for flag in self.FLAGS:
            self.assertRegex(p.stdout, r"(?m)^  " + re.escape(flag) + r"\b", flag)

    def test_bad_flags_stop_with_one_line_and_exit_2(self):
        for args, err in ((["--nope"], "unknown flag '--nope' (see --help)"),
                          (["--port", "x"], "--port takes a number from 0 to 65535, not 'x'"),
                          (["--root"], "flag --root needs a value (see --help)"),
                          (["--root", "/nonexistent/rodeo"], "--root /nonexistent/rodeo is not a directory")):
            p = run([FILE_SERVER] + args, timeout=10)
            self.assertEqual((p.returncode, p.stderr), (2, "rodeo_file_server: " + err + "\n"))

    def serve(self, root, *args):
        return Server(FILE_SERVER, ["--root", root, "--port", "0", "--tls-port", "0", "--quiet"]
                      + list(args), ready=READY)

    def test_listing_and_cache_control(self):
        with tempfile.TemporaryDirectory() as root:
            os.makedirs(os.path.join(root, "sub"))
            with open(os.path.join(root, "sub", "file one.txt"), "w") as f:
                f.write("1")
            with self.serve(root) as s:
                self.assertEqual(fetch(s, "/sub/", ["--http1.1"])[0], 404)
                status, h, _ = fetch(s, "/sub/file%20one.txt", ["--http1.1"])
                self.assertNotIn("cache-control", h)
            with self.serve(root, "--listing", "--cache-control", "public, max-age=60") as s:
                status, h, body = fetch(s, "/sub/", ["--http2-prior-knowledge"])
                self.assertEqual(status, 200)
                self.assertEqual(h["content-type"], "text/html; charset=utf-8")
                self.assertIn(b"file one.txt", body)
                status, h, _ = fetch(s, "/sub/file%20one.txt", ["--http2-prior-knowledge"])
                self.assertEqual(h["cache-control"], "public, max-age=60")
                status, h, _ = fetch(s, "/sub/file%20one.txt", ["--http1.1"],
                                     extra=["-H", "if-none-match: " + h["etag"]])
                self.assertEqual((status, h["cache-control"]), (304, "public, max-age=60"))

    def test_push_map_and_no_push(self):
        with tempfile.TemporaryDirectory() as root:
            for name, data in (("index.html", "<p>page</p>"), ("a.css", "p{}"), ("b.js", "b()")):
                with open(os.path.join(root, name), "w") as f:
                    f.write(data)
            with open(os.path.join(root, "push.map"), "w") as f:
                f.write("/index.html: /a.css /b.js\n")
            with self.serve(root) as s:
                c = Client(s.port)
                c.get(1, "/")
                c.pump(c.all_done)
                c.close()
                pushed = {hs[":path"]: c.data.get(sid) for _, sid, hs in c.promises}
                self.assertEqual(pushed, {"/a.css": b"p{}", "/b.js": b"b()"})
                self.assertEqual(fetch(s, "/push.map", ["--http1.1"])[0], 404)
            with self.serve(root, "--no-push") as s:
                out = run(["nghttp", "-nv", s.url("/")], timeout=20).stdout
                self.assertNotIn("PUSH_PROMISE", out)
                self.assertIn(":status: 200", out)


if __name__ == "__main__":
    main()
