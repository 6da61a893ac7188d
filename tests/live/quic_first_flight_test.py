"""The first request on a new QUIC connection is answered at once, not after a pacing wait.

ngtcp2 0.12 paces with the initial RTT (333 ms, RFC 9002 §6.2.2) until it has an RTT sample,
which held the server's packets after its first flight for about 20 ms on every new
connection (framework/rodeo/internal/net/quic/pacing.hpp). Held by pacing, the server answers
the client's Handshake flight (its Finished, then the request) with ACK-only 1-RTT packets:
nothing confirms the handshake (HANDSHAKE_DONE, RFC 9001 §4.1.2) nor acknowledges the
Finished, so a client that does not pace itself (rodeo_h3_get) reaches its probe timeout
(RFC 9002 §6.2.4, a few milliseconds on loopback) and sends its Handshake packets again.
Not held, HANDSHAKE_DONE comes back at once and the client sends Handshake packets once.

A UDP relay between client and server records the datagrams in the order it forwards them;
the test reads only the packets' clear-text headers (RFC 9000 §17). No time is measured.
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
    (direction, packet types) in the order forwarded. Stops when told."""

    def __init__(self, server_port):
        self.server = ("127.0.0.1", server_port)
        self.front = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.front.bind(("127.0.0.1", 0))
        self.back = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.back.connect(self.server)
        self.port = self.front.getsockname()[1]
        self.client = None
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
                self.log.append(("client", packet_types(data)))
                self.back.send(data)
            if self.back in ready:
                data = self.back.recv(65536)
                self.log.append(("server", packet_types(data)))
                if self.client:
                    self.front.sendto(data, self.client)


def handshake_datagrams(log, side):
    """How many datagrams from `side` carry a Handshake packet."""
    return sum(1 for who, types in log if who == side and HANDSHAKE in types)


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
                log = list(relay.log)
            self.assertEqual(handshake_datagrams(log, "client"), 1,
                             f"connection {attempt}: the client sent its Handshake packets "
                             f"again (no HANDSHAKE_DONE before its probe timeout; held by "
                             f"pacing?): {log}")


if __name__ == "__main__":
    main()
