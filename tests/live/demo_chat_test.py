"""The demo's WebSockets: /ws/echo, and /ws/chat's room actor fanning messages out to members
on HTTP/1.1 (Python websockets) and on HTTP/2 (RFC 8441, Python h2) alike."""

import asyncio
import unittest

import websockets

from harness import Server, DEMO, SLOW, curl, main
from h2_websocket import H2WebSocketClient, client_frame

TIMEOUT = 30 * SLOW


class DemoChat(unittest.TestCase):

    def test_chat_room_fans_out_over_http1_and_http2(self):
        with Server(DEMO, ["--port", "0", "--tls-port", "0", "--quiet"], ready=r":(\d+)/") as s:
            page = curl("-s", s.url("/chat"))
            self.assertIn("/ws/chat", page.stdout)

            # An HTTP/2 member: extended CONNECT on a prior-knowledge h2c connection.
            h2c = H2WebSocketClient(s.port, TIMEOUT)
            sid, _ = h2c.connect("/ws/chat")

            async def http1_member():
                async with websockets.connect(f"ws://127.0.0.1:{s.port}/ws/chat") as ws:
                    self.assertEqual(await ws.recv(), "(someone joined)")
                    await ws.send("hello from HTTP/1.1")
                    while (await ws.recv()) != "hello from HTTP/1.1":
                        pass
                    # Now the HTTP/2 member speaks; the HTTP/1.1 member hears it.
                    h2c.send(sid, client_frame(0x1, b"hello from h2"))
                    while (await ws.recv()) != "hello from h2":
                        pass

            asyncio.run(asyncio.wait_for(http1_member(), TIMEOUT))
            h2c.pump(lambda: b"hello from HTTP/1.1" in h2c.data(sid) and
                     b"hello from h2" in h2c.data(sid))

            async def echo():
                async with websockets.connect(f"ws://127.0.0.1:{s.port}/ws/echo") as ws:
                    await ws.send("ping?")
                    self.assertEqual(await ws.recv(), "ping?")
            asyncio.run(asyncio.wait_for(echo(), TIMEOUT))
            h2c.close()


if __name__ == "__main__":
    main()
