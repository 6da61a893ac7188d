"""The shape the frame floods share: a few h2c connections sending batches of frames for the
attack's duration, some reading what the server answers and some never reading (the server's
answers pile up: RFC 9113 §10.5 lets it stop such a peer with ENHANCE_YOUR_CALM)."""

import threading
import time

import h2wire


class FloodResult:
    def __init__(self):
        self.frames = 0
        # (index, reads, Reader, closed, seconds until closed, server stopped reading)
        self.conns = []


def flood(ctx, reading, silent, setup, batch, per_batch, cap=None):
    """`reading` connections read (and ACK SETTINGS); `silent` ones never read until the
    flood ends. Each sends `setup` bytes, then batch(conn, n) (per_batch frames) until the
    attack's duration is over, the server stops reading, the connection closes or `cap`
    frames were sent on it."""
    res = FloodResult()
    lock = threading.Lock()
    end = time.monotonic() + ctx.duration

    def one(i, reads):
        sock = h2wire.connect(ctx.port, timeout=5 * ctx.slow)
        reader = h2wire.Reader(sock) if reads else None
        if reader:
            reader.start()
        t0 = time.monotonic()
        sent, n, stalled = 0, 0, False
        try:
            ok = h2wire.send_all(sock, setup, 2.0 * ctx.slow)
            while ok and time.monotonic() < end and not (reader and reader.closed.is_set()):
                if cap and sent >= cap:
                    break
                ok = h2wire.send_all(sock, batch(i, n), 1.0 * ctx.slow)
                if ok:
                    sent += per_batch
                    n += 1
                else:
                    stalled = True
            if not reader:
                # What did the server say while nobody read? Read it now, briefly.
                reader = h2wire.Reader(sock, ack=False)
                reader.start()
                reader.closed.wait(1.0 * ctx.slow)
            closed = reader.closed.is_set() or reader.goaway is not None
            with lock:
                res.frames += sent
                res.conns.append((i, reads, reader, closed,
                                  (reader.closed_at or time.monotonic()) - t0, stalled))
        finally:
            if reader:
                reader.stop()
            sock.close()
            if reader:
                reader.join(timeout=2)

    threads = [threading.Thread(target=one, args=(i, i < reading), daemon=True)
               for i in range(reading + silent)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=ctx.duration + 30 * ctx.slow)
    return res


def describe(res, what):
    """"sent 1.2M SETTINGS on 2 connections; reading: GOAWAY ENHANCE_YOUR_CALM ..."."""
    parts = []
    for _, reads, reader, closed, secs, stalled in sorted(res.conns, key=lambda c: c[0]):
        kind = "reading" if reads else "not reading"
        how = reader.describe_close() if reader else "?"
        if stalled and how == "open":
            how = "server stopped reading"
        parts.append(f"{kind}: {how}" + (f" after {secs:.1f} s" if closed else ""))
    n = res.frames
    count = f"{n / 1e6:.1f}M" if n >= 1e6 else (f"{n / 1e3:.0f}k" if n >= 1e3 else str(n))
    return f"sent {count} {what} on {len(res.conns)} connections; " + "; ".join(parts)
