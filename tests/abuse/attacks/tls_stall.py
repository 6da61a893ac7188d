"""Stalled TLS handshakes: connections to the TLS port that send nothing, and ones that send
half a ClientHello and stop. Expected: the server closes every one within its request timeout
(no handshake, no request) and keeps serving."""

import ssl

from attack import Attack, Outcome
from attacks.slow import concurrently, describe, drip, expect_all_closed


def client_hello():
    ctx = ssl.create_default_context()
    inc, out = ssl.MemoryBIO(), ssl.MemoryBIO()
    obj = ctx.wrap_bio(inc, out, server_hostname="localhost")
    try:
        obj.do_handshake()
    except ssl.SSLWantReadError:
        pass
    return out.read()


def run(ctx):
    n = ctx.pick(100, 1000)
    hello = client_hello()
    bound = ctx.close_bound("request")
    silent, half = concurrently(
        lambda: drip(ctx, n, b"", b"", 1.0, bound, tls_port=True),
        lambda: drip(ctx, n, hello[:len(hello) // 2], b"", 1.0, bound, tls_port=True))
    obs = describe(silent, "silent TLS connections") + "; " + \
        describe(half, "half-ClientHello connections")
    broken = expect_all_closed(silent, "silent TLS connections", ctx.timeouts["request"]) + \
        expect_all_closed(half, "half-ClientHello connections", ctx.timeouts["request"])
    return Outcome(obs, broken=broken)


ATTACK = Attack("tls_stall", "TLS connections that never finish the handshake", run)
