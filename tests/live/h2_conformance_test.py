"""HTTP/2 conformance and hardening with raw frames over a socket (RFC 9113 §3.4, §5.1.1,
§5.1.2, §10.5.1): what a well-behaved client library will not send."""

import socket
import ssl
import threading
import time

import hpack
from hyperframe.frame import (Frame, GoAwayFrame, HeadersFrame, PingFrame, RstStreamFrame,
                              SettingsFrame, DataFrame)

from harness import ServerCase, curl, main, SLOW

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
PROTOCOL_ERROR, REFUSED_STREAM, ENHANCE_YOUR_CALM = 0x1, 0x7, 0xB


class RawH2:
    """A raw HTTP/2 client: frames out as given, frames in as parsed."""

    def __init__(self, port, tls=False, handshake=True):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10 * SLOW)
        if tls:
            ctx = ssl.create_default_context()
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
            ctx.set_alpn_protocols(["h2"])
            self.sock = ctx.wrap_socket(self.sock)
        self.buf = b""
        self.closed = False
        self.encoder = hpack.Encoder()
        self.decoder = hpack.Decoder()
        if handshake:
            self.send(PREFACE + SettingsFrame(0).serialize())
            self.wait_for(lambda f: isinstance(f, SettingsFrame) and "ACK" not in f.flags)
            # Our ACK first, so that the server's SETTINGS are in force (RFC 9113 §6.5.3).
            self.send(SettingsFrame(0, flags=["ACK"]).serialize())

    def close(self):
        self.sock.close()

    def send(self, data):
        self.sock.sendall(data)

    def headers(self, stream_id, path, end_stream=True, block=None):
        hf = HeadersFrame(stream_id)
        hf.data = block if block is not None else self.encoder.encode(
            [(":method", "GET"), (":scheme", "http"), (":authority", "127.0.0.1"),
             (":path", path)])
        hf.flags.add("END_HEADERS")
        if end_stream:
            hf.flags.add("END_STREAM")
        return hf.serialize()

    def next_frame(self, deadline):
        """The next frame, or None once the peer closed or the deadline passed."""
        while True:
            if len(self.buf) >= 9:
                f, length = Frame.parse_frame_header(memoryview(self.buf[:9]))
                if len(self.buf) >= 9 + length:
                    f.parse_body(memoryview(self.buf[9:9 + length]))
                    self.buf = self.buf[9 + length:]
                    if isinstance(f, HeadersFrame):
                        f.fields = self.decoder.decode(f.data)
                    return f
            if self.closed or time.time() > deadline:
                return None
            self.sock.settimeout(max(0.01, deadline - time.time()))
            try:
                b = self.sock.recv(65536)
            except (socket.timeout, ssl.SSLError):
                continue
            except ConnectionResetError:
                b = b""
            if not b:
                self.closed = True
            self.buf += b

    def wait_for(self, pred, timeout=10):
        """Frames read until one satisfies `pred` (last in the list) or the peer closed."""
        seen = []
        deadline = time.time() + timeout * SLOW
        while True:
            f = self.next_frame(deadline)
            if f is None:
                return seen
            seen.append(f)
            if pred(f):
                return seen

    def read_until_close(self, timeout=10):
        return self.wait_for(lambda f: False, timeout)


def goaways(frames):
    return [f for f in frames if isinstance(f, GoAwayFrame)]


def status_of(frames, sid):
    for f in frames:
        if isinstance(f, HeadersFrame) and f.stream_id == sid:
            return dict(f.fields).get(":status")
    return None


