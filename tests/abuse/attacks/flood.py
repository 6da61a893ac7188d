"""The shape the frame floods share: a few h2c connections sending batches of frames for the
attack's duration, some reading what the server answers and some never reading (the server's
answers pile up: RFC 9113 §10.5 lets it stop such a peer with ENHANCE_YOUR_CALM). A
connection the server ends is replaced by a new one until the duration is over, as an
attacker would."""

import threading
import time

import h2wire


class Slot:
    """One flooding connection slot: its connections one after another."""

    def __init__(self, index, reads):
        self.index, self.reads = index, reads
        self.frames = 0
        self.connections = 0
        self.ends = {}            # how a connection ended ("GOAWAY X", "closed", ...) -> count
        self.first_end = None     # (how, frames on it, seconds)
        self.open_at_end = None   # (frames, seconds) of a connection open when the flood ended


class FloodResult:
    def __init__(self, slots):
        self.slots = slots

    @property
    def frames(self):
        return sum(s.frames for s in self.slots)


def _one_connection(ctx, slot, setup, batch, per_batch, cap, end):
    sock = h2wire.connect(ctx.port, timeout=5 * ctx.slow)
    reader = h2wire.Reader(sock) if slot.reads else None
    if reader:
        reader.start()
    t0 = time.monotonic()
    sent, n, stalled = 0, 0, False
    try:
        ok = h2wire.send_all(sock, setup, 2.0 * ctx.slow)
        while ok and time.monotonic() < end and not (reader and reader.closed.is_set()):
            if cap and sent >= cap:
                break
            ok = h2wire.send_all(sock, batch(slot.index, n), 1.0 * ctx.slow)
            if ok:
                sent += per_batch(slot.index) if callable(per_batch) else per_batch
                n += 1
            else:
                stalled = True
        if not reader:
            # What did the server say while nobody read? Read it now, briefly.
            reader = h2wire.Reader(sock, ack=False)
            reader.start()
        if stalled or not slot.reads:
            reader.closed.wait(1.0 * ctx.slow)
        how = reader.describe_close()
        if how == "open" and stalled:
            how = "server stopped reading"
        ended = how != "open"
        slot.frames += sent
        slot.connections += 1
        if ended:
            slot.ends[how] = slot.ends.get(how, 0) + 1
            if slot.first_end is None:
                slot.first_end = (how, sent, time.monotonic() - t0)
        else:
            slot.open_at_end = (sent, time.monotonic() - t0)
        return ended
    finally:
        reader.stop()
        sock.close()
        reader.join(timeout=2)


def flood(ctx, reading, silent, setup, batch, per_batch, cap=None, reconnect=True):
    """`reading` connection slots read (and ACK SETTINGS); `silent` ones never read while
    flooding. Each connection sends `setup`, then batch(slot, n) (per_batch frames each) until
    the duration is over, the server stops reading or ends it, or `cap` frames were sent on
    it; an ended connection is replaced when `reconnect`. `per_batch` may be a function of
    the slot."""
    slots = [Slot(i, i < reading) for i in range(reading + silent)]
    end = time.monotonic() + ctx.duration

    def work(slot):
        while time.monotonic() < end:
            try:
                ended = _one_connection(ctx, slot, setup, batch, per_batch, cap, end)
            except OSError as e:
                slot.ends[type(e).__name__] = slot.ends.get(type(e).__name__, 0) + 1
                ended = True
                time.sleep(0.05)
            if not (ended and reconnect):
                break

    threads = [threading.Thread(target=work, args=(s,), daemon=True) for s in slots]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=ctx.duration + 30 * ctx.slow)
    return FloodResult(slots)


def _count(n):
    return f"{n / 1e6:.1f}M" if n >= 1e6 else (f"{n / 1e3:.0f}k" if n >= 1e3 else str(n))


def describe(res, what):
    """"sent 1.2M SETTINGS on 2 slots (14 connections); reading: GOAWAY X x13 (first after
    1000 frames, 0.1 s); not reading: open"."""
    parts = []
    for s in res.slots:
        kind = "reading" if s.reads else "not reading"
        ends = ", ".join(f"{k} x{v}" for k, v in sorted(s.ends.items()))
        if s.first_end:
            how, sent, secs = s.first_end
            ends += f" (first after {_count(sent)} frames, {secs:.1f} s)"
        if s.open_at_end and s.open_at_end[1] > 0.5:
            ends = (ends + "; " if ends else "") + \
                f"last one still open after {_count(s.open_at_end[0])} frames, " \
                f"{s.open_at_end[1]:.1f} s"
        parts.append(f"{kind}: {s.connections} connections, {ends or 'none ended'}")
    conns = sum(s.connections for s in res.slots)
    return f"sent {_count(res.frames)} {what} on {conns} connections; " + "; ".join(parts)
