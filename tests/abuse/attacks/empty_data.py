"""Empty DATA flood (CVE-2019-9518): a POST stream, then zero-length DATA frames without
END_STREAM, forever; each costs the server a frame's work and moves no byte. Expected: the
server survives; it may end the connection (GOAWAY) or the stream (its body timeout)."""

import h2wire
from attack import Attack, Outcome
from attacks.flood import describe, flood

BATCH = 1000


def run(ctx):
    # A stream per connection: stream 1, a POST to /echo with a body still to come.
    setup = h2wire.headers(1, h2wire.request_block("/echo", method="POST"), end_stream=False)
    empty = h2wire.frame(h2wire.DATA, 0, 1)
    res = flood(ctx, reading=2, silent=0, setup=setup, batch=lambda c, n: empty * BATCH,
                per_batch=BATCH)
    return Outcome(describe(res, "empty DATA frames"))


ATTACK = Attack("empty_data", "zero-length DATA frames on an open POST stream", run)