def bomb_block(value_size=4000, refs=12000):
    """The HPACK bomb of the report: one field of `value_size` bytes added to the dynamic
    table (RFC 7541 §6.2.1), then referenced `refs` times (index 62, §6.1): a 16 KB block
    that decodes to ~48 MB."""
    def hpack_int(first, prefix, v):
        mx = (1 << prefix) - 1
        if v < mx:
            return bytes([first | v])
        out = [first | mx]
        v -= mx
        while v >= 128:
            out.append((v % 128) | 128)
            v //= 128
        out.append(v)
        return bytes(out)
    auth = b"\x01" + hpack_int(0, 7, 9) + b"127.0.0.1"  # :authority, literal, not indexed
    name = b"x-bomb"
    field = (b"\x40" + hpack_int(0, 7, len(name)) + name + hpack_int(0, 7, value_size) +
             b"a" * value_size)
    return b"\x82\x86\x84" + auth + field + b"\xbe" * refs


class Preface(ServerCase):
    """RFC 9113 §3.4: a preface that is not exactly the preface is a connection error
    PROTOCOL_ERROR, said with GOAWAY (last stream id 0)."""

    def check_goaway(self, c):
        frames = c.read_until_close()
        c.close()
        self.assertTrue(c.closed, "connection left open")
        self.assertFalse(c.buf.startswith(b"HTTP/1.1"), c.buf[:60])
        g = goaways(frames)
        self.assertEqual(len(g), 1, frames)
        self.assertEqual(g[0].error_code, PROTOCOL_ERROR)
        self.assertEqual(g[0].last_stream_id, 0)

    def test_almost_preface_on_clear_text_is_goaway_not_http1(self):
        for bad in (b"PRI * HTTP/2.0\r\n\r\nXX\r\n\r\n",
                    b"PRI * HTTP/2.0\r\nHost: x\r\n\r\n"):
            with self.subTest(bad=bad):
                c = RawH2(self.server.port, handshake=False)
                c.send(bad)
                self.check_goaway(c)

    def test_almost_preface_over_tls_alpn_h2_is_goaway(self):
        c = RawH2(self.server.tls_port, tls=True, handshake=False)
        c.send(b"PRI * HTTP/2.0\r\n\r\nXX\r\n\r\n")
        self.check_goaway(c)

    def test_http1_with_method_pri_is_still_http1(self):
        c = RawH2(self.server.port, handshake=False)
        c.send(b"PRI * HTTP/1.1\r\nHost: x\r\n\r\n")
        c.read_until_close()
        c.close()
        self.assertTrue(c.buf.startswith(b"HTTP/1.1 "), c.buf[:60])


class StreamsAndIds(ServerCase):
    server_args = ["--max-streams", "2"]

    def test_stream_beyond_max_concurrent_streams_is_refused_and_the_rest_live_on(self):
        # RFC 9113 §5.1.2 after the SETTINGS ACK: a stream error, not a connection error.
        c = RawH2(self.server.port)
        try:
            c.send(c.headers(1, "/wait/300") + c.headers(3, "/wait/300") + c.headers(5, "/hello"))
            frames = c.wait_for(lambda f: isinstance(f, RstStreamFrame) and f.stream_id == 5)
            self.assertEqual(frames[-1].stream_id, 5, frames)
            self.assertEqual(frames[-1].error_code, REFUSED_STREAM)
            done = set()
            frames += c.wait_for(lambda f: (isinstance(f, DataFrame) and "END_STREAM" in f.flags
                                            and done.add(f.stream_id) is None and len(done) == 2))
            self.assertEqual(done, {1, 3}, frames)
            self.assertEqual(status_of(frames, 1), "200")
            self.assertEqual(status_of(frames, 3), "200")
            # The connection lives on: a new stream within the limit is served.
            c.send(c.headers(7, "/hello"))
            frames += c.wait_for(lambda f: isinstance(f, DataFrame) and f.stream_id == 7 and
                                 "END_STREAM" in f.flags)
            self.assertEqual(status_of(frames, 7), "200")
            self.assertEqual(goaways(frames), [])
        finally:
            c.close()

    def test_headers_on_a_lower_unopened_stream_id_is_a_connection_error(self):
        # RFC 9113 §5.1.1 (h2spec 5.1.1/2): stream 5, then 3.
        c = RawH2(self.server.port)
        try:
            c.send(c.headers(5, "/hello") + c.headers(3, "/hello"))
            frames = c.read_until_close()
            g = goaways(frames)
            self.assertEqual(len(g), 1, frames)
            self.assertEqual(g[0].error_code, PROTOCOL_ERROR)
            self.assertEqual(g[0].last_stream_id, 5)
            self.assertTrue(c.closed)
        finally:
            c.close()

    def test_trailers_on_an_open_lower_stream_are_fine(self):
        c = RawH2(self.server.port)
        try:
            post = c.encoder.encode([(":method", "POST"), (":scheme", "http"),
                                     (":authority", "127.0.0.1"), (":path", "/echo")])
            df = DataFrame(1)
            df.data = b"abc"
            c.send(c.headers(1, "", end_stream=False, block=post) + c.headers(3, "/hello") +
                   df.serialize() +
                   c.headers(1, "", block=c.encoder.encode([("x-trailer", "1")])))
            got = {}
            frames = c.wait_for(lambda f: isinstance(f, DataFrame) and
                                (got.__setitem__(f.stream_id, got.get(f.stream_id, b"") + f.data)
                                 or ("END_STREAM" in f.flags and f.stream_id == 1)))
            self.assertEqual(got.get(1), b"abc")
            self.assertEqual(goaways(frames), [])
        finally:
            c.close()


