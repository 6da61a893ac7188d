#!/usr/bin/python3
"""HPACK bomb against a running server: what it costs the server, and a control client's
latency beside it (RFC 9113 §10.5.1).

    bench/hpack-bomb.py PORT PID [--rate 65] [--seconds 5]

Sends the bomb (one 4 KB field added to the dynamic table, referenced 12,000 times: a 16 KB
block decoding to ~48 MB) on clear-text HTTP/2 at a bounded rate for a few seconds,
reconnecting whenever the server ends a connection, while a control client fetches /hello
over its own connection. Prints the server's CPU use (from /proc/PID/stat) and the control
client's latency percentiles."""

import argparse
import os
import socket
import statistics
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "live"))
from h2_conformance_test import RawH2, bomb_block  # noqa: E402
from hyperframe.frame import DataFrame, GoAwayFrame  # noqa: E402


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def drain(c):
    """The frames the server sent so far, without waiting."""
    c.sock.setblocking(False)
    try:
        while True:
            b = c.sock.recv(65536)
            if not b:
                c.closed = True
                break
            c.buf += b
    except (BlockingIOError, ConnectionResetError):
        pass
    frames = []
    while (f := c.next_frame(0)) is not None:
        frames.append(f)
    return frames


def control(port, stop, latencies):
    c = RawH2(port)
    sid = 1
    while not stop.is_set():
        t0 = time.perf_counter()
        c.send(c.headers(sid, "/hello"))
        c.wait_for(lambda f: isinstance(f, DataFrame) and f.stream_id == sid and
                   "END_STREAM" in f.flags, timeout=30)
        latencies.append(time.perf_counter() - t0)
        sid += 2
        time.sleep(0.02)
    c.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("port", type=int)
    ap.add_argument("pid", type=int)
    ap.add_argument("--rate", type=float, default=65)
    ap.add_argument("--seconds", type=float, default=5)
    a = ap.parse_args()

    latencies = []
    stop = threading.Event()
    t = threading.Thread(target=control, args=(a.port, stop, latencies))
    cpu0, t0 = cpu_seconds(a.pid), time.time()
    t.start()
    block = bomb_block()
    sent = connections = goaways = 0
    c, sid = None, 1
    while time.time() - t0 < a.seconds:
        if c is None or c.closed or sid > 2**31 - 2:
            if c:
                c.close()
            c, sid = RawH2(a.port), 1
            connections += 1
        try:
            c.send(c.headers(sid, "", block=block))
        except OSError:
            c.closed = True
            continue
        sent += 1
        sid += 2
        goaways += sum(isinstance(f, GoAwayFrame) for f in drain(c))
        time.sleep(1 / a.rate)
    stop.set()
    t.join()
    elapsed = time.time() - t0
    cpu = cpu_seconds(a.pid) - cpu0
    lat = sorted(latencies)
    print(f"bomb blocks sent {sent} over {connections} connections ({goaways} GOAWAY) "
          f"in {elapsed:.1f} s")
    print(f"server CPU {cpu:.2f} s = {100 * cpu / elapsed:.0f} % of one core")
    if lat:
        print(f"control: {len(lat)} requests, p50 {1000 * statistics.median(lat):.1f} ms, "
              f"p99 {1000 * lat[int(0.99 * (len(lat) - 1))]:.1f} ms, "
              f"max {1000 * lat[-1]:.1f} ms")


if __name__ == "__main__":
    main()
