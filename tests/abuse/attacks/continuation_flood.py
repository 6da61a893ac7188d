"""CONTINUATION flood (CVE-2024-27316 and kin): HEADERS without END_HEADERS, then
CONTINUATION frames that never end the block: one connection fills them with header fields
(the block outgrows any header limit), one sends them empty (no byte counts against a limit).
Expected: the server ends every such connection (GOAWAY or close; the attacker reconnects
until the flood is over) before the flood is over; a
header block beyond its limit is a connection error (RFC 9113 §6.10, §10.5.1)."""

import h2wire
from attack import Attack, Outcome
from attacks.flood import flood

FILLED, EMPTY = 4, 1000
OPEN_BOUND = 1.5


def run(ctx):
    setup = h2wire.frame(h2wire.HEADERS, 0, 1, h2wire.request_block("/hello"))
    fields = b"".join(h2wire.literal(f"x-flood-{i}", "v" * 1000) for i in range(15))
    filled = h2wire.frame(h2wire.CONTINUATION, 0, 1, fields) * FILLED
    empty = h2wire.frame(h2wire.CONTINUATION, 0, 1) * EMPTY
    res = flood(ctx, reading=2, silent=0, setup=setup,
                batch=lambda conn, n: filled if conn == 0 else empty,
                per_batch=lambda conn: FILLED if conn == 0 else EMPTY)
    broken, parts = [], []
    for slot in res.slots:
        label = "filled" if slot.index == 0 else "empty"
        # The last connection may have just begun when the flood ended: only one that the
        # server let run for OPEN_BOUND seconds counts as not ended.
        lasted = slot.open_at_end and slot.open_at_end[1] > OPEN_BOUND * ctx.slow
        if slot.first_end and not lasted:
            how, sent, secs = slot.first_end
            parts.append(f"{label}: {slot.connections} connections, each ended by the server "
                         f"(first: {how} after {sent} frames, {secs:.1f} s)")
        else:
            frames, secs = slot.open_at_end or (slot.frames, 0.0)
            parts.append(f"{label}: not ended by the server after {frames} frames, {secs:.1f} s")
            broken.append(f"{label} CONTINUATION flood not ended by the server")
    return Outcome("; ".join(parts), broken=broken)


ATTACK = Attack("continuation_flood", "CONTINUATION frames that never end a header block", run,
                args=lambda mode: ["--max-header", "16384"])