class HpackBomb(ServerCase):
    """RFC 9113 §10.5.1: a header block past max_header_block is not processed further; the
    stream is reset, and a connection that keeps doing it gets GOAWAY(ENHANCE_YOUR_CALM)
    (§10.5). Another connection is served meanwhile."""

    def test_bomb_is_reset_then_goaway_and_a_control_client_is_served(self):
        control = []

        def control_client():
            for _ in range(5):
                p = curl("--http2-prior-knowledge", "-o", "/dev/null", "-w", "%{http_code}",
                         self.server.url("/hello"))
                control.append(p.stdout)

        c = RawH2(self.server.port)
        try:
            t = threading.Thread(target=control_client)
            t.start()
            block = bomb_block()
            frames = []
            sid = 1
            # At most ~65 blocks/s, as in the report, until the server says GOAWAY: each
            # block waits for its answer (a reset, or a response from a server that
            # processed it all).
            deadline = time.time() + 60 * SLOW
            while (sid < 2 * 100 and not goaways(frames) and not c.closed and
                   time.time() < deadline):
                c.send(c.headers(sid, "", block=block))
                frames += c.wait_for(lambda f: (isinstance(f, GoAwayFrame) or
                                                (isinstance(f, (RstStreamFrame, HeadersFrame))
                                                 and f.stream_id == sid)), timeout=10)
                sid += 2
                time.sleep(1 / 65)
            t.join(timeout=60 * SLOW)
            resets = [f for f in frames if isinstance(f, RstStreamFrame)]
            self.assertGreaterEqual(len(resets), 1, frames[:5])
            self.assertTrue(all(r.error_code == ENHANCE_YOUR_CALM for r in resets), resets)
            self.assertEqual([status_of(frames, s) for s in range(1, sid, 2)
                              if status_of(frames, s)], [])
            g = goaways(frames)
            self.assertEqual(len(g), 1, frames[-5:])
            self.assertEqual(g[0].error_code, ENHANCE_YOUR_CALM)
            self.assertEqual(control, ["200"] * 5)
        finally:
            c.close()

    def test_hpack_state_survives_an_oversized_block(self):
        # The entry the oversized block added is in the table: one reference to it decodes.
        c = RawH2(self.server.port)
        try:
            c.send(c.headers(1, "", block=bomb_block(refs=200)))
            frames = c.wait_for(lambda f: isinstance(f, RstStreamFrame))
            self.assertEqual(frames[-1].error_code, ENHANCE_YOUR_CALM)
            # GET / with one reference to the x-bomb entry (4 KB): within 16 KB.
            c.send(c.headers(3, "", block=b"\x82\x86\x84\x01\x09127.0.0.1\xbe"))
            frames = c.wait_for(lambda f: isinstance(f, DataFrame) and f.stream_id == 3 and
                                "END_STREAM" in f.flags)
            self.assertIsNotNone(status_of(frames, 3), frames)
            self.assertEqual(goaways(frames), [])
        finally:
            c.close()


