#!/usr/bin/python3
"""WebSocket figures for a server's echo endpoint (the demo's /ws/echo by default):

  roundtrips   N sequential echo round trips on one connection (Python websockets client);
               reports round trips/s and the server's CPU per round trip (/proc/PID/stat).
  idle         opens C WebSockets and leaves them idle; reports the server's RSS growth per
               WebSocket (/proc/PID/status VmRSS).

usage: bench/websocket.py PID PORT [--path /ws/echo] [--roundtrips N] [--idle C]
The machine is shared: compare figures as ratios within one run, not across runs."""

import argparse
import asyncio
import os
import socket
import time

import websockets


def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_kib(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


async def roundtrips(port, path, n):
    async with websockets.connect(f"ws://127.0.0.1:{port}{path}", compression=None) as ws:
        for _ in range(100):  # warm-up
            await ws.send("x" * 32)
            await ws.recv()
        t0 = time.perf_counter()
        for _ in range(n):
            await ws.send("x" * 32)
            await ws.recv()
        return time.perf_counter() - t0


def open_idle(port, path, count):
    socks = []
    request = (f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
               "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
               "Sec-WebSocket-Version: 13\r\n\r\n").encode()
    for _ in range(count):
        s = socket.create_connection(("127.0.0.1", port), timeout=30)
        s.sendall(request)
        head = b""
        while b"\r\n\r\n" not in head:
            head += s.recv(4096)
        assert head.startswith(b"HTTP/1.1 101"), head[:40]
        socks.append(s)
    return socks


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("pid", type=int)
    ap.add_argument("port", type=int)
    ap.add_argument("--path", default="/ws/echo")
    ap.add_argument("--roundtrips", type=int, default=20000)
    ap.add_argument("--idle", type=int, default=1000)
    a = ap.parse_args()
    if a.roundtrips:
        c0 = cpu_seconds(a.pid)
        secs = asyncio.run(roundtrips(a.port, a.path, a.roundtrips))
        c1 = cpu_seconds(a.pid)
        print(f"roundtrips {a.roundtrips}: {a.roundtrips / secs:.0f}/s, "
              f"server CPU {1e6 * (c1 - c0) / a.roundtrips:.1f} us per round trip")
    if a.idle:
        time.sleep(0.5)
        before = rss_kib(a.pid)
        socks = open_idle(a.port, a.path, a.idle)
        time.sleep(1.0)
        after = rss_kib(a.pid)
        print(f"idle {a.idle}: RSS {before} -> {after} KiB, "
              f"{(after - before) / a.idle:.1f} KiB per idle WebSocket")
        for s in socks:
            s.close()


if __name__ == "__main__":
    main()
