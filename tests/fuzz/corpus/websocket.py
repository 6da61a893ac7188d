#!/usr/bin/env python3
"""Writes the seed corpus of the websocket_session target (websocket_session/).

Each seed is a settings byte (bit 0: small limits, 64-byte frames and 256-byte messages;
bit 1: permessage-deflate; bit 2: client_no_context_takeover; bit 3:
server_no_context_takeover; bits 4-7: the server's window), a chunking byte, then the bytes
a client sends after the handshake (RFC 6455 §5). Run it again after changing the seeds:

    /usr/bin/python3 tests/fuzz/corpus/websocket.py
"""
import os
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
CONT, TEXT, BIN, CLOSE, PING, PONG = 0x0, 0x1, 0x2, 0x8, 0x9, 0xA
KEY = b"\x37\xfa\x21\x3d"


def frame(op, payload=b"", fin=True, rsv=0, masked=True, length=None):
    n = len(payload) if length is None else length
    out = bytes([(0x80 if fin else 0) | rsv << 4 | op])
    m = 0x80 if masked else 0
    if n < 126:
        out += bytes([m | n])
    elif n < 65536:
        out += bytes([m | 126]) + struct.pack(">H", n)
    else:
        out += bytes([m | 127]) + struct.pack(">Q", n)
    if not masked:
        return out + payload
    return out + KEY + bytes(b ^ KEY[i % 4] for i, b in enumerate(payload))


def deflate(message):
    # RFC 7692 §7.2.1: raw deflate, sync flush, the 00 00 ff ff tail left off.
    z = zlib.compressobj(wbits=-15)
    data = z.compress(message) + z.flush(zlib.Z_SYNC_FLUSH)
    return data[:-4]


def close(code, reason=b""):
    return struct.pack(">H", code) + reason


SEEDS = {
    "text-binary": (0, 0, frame(TEXT, b"Hello") + frame(BIN, b"\x00\xff")),
    "fragments-ping-between": (0, 7, frame(TEXT, b"He", fin=False) + frame(PING, b"p") +
                               frame(CONT, b"llo")),
    "close-with-reason": (0, 3, frame(PONG, b"x") + frame(CLOSE, close(1000, b"bye"))),
    "close-without-code": (0, 0, frame(CLOSE)),
    "close-bad-code": (0, 1, frame(CLOSE, close(1005))),
    "bad-utf8-split": (0, 2, frame(TEXT, b"\xce", fin=False) + frame(CONT, b"\xff")),
    "unmasked": (0, 0, frame(TEXT, b"x", masked=False) + frame(TEXT, b"after")),
    "length-2-63": (0, 0, frame(BIN, length=1 << 63)),
    "length-16-bit": (0, 9, frame(BIN, b"b" * 300)),
    "control-126": (0, 0, frame(PING, b"p" * 126)),
    "small-limits-1009": (1, 5, frame(TEXT, b"a" * 40, fin=False) + frame(CONT, b"a" * 40, fin=False) +
                          frame(CONT, b"a" * 40)),
    "deflate": (2, 0, frame(TEXT, deflate(b"z" * 300), rsv=4) + frame(TEXT, b"plain")),
    "deflate-no-context": (2 | 4 | 8 | 0x30, 4, frame(TEXT, deflate(b"hello"), rsv=4) +
                           frame(BIN, deflate(b"hello"), rsv=4)),
    "deflate-fragmented": (2, 1, frame(TEXT, deflate(b"fragmented " * 20)[:10], fin=False, rsv=4) +
                           frame(CONT, deflate(b"fragmented " * 20)[10:])),
    "deflate-bomb-small": (3, 0, frame(BIN, deflate(b"\x00" * 5000), rsv=4)),
    "deflate-bad-utf8": (2, 0, frame(TEXT, deflate(b"\xc0\xaf"), rsv=4)),
    "deflate-corrupt": (2, 0, frame(BIN, b"\xff\xff\xff", rsv=4)),
    "rsv1-on-ping": (2, 0, frame(PING, b"p", rsv=4)),
}

if __name__ == "__main__":
    d = os.path.join(HERE, "websocket_session")
    os.makedirs(d, exist_ok=True)
    for name, (settings, chunking, wire) in SEEDS.items():
        with open(os.path.join(d, name), "wb") as f:
            f.write(bytes([settings, chunking]) + wire)
