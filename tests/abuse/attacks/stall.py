"""Connections that take a response and never let it through: h2c with a zero window or a
wide window never read, and HTTP/1.1 pipelining large GETs and never reading. The server's
send timeout must end them (and its output budget bound the memory held meanwhile).

Whether the server closed a connection is read from the server's descriptors: a server that
closes a socket it cannot flush may not get its FIN through a full receive window, but its
descriptor goes at once. Zero-window connections can also read what the server sends
(HEADERS, RST_STREAM, GOAWAY): a server that resets every stream of one has ended it too."""

import os
import socket
import struct
import time

import h2wire
from attack import Outcome, close_all, wait_until, fmt_s

RCVBUF = 4096


def server_sockets(ctx):
    """The server's socket descriptors: its connections and listeners, not the files its
    streams have open."""
    n = 0
    try:
        for fd in os.listdir(f"/proc/{ctx.pid}/fd"):
            try:
                n += os.readlink(f"/proc/{ctx.pid}/fd/{fd}").startswith("socket:")
            except OSError:
                pass  # closed meanwhile
    except OSError:
        return None
    return n


def _tcp_state(sock):
    try:
        return struct.unpack("B", sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 1))[0]
    except OSError:
        return 7


class Held:
    """Stalled connections: their sockets, the server's descriptors before them, and (for
    zero-window h2c, which can read what little the server sends) a Reader per socket."""

    def __init__(self, ctx, socks, t0, fds_before, streams=0, readers=(), sockets_before=None):
        self.ctx, self.socks, self.t0, self.fds_before = ctx, socks, t0, fds_before
        self.sockets_before = sockets_before
        self.streams = streams
        self.readers = list(readers)

    def handled_by_reader(self):
        """Connections the server closed or whose every stream it ended, as read: reset, or
        answered in full (END_STREAM: a 503 when it has no descriptor left is an answer too)."""
        n = 0
        for r in self.readers:
            with r.lock:
                if r.closed.is_set() or r.goaway or \
                        len(set(r.resets) | r.ended) >= self.streams:
                    n += 1
        return n


def stalled_h2(ctx, conns, streams, window):
    """h2c connections asking for the big file on `streams` streams each. window 0: never a
    WINDOW_UPDATE, but what the server sends (HEADERS, RST_STREAM, GOAWAY) is read; else the
    widest windows, and nothing is ever read."""
    fds0, sockets0 = ctx.server_fds(), server_sockets(ctx)
    t0 = time.monotonic()
    socks, readers = [], []
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
            continue
        if not window:
            r = h2wire.Reader(s)
            r.start()
            readers.append(r)
    return Held(ctx, socks, t0, fds0, streams, readers, sockets0)


def stalled_h1(ctx, conns, pipelined):
    fds0, sockets0 = ctx.server_fds(), server_sockets(ctx)
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
    return Held(ctx, socks, t0, fds0, sockets_before=sockets0)


def wait_closed(helds):
    """Waits until the server holds none of the connections any more (its descriptors back
    to the count before them, less the control client's one or two), or, when every
    connection has a Reader, until each was closed or had all its streams ended; bounded by
    the send timeout's close bound. Returns (handled count, seconds, total, accepted,
    descriptors still held above the count before them).

    The count of connections ended is read from the server's sockets only: files its streams
    hold open are no connections (under the old count a server holding thousands of files for
    streams of connections it had closed showed 0 ended). Those files still count against it:
    without Readers, the wait is over only when all its descriptors are back down."""
    ctx = helds[0].ctx
    total = sum(len(h.socks) for h in helds)
    fds0 = helds[0].fds_before
    t0 = helds[0].t0
    # First see the server take them (it may accept a moment later than connect() returns).
    accepted = wait_until(lambda: (ctx.server_fds() or 0) >= fds0 + total, 3.0 * ctx.slow)
    readable = all(len(h.readers) == len(h.socks) for h in helds)

    sockets0 = helds[0].sockets_before or 0

    def handled():
        if readable:
            return sum(h.handled_by_reader() for h in helds)
        return total - max(0, (server_sockets(ctx) or 0) - sockets0 - 2)

    def fds_back():
        return (ctx.server_fds() or 0) <= fds0 + 2

    done = wait_until(lambda: fds_back() or (readable and handled() >= total),
                      ctx.close_bound("send") + ctx.pick(2.0, 5.0))
    extra = 0 if done else max(0, (ctx.server_fds() or 0) - fds0 - 2)
    return ((total if done else min(total, max(0, handled()))), time.monotonic() - t0, total,
            accepted, extra)


def judge_stalled(ctx, held, label, more=()):
    helds = [held] + list(more)
    try:
        handled, secs, total, accepted, extra = wait_closed(helds)
        client_saw = sum(1 for h in helds for s in h.socks if _tcp_state(s) != 1)
        resets = sum(len(r.resets) for h in helds for r in h.readers)
        goaways = sum(1 for h in helds for r in h.readers if r.goaway)
    finally:
        for h in helds:
            close_all(h.socks)
            for r in h.readers:
                r.stop()
    obs = (f"server ended {handled}/{total} {label} connections"
           + (f" after {fmt_s(secs)}" if handled == total else f" (waited {fmt_s(secs)})")
           + f"; {client_saw} seen closed by the client")
    if held.readers:
        obs += f", {goaways} GOAWAY, {resets} RST_STREAM"
    if not accepted:
        obs += " (the server never held them all at once)"
    if extra and not held.readers:
        obs += f"; {extra} server descriptors still held"
    broken = []
    if handled < total:
        broken.append(f"{total - handled} {label} connections never ended "
                      f"(send timeout {ctx.timeouts['send']:g} s)")
    elif extra and not held.readers:
        broken.append(f"{extra} descriptors still held after every {label} connection ended "
                      f"(send timeout {ctx.timeouts['send']:g} s)")
    return Outcome(obs, broken=broken)
