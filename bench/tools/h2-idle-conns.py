#!/usr/bin/env python3
"""Holds idle HTTP/2 connections (h2c prior knowledge, or TLS with ALPN h2) open to one
server and reads the server's memory.

  h2-idle-conns.py --port P --pids PID[,PID...] [--counts 1000,10000] [--settle 3] [--tls]

With --tls each connection first runs a TLS handshake offering ALPN h2 (the certificate is
not verified) and is dropped as failed when the server does not select h2. A connection
is *held* once it sent the preface and an empty SETTINGS, got the server's
SETTINGS (and acknowledged them) and the server's ACK of its own; then it sends nothing
but PING answers. For each count N, one after the other: open N connections (at most
--concurrency handshakes at once, --open-deadline s in all, giving up after --max-fail
failures), let them idle --settle s, read the RSS of the pids and all their descendants,
count the connections alive on both sides (ours, and `ss` on the server port), close them,
wait (at most --drain s) until the server has closed its side, and read the RSS again.
Prints one JSON object: rss0_kib (before anything), pids, runs: [{n, held,
server_established, rss_kib, rss_after_close_kib, failed}].
"""
import argparse
import json
import os
import resource
import select
import socket
import ssl
import struct
import subprocess
import time

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + b"\0\0\0\x04\0\0\0\0\0"  # + empty SETTINGS
SETTINGS_ACK = b"\0\0\0\x04\x01\0\0\0\0"
SETTINGS, PING, GOAWAY = 4, 6, 7


def tls_context():
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    ctx.set_alpn_protocols(["h2"])
    return ctx


class Conn:
    def __init__(self, host, port, tls=None):
        self.raw = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.raw.setblocking(False)
        self.raw.connect_ex((host, port))
        self.fd = self.raw.fileno()
        self.tls = tls  # an ssl.SSLContext, or None for h2c
        self.sock = self.raw
        self.started = time.monotonic()
        self.connected = self.settings = self.acked = self.dead = False
        self.handshaking = self.want_write = False
        self.mask = select.EPOLLOUT | select.EPOLLIN
        self.buf = b""

    def on_connected(self):
        """TCP is up: send the preface (h2c) or start the TLS handshake."""
        self.connected = True
        if self.raw.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR):
            self.dead = True
        elif self.tls is None:
            self.send(PREFACE)
        else:
            self.sock = self.tls.wrap_socket(self.raw, do_handshake_on_connect=False)
            self.handshaking = True
            self.handshake()

    def handshake(self):
        """One step of the TLS handshake; want_write: it waits for the socket to take more."""
        self.want_write = False
        try:
            self.sock.do_handshake()
        except ssl.SSLWantReadError:
            return
        except ssl.SSLWantWriteError:
            self.want_write = True
            return
        except (ssl.SSLError, OSError):
            self.dead = True
            return
        self.handshaking = False
        if self.sock.selected_alpn_protocol() != "h2":
            self.dead = True
        else:
            self.send(PREFACE)

    @property
    def wanted(self):
        """The epoll events this connection waits for now."""
        if self.handshaking and self.want_write:
            return select.EPOLLIN | select.EPOLLOUT
        return select.EPOLLIN

    @property
    def held(self):
        return self.settings and self.acked and not self.dead

    def on_readable(self):
        if self.handshaking:
            self.handshake()
            if self.handshaking or self.dead:
                return
        while True:  # TLS may hold decrypted bytes the socket no longer signals
            try:
                data = self.sock.recv(65536)
            except (BlockingIOError, InterruptedError, ssl.SSLWantReadError,
                    ssl.SSLWantWriteError):
                return
            except OSError:
                data = b""
            if not data:
                self.dead = True
                return
            self.frames(data)
            if self.dead or self.tls is None:
                return

    def frames(self, data):
        self.buf += data
        while len(self.buf) >= 9:
            length = int.from_bytes(self.buf[:3], "big")
            if len(self.buf) < 9 + length:
                break
            kind, flags = self.buf[3], self.buf[4]
            payload, self.buf = self.buf[9:9 + length], self.buf[9 + length:]
            if kind == SETTINGS and flags & 1:
                self.acked = True
            elif kind == SETTINGS:
                self.settings = True
                self.send(SETTINGS_ACK)
            elif kind == PING and not flags & 1:
                self.send(struct.pack(">I", 8)[1:] + bytes([PING, 1]) + b"\0\0\0\0" + payload)
            elif kind == GOAWAY:
                self.dead = True

    def send(self, data):
        try:
            self.sock.sendall(data)
        except OSError:
            self.dead = True


