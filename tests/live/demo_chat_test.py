"""The demo's WebSockets: /ws/echo, and /ws/chat's room actor fanning messages out to members
on HTTP/1.1 (Python websockets) and on HTTP/2 (RFC 8441, Python h2) alike."""

import asyncio
import socket
import struct
import unittest

import h2.config
import h2.connection
import h2.events
import websockets

from harness import Server, DEMO, SLOW, curl, main
from websocket_test import client_frame

TIMEOUT = 30 * SLOW


class DemoChat(unittest.TestCase):

    def test_chat_room_fans_out_over_http1_and_http2(self):
        with Server(DEMO, ["--port", "0", "--tls-port", "0", "--quiet"], ready=r":(\d+)/") as s:
            page = curl("-s", s.url("/chat"))
            self.assertIn("/ws/chat", page.stdout)

            # An HTTP/2 member: extended CONNECT on a prior-knowledge h2c connection.
            sock = socket.create_connection(("127.0.0.1", s.port), timeout=TIMEOUT)
            conn = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True))
            conn.initiate_connection()
            sock.sendall(conn.data_to_send())
            events = []

            def pump(until):
                while not until():
                    data = sock.recv(65536)
                    self.assertTrue(data, "connection closed")
                    for ev in conn.receive_data(data):
                        events.append(ev)
                        if isinstance(ev, h2.events.DataReceived):
                            conn.acknowledge_received_data(ev.flow_controlled_length, ev.stream_id)
                    sock.sendall(conn.data_to_send())

            pump(lambda: any(isinstance(e, h2.events.RemoteSettingsChanged) for e in events))
            sid = conn.get_next_available_stream_id()
            conn.send_headers(sid, [(":method", "CONNECT"), (":protocol", "websocket"),
                                    (":scheme", "http"), (":path", "/ws/chat"),
                                    (":authority", "127.0.0.1"), ("sec-websocket-version", "13")])
            sock.sendall(conn.data_to_send())
            pump(lambda: any(isinstance(e, h2.events.ResponseReceived) for e in events))

            def h2_text():
                return b"".join(e.data for e in events
                                if isinstance(e, h2.events.DataReceived) and e.stream_id == sid)

            async def http1_member():
                async with websockets.connect(f"ws://127.0.0.1:{s.port}/ws/chat") as ws:
                    self.assertEqual(await ws.recv(), "(someone joined)")
                    await ws.send("hello from HTTP/1.1")
                    while (await ws.recv()) != "hello from HTTP/1.1":
                        pass
                    # Now the HTTP/2 member speaks; the HTTP/1.1 member hears it.
                    conn.send_data(sid, client_frame(0x1, b"hello from h2"))
                    sock.sendall(conn.data_to_send())
                    while (await ws.recv()) != "hello from h2":
                        pass

            asyncio.run(asyncio.wait_for(http1_member(), TIMEOUT))
            pump(lambda: b"hello from HTTP/1.1" in h2_text() and b"hello from h2" in h2_text())

            async def echo():
                async with websockets.connect(f"ws://127.0.0.1:{s.port}/ws/echo") as ws:
                    await ws.send("ping?")
                    self.assertEqual(await ws.recv(), "ping?")
            asyncio.run(asyncio.wait_for(echo(), TIMEOUT))
            sock.close()


if __name__ == "__main__":
    main()
