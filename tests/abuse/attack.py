"""What an attack is (Attack), what it is given (Context) and what it reports (Outcome)."""

import socket
import time
from dataclasses import dataclass, field
from typing import Callable, List, Optional

from sampler import count_fds


@dataclass
class Outcome:
    """An attack's own verdict on the server's behaviour. `observation` is one line for the
    table ("server closed 200/200 slow connections after 2.1 s"); `broken` lists expectations
    the server broke (each makes the verdict "failed"); `soft` lists lesser ones (each makes it
    at least "degraded")."""
    observation: str
    broken: List[str] = field(default_factory=list)
    soft: List[str] = field(default_factory=list)


@dataclass
class Attack:
    """One attack. `run(ctx)` attacks for about ctx.duration seconds, closes everything it
    opened and returns an Outcome. `server` is "test" (rodeo_test_server) or "file"
    (rodeo_file_server on a generated root); `args(mode)` adds server flags to the defaults;
    `nofile(mode)`, when set, is the server's RLIMIT_NOFILE (soft and hard);
    `rss_growth_mb(mode)`, when set, bounds the server's peak RSS above its RSS before the
    attack (beyond it: degraded)."""
    name: str
    summary: str
    run: Callable[["Context"], Outcome]
    server: str = "test"
    args: Callable[[str], List[str]] = lambda mode: []
    nofile: Optional[Callable[[str], int]] = None
    rss_growth_mb: Optional[Callable[[str], int]] = None


class Context:
    """What an attack may use: the mode, the server's ports and process, the timeouts the
    server was started with, and the files of the file server's root."""

    def __init__(self, mode, slow, port, tls_port, pid, timeouts, files, server):
        self.mode, self.slow = mode, slow
        self.port, self.tls_port, self.pid = port, tls_port, pid
        self.timeouts = timeouts      # {"header": s, "send": s, "idle": s, ...}
        self.files = files            # {"big": path, "big_size": n, "root": dir, ...}
        self.server = server          # the harness Server (stderr lines in .err_lines)

    def pick(self, short, full):
        return short if self.mode == "short" else full

    @property
    def duration(self):
        """How long a flood lasts."""
        return self.pick(3.0, 20.0)

    def close_bound(self, timeout_name):
        """The latest a server should close a connection that a timeout covers: the timeout,
        plus slack for a loaded machine (scaled for sanitized builds)."""
        return self.timeouts[timeout_name] * 1.5 + 3.0 * self.slow

    def server_fds(self):
        return count_fds(self.pid)

    def alive(self):
        return self.server.proc.poll() is None


def open_many(port, n, timeout=5.0, batch=200):
    """Opens n TCP connections to 127.0.0.1:port, in batches so the listen backlog keeps up;
    returns the sockets that connected (fewer when the server or the system refuses)."""
    socks = []
    deadline = time.monotonic() + timeout + n / 500.0
    while len(socks) < n and time.monotonic() < deadline:
        for _ in range(min(batch, n - len(socks))):
            s = socket.socket()
            s.settimeout(timeout)
            try:
                s.connect(("127.0.0.1", port))
                socks.append(s)
            except OSError:
                s.close()
                time.sleep(0.01)
    return socks


def close_all(socks):
    for s in socks:
        try:
            s.close()
        except OSError:
            pass


def wait_until(pred, timeout, step=0.05):
    """Polls pred until it holds or timeout passes; returns whether it held."""
    deadline = time.monotonic() + timeout
    while True:
        if pred():
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(step)


def fmt_s(seconds):
    return f"{seconds:.1f} s"
