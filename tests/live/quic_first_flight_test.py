"""The first request on a new QUIC connection is answered at once, not after a pacing wait.

ngtcp2 0.12 paces with the initial RTT (333 ms, RFC 9002 §6.2.2) until it has an RTT sample,
which held the server's packets after its first flight for about 20 ms on every new
connection (framework/rodeo/internal/net/quic/pacing.hpp). Held by pacing, the server can
only acknowledge: it answers the client's Handshake flight (its Finished, then the request,
from a client that does not pace: rodeo_h3_get) with an ACK-only 1-RTT packet, and the
HANDSHAKE_DONE (RFC 9001 §4.1.2) and the response follow when its pacing timer fires. Not
held, the first datagram it sends back carries them (and ngtcp2's first path MTU probe).

A UDP relay between client and server records the datagrams in the order it forwards them;
the test reads only the packets' clear-text headers (RFC 9000 §17) and the datagrams' sizes.
No time is measured: the server's first datagram after the client's Finished is written
right after the server reads it, however slow the machine is.
"""

import os
import select
import socket
import threading
import unittest

from harness import SLOW, ServerCase, main, run

H3_GET = os.environ.get("RODEO_H3_GET", "")

# Long header packet types of QUIC version 1 (RFC 9000 §17.2, Table 5).
INITIAL, ZERO_RTT, HANDSHAKE, RETRY = 0, 1, 2, 3
SHORT = "1-RTT"


def varint(data, at):
    """A variable-length integer (RFC 9000 §16) at `at`: (value, next offset)."""
    first = data[at]
    n = 1 << (first >> 6)
    v = first & 0x3F
    for b in data[at + 1:at + n]:
        v = (v << 8) | b
    return v, at + n


def packet_types(datagram):
    """The types of the packets coalesced in a datagram (RFC 9000 §12.2), from their headers:
    long header types, then SHORT for a short header packet, which is always the last."""
    types, at = [], 0
    while at < len(datagram):
        first = datagram[at]
        if not first & 0x80:
            types.append(SHORT)  # no length field: it runs to the end of the datagram
            break
        kind = (first >> 4) & 0x03
        types.append(kind)
        if kind == RETRY:
            break
        at += 5  # first byte and version
        at += 1 + datagram[at]  # destination connection ID
        at += 1 + datagram[at]  # source connection ID
        if kind == INITIAL:
            token_length, at = varint(datagram, at)
            at += token_length
        length, at = varint(datagram, at)
        at += length
    return types


class Relay:
    """Forwards UDP datagrams between one client and a server, recording each as
    (direction, packet types, size) in the order forwarded. Stops when told."""

    def __init__(self, server_port):
        self.server = ("127.0.0.1", server_port)
        self.front = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.front.bind(("127.0.0.1", 0))
        self.back = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.back.connect(self.server)
        self.port = self.front.getsockname()[1]
        self.client = None
        self.client_cid_length = None
        self.log = []
        self.stop_r, self.stop_w = os.pipe()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        os.write(self.stop_w, b"x")
        self.thread.join(timeout=10)
        for fd in (self.stop_r, self.stop_w):
            os.close(fd)
        self.front.close()
        self.back.close()
        return False

    def _run(self):
        while True:
            ready, _, _ = select.select([self.front, self.back, self.stop_r], [], [])
            if self.stop_r in ready:
                return
            if self.front in ready:
                data, self.client = self.front.recvfrom(65536)
                if self.client_cid_length is None and data[0] & 0x80:
                    self.client_cid_length = data[6 + data[5]]  # its Initial's SCID length
                self.log.append(("client", packet_types(data), len(data)))
                self.back.send(data)
            if self.back in ready:
                data = self.back.recv(65536)
                self.log.append(("server", packet_types(data), len(data)))
                if self.client:
                    self.front.sendto(data, self.client)


def ack_only_bound(cid_length):
    """The largest an ACK-only 1-RTT packet to the client can be here: the first byte, the
    client's connection ID, a packet number of at most 4 bytes, an ACK frame of a few ranges
    with ECN counts (24 bytes is ample for a handful of packets) and the 16-byte AEAD tag
    (RFC 9000 §17.3, §19.3; RFC 9001 §5.3)."""
    return 1 + cid_length + 4 + 24 + 16


def first_reply_to_finished(log):
    """The server's first datagram after the client's first datagram with a Handshake packet
    (the one with its Finished): (packet types, size), or None."""
    for i, (side, types, _) in enumerate(log):
        if side == "client" and HANDSHAKE in types:
            for later_side, later_types, size in log[i + 1:]:
                if later_side == "server":
                    return later_types, size
            return None
    return None


class PacketTypes(unittest.TestCase):
    def test_coalesced_headers(self):
        initial = bytes([0xC0, 0, 0, 0, 1, 2, 9, 9, 1, 7, 0, 3, 0xAA, 0xBB, 0xCC])
        handshake = bytes([0xE0, 0, 0, 0, 1, 0, 0, 2, 0xAA, 0xBB])
        short = bytes([0x40, 1, 2, 3])
        self.assertEqual(packet_types(initial + handshake + short), [INITIAL, HANDSHAKE, SHORT])
        self.assertEqual(packet_types(handshake), [HANDSHAKE])


@unittest.skipUnless(H3_GET, "needs rodeo_h3_get (libngtcp2-dev, libngtcp2-crypto-gnutls-dev)")
class FirstFlight(ServerCase):
    def test_first_response_is_not_held_by_pacing(self):
        # Several new connections: one held by pacing is enough to fail.
        for attempt in range(3):
            with Relay(self.server.quic_port) as relay:
                p = run([H3_GET, "127.0.0.1", str(relay.port), "/hello"], timeout=30 * SLOW)
                self.assertEqual(p.returncode, 0, p.stdout[-2000:] + p.stderr[-2000:])
                log, cid_length = list(relay.log), relay.client_cid_length
            reply = first_reply_to_finished(log)
            self.assertIsNotNone(reply, f"no server datagram after the client's Finished: {log}")
            types, size = reply
            self.assertIn(SHORT, types, log)
            self.assertGreater(size, ack_only_bound(cid_length),
                               f"connection {attempt}: the server answered the client's Finished "
                               f"with an ACK-only packet (held by pacing?): {log}")


if __name__ == "__main__":
    main()
