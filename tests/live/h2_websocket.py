"""WebSocket clients shared by the live tests: client frames as bytes (RFC 6455 §5.2, masked
as §5.3 asks), and RFC 8441 WebSockets over a prior-knowledge h2c connection (Python h2)."""

import os
import socket
import struct

import h2.config
import h2.connection
import h2.events


def client_frame(opcode, payload, fin=True, masked=True, length=None):
    n = len(payload) if length is None else length
    head = bytes([(0x80 if fin else 0) | opcode])
    bit = 0x80 if masked else 0
    if n < 126:
        head += bytes([bit | n])
    elif n < 65536:
        head += bytes([bit | 126]) + struct.pack("!H", n)
    else:
        head += bytes([bit | 127]) + struct.pack("!Q", n)
    if not masked:
        return head + payload
    key = os.urandom(4)
    return head + key + bytes(b ^ key[i % 4] for i, b in enumerate(payload))


class H2WebSocketClient:
    """One h2c connection: `connect(path)` opens a WebSocket stream with an extended CONNECT
    once the server's SETTINGS arrived (RFC 8441 §3); every event received is kept in
    `events`, and DATA is acknowledged as it comes."""

    def __init__(self, port, timeout):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.conn = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True))
        self.conn.initiate_connection()
        self.sock.sendall(self.conn.data_to_send())
        self.events = []
        self.pump(lambda: self.settings() is not None)

    def pump(self, until):
        """Reads and answers frames until `until()` holds; the connection closing fails."""
        while not until():
            data = self.sock.recv(65536)
            if not data:
                raise AssertionError("connection closed")
            for ev in self.conn.receive_data(data):
                self.events.append(ev)
                if isinstance(ev, h2.events.DataReceived):
                    self.conn.acknowledge_received_data(ev.flow_controlled_length, ev.stream_id)
            self.sock.sendall(self.conn.data_to_send())

    def settings(self):
        """The server's first SETTINGS (h2.events.RemoteSettingsChanged), or None."""
        return next((e for e in self.events if isinstance(e, h2.events.RemoteSettingsChanged)),
                    None)

    def connect(self, path):
        """Sends an extended CONNECT for `path`; returns its stream id and its response."""
        sid = self.conn.get_next_available_stream_id()
        self.conn.send_headers(sid, [(":method", "CONNECT"), (":protocol", "websocket"),
                                     (":scheme", "http"), (":path", path),
                                     (":authority", "127.0.0.1"), ("sec-websocket-version", "13")])
        self.sock.sendall(self.conn.data_to_send())
        self.pump(lambda: self.response(sid) is not None)
        return sid, self.response(sid)

    def response(self, sid):
        return next((e for e in self.events
                     if isinstance(e, h2.events.ResponseReceived) and e.stream_id == sid), None)

    def ended(self, sid):
        return any(isinstance(e, h2.events.StreamEnded) and e.stream_id == sid for e in self.events)

    def data(self, sid):
        """Every DATA byte stream `sid` received so far."""
        return b"".join(e.data for e in self.events
                        if isinstance(e, h2.events.DataReceived) and e.stream_id == sid)

    def send(self, sid, data):
        self.conn.send_data(sid, data)
        self.sock.sendall(self.conn.data_to_send())

    def close(self):
        self.sock.close()
