"""Raw HTTP/2 on a plain socket: frames built by hand (an attack sends what no polite client
library would) and a background reader that records what the server answers (RFC 9113 §4, §6).
Only clear-text h2 with prior knowledge (RFC 9113 §3.3)."""

import socket
import struct

import hpack
import threading
import time

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"

# Frame types (RFC 9113 §6).
DATA, HEADERS, PRIORITY, RST_STREAM, SETTINGS, PUSH_PROMISE, PING, GOAWAY, WINDOW_UPDATE, \
    CONTINUATION = range(10)
END_STREAM, ACK, END_HEADERS = 0x1, 0x1, 0x4

# Settings identifiers (RFC 9113 §6.5.2).
HEADER_TABLE_SIZE, ENABLE_PUSH, MAX_CONCURRENT_STREAMS, INITIAL_WINDOW_SIZE = 1, 2, 3, 4

ERRORS = {0: "NO_ERROR", 1: "PROTOCOL_ERROR", 2: "INTERNAL_ERROR", 3: "FLOW_CONTROL_ERROR",
          4: "SETTINGS_TIMEOUT", 5: "STREAM_CLOSED", 6: "FRAME_SIZE_ERROR",
          7: "REFUSED_STREAM", 8: "CANCEL", 9: "COMPRESSION_ERROR", 10: "CONNECT_ERROR",
          11: "ENHANCE_YOUR_CALM", 12: "INADEQUATE_SECURITY", 13: "HTTP_1_1_REQUIRED"}


def error_name(code):
    return ERRORS.get(code, f"error {code}")


def frame(ftype, flags, stream, payload=b""):
    return struct.pack(">I", len(payload))[1:] + bytes([ftype, flags]) + \
        struct.pack(">I", stream & 0x7FFFFFFF) + payload


def settings(**values):
    ids = {"header_table_size": HEADER_TABLE_SIZE, "enable_push": ENABLE_PUSH,
           "max_concurrent_streams": MAX_CONCURRENT_STREAMS,
           "initial_window_size": INITIAL_WINDOW_SIZE}
    return frame(SETTINGS, 0, 0, b"".join(struct.pack(">HI", ids[k], v) for k, v in values.items()))


def settings_ack():
    return frame(SETTINGS, ACK, 0)


def window_update(stream, increment):
    return frame(WINDOW_UPDATE, 0, stream, struct.pack(">I", increment))


def rst_stream(stream, code=8):
    return frame(RST_STREAM, 0, stream, struct.pack(">I", code))


def ping(data=b"abusive!"):
    return frame(PING, 0, 0, data)


def hpack_int(value, prefix_bits, first_byte=0):
    """An HPACK integer (RFC 7541 §5.1) with the high bits of the first byte given."""
    limit = (1 << prefix_bits) - 1
    if value < limit:
        return bytes([first_byte | value])
    out = bytearray([first_byte | limit])
    value -= limit
    while value >= 128:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def hpack_string(s):
    """A raw (not Huffman-coded) HPACK string literal (RFC 7541 §5.2)."""
    b = s.encode() if isinstance(s, str) else s
    return hpack_int(len(b), 7) + b


def literal(name, value, indexed=False):
    """A literal field with a literal name: with incremental indexing (adds a dynamic-table
    entry, RFC 7541 §6.2.1) or without indexing (§6.2.2)."""
    return (b"\x40" if indexed else b"\x00") + hpack_string(name) + hpack_string(value)


def request_block(path="/hello", method="GET", authority="127.0.0.1"):
    """The pseudo-header fields of a request, without the dynamic table (RFC 9113 §8.3.1)."""
    m = {"GET": b"\x82", "POST": b"\x83"}[method]
    # :scheme http (static 6), :path with the name of static entry 4, :authority name entry 1.
    return m + b"\x86" + b"\x04" + hpack_string(path) + b"\x01" + hpack_string(authority)


def headers(stream, block, end_stream=True, max_frame=16384):
    """HEADERS plus as many CONTINUATION frames as the block needs (RFC 9113 §6.2, §6.10)."""
    chunks = [block[i:i + max_frame] for i in range(0, len(block), max_frame)] or [b""]
    out = []
    for i, c in enumerate(chunks):
        flags = (END_HEADERS if i == len(chunks) - 1 else 0)
        if i == 0:
            out.append(frame(HEADERS, flags | (END_STREAM if end_stream else 0), stream, c))
        else:
            out.append(frame(CONTINUATION, flags, stream, c))
    return b"".join(out)


def connect(port, timeout=5.0, rcvbuf=None, preface=True, settings_frame=None):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.settimeout(timeout)
    s.connect(("127.0.0.1", port))
    if preface:
        s.sendall(PREFACE + (settings_frame if settings_frame is not None else settings()))
    return s


