"""Streams beyond SETTINGS_MAX_CONCURRENT_STREAMS after the SETTINGS ACK: the server
advertises 10; the client ACKs that, then opens 15 streams at once on a slow resource.
Expected (RFC 9113 §5.1.2): the 5 excess streams get RST_STREAM (REFUSED_STREAM or
PROTOCOL_ERROR), the first 10 are answered, the connection lives on (no GOAWAY). Repeated on
fresh connections for the attack's duration."""

import time

import h2wire
from attack import Attack, Outcome

LIMIT, OPEN = 10, 15


def one_round(ctx):
    """(answered, {stream: reset code}, goaway, connection still usable)."""
    sock = h2wire.connect(ctx.port, timeout=5 * ctx.slow)
    reader = h2wire.Reader(sock)
    reader.start()
    try:
        if not reader.settings_seen.wait(5 * ctx.slow):
            return 0, {}, None, False
        # Reader ACKed the server's SETTINGS on receipt; wait for the ACK of ours too, so the
        # limit is in force on both sides.
        reader.settings_acked.wait(2 * ctx.slow)
        block = h2wire.request_block("/wait/300")
        sock.sendall(b"".join(h2wire.headers(1 + 2 * k, block) for k in range(OPEN)))
        sids = [1 + 2 * k for k in range(OPEN)]
        deadline = time.monotonic() + 5 * ctx.slow
        while time.monotonic() < deadline and not reader.closed.is_set():
            with reader.lock:
                if all(s in reader.ended or s in reader.resets for s in sids):
                    break
            time.sleep(0.02)
        # Is the connection still usable? One more request.
        usable = False
        if not reader.closed.is_set() and reader.goaway is None:
            sid = 1 + 2 * OPEN
            sock.sendall(h2wire.headers(sid, h2wire.request_block("/hello")))
            deadline = time.monotonic() + 3 * ctx.slow
            while time.monotonic() < deadline and not reader.closed.is_set():
                if sid in reader.ended:
                    usable = reader.statuses.get(sid) == "200"
                    break
                time.sleep(0.02)
        with reader.lock:
            answered = sum(1 for s in sids if reader.statuses.get(s) == "200" and
                           s in reader.ended)
            return answered, dict(reader.resets), reader.goaway, usable
    finally:
        reader.stop()
        sock.close()


def run(ctx):
    end = time.monotonic() + ctx.duration
    rounds, broken_rounds = 0, 0
    last = None
    codes = {}
    while time.monotonic() < end or rounds == 0:
        answered, resets, goaway, usable = one_round(ctx)
        rounds += 1
        last = (answered, resets, goaway, usable)
        for c in resets.values():
            codes[h2wire.error_name(c)] = codes.get(h2wire.error_name(c), 0) + 1
        refused = [s for s, c in resets.items() if c in (1, 7)]
        if answered < LIMIT or len(refused) < OPEN - LIMIT or goaway or not usable:
            broken_rounds += 1
    answered, resets, goaway, usable = last
    obs = (f"{rounds} rounds of {OPEN} streams against a limit of {LIMIT}; RST_STREAM in all: " +
           (", ".join(f"{k} x{v}" for k, v in sorted(codes.items())) or "none") +
           f"; last round: {answered}/{LIMIT} answered" +
           (f", streams {min(resets)}..{max(resets)} reset" if resets else "") +
           (f", GOAWAY {h2wire.error_name(goaway[1])}" if goaway else "") +
           f", connection {'kept' if usable else 'lost'}")
    broken = []
    if broken_rounds:
        broken.append(f"{broken_rounds}/{rounds} rounds without the RFC answer "
                      f"(excess streams refused, the rest answered, connection kept)")
    return Outcome(obs, broken=broken)


ATTACK = Attack("stream_limit", "streams beyond MAX_CONCURRENT_STREAMS after the ACK", run,
                args=lambda mode: ["--max-streams", str(LIMIT)])
