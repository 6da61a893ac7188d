"""HTTP/3 (RFC 9114) over QUIC with Debian's ngtcp2 example client (gtlsclient, ngtcp2-client):
requests, bodies both ways, 103, bad datagrams that must not stop the listener, GOAWAY on a
graceful stop, and the listener options (alt-svc, --no-quic)."""

import os
import random
import re
import shutil
import signal
import socket
import struct
import subprocess
import tempfile
import time
import unittest

from harness import ServerCase, Server, curl, run, main, SLOW

GTLSCLIENT = shutil.which("gtlsclient")


def gtlsclient(server, *paths, args=(), quiet=True, timeout=60):
    """Fetches `paths` over h3 into a fresh directory; returns (process, directory)."""
    out = tempfile.mkdtemp(prefix="rodeo-h3-")
    port = server.quic_port
    uris = [f"https://127.0.0.1:{port}{p}" for p in paths]
    cmd = [GTLSCLIENT, "--exit-on-all-streams-close", f"--download={out}"]
    if quiet:
        cmd.append("-q")
    p = run(cmd + list(args) + ["127.0.0.1", str(port)] + uris, timeout=timeout * SLOW)
    return p, out


def read(directory, name):
    with open(os.path.join(directory, name), "rb") as f:
        return f.read()


def control_stream_frames(log):
    """The HTTP/3 frame types on the server's control stream (QUIC stream 3), from gtlsclient's
    hex dumps of ordered STREAM data."""
    data = bytearray()
    lines = log.splitlines()
    for i, line in enumerate(lines):
        if "Ordered STREAM data stream_id=0x3" not in line:
            continue
        for dump in lines[i + 1:]:
            m = re.match(r"^[0-9a-f]{8}  ([0-9a-f ]+)\|", dump)
            if not m:
                break
            data += bytes.fromhex(m.group(1).replace(" ", ""))

    def varint(at):
        first = data[at]
        n = 1 << (first >> 6)
        v = first & 0x3F
        for b in data[at + 1:at + n]:
            v = (v << 8) | b
        return v, at + n

    types = []
    at = 1  # the stream type (0x00: control)
    while at + 1 < len(data):
        t, at = varint(at)
        length, at = varint(at)
        types.append(t)
        at += length
    return types


