#!/usr/bin/env python3
"""Writes the seed corpus of the HTTP/3 push layer's reader target (h3_control_stream/).

Each seed is three option bytes (tests/fuzz/h3_control_stream.fuzz.cpp: reader and options,
MAX_PUSH_ID value, count of chunk-size bytes), the chunk sizes, then the bytes of one stream.
Run it again after changing the seeds here:

    /usr/bin/python3 tests/fuzz/corpus/h3_control_stream.py
"""
import os

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "h3_control_stream")

CONTROL, REQUEST, PUSH = 0, 1, 2
MAX_PUSH_ID, SMALL_LIMITS, NO_FIN = 0x04, 0x08, 0x10


def varint(v):
    if v < 1 << 6:
        return bytes([v])
    if v < 1 << 14:
        return (v | 0x4000).to_bytes(2, "big")
    if v < 1 << 30:
        return (v | 0x80000000).to_bytes(4, "big")
    return (v | 0xC000000000000000).to_bytes(8, "big")


def frame(t, payload=b""):
    return varint(t) + varint(len(payload)) + payload


# QPACK sections from the static table only (RFC 9204 Appendix A): Required Insert Count 0,
# Delta Base 0, then indexed lines (0xC0 | index) and a literal with a static name reference.
REQUEST_FIELDS = bytes([0, 0, 0xD1, 0xD7, 0xC1]) + bytes([0x50, 11]) + b"example.com"
STATUS_200 = bytes([0, 0, 0xD9])
SETTINGS = frame(0x04, varint(0x01) + varint(0) + varint(0x07) + varint(0))


def seed(name, reader, stream, push_id=None, chunks=(1,), flags=0):
    opts = reader | flags | (MAX_PUSH_ID if push_id is not None else 0)
    head = bytes([opts, push_id or 0, len(chunks)]) + bytes(chunks)
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(head + stream)


def main():
    os.makedirs(HERE, exist_ok=True)
    # Control stream: SETTINGS, MAX_PUSH_ID, CANCEL_PUSH, PRIORITY_UPDATE (push and request),
    # GOAWAY, GREASE.
    ctl = varint(0x00) + SETTINGS + frame(0x0D, varint(8)) + frame(0x03, varint(2))
    ctl += frame(0xF0701, varint(3) + b"u=1, i") + frame(0xF0700, varint(0) + b"u=2")
    ctl += frame(0x21 + 0x1F, b"grease") + frame(0x07, varint(4))
    seed("control-all-frames", CONTROL, ctl, chunks=(1, 3, 7))
    seed("control-whole-reads", CONTROL, ctl, chunks=(200,))
    seed("control-no-settings", CONTROL, varint(0x00) + frame(0x0D, varint(4)), chunks=(2,))
    seed("control-cancel-above-max", CONTROL,
         varint(0x00) + SETTINGS + frame(0x0D, varint(1)) + frame(0x03, varint(5)), chunks=(4,))
    seed("control-lowered-max", CONTROL,
         varint(0x00) + SETTINGS + frame(0x0D, varint(9)) + frame(0x0D, varint(3)), chunks=(5, 0))
    seed("control-long-varints", CONTROL,
         varint(0x00) + SETTINGS + bytes([0x40, 0x0D, 0x48, 0x00]) + b"\xc0" + bytes(7),
         chunks=(3,))
    seed("qpack-encoder-stream", CONTROL, varint(0x02) + b"\x3f\xe1\x1f", chunks=(1,))
    # Request stream: promises among the response's frames.
    promise = frame(0x05, varint(1) + REQUEST_FIELDS)
    resp = frame(0x01, STATUS_200) + promise + frame(0x00, b"hello") + frame(0x21, b"")
    seed("request-promise", REQUEST, promise + resp, push_id=4, chunks=(1, 2, 9))
    seed("request-promise-above-max", REQUEST, promise, push_id=0, chunks=(6,))
    seed("request-promise-no-max", REQUEST, promise, chunks=(6,))
    seed("request-promise-too-big", REQUEST, frame(0x05, varint(0) + REQUEST_FIELDS * 8),
         push_id=1, chunks=(16,), flags=SMALL_LIMITS)
    seed("request-promise-bad-qpack", REQUEST, frame(0x05, varint(0) + b"\x01\x00\x80"),
         push_id=1, chunks=(2,))
    # Push stream: type, push ID, HEADERS, DATA, trailers, FIN.
    push = varint(0x01) + varint(1) + frame(0x01, STATUS_200) + frame(0x00, b"body")
    push += frame(0x40, b"x") + frame(0x00, b"more") + frame(0x01, bytes([0, 0, 0xDE]))
    seed("push-whole", PUSH, push, push_id=3, chunks=(1, 4))
    seed("push-no-fin", PUSH, push, push_id=3, chunks=(5,), flags=NO_FIN)
    seed("push-data-first", PUSH, varint(0x01) + varint(0) + frame(0x00, b"x"), push_id=3)
    seed("push-settings", PUSH, varint(0x01) + varint(0) + frame(0x04, b""), push_id=3)
    seed("push-id-above-max", PUSH, varint(0x01) + varint(9) + frame(0x01, STATUS_200),
         push_id=3)
    seed("push-cut-frame", PUSH, varint(0x01) + varint(0) + frame(0x01, STATUS_200)[:-1],
         push_id=3, chunks=(2,))
    seed("server-control-stream", PUSH, varint(0x00) + SETTINGS, chunks=(1,))


if __name__ == "__main__":
    main()
