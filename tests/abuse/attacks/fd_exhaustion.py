"""Descriptor exhaustion: the server starts with a low RLIMIT_NOFILE (256 short, 1,024 full,
soft and hard) and gets more slow connections than that (300, 1,100), each an unfinished
request line, all held. Expected: the server sizes max_connections below its limit, so
accept() never fails with EMFILE; it does not spin (CPU stays under CPU_BOUND % of a core,
fewer than LOG_BOUND log lines a second); a client that sends a request takes the place of
the oldest connection that sent none, so the control client keeps being served; and the
request timeout frees the rest. (The EMFILE path itself, with max_connections above the
limit, is tests/live/descriptors_test.py's.)"""

import time

from attack import Attack, Outcome, close_all, open_many
from sampler import read_cpu_seconds

CPU_BOUND = 80.0
LOG_BOUND = 100.0
LIMIT = {"short": 256, "full": 1024}


def run(ctx):
    n = ctx.pick(300, 1100)
    lines0 = len(ctx.server.err_lines)
    cpu0, t0 = read_cpu_seconds(ctx.pid), time.monotonic()
    socks = open_many(ctx.port, n, timeout=5 * ctx.slow)
    try:
        for s in socks:
            try:
                s.sendall(b"GET /hello HTTP/1.1\r\n")
            except OSError:
                pass
        peak_fds = ctx.server_fds() or 0
        end = t0 + ctx.pick(5.0, 20.0)
        while time.monotonic() < end:
            peak_fds = max(peak_fds, ctx.server_fds() or 0)
            time.sleep(0.1)
        cpu1, t1 = read_cpu_seconds(ctx.pid), time.monotonic()
        lines = len(ctx.server.err_lines) - lines0
    finally:
        close_all(socks)
    cpu = 100.0 * (cpu1 - cpu0) / (t1 - t0) if cpu0 is not None and cpu1 is not None else 0.0
    rate = lines / (t1 - t0)
    obs = (f"{len(socks)} slow connections against a limit of {LIMIT[ctx.mode]} descriptors "
           f"(server peaked at {peak_fds}); server CPU {cpu:.0f} %, {lines} log lines "
           f"({rate:.0f}/s)")
    broken = []
    if cpu > CPU_BOUND:
        broken.append(f"CPU {cpu:.0f} % while out of descriptors (accept loop spinning?)")
    if rate > LOG_BOUND:
        broken.append(f"{rate:.0f} log lines/s while out of descriptors")
    return Outcome(obs, broken=broken)


ATTACK = Attack("fd_exhaustion", "more slow connections than the server's descriptor limit",
                run, nofile=lambda mode: LIMIT[mode])
