"""Connections that take a response and never let it through: h2c with a zero window or a
wide window never read, and HTTP/1.1 pipelining large GETs and never reading. The server's
send timeout must end them (and its output budget bound the memory held meanwhile).

Whether the server closed a connection is read from the server's descriptors: a server that
closes a socket it cannot flush may not get its FIN through a full receive window, but its
descriptor goes at once."""

import socket
import struct
import time

import h2wire
from attack import Outcome, close_all, wait_until, fmt_s

RCVBUF = 4096


def _tcp_state(sock):
    try:
        return struct.unpack("B", sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 1))[0]
    except OSError:
        return 7


class Held:
    def __init__(self, ctx, socks, t0, fds_before, what):
        self.ctx, self.socks, self.t0, self.fds_before, self.what = ctx, socks, t0, fds_before, what
        self.readers = []


def stalled_h2(ctx, conns, streams, window):
    """h2c connections asking for the big file on `streams` streams each; window 0 (never
    updated) or the widest window, with nothing ever read."""
    fds0 = ctx.server_fds()
    t0 = time.monotonic()
    socks = []
    block = h2wire.request_block(ctx.files["big"])
    if window:
        setup = h2wire.settings(initial_window_size=2 ** 31 - 1, enable_push=0) + \
            h2wire.window_update(0, 2 ** 31 - 1 - 65535)
    else:
        setup = h2wire.settings(initial_window_size=0, enable_push=0)
    reqs = b"".join(h2wire.headers(1 + 2 * k, block) for k in range(streams))
    for _ in range(conns):
        try:
            s = h2wire.connect(ctx.port, timeout=5 * ctx.slow, rcvbuf=RCVBUF,
                               settings_frame=setup)
            s.sendall(reqs)
            socks.append(s)
        except OSError:
            pass
    return Held(ctx, socks, t0, fds0, "h2c")


def stalled_h1(ctx, conns, pipelined):
    fds0 = ctx.server_fds()
    t0 = time.monotonic()
    socks = []
    req = f"GET {ctx.files['big']} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode() * pipelined
    for _ in range(conns):
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, RCVBUF)
        s.settimeout(5 * ctx.slow)
        try:
            s.connect(("127.0.0.1", ctx.port))
            s.sendall(req)
            socks.append(s)
        except OSError:
            s.close()
    return Held(ctx, socks, t0, fds0, "HTTP/1.1")


def wait_closed(helds):
    """Waits (bounded by the send timeout's close bound) until the server holds none of the
    connections any more; returns (closed count, seconds, total)."""
    ctx = helds[0].ctx
    total = sum(len(h.socks) for h in helds)
    fds0 = helds[0].fds_before
    t0 = helds[0].t0
    # The server's descriptors for these connections: fds above the count before, less the
    # control client's one or two.
    done = wait_until(lambda: (ctx.server_fds() or 0) <= fds0 + 2, ctx.close_bound("send") +
                      ctx.pick(2.0, 5.0))
    secs = time.monotonic() - t0
    open_now = max(0, (ctx.server_fds() or 0) - fds0 - 2)
    closed = total if done else max(0, total - open_now)
    return closed, secs, total


def judge_stalled(ctx, held, label, more=()):
    helds = [held] + list(more)
    try:
        closed, secs, total = wait_closed(helds)
        client_saw = sum(1 for h in helds for s in h.socks if _tcp_state(s) != 1)
    finally:
        for h in helds:
            close_all(h.socks)
    obs = (f"server closed {closed}/{total} {label} connections"
           + (f" after {fmt_s(secs)}" if closed == total else f" (waited {fmt_s(secs)})")
           + f"; {client_saw} seen closed by the client")
    broken = []
    if closed < total:
        broken.append(f"{total - closed} {label} connections never closed "
                      f"(send timeout {ctx.timeouts['send']:g} s)")
    return Outcome(obs, broken=broken)
