"""QUIC address validation with Retry (RFC 9000 §8.1.2): with `--quic-retry always`, Debian's
gtlsclient (ngtcp2-client) follows the Retry and is served; Initials carrying a token made for
another address are refused with INVALID_TOKEN and counted, while the same token from the
address it was made for is accepted. Token expiry and tampering are checked in memory
(tests/quic/retry_tokens.test.cpp)."""

import json
import os
import shutil
import socket
import struct
import tempfile
import time
import unittest

from harness import Server, ServerCase, curl, run, main, SLOW

GTLSCLIENT = shutil.which("gtlsclient")


def quic_stats(server):
    """The listener's Retry counters (metrics().quic())."""
    return json.loads(curl(server.url("/stats")).stdout)["quic"]


def wait_quic(server, name, at_least, timeout=5):
    """Waits (bounded by timeout * SLOW) until counter `name` reaches `at_least`; returns the
    counters last read, for the caller to assert on."""
    deadline = time.time() + timeout * SLOW
    last = quic_stats(server)
    while last[name] < at_least and time.time() < deadline:
        time.sleep(0.02)
        last = quic_stats(server)
    return last


def initial(dcid, scid, token=b"", size=1200):
    """A client Initial (RFC 9000 §17.2.2) of `size` bytes whose header ngtcp2_accept takes:
    version 1, the connection IDs, the token. Its payload is random (it decrypts to nothing),
    which does not matter before the token check."""
    head = bytes([0xC3]) + struct.pack(">I", 1) + bytes([len(dcid)]) + dcid + \
        bytes([len(scid)]) + scid
    n = len(token)
    head += (bytes([n]) if n < 64 else struct.pack(">H", 0x4000 | n)) + token
    rest = size - len(head) - 2
    return head + struct.pack(">H", 0x4000 | rest) + os.urandom(rest)


def long_header(d):
    """(type, dcid, scid, rest) of a long-header packet (RFC 9000 §17.2); the type bits are
    not under header protection."""
    assert d[0] & 0x80, "not a long header"
    i = 5
    dcid = d[i + 1:i + 1 + d[i]]
    i += 1 + d[i]
    scid = d[i + 1:i + 1 + d[i]]
    i += 1 + d[i]
    return (d[0] >> 4) & 0x3, dcid, scid, d[i:]


def receive(sock):
    sock.settimeout(5 * SLOW)
    return sock.recv(2048)


@unittest.skipUnless(GTLSCLIENT, "gtlsclient (ngtcp2-client) is not installed")
class Http3RetryAlways(ServerCase):
    server_args = ("--quic-retry", "always")

    def test_gtlsclient_follows_the_retry_and_is_served(self):
        before = quic_stats(self.server)
        out = tempfile.mkdtemp(prefix="rodeo-h3-")
        port = self.server.quic_port
        p = run([GTLSCLIENT, "--exit-on-all-streams-close", f"--download={out}", "-q",
                 "127.0.0.1", str(port), f"https://127.0.0.1:{port}/hello"], timeout=60)
        # gtlsclient checks the transport parameters a Retry requires (RFC 9000 §7.3): a
        # wrong original_destination_connection_id or retry_source_connection_id fails it.
        self.assertEqual(p.returncode, 0, p.stderr[-2000:])
        with open(os.path.join(out, "hello"), "rb") as f:
            self.assertEqual(f.read(), b"Hello world!")
        after = quic_stats(self.server)
        self.assertEqual(after["retries"], before["retries"] + 1)
        self.assertEqual(after["validated"], before["validated"] + 1)
        self.assertEqual(after["invalid_tokens"], before["invalid_tokens"])

    def test_a_token_from_another_address_is_refused(self):
        addr = ("127.0.0.1", self.server.quic_port)
        odcid, scid = os.urandom(8), os.urandom(8)
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as a, \
                socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as b:
            a.bind(("127.0.0.1", 0))
            b.bind(("127.0.0.1", 0))
            a.sendto(initial(odcid, scid), addr)
            kind, dcid, retry_scid, rest = long_header(receive(a))
            self.assertEqual(kind, 3)  # Retry
            self.assertEqual(dcid, scid)
            token = rest[:-16]  # the Retry Integrity Tag follows the token (§17.2.5)
            self.assertTrue(token)

            before = quic_stats(self.server)
            # The same token from another port of the same host: refused (§8.1.3).
            b.sendto(initial(retry_scid, scid, token), addr)
            kind, dcid, _, _ = long_header(receive(b))
            self.assertEqual(kind, 0)  # an Initial: CONNECTION_CLOSE (INVALID_TOKEN)
            self.assertEqual(dcid, scid)
            # A token for another connection ID, from the right address: refused too.
            a.sendto(initial(os.urandom(18), scid, token), addr)
            kind, _, _, _ = long_header(receive(a))
            self.assertEqual(kind, 0)
            after = quic_stats(self.server)
            self.assertEqual(after["invalid_tokens"], before["invalid_tokens"] + 2)
            self.assertEqual(after["validated"], before["validated"])

            # From the address it was made for, to the Retry's connection ID: accepted (a
            # connection is made; its undecryptable payload then gets nothing more).
            a.sendto(initial(retry_scid, scid, token), addr)
            last = wait_quic(self.server, "validated", after["validated"] + 1)
            self.assertEqual(last["validated"], after["validated"] + 1)
            self.assertEqual(last["invalid_tokens"], after["invalid_tokens"])


@unittest.skipUnless(GTLSCLIENT, "gtlsclient (ngtcp2-client) is not installed")
class Http3RetryNever(ServerCase):
    server_args = ("--quic-retry", "never")

    def test_no_retry(self):
        addr = ("127.0.0.1", self.server.quic_port)
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as a:
            a.sendto(initial(os.urandom(8), os.urandom(8)), addr)
        port = self.server.quic_port
        p = run([GTLSCLIENT, "--exit-on-all-streams-close", "-q", "127.0.0.1", str(port),
                 f"https://127.0.0.1:{port}/hello"], timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr[-2000:])
        self.assertEqual(quic_stats(self.server)["retries"], 0)


@unittest.skipUnless(GTLSCLIENT, "gtlsclient (ngtcp2-client) is not installed")
class Http3RetryUnderLoad(unittest.TestCase):
    def fetch(self, server):
        port = server.quic_port
        return run([GTLSCLIENT, "--exit-on-all-streams-close", "-q", "127.0.0.1", str(port),
                    f"https://127.0.0.1:{port}/hello"], timeout=60)

    def test_below_the_threshold_no_retry(self):
        # The default: under_load beyond 64 handshakes in progress; one client is not load.
        with Server() as s:
            p = self.fetch(s)
            self.assertEqual(p.returncode, 0, p.stderr[-2000:])
            self.assertEqual(quic_stats(s)["retries"], 0)

    def test_at_the_threshold_a_retry(self):
        # A threshold of 0 handshakes: every new client counts as load.
        with Server(args=["--quic-retry", "under_load", "--quic-retry-handshakes", "0"]) as s:
            p = self.fetch(s)
            self.assertEqual(p.returncode, 0, p.stderr[-2000:])
            stats = quic_stats(s)
            self.assertEqual(stats["retries"], 1)
            self.assertEqual(stats["validated"], 1)


if __name__ == "__main__":
    main()
