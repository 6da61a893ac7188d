"""Zero window: SETTINGS_INITIAL_WINDOW_SIZE 0 and never a WINDOW_UPDATE, many streams each
asking for a large file; the server may send HEADERS but no DATA, and holds what it meant to
send (RFC 9113 §6.9.2). Expected: the server gives up on such a peer within its send timeout
(closes the connection or resets the streams) and its memory stays bounded."""

from attack import Attack
from attacks.stall import judge_stalled, stalled_h2


def run(ctx):
    conns, streams = ctx.pick((10, 20), (200, 100))
    held = stalled_h2(ctx, conns, streams, window=0)
    return judge_stalled(ctx, held, "zero-window")


ATTACK = Attack("zero_window", "INITIAL_WINDOW_SIZE 0, many streams on a big file, no update",
                run, server="file", rss_growth_mb=lambda mode: 256 if mode == "short" else 1024)
