"""Slowloris over HTTP/1.1: many connections each sending a request head one byte at a time
(a byte every second in the short run, every 5 s in the full run), never finishing it.
Expected: the server's request timeout closes every one (408 then close is the courteous way,
RFC 9110 §15.5.9)."""

from attack import Attack, Outcome
from attacks.slow import describe, drip, expect_all_closed


def run(ctx):
    n = ctx.pick(200, 2000)
    period = ctx.pick(1.0, 5.0)
    res = drip(ctx, n, b"GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\n",
               b"X-Slow: " + b"a" * 200 + b"\r\n", period, ctx.close_bound("request") + period)
    return Outcome(describe(res, "slow HTTP/1.1 connections"),
                   broken=expect_all_closed(res, "slow HTTP/1.1 connections",
                                            ctx.timeouts["request"]))


ATTACK = Attack("slowloris_h1", "request heads dripped a byte at a time", run)