@unittest.skipUnless(GTLSCLIENT, "gtlsclient (ngtcp2-client) is not installed")
class Http3(ServerCase):
    def test_hello_over_h3(self):
        p, out = gtlsclient(self.server, "/hello")
        self.assertEqual(p.returncode, 0, p.stderr[-2000:])
        self.assertEqual(read(out, "hello"), b"Hello world!")

    def test_20_mb_body_is_byte_identical(self):
        n = 20 * 1024 * 1024
        p, out = gtlsclient(self.server, f"/big/{n}")
        self.assertEqual(p.returncode, 0, p.stderr[-2000:])
        body = read(out, str(n))
        self.assertEqual(len(body), n)
        self.assertEqual(body, bytes(97 + i % 26 for i in range(26)) * (n // 26) +
                         bytes(97 + i % 26 for i in range(n % 26)))

    def test_post_body_is_echoed(self):
        data = os.urandom(300_000)
        with tempfile.NamedTemporaryFile() as f:
            f.write(data)
            f.flush()
            p, out = gtlsclient(self.server, "/echo", args=["-m", "POST", f"--data={f.name}"])
        self.assertEqual(p.returncode, 0, p.stderr[-2000:])
        self.assertEqual(read(out, "echo"), data)

    def test_streamed_body_and_crash_500(self):
        p, out = gtlsclient(self.server, "/stream", "/crash")
        self.assertEqual(p.returncode, 0, p.stderr[-2000:])
        self.assertEqual(read(out, "stream"), b"".join(b"chunk%d\n" % i for i in range(5)))
        self.assertIn(b"Internal Server Error", read(out, "crash"))

    def test_103_before_the_response(self):
        p, _ = gtlsclient(self.server, "/inform", quiet=False)
        self.assertEqual(p.returncode, 0)
        statuses = re.findall(r"\[:status: (\d+)\]", p.stdout + p.stderr)
        self.assertEqual(statuses[:2], ["103", "200"])

    def test_push_without_max_push_id_becomes_103(self):
        # gtlsclient sends no MAX_PUSH_ID: the pushes are skipped as no_push_id and, with the
        # default policy (push_or_hint), hinted in one 103 Early Hints instead.
        p, _ = gtlsclient(self.server, "/push/page", quiet=False)
        self.assertEqual(p.returncode, 0)
        log = p.stdout + p.stderr
        self.assertEqual(re.findall(r"\[:status: (\d+)\]", log)[:2], ["103", "200"])
        self.assertRegex(log, r"\[link: <[^>]+>; rel=preload")

    def test_alt_svc_on_the_tls_port(self):
        p = curl("-k", "-i", "--http2", self.server.url("/hello", tls=True))
        self.assertIn(f'alt-svc: h3=":{self.server.quic_port}"', p.stdout)
        p = curl("-k", "-i", "--http1.1", self.server.url("/hello", tls=True))
        self.assertIn(f'alt-svc: h3=":{self.server.quic_port}"', p.stdout)
        # Not on clear text: the alternative is for the https origin (RFC 7838 §2.1).
        p = curl("-i", self.server.url("/hello"))
        self.assertNotIn("alt-svc", p.stdout)

    def test_bad_datagrams_do_not_stop_the_listener(self):
        rng = random.Random(7)
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            addr = ("127.0.0.1", self.server.quic_port)
            for size in (1, 7, 64, 1200, 1500):
                s.sendto(bytes(rng.randrange(256) for _ in range(size)), addr)
            # A short-header packet for a connection that does not exist.
            s.sendto(bytes([0x40]) + os.urandom(18) + os.urandom(60), addr)
            # A truncated Initial: long header, version 1, then the payload cut short.
            hdr = bytes([0xC3]) + struct.pack(">I", 1) + bytes([8]) + os.urandom(8) + \
                bytes([8]) + os.urandom(8) + bytes([0]) + bytes([0x44, 0xD0])
            s.sendto(hdr + os.urandom(20), addr)
            # An Initial of the right size whose payload is garbage (it cannot decrypt).
            s.sendto(hdr + os.urandom(1200 - len(hdr)), addr)
            # An unknown version gets Version Negotiation (RFC 9000 §6).
            s.sendto(bytes([0xC0]) + struct.pack(">I", 0x1A2A3A4A) + bytes([8]) +
                     os.urandom(8) + bytes([8]) + os.urandom(8) + os.urandom(1200), addr)
            s.settimeout(5 * SLOW)
            reply = b""
            while len(reply) < 5 or reply[1:5] != b"\0\0\0\0":
                reply = s.recv(2048)
            self.assertIn(struct.pack(">I", 1), reply[5:])
        p, out = gtlsclient(self.server, "/hello")
        self.assertEqual(p.returncode, 0, p.stderr[-2000:])
        self.assertEqual(read(out, "hello"), b"Hello world!")


@unittest.skipUnless(GTLSCLIENT, "gtlsclient (ngtcp2-client) is not installed")
class Http3Lifecycle(unittest.TestCase):
    def test_goaway_on_graceful_stop(self):
        with Server() as s:
            port = s.quic_port
            client = subprocess.Popen(
                [GTLSCLIENT, "--exit-on-all-streams-close", "127.0.0.1", str(port),
                 f"https://127.0.0.1:{port}/ticks"],
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace")
            log = []
            # The SSE stream runs once its first event arrived.
            for line in client.stdout:
                log.append(line)
                if "data: tick" in line:
                    break
            s.proc.send_signal(signal.SIGTERM)
            rest, _ = client.communicate(timeout=30 * SLOW)
            log = "".join(log) + rest
        self.assertIn(0x07, control_stream_frames(log))  # GOAWAY (RFC 9114 §7.2.6)
        self.assertIn("data: bye", log)  # the running stream ended gracefully

    def test_no_quic(self):
        with Server(args=["--no-quic"]) as s:
            self.assertEqual(s.quic_port, 0)
            p = curl("-k", "-i", s.url("/hello", tls=True))
            self.assertNotIn("alt-svc", p.stdout)


if __name__ == "__main__":
    main()
