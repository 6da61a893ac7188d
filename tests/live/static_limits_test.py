"""rodeo_file_server's refusals with real clients: hidden files (/.git/, /.env) are 404 unless
--dotfiles, /.well-known/ is served; a file that cannot be opened for lack of descriptors is
503 with retry-after, not 404; the deployment flags are in --help and checked."""

import os
import re
import shutil
import socket
import tempfile
import time
import unittest

from harness import Server, run, main, SANITIZED, SLOW
from static_test import FILE_SERVER, READY, fetch
from descriptors_test import NEEDS_FREE_DESCRIPTORS

LIMIT = 64  # RLIMIT_NOFILE of the server in the descriptor test


def make_root(base):
    root = os.path.join(base, "root")
    for rel, data in ((".env", b"SECRET=1\n"), (".git/config", b"[core]\n"),
                      ("sub/.htpasswd", b"u:p\n"),
                      (".well-known/security.txt", b"Contact: mailto:a@example.com\n"),
                      ("a.txt", b"hello\n"), ("b.txt", b"bee\n")):
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
    return root


class Dotfiles(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="rodeo-dotfiles-")
        self.root = make_root(self.tmp)

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def serve(self, *args):
        return Server(FILE_SERVER, ["--root", self.root, "--port", "0", "--tls-port", "0",
                                    "--quiet", *args], ready=READY)

    def test_hidden_files_are_404_by_default_and_well_known_is_served(self):
        with self.serve() as s:
            for flags in (["--http1.1"], ["--http2-prior-knowledge"]):
                with self.subTest(flags=flags):
                    for path in ("/.env", "/.git/config", "/.git", "/.git/", "/sub/.htpasswd",
                                 "/%2Eenv"):
                        self.assertEqual(fetch(s, path, flags)[0], 404, path)
                    status, _, body = fetch(s, "/.well-known/security.txt", flags)
                    self.assertEqual((status, body), (200, b"Contact: mailto:a@example.com\n"))
                    self.assertEqual(fetch(s, "/a.txt", flags)[2], b"hello\n")

    def test_dotfiles_flag_serves_them(self):
        with self.serve("--dotfiles") as s:
            self.assertEqual(fetch(s, "/.env", ["--http1.1"])[2], b"SECRET=1\n")
            self.assertEqual(fetch(s, "/.git/config", ["--http2-prior-knowledge"])[0], 200)
            self.assertEqual(fetch(s, "/sub/.htpasswd", ["--http1.1"])[2], b"u:p\n")


def read_response(s):
    """One HTTP/1.1 response from socket `s`: (status, headers, body)."""
    data = b""
    while b"\r\n\r\n" not in data:
        b = s.recv(4096)
        if not b:
            raise AssertionError("closed before a response: %r" % data)
        data += b
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    while len(body) < length:
        b = s.recv(4096)
        if not b:
            break
        body += b
    return int(lines[0].split()[1]), headers, body


def get(s, path):
    s.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    return read_response(s)


class OutOfDescriptors(unittest.TestCase):
    @unittest.skipIf(SANITIZED, NEEDS_FREE_DESCRIPTORS)
    def test_file_that_cannot_be_opened_for_lack_of_descriptors_is_503(self):
        with tempfile.TemporaryDirectory() as base:
            root = make_root(base)
            # prlimit execs the server; --max-connections above the limit lets the
            # connections take every descriptor.
            with Server("prlimit", [f"--nofile={LIMIT}:{LIMIT}", FILE_SERVER, "--root", root,
                                    "--port", "0", "--tls-port", "0", "--quiet",
                                    "--max-connections", "100000"], ready=READY) as srv:
                pid = srv.proc.pid
                veteran = socket.create_connection(("127.0.0.1", srv.port), timeout=10 * SLOW)
                flood = []
                try:
                    self.assertEqual(get(veteran, "/b.txt")[0], 200)
                    for _ in range(LIMIT + 20):
                        flood.append(socket.create_connection(("127.0.0.1", srv.port),
                                                              timeout=10 * SLOW))
                    # Saturated and settled: every descriptor taken for 0.3 s in a row (the
                    # acceptor has closed what its backlog held; it frees its reserve
                    # descriptor only while doing that).
                    deadline = time.time() + 10 * SLOW
                    full_since = None
                    while time.time() < deadline:
                        if len(os.listdir(f"/proc/{pid}/fd")) == LIMIT:
                            full_since = full_since or time.time()
                            if time.time() - full_since >= 0.3:
                                break
                        else:
                            full_since = None
                        time.sleep(0.05)
                    self.assertEqual(len(os.listdir(f"/proc/{pid}/fd")), LIMIT)
                    status, headers, _ = get(veteran, "/a.txt")
                    self.assertEqual(status, 503)
                    self.assertEqual(headers.get("retry-after"), "1")
                finally:
                    for s in flood:
                        s.close()
                # Descriptors free again: the same file is served on the same connection.
                served = False
                for _ in range(100):
                    status, _, body = get(veteran, "/a.txt")
                    if status == 200:
                        served = body == b"hello\n"
                        break
                    time.sleep(0.05)
                self.assertTrue(served)
                veteran.close()


class Flags(unittest.TestCase):
    NEW = ["--idle-timeout", "--request-timeout", "--header-timeout", "--body-timeout",
           "--send-timeout", "--linger-timeout", "--max-connections", "--max-connection-output",
           "--output-budget", "--dotfiles"]

    def test_help_lists_the_deployment_flags(self):
        p = run([FILE_SERVER, "--help"], timeout=10)
        self.assertEqual(p.returncode, 0)
        for flag in self.NEW:
            self.assertRegex(p.stdout, r"(?m)^  " + re.escape(flag) + r"\b", flag)

    def test_bad_values_stop_with_one_line_naming_the_flag(self):
        for args, err in (
                (["--idle-timeout", "soon"],
                 "--idle-timeout takes seconds above 0, up to 604800, decimals allowed (e.g. 0.5), "
                 "not 'soon'"),
                (["--output-budget", "0"],
                 "--output-budget takes a size in bytes from 1 (k, m, g: KiB, MiB, GiB), not '0'")):
            p = run([FILE_SERVER] + args, timeout=10)
            self.assertEqual((p.returncode, p.stderr), (2, "rodeo_file_server: " + err + "\n"))

    def test_decimal_timeout_is_accepted(self):
        with tempfile.TemporaryDirectory() as base:
            root = make_root(base)
            with Server(FILE_SERVER, ["--root", root, "--port", "0", "--tls-port", "0", "--quiet",
                                      "--idle-timeout", "0.5", "--max-connections", "50"],
                        ready=READY) as s:
                self.assertEqual(fetch(s, "/a.txt", ["--http1.1"])[0], 200)


if __name__ == "__main__":
    main()
