"""Slow HTTP/2 preface: many connections dripping the client connection preface (RFC 9113
§3.4) a byte at a time, so the server can never tell what they speak. Expected: the header
timeout (a connection that has not finished its first request head) closes every one."""

import h2wire
from attack import Attack, Outcome
from attacks.slow import describe, drip, expect_all_closed


def run(ctx):
    n = ctx.pick(100, 1000)
    period = ctx.pick(1.0, 5.0)
    res = drip(ctx, n, b"", h2wire.PREFACE, period, ctx.close_bound("request") + period)
    return Outcome(describe(res, "slow-preface connections"),
                   broken=expect_all_closed(res, "slow-preface connections",
                                            ctx.timeouts["request"]))


ATTACK = Attack("slow_preface", "the HTTP/2 preface dripped a byte at a time", run)
