"""Slow connections: open many, send a start, then drip a byte every `period` seconds and
watch each for the server's close (EOF or reset, after an optional response such as 408).
A server with a request timeout (the deadline of a connection's first request head)
closes them all (RFC 9112 §9.8 lets it close an idle or
incomplete connection at any time); one without never does."""

import selectors
import socket
import statistics
import threading
import time

from attack import fmt_s


class Slow:
    def __init__(self):
        self.total = 0
        self.close_times = []     # seconds from open to the server's close
        self.responses = {}       # first bytes of a response -> count
        self.bytes_dripped = 0
        self.waited = 0.0


def drip(ctx, n, start, payload, period, bound, tls_port=False):
    """Opens n connections (to the TLS port when `tls_port`), sends `start` on each, then one
    byte of `payload` (cycled) per connection every `period` s, until all are closed by the
    server or `bound` seconds passed. Returns a Slow."""
    res = Slow()
    port = ctx.tls_port if tls_port else ctx.port
    sel = selectors.DefaultSelector()
    opened = {}
    t0 = time.monotonic()
    try:
        for _ in range(n):
            s = socket.socket()
            s.settimeout(5 * ctx.slow)
            try:
                s.connect(("127.0.0.1", port))
                if start:
                    s.sendall(start)
            except OSError:
                s.close()
                continue
            s.setblocking(False)
            opened[s] = [time.monotonic(), 0]
            sel.register(s, selectors.EVENT_READ)
        res.total = len(opened)
        next_drip = time.monotonic() + period
        deadline = t0 + bound
        while opened and time.monotonic() < deadline:
            timeout = max(0.0, min(next_drip, deadline) - time.monotonic())
            for key, _ in sel.select(timeout):
                s = key.fileobj
                try:
                    b = s.recv(65536)
                except BlockingIOError:
                    continue
                except OSError:
                    b = b""
                if b:
                    if opened[s][1] == 0:
                        head = b[:12].decode(errors="replace").strip()
                        res.responses[head] = res.responses.get(head, 0) + 1
                    opened[s][1] += len(b)
                    continue
                res.close_times.append(time.monotonic() - opened.pop(s)[0])
                sel.unregister(s)
                s.close()
            if payload and time.monotonic() >= next_drip:
                next_drip += period
                for s in list(opened):
                    i = res.bytes_dripped % len(payload)
                    try:
                        s.send(payload[i:i + 1])
                    except (BlockingIOError, OSError):
                        pass
                res.bytes_dripped += 1
        res.waited = time.monotonic() - t0
    finally:
        for s in list(opened):
            s.close()
        sel.close()
    return res


def describe(res, label):
    closed = len(res.close_times)
    out = f"server closed {closed}/{res.total} {label}"
    if res.close_times:
        out += (f" after {fmt_s(statistics.median(res.close_times))} (median), "
                f"{fmt_s(max(res.close_times))} (last)")
    if closed < res.total:
        out += f"; {res.total - closed} still open after {fmt_s(res.waited)}"
    if res.responses:
        out += "; answered " + ", ".join(f"{k!r} x{v}" for k, v in sorted(res.responses.items()))
    return out


def expect_all_closed(res, label, timeout):
    if len(res.close_times) < res.total:
        return [f"{res.total - len(res.close_times)}/{res.total} {label} never closed "
                f"(request timeout {timeout:g} s)"]
    return []


def concurrently(*calls):
    """Runs each zero-argument call in its own thread; returns their results in order."""
    results = [None] * len(calls)

    def one(i, fn):
        results[i] = fn()

    threads = [threading.Thread(target=one, args=(i, fn), daemon=True)
               for i, fn in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results