def rss_kib(pids):
    """VmRSS of pids and every descendant, in KiB."""
    children = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open("/proc/%s/stat" % d) as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(d))
            except (OSError, IndexError, ValueError):
                pass
    total, todo, seen = 0, list(pids), set()
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        todo += children.get(p, [])
        try:
            with open("/proc/%d/status" % p) as f:
                total += next(int(l.split()[1]) for l in f if l.startswith("VmRSS:"))
        except (OSError, StopIteration):
            pass
    return total


def established(port):
    out = subprocess.run(["ss", "-Htn", "state", "established", "( sport = :%d )" % port],
                         capture_output=True, text=True, timeout=30).stdout
    return sum(1 for line in out.splitlines() if line.strip())


def pump(ep, conns, seconds):
    """Serves socket events for `seconds`."""
    end = time.monotonic() + seconds
    while (left := end - time.monotonic()) > 0:
        for fd, ev in ep.poll(min(left, 0.2)):
            c = conns.get(fd)
            if c is None:
                continue
            if not c.connected and ev & select.EPOLLOUT:
                c.on_connected()
            elif c.handshaking and ev & select.EPOLLOUT:
                c.handshake()
            if ev & (select.EPOLLIN | select.EPOLLHUP | select.EPOLLERR):
                c.on_readable()
            if not c.dead and c.connected and c.wanted != c.mask:
                c.mask = c.wanted
                ep.modify(fd, c.mask)
            if c.dead:
                ep.unregister(fd)
                c.sock.close()
                del conns[fd]


def hold(args, n):
    ep, conns, failed = select.epoll(), {}, 0
    deadline = time.monotonic() + args.open_deadline
    held = lambda: sum(1 for c in conns.values() if c.held)
    while held() < n and failed < args.max_fail and time.monotonic() < deadline:
        pending = [c for c in conns.values() if not c.held]
        for c in pending:  # handshakes that took too long count as failures
            if time.monotonic() - c.started > args.handshake_timeout:
                c.dead = True
                failed += 1
                ep.unregister(c.fd)
                c.sock.close()
                del conns[c.fd]
        opening = min(args.concurrency - len(pending), n - len(conns))
        for _ in range(max(0, opening)):
            c = Conn(args.host, args.port, args.tls_context)
            conns[c.fd] = c
            ep.register(c.fd, select.EPOLLOUT | select.EPOLLIN)
        before = len(conns)
        pump(ep, conns, 0.05)
        failed += before - len(conns)  # closed by the server
    pump(ep, conns, args.settle)
    run = {"n": n, "held": held(), "server_established": established(args.port),
           "rss_kib": rss_kib(args.pids), "failed": failed}
    for c in conns.values():
        c.sock.close()
    ep.close()
    end = time.monotonic() + args.drain
    while established(args.port) and time.monotonic() < end:
        time.sleep(0.2)
    time.sleep(1)
    run["rss_after_close_kib"] = rss_kib(args.pids)
    return run


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--pids", required=True, help="server pids, comma-separated")
    ap.add_argument("--counts", default="1000,10000")
    ap.add_argument("--settle", type=float, default=3)
    ap.add_argument("--concurrency", type=int, default=200)
    ap.add_argument("--handshake-timeout", type=float, default=10)
    ap.add_argument("--open-deadline", type=float, default=180)
    ap.add_argument("--max-fail", type=int, default=100)
    ap.add_argument("--drain", type=float, default=30)
    ap.add_argument("--tls", action="store_true", help="TLS with ALPN h2 instead of h2c")
    args = ap.parse_args()
    args.tls_context = tls_context() if args.tls else None
    args.pids = [int(p) for p in args.pids.split(",") if p]
    counts = [int(c) for c in args.counts.split(",")]
    want = max(counts) + 100
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(want, hard), hard))
    out = {"pids": args.pids, "rss0_kib": rss_kib(args.pids), "runs": []}
    for n in counts:
        out["runs"].append(hold(args, n))
    print(json.dumps(out))


if __name__ == "__main__":
    main()