class Floods(ServerCase):
    """The floods that held before this hardening must still hold: each flooding connection
    ends with GOAWAY (or, for empty DATA frames, is simply served), and a control client on
    another connection is served."""

    def control_served(self):
        p = curl("--http2-prior-knowledge", "-o", "/dev/null", "-w", "%{http_code}",
                 self.server.url("/hello"))
        self.assertEqual(p.stdout, "200")

    def flood(self, data, expect_code):
        c = RawH2(self.server.port)
        try:
            try:
                c.send(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the server may close before it read everything
            frames = c.read_until_close(timeout=30)
            g = goaways(frames)
            self.assertEqual(len(g), 1, frames[-3:])
            self.assertEqual(g[0].error_code, expect_code)
        finally:
            c.close()
        self.control_served()

    def test_rapid_reset(self):
        # CVE-2023-44487: HEADERS then RST_STREAM(CANCEL), past the reset budget (1000).
        enc = hpack.Encoder()
        data = b""
        for sid in range(1, 2 * 1200, 2):
            hf = HeadersFrame(sid, flags=["END_HEADERS", "END_STREAM"])
            hf.data = enc.encode([(":method", "GET"), (":scheme", "http"),
                                  (":authority", "127.0.0.1"), (":path", "/hello")])
            data += hf.serialize() + RstStreamFrame(sid, error_code=0x8).serialize()
        c = RawH2(self.server.port)
        try:
            try:
                c.send(data)
            except (BrokenPipeError, ConnectionResetError):
                pass
            g = goaways(c.read_until_close(timeout=30))
            self.assertEqual(len(g), 1)
            self.assertNotEqual(g[0].error_code, 0)
        finally:
            c.close()
        self.control_served()

    def test_continuation_flood(self):
        # CVE-2024-28182: CONTINUATION frames past the limit (8).
        hf = HeadersFrame(1, flags=["END_STREAM"])
        hf.data = b"\x82\x86\x84"
        data = hf.serialize()
        for _ in range(100):
            data += b"\x00\x00\x01\x09\x00\x00\x00\x00\x01\x90"  # CONTINUATION, 1 field
        self.flood(data, ENHANCE_YOUR_CALM)

    def test_ping_flood(self):
        # RFC 9113 §10.5: PINGs whose ACKs the client never reads.
        self.flood(PingFrame(0, opaque_data=b"12345678").serialize() * 20000, ENHANCE_YOUR_CALM)

    def test_settings_flood(self):
        self.flood(SettingsFrame(0, settings={4: 65535}).serialize() * 20000, ENHANCE_YOUR_CALM)

    def test_empty_data_frames(self):
        # Empty DATA frames on an open stream cost little each; the request is still served.
        c = RawH2(self.server.port)
        try:
            post = c.encoder.encode([(":method", "POST"), (":scheme", "http"),
                                     (":authority", "127.0.0.1"), (":path", "/echo")])
            c.send(c.headers(1, "", end_stream=False, block=post))
            c.send(DataFrame(1).serialize() * 50000)
            c.send(DataFrame(1, data=b"end", flags=["END_STREAM"]).serialize())
            got = []
            frames = c.wait_for(lambda f: isinstance(f, DataFrame) and f.stream_id == 1 and
                                (got.append(f.data) or "END_STREAM" in f.flags), timeout=30)
            self.assertEqual(b"".join(got), b"end", frames[-3:])
        finally:
            c.close()
        self.control_served()


if __name__ == "__main__":
    main()