class Reader(threading.Thread):
    """Reads frames until the peer closes or stop() is called; ACKs the server's SETTINGS when
    `ack` and records what it saw: statuses per stream (from the first byte of a HEADERS block
    when it is an indexed :status, else "other"), RST_STREAM codes, GOAWAY, closing time."""

    def __init__(self, sock, ack=True, on_frame=None):
        super().__init__(daemon=True)
        self.sock, self.ack, self.on_frame = sock, ack, on_frame
        self.goaway = None            # (last stream id, error code)
        self.resets = {}              # stream -> error code
        self.statuses = {}            # stream -> status string
        self.ended = set()            # streams that got END_STREAM
        self.frames = 0
        self.settings_seen = threading.Event()
        self.settings_acked = threading.Event()
        self.closed = threading.Event()
        self.closed_at = None
        self.close_reason = None
        self._halt = False
        self.lock = threading.Lock()
        self.decoder = hpack.Decoder()
        self.decoder.max_allowed_table_size = 1 << 20
        self._block = None        # (stream, bytes so far) of a header block awaiting CONTINUATION

    def stop(self):
        self._halt = True

    def _status(self, block):
        """The :status of a response header block, decoded with the connection's HPACK state
        (RFC 7541); "other" if it cannot be decoded."""
        try:
            fields = self.decoder.decode(block, raw=True)
        except Exception:  # noqa: BLE001 (any decoding failure: an unreadable block)
            return "other"
        for name, value in fields:
            if name == b":status":
                return value.decode(errors="replace")
        return "other"

    def run(self):
        buf = b""
        self.sock.settimeout(0.2)
        while not self._halt:
            try:
                b = self.sock.recv(262144)
            except socket.timeout:
                continue
            except OSError as e:
                self.close_reason = type(e).__name__
                break
            if not b:
                self.close_reason = "EOF"
                break
            buf += b
            while len(buf) >= 9:
                n = int.from_bytes(buf[:3], "big")
                if len(buf) < 9 + n:
                    break
                ftype, flags = buf[3], buf[4]
                sid = int.from_bytes(buf[5:9], "big") & 0x7FFFFFFF
                payload = buf[9:9 + n]
                buf = buf[9 + n:]
                self._frame(ftype, flags, sid, payload)
        if self.close_reason:
            self.closed_at = time.monotonic()
            self.closed.set()

    def _frame(self, ftype, flags, sid, payload):
        with self.lock:
            self.frames += 1
            if ftype == SETTINGS and not flags & ACK:
                # ACK first: a waiter on settings_seen may then rely on the ACK being out.
                if self.ack:
                    try:
                        self.sock.sendall(settings_ack())
                    except OSError:
                        pass
                self.settings_seen.set()
            elif ftype == SETTINGS:
                self.settings_acked.set()
            elif ftype == GOAWAY and len(payload) >= 8:
                self.goaway = (int.from_bytes(payload[:4], "big") & 0x7FFFFFFF,
                               int.from_bytes(payload[4:8], "big"))
            elif ftype == RST_STREAM and len(payload) >= 4:
                self.resets[sid] = int.from_bytes(payload[:4], "big")
            elif ftype in (HEADERS, PUSH_PROMISE, CONTINUATION):
                block = payload
                if ftype != CONTINUATION and flags & 0x8:  # PADDED
                    block = block[1:len(block) - payload[0]]
                if ftype == HEADERS and flags & 0x20:  # PRIORITY
                    block = block[5:]
                if ftype == PUSH_PROMISE:
                    block = block[4:]
                if ftype == CONTINUATION and self._block:
                    block = self._block[1] + block
                    sid = self._block[0]
                if flags & END_HEADERS:
                    self._block = None
                    st = self._status(block)
                    if ftype != PUSH_PROMISE and sid not in self.statuses:
                        self.statuses[sid] = st
                else:
                    self._block = (sid, block)
            if ftype in (DATA, HEADERS) and flags & END_STREAM:
                self.ended.add(sid)
        if self.on_frame:
            self.on_frame(ftype, flags, sid, payload)

    def describe_close(self):
        """How the connection ended, from the server's side: "GOAWAY X", "EOF", "open"."""
        parts = []
        if self.goaway:
            parts.append("GOAWAY " + error_name(self.goaway[1]))
        if self.closed.is_set():
            parts.append("closed" if self.close_reason == "EOF" else str(self.close_reason))
        return " + ".join(parts) or "open"


def send_all(sock, data, timeout):
    """sendall with an overall bound; False if the server stopped reading (or closed)."""
    sock.settimeout(timeout)
    try:
        sock.sendall(data)
        return True
    except (socket.timeout, OSError):
        return False
