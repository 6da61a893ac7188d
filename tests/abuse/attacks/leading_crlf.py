"""Leading empty lines: a server SHOULD ignore at least one CRLF before a request line (RFC
9112 §2.2), but without a bound that is a free way to hold a connection and burn reads. One
connection blasts CRLFs (up to CAP bytes); a few drip one CRLF every half second.
Expected: the blaster is closed (400 or close) before CAP bytes, the drippers by the request
timeout."""

import select
import socket
import time

from attack import Attack, Outcome
from attacks.slow import concurrently, describe, drip, expect_all_closed

CAP = 1024 * 1024
CHUNK = b"\r\n" * 2048


def blast(ctx):
    """(bytes sent before the server answered or closed, closed, answer). A small send buffer
    and a look for an answer after every chunk keep the count close to what the server read
    before it refused."""
    sent, answer = 0, b""
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 16384)
    s.settimeout(1.0 * ctx.slow)
    with s:
        s.connect(("127.0.0.1", ctx.port))
        try:
            while sent < CAP:
                if select.select([s], [], [], 0)[0]:
                    break  # the server answered or closed: stop sending
                s.sendall(CHUNK)
                sent += len(CHUNK)
        except (socket.timeout, OSError):
            pass
        # Closed? Read what the server says, bounded by its request timeout.
        s.settimeout(ctx.close_bound("request"))
        try:
            while True:
                b = s.recv(65536)
                if not b:
                    return sent, True, answer
                answer += b
        except socket.timeout:
            return sent, False, answer
        except OSError:
            return sent, True, answer


def run(ctx):
    t0 = time.monotonic()

    def timed_blast():
        out = blast(ctx)
        return out + (time.monotonic() - t0,)

    (sent, closed, answer, blast_secs), res = concurrently(
        timed_blast,
        lambda: drip(ctx, ctx.pick(20, 200), b"", b"\r\n", 0.5,
                     ctx.close_bound("request") + 1.0))
    head = answer[:12].decode(errors="replace").strip() or "nothing"
    obs = (f"blaster: {sent // 1024} KB of CRLF taken, answered {head!r}, "
           f"{'closed' if closed else 'not closed'} after {blast_secs:.1f} s; "
           + describe(res, "CRLF drippers"))
    broken = []
    if sent >= CAP:
        broken.append(f"{CAP // 1024} KB of leading CRLFs taken without an answer")
    if not closed:
        broken.append("CRLF blaster never closed")
    broken += expect_all_closed(res, "CRLF drippers", ctx.timeouts["request"])
    return Outcome(obs, broken=broken)


ATTACK = Attack("leading_crlf", "endless empty lines before a request line", run)
