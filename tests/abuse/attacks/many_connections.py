"""Many connections: 1,000 (short) or 10,000 (full) at once, half idle and half keep-alive
HTTP/1.1 connections that made one request, all held open while the control client asks.
Expected: the server takes them all (its descriptor limit raised to fit) and keeps serving;
nothing is expected of it about closing them while they are within their timeouts."""

import time

from attack import Attack, Outcome, close_all, open_many

REQ = b"GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"


def run(ctx):
    n = ctx.pick(1000, 10000)
    fds0 = ctx.server_fds() or 0
    t0 = time.monotonic()
    socks = open_many(ctx.port, n, timeout=5 * ctx.slow)
    try:
        busy = socks[::2]
        for s in busy:
            try:
                s.sendall(REQ)
            except OSError:
                pass
        answered = 0
        deadline = time.monotonic() + ctx.pick(5.0, 20.0) * ctx.slow
        for s in busy:
            try:
                s.settimeout(max(0.01, deadline - time.monotonic()))
                if s.recv(65536).startswith(b"HTTP/1.1 200"):
                    answered += 1
            except OSError:
                pass
        opened = time.monotonic() - t0
        held = max(0, (ctx.server_fds() or 0) - fds0)
        time.sleep(max(0.0, ctx.duration - opened))
        still = max(0, (ctx.server_fds() or 0) - fds0)
    finally:
        close_all(socks)
    obs = (f"opened {len(socks)}/{n} in {opened:.1f} s; {answered}/{len(busy)} keep-alive "
           f"requests answered; server held {held} descriptors more, {still} at the end")
    soft = []
    if len(socks) < n:
        soft.append(f"only {len(socks)}/{n} connections opened")
    if answered < len(busy):
        soft.append(f"{len(busy) - answered} keep-alive requests unanswered")
    return Outcome(obs, soft=soft)


ATTACK = Attack("many_connections", "1,000 / 10,000 connections held at once", run,
                args=lambda mode: ["--request-timeout-ms", "60000", "--header-timeout-ms", "60000",
                                   "--idle-ms", "60000"])
