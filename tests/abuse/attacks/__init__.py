"""Every attack, in the order the runner runs them."""

from attacks import (continuation_flood, empty_data, fd_exhaustion, hpack_bomb, leading_crlf,
                     malformed_h1, many_connections, non_reading, ping_flood, rapid_reset,
                     settings_flood, slow_preface, slowloris, stream_limit, tls_stall,
                     traversal, zero_window)

ALL = [m.ATTACK for m in (
    rapid_reset, continuation_flood, settings_flood, ping_flood, empty_data, zero_window,
    non_reading, slowloris, slow_preface, leading_crlf, hpack_bomb, stream_limit,
    many_connections, fd_exhaustion, tls_stall, malformed_h1, traversal)]
