"""WebSocket handlers with real clients: Python `websockets` over HTTP/1.1 and TLS (echo,
10,000 messages each way, permessage-deflate, subprotocols, close codes), raw sockets for what
a polite client never sends (RFC 6455 error cases, a close handshake left unanswered), and
RFC 8441 over HTTP/2 with Python h2 (extended CONNECT beside a plain GET)."""

import asyncio
import random
import socket
import ssl
import struct
import sys
import unittest

import websockets

from harness import ServerCase, SLOW
from h2_websocket import H2WebSocketClient, client_frame

TIMEOUT = 30 * SLOW


def arun(coro):
    return asyncio.run(asyncio.wait_for(coro, TIMEOUT))


class RawSocket:
    """A hand-made WebSocket client: the handshake, then frames as bytes."""

    def __init__(self, port, path="/ws/echo", extra=""):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)
        self.sock.sendall((f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                           "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                           f"Sec-WebSocket-Version: 13\r\n{extra}\r\n").encode())
        self.buf = b""
        while b"\r\n\r\n" not in self.buf:
            chunk = self.sock.recv(4096)
            if not chunk:
                break
            self.buf += chunk
        self.head, _, self.buf = self.buf.partition(b"\r\n\r\n")
        self.head = self.head.decode()

    def status(self):
        return int(self.head.split(" ")[1])

    def read_frame(self):
        """(opcode, payload), or None once the server closed the TCP connection."""
        def need(n):
            while len(self.buf) < n:
                chunk = self.sock.recv(65536)
                if not chunk:
                    return False
                self.buf += chunk
            return True
        if not need(2):
            return None
        b0, b1 = self.buf[0], self.buf[1]
        assert b1 & 0x80 == 0, "RFC 6455 §5.1: a server frame is never masked"
        n, at = b1 & 0x7f, 2
        if n == 126:
            need(4)
            n, at = struct.unpack("!H", self.buf[2:4])[0], 4
        elif n == 127:
            need(10)
            n, at = struct.unpack("!Q", self.buf[2:10])[0], 10
        if not need(at + n):
            return None
        payload = self.buf[at:at + n]
        self.buf = self.buf[at + n:]
        return b0 & 0x0f, payload

    def close_code(self):
        """The code of the server's next close frame (skipping data frames)."""
        while True:
            f = self.read_frame()
            if f is None:
                return None
            if f[0] == 0x8:
                return struct.unpack("!H", f[1][:2])[0] if len(f[1]) >= 2 else 1005

    def eof(self):
        """Waits for the server to close the TCP connection; True when it did."""
        while True:
            try:
                chunk = self.sock.recv(65536)
            except ConnectionResetError:
                return True
            if not chunk:
                return True


class WebSocketTest(ServerCase):

    def uri(self, path="/ws/echo", tls=False):
        return (f"wss://127.0.0.1:{self.server.tls_port}{path}" if tls else
                f"ws://127.0.0.1:{self.server.port}{path}")

    def tls_context(self):
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        return ctx

    def test_rfc6455_echo_text_and_binary_over_http1_and_tls(self):
        async def go(tls):
            async with websockets.connect(self.uri(tls=tls),
                                          ssl=self.tls_context() if tls else None) as ws:
                await ws.send("héllo")
                self.assertEqual(await ws.recv(), "héllo")
                await ws.send(b"\x00\xff" * 1000)
                self.assertEqual(await ws.recv(), b"\x00\xff" * 1000)
                pong = await ws.ping(b"beat")
                await pong
            self.assertEqual(ws.close_code, 1000)
        for tls in (False, True):
            with self.subTest(tls=tls):
                arun(go(tls))

    def test_ten_thousand_messages_each_way_byte_identical(self):
        rng = random.Random(6455)
        messages = [rng.randbytes(rng.randrange(0, 3000)) if i % 2 else
                    "".join(chr(rng.randrange(32, 0x2000)) for _ in range(rng.randrange(0, 300)))
                    for i in range(10_000)]

        async def go(tls):
            async with websockets.connect(self.uri(tls=tls), max_queue=None,
                                          ssl=self.tls_context() if tls else None) as ws:
                async def send():
                    for m in messages:
                        await ws.send(m)
                sender = asyncio.create_task(send())
                for m in messages:
                    self.assertEqual(await ws.recv(), m)
                await sender
        for tls in (False, True):
            with self.subTest(tls=tls):
                arun(go(tls))

    def test_rfc7692_permessage_deflate_round_trip(self):
        async def go():
            async with websockets.connect(self.uri()) as ws:
                self.assertIn("permessage-deflate",
                              ws.response_headers.get("sec-websocket-extensions", ""))
                await ws.send("compressed")
                self.assertEqual(await ws.recv(), "yes")
                big = "rodeo " * 50_000
                await ws.send(big)
                self.assertEqual(await ws.recv(), big)
            async with websockets.connect(self.uri(), compression=None) as ws:
                await ws.send("compressed")
                self.assertEqual(await ws.recv(), "no")
        arun(go())

    def test_rfc7692_inflated_size_limit_closes_1009(self):
        async def go():
            async with websockets.connect(self.uri("/ws/deflate-small")) as ws:
                await ws.send("a" * 5000)  # a few bytes on the wire, 5000 once inflated
                with self.assertRaises(websockets.ConnectionClosed) as cm:
                    await ws.recv()
                self.assertEqual(cm.exception.rcvd.code, 1009)
        arun(go())

    def test_rfc6455_s4_2_2_subprotocol_selection(self):
        async def go():
            async with websockets.connect(self.uri(), subprotocols=["chat", "superchat"]) as ws:
                self.assertEqual(ws.subprotocol, "superchat")
                await ws.send("protocol")
                self.assertEqual(await ws.recv(), "protocol=superchat")
        arun(go())

    def test_rfc6455_s7_close_codes_both_ways(self):
        async def go():
            async with websockets.connect(self.uri()) as ws:
                await ws.send("close:4001")
                with self.assertRaises(websockets.ConnectionClosed) as cm:
                    await ws.recv()
                self.assertEqual(cm.exception.rcvd.code, 4001)
                self.assertEqual(cm.exception.rcvd.reason, "bye")
            ws = await websockets.connect(self.uri())
            await ws.close(code=4002, reason="done")
            self.assertEqual(ws.close_code, 4002)  # the server echoed our code
        arun(go())

    def test_crashing_handler_closes_1011(self):
        async def go():
            async with websockets.connect(self.uri()) as ws:
                await ws.send("crash")
                with self.assertRaises(websockets.ConnectionClosed) as cm:
                    await ws.recv()
                self.assertEqual(cm.exception.rcvd.code, 1011)
        arun(go())

    def test_rfc6455_s7_4_1_bad_input_close_codes(self):
        cases = [
            ("invalid UTF-8", "/ws/echo", client_frame(0x1, b"\xce\xba\xe1\xbd"), 1007),
            ("unmasked client frame", "/ws/echo", client_frame(0x1, b"hi", masked=False), 1002),
            ("reserved opcode", "/ws/echo", client_frame(0x3, b"x"), 1002),
            ("length 2^63", "/ws/echo", client_frame(0x2, b"", length=1 << 63), 1002),
            ("frame above max_frame_size", "/ws/small", client_frame(0x2, b"x" * 17), 1009),
            ("garbage", "/ws/echo", b"GET / HTTP/1.1\r\n\r\n", 1002),
        ]
        for name, path, data, code in cases:
            with self.subTest(name):
                c = RawSocket(self.server.port, path)
                self.assertEqual(c.status(), 101)
                c.sock.sendall(data)
                self.assertEqual(c.close_code(), code)
                self.assertTrue(c.eof())  # §7.1.7: the server drops the connection

    def test_rfc6455_s7_1_1_unanswered_close_is_dropped(self):
        # The handler closes; the client never answers; close_timeout (200 ms) drops it.
        c = RawSocket(self.server.port, "/ws/close-wait")
        c.sock.sendall(client_frame(0x1, b"close:1000"))
        self.assertEqual(c.close_code(), 1000)
        self.assertTrue(c.eof())

    def test_idle_timeout_closes_1000(self):
        c = RawSocket(self.server.port, "/ws/idle")
        self.assertEqual(c.status(), 101)
        self.assertEqual(c.close_code(), 1000)
        self.assertTrue(c.eof())

    def test_rfc6455_s4_handshake_refusals(self):
        c = RawSocket(self.server.port, "/ws/echo", "Sec-WebSocket-Version: 8\r\n")
        # Two version fields: the first one (13) counts; a lone 8 gets 426.
        self.assertEqual(c.status(), 101)
        s = socket.create_connection(("127.0.0.1", self.server.port), timeout=TIMEOUT)
        s.sendall(b"GET /ws/echo HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                  b"Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                  b"Sec-WebSocket-Version: 8\r\n\r\n")
        head = s.recv(4096).decode()
        self.assertTrue(head.startswith("HTTP/1.1 426"), head)
        self.assertIn("sec-websocket-version: 13", head.lower())
        c = RawSocket(self.server.port, "/ws/refuse")
        self.assertEqual(c.status(), 403)
        self.assertTrue(c.eof())  # a refused upgrade closes the connection



class WebSocketOverHttp2Test(ServerCase):
    """RFC 8441 with Python h2: an extended CONNECT carries the WebSocket in DATA frames while
    another stream of the same connection is served."""

    def test_rfc8441_extended_connect_beside_a_plain_get(self):
        c = H2WebSocketClient(self.server.port, TIMEOUT)
        # RFC 8441 §3: the client waits for SETTINGS_ENABLE_CONNECT_PROTOCOL = 1.
        self.assertEqual(c.settings().changed_settings[0x8].new_value, 1)

        ws, resp = c.connect("/ws/echo")
        self.assertEqual(dict(resp.headers)[b":status"], b"200")

        c.send(ws, client_frame(0x1, b"over h2"))
        c.pump(lambda: len(c.data(ws)) >= 9)
        self.assertEqual(c.data(ws)[:9], b"\x81\x07over h2")

        # A plain GET on the same connection, answered while the WebSocket stays open.
        get = c.conn.get_next_available_stream_id()
        c.conn.send_headers(get, [(":method", "GET"), (":scheme", "http"), (":path", "/hello"),
                                  (":authority", "127.0.0.1")], end_stream=True)
        c.sock.sendall(c.conn.data_to_send())
        c.pump(lambda: c.ended(get))
        self.assertIn(b"Hello", c.data(get))

        c.send(ws, client_frame(0x1, b"still here"))
        c.pump(lambda: b"still here" in c.data(ws))

        # The close handshake ends the stream (END_STREAM), not the connection.
        c.send(ws, client_frame(0x8, struct.pack("!H", 1000)))
        c.pump(lambda: c.ended(ws))
        self.assertTrue(c.data(ws).endswith(b"\x88\x02\x03\xe8"))
        c.close()


if __name__ == "__main__":
    unittest.main(verbosity=2)
