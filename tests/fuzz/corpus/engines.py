#!/usr/bin/env python3
"""Writes the seed corpora of the two protocol engine targets (http1_engine/, http2_engine/).

Each seed is two script bytes (tests/fuzz/engine_driver.hpp: chunking, answer style,
shutdown, TLS; body size, push, limits, late answers) followed by the bytes of a connection.
The HTTP/2 target sends the client preface and an empty SETTINGS itself: its seeds start at
the first frame after them. Run it again after changing the seeds here:

    /usr/bin/python3 tests/fuzz/corpus/engines.py
"""
import os
import struct

from hpack import Encoder

HERE = os.path.dirname(os.path.abspath(__file__))


def script(chunk=0, style=0, shutdown=False, tls=False, body=0, push=False, limits=0,
           late=False, tunnel=False):
    # chunk: index of the feed size in (all, 1, 3, 7, 16, 64, 256, 1024);
    # body: index of the response body size in (0, 5, 1000, 70000).
    a = chunk | style << 3 | (0x40 if shutdown else 0) | (0x80 if tls else 0)
    b = body | (4 if push else 0) | limits << 3 | (0x20 if late else 0) | (0x40 if tunnel else 0)
    return bytes([a, b])


def write(target, name, data):
    d = os.path.join(HERE, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


# --- HTTP/1.1 (RFC 9112) ---
H1 = {
    "get": (script(), b"GET / HTTP/1.1\r\nHost: example.com\r\n\r\n"),
    "get-query-bytewise": (script(chunk=1, style=1),
                           b"GET /a/b?x=1&y=%20 HTTP/1.1\r\nHost: a\r\nAccept: */*\r\n\r\n"),
    "pipeline": (script(chunk=3, style=2, body=2),
                 b"GET /1 HTTP/1.1\r\nHost: a\r\n\r\nHEAD /2 HTTP/1.1\r\nHost: a\r\n\r\n"
                 b"GET /3 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"),
    "pipeline-depth-1-late": (script(style=5, body=1, limits=2, late=True),
                              b"GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n"),
    "post-length-continue": (script(chunk=4, style=3),
                             b"POST /up HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n"
                             b"Expect: 100-continue\r\nContent-Type: text/plain\r\n\r\nhello world"),
    "post-chunked-trailers": (script(chunk=2, style=1, body=2),
                              b"POST /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                              b"5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nX-Sum: 1\r\n\r\n"),
    "http10-keep-alive": (script(style=6),
                          b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /b HTTP/1.0\r\n\r\n"),
    "reset-then-more": (script(style=4, body=2),
                        b"GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n"),
    "shutdown-with-pipeline": (script(shutdown=True, late=True),
                               b"GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n"),
    "absolute-form-tls": (script(tls=True, style=7),
                          b"GET http://other.example:81/p?q HTTP/1.1\r\nHost: ignored\r\n\r\n"),
    "options-star": (script(), b"OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n"),
    "connect-501": (script(), b"CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n"),
    "version-505": (script(), b"GET / HTTP/2.0\r\nHost: a\r\n\r\n"),
    "header-431": (script(limits=1), b"GET / HTTP/1.1\r\nHost: a\r\nX-Long: " + b"v" * 300 +
                   b"\r\n\r\n"),
    "body-413": (script(limits=1), b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 500\r\n\r\n"),
    "bad-field-400": (script(), b"GET / HTTP/1.1\r\nHost: a\r\nBad Name: x\r\n\r\n"),
    "h2c-upgrade": (script(chunk=5, body=1),
                    b"GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, HTTP2-Settings\r\n"
                    b"Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n"
                    b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x00\x04\x00\x00\x00\x00\x00"),
    # RFC 6455 §4: the upgrade, then a masked text frame sent before the 101 was read.
    "websocket-tunnel": (script(chunk=3, tunnel=True),
                         b"GET /ws HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\n"
                         b"Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                         b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"
                         b"\x81\x82\x01\x02\x03\x04\x69\x6b"),
    "websocket-refused-late": (script(late=True, tunnel=True, style=7),
                               b"GET /ws HTTP/1.1\r\nHost: a\r\nConnection: close, Upgrade\r\n"
                               b"Upgrade: websocket\r\n\r\n\x81\x80\x00\x00\x00\x00"),
}


# --- HTTP/2 (RFC 9113) ---
def frame(ftype, flags, stream, payload=b""):
    return struct.pack(">I", len(payload))[1:] + bytes([ftype, flags]) + \
        struct.pack(">I", stream) + payload


DATA, HEADERS, PRIORITY, RST, SETTINGS, PUSH, PING, GOAWAY, WINDOW, CONT = range(10)
END_STREAM, END_HEADERS, PADDED, PRIO = 1, 4, 8, 0x20


def req(enc, stream, method=b"GET", path=b"/", extra=(), end=True):
    block = enc.encode([(b":method", method), (b":scheme", b"https"),
                        (b":authority", b"example.com"), (b":path", path)] + list(extra))
    return frame(HEADERS, END_HEADERS | (END_STREAM if end else 0), stream, block)


def h2_seeds():
    e = Encoder()
    seeds = {"get": (script(), req(e, 1))}
    e = Encoder()
    seeds["two-gets-push"] = (script(style=1, body=2, push=True),
                              req(e, 1, extra=[(b"accept", b"text/html")]) + req(e, 3, path=b"/b"))
    e = Encoder()
    seeds["post-data-trailers"] = (
        script(chunk=5, style=2, body=1),
        req(e, 1, method=b"POST", extra=[(b"content-length", b"10")], end=False) +
        frame(DATA, 0, 1, b"hello") + frame(DATA, PADDED, 1, b"\x02world\x00\x00") +
        frame(HEADERS, END_HEADERS | END_STREAM, 1, e.encode([(b"x-sum", b"1")])))
    e = Encoder()
    block = e.encode([(b":method", b"GET"), (b":scheme", b"http"), (b":path", b"/c"),
                      (b"host", b"example.com"), (b"cookie", b"a=1"), (b"cookie", b"b=2")])
    seeds["continuation"] = (script(style=3),
                             frame(HEADERS, END_STREAM, 1, block[:5]) + frame(CONT, 0, 1, block[5:9])
                             + frame(CONT, END_HEADERS, 1, block[9:]))
    e = Encoder()
    seeds["big-body-window"] = (
        script(style=5, body=3, push=True),
        req(e, 1) + frame(WINDOW, 0, 0, struct.pack(">I", 100000)) +
        frame(WINDOW, 0, 1, struct.pack(">I", 100000)))
    e = Encoder()
    seeds["settings-no-push-window-0"] = (
        script(body=2, push=True),
        frame(SETTINGS, 0, 0, struct.pack(">HI", 2, 0) + struct.pack(">HI", 4, 0)) + req(e, 1) +
        frame(SETTINGS, 0, 0, struct.pack(">HI", 4, 65535)))
    e = Encoder()
    seeds["rst-ping-priority"] = (
        script(style=4, body=1),
        frame(PRIORITY, 0, 3, struct.pack(">IB", 0, 15)) + req(e, 1) + frame(RST, 0, 1, b"\0\0\0\x08") +
        frame(PING, 0, 0, b"12345678") + req(e, 3, extra=[(b"te", b"trailers")]))
    e = Encoder()
    seeds["priority-flag-goaway"] = (
        script(shutdown=True, late=True),
        frame(HEADERS, END_HEADERS | END_STREAM | PRIO, 1, struct.pack(">IB", 0, 200) +
              e.encode([(b":method", b"HEAD"), (b":scheme", b"https"), (b":authority", b"a"),
                        (b":path", b"/h")])) +
        frame(GOAWAY, 0, 0, struct.pack(">II", 1, 0)))
    e = Encoder()
    seeds["header-431-body-413"] = (
        script(limits=1),
        req(e, 1, extra=[(b"x-long", b"v" * 300)]) +
        req(e, 3, method=b"POST", extra=[(b"content-length", b"500")], end=False) +
        frame(DATA, END_STREAM, 3, b"x" * 200))
    e = Encoder()
    seeds["malformed-uppercase"] = (script(), req(e, 1, extra=[(b"X-Upper", b"1")]))
    e = Encoder()
    seeds["connect"] = (script(tls=True), frame(HEADERS, END_HEADERS, 1, e.encode(
        [(b":method", b"CONNECT"), (b":authority", b"backend.example:443")])))
    e = Encoder()
    # RFC 8441 §4: an extended CONNECT, then WebSocket bytes in DATA, then its end.
    block = e.encode([(b":method", b"CONNECT"), (b":protocol", b"websocket"),
                      (b":scheme", b"https"), (b":authority", b"a"), (b":path", b"/ws"),
                      (b"sec-websocket-version", b"13")])
    seeds["extended-connect-tunnel"] = (
        script(chunk=4, tunnel=True),
        frame(HEADERS, END_HEADERS, 1, block) +
        frame(DATA, 0, 1, b"\x81\x82\x01\x02\x03\x04\x69\x6b") + frame(DATA, END_STREAM, 1))
    return seeds


if __name__ == "__main__":
    for name, (s, wire) in H1.items():
        write("http1_engine", name, s + wire)
    for name, (s, wire) in h2_seeds().items():
        write("http2_engine", name, s + wire)
