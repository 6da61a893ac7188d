"""Malformed HTTP/1.1: the requests of malformed_cases.py, each on a fresh connection, each
followed in the same write by a request for /hello/smuggled. Expected: every `reject` case
gets a 4xx/5xx and a close, every `close` case a close, and /hello/smuggled is never
answered (that would be request smuggling, RFC 9112 §6.3, §11.2)."""

import concurrent.futures
import re
import socket
import time

from attack import Attack, Outcome
from attacks.malformed_cases import CASES

SMUGGLED = b"GET /hello/smuggled HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
STATUS = re.compile(rb"HTTP/1\.[01] (\d{3})")


def one(ctx, name, data, kind):
    """(name, kind, first status or None, closed, answers, smuggled)."""
    payload = data if kind == "lenient" else data + SMUGGLED
    out, closed = b"", False
    try:
        with socket.create_connection(("127.0.0.1", ctx.port), timeout=3 * ctx.slow) as s:
            try:
                s.sendall(payload)
            except OSError:
                pass  # the server may refuse and close before reading everything
            deadline = time.monotonic() + 3 * ctx.slow
            while time.monotonic() < deadline:
                s.settimeout(max(0.01, deadline - time.monotonic()))
                b = s.recv(65536)
                if not b:
                    closed = True
                    break
                out += b
    except socket.timeout:
        pass
    except OSError:
        closed = True  # reset: closed
    statuses = STATUS.findall(out)
    first = int(statuses[0]) if statuses else None
    return name, kind, first, closed, len(statuses), b"Hello smuggled!" in out


def verdict_of(result):
    name, kind, first, closed, answers, smuggled = result
    if smuggled:
        return f"{name}: the smuggled request was answered"
    if kind == "reject":
        if first is not None and first < 400:
            return f"{name}: answered {first}"
        if not closed:
            return f"{name}: connection not closed" + ("" if first else " and no answer")
    if kind == "close" and not closed:
        return f"{name}: connection not closed"
    if kind == "lenient" and answers > 1:
        return f"{name}: {answers} answers"
    return None


def run(ctx):
    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        results = list(pool.map(lambda c: one(ctx, *c), CASES))
    problems = [p for p in (verdict_of(r) for r in results) if p]
    statuses = {}
    for _, _, first, *_ in results:
        key = str(first) if first else "none"
        statuses[key] = statuses.get(key, 0) + 1
    lenient = [f"{n}: {f or 'none'}" for n, k, f, *_ in results if k == "lenient"]
    obs = (f"{len(CASES)} malformed requests: " +
           ", ".join(f"{k} x{v}" for k, v in sorted(statuses.items())) +
           f"; {len(CASES) - len(problems)} as expected; lenient ones: " + ", ".join(lenient))
    return Outcome(obs, broken=problems)


ATTACK = Attack("malformed_h1", "~60 malformed HTTP/1.1 requests with a smuggled follower", run,
                args=lambda mode: ["--max-header", "16384"])
