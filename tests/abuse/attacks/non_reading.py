"""Clients that stop reading: HTTP/1.1 connections pipelining GETs of a big file and h2c
connections with the widest windows asking for it on many streams, none of them ever
reading (tiny receive buffers). Expected: the server's send timeout closes every one, and its
output budget keeps memory bounded meanwhile (the hardening issue saw 1.45 GB)."""

from attack import Attack
from attacks.stall import judge_stalled, stalled_h1, stalled_h2


def run(ctx):
    h1 = stalled_h1(ctx, ctx.pick(10, 100), pipelined=4)
    conns, streams = ctx.pick((10, 10), (200, 100))
    h2 = stalled_h2(ctx, conns, streams, window=2 ** 31 - 1)
    h2.fds_before = h1.fds_before
    return judge_stalled(ctx, h1, "non-reading", more=[h2])


ATTACK = Attack("non_reading", "HTTP/1.1 and h2c clients that never read a big file", run,
                server="file", rss_growth_mb=lambda mode: 256 if mode == "short" else 1024)
