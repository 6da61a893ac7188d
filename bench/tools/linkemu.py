#!/usr/bin/env python3
"""A point-to-point link between two network namespaces, emulated in user space (for
kernels without sch_netem, where `tc ... netem delay` does not exist).

  linkemu.py NS_A DEV_A NS_B DEV_B --delay-ms 25 --rate-mbit 20 --ready-file F

Opens a TUN device DEV_A in the existing namespace NS_A and DEV_B in NS_B, and forwards
IP packets between them through this model, the same each way:
  * the link sends one packet at a time at --rate-mbit (IP bytes): a packet waits (FIFO)
    until the link is free, then occupies it for len * 8 / rate seconds;
  * it arrives --delay-ms after leaving the link (one-way propagation delay);
  * a packet that would wait more than --queue-ms is dropped (drop-tail).
TUN without IFF_VNET_HDR sees no GSO super-packets: every packet is at most one MTU, as
on a wire. Writes F once both devices exist (the caller then adds addresses); stops on
SIGTERM or SIGINT, which removes both devices, and prints per-direction counters.
"""
import argparse
import collections
import ctypes
import fcntl
import os
import select
import signal
import struct
import time

CLONE_NEWNET = 0x40000000
TUNSETIFF = 0x400454CA
IFF_TUN, IFF_NO_PI = 0x0001, 0x1000
libc = ctypes.CDLL(None, use_errno=True)


def enter_netns(fd):
    if libc.setns(fd, CLONE_NEWNET) != 0:
        raise OSError(ctypes.get_errno(), "setns")


def open_tun(ns, dev):
    fd = os.open("/var/run/netns/" + ns, os.O_RDONLY)
    enter_netns(fd)
    os.close(fd)
    tun = os.open("/dev/net/tun", os.O_RDWR | os.O_NONBLOCK)
    fcntl.ioctl(tun, TUNSETIFF, struct.pack("16sH22x", dev.encode(), IFF_TUN | IFF_NO_PI))
    return tun


class Direction:
    def __init__(self, src, dst, args):
        self.src, self.dst = src, dst
        self.delay, self.rate = args.delay_ms / 1e3, args.rate_mbit * 1e6
        self.max_wait = args.queue_ms / 1e3
        self.free_at = 0.0  # when the link has sent everything queued so far
        self.queue = collections.deque()  # (arrival time, packet)
        self.packets = self.drops = 0

    def take(self, now):
        while True:
            try:
                packet = os.read(self.src, 65535)
            except BlockingIOError:
                return
            start = max(now, self.free_at)
            if start - now > self.max_wait:
                self.drops += 1
                continue
            self.free_at = start + len(packet) * 8 / self.rate
            self.queue.append((self.free_at + self.delay, packet))

    def give(self, now):
        while self.queue and self.queue[0][0] <= now:
            try:
                os.write(self.dst, self.queue.popleft()[1])
                self.packets += 1
            except OSError:
                self.drops += 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name in ("ns_a", "dev_a", "ns_b", "dev_b"):
        ap.add_argument(name)
    ap.add_argument("--delay-ms", type=float, default=25)
    ap.add_argument("--rate-mbit", type=float, default=20)
    ap.add_argument("--queue-ms", type=float, default=500)
    ap.add_argument("--ready-file", required=True)
    args = ap.parse_args()
    home = os.open("/proc/self/ns/net", os.O_RDONLY)
    a, b = open_tun(args.ns_a, args.dev_a), open_tun(args.ns_b, args.dev_b)
    enter_netns(home)
    os.close(home)
    dirs = {a: Direction(a, b, args), b: Direction(b, a, args)}
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))
    with open(args.ready_file, "w") as f:
        f.write("%d\n" % os.getpid())
    while not stop:
        now = time.monotonic()
        for d in dirs.values():
            d.give(now)
        due = [d.queue[0][0] for d in dirs.values() if d.queue]
        # select, not poll: its timeout has microsecond resolution
        try:
            readable = select.select(list(dirs), [], [], max(0, min(due) - now) if due else 1)[0]
        except InterruptedError:
            continue
        for fd in readable:
            dirs[fd].take(time.monotonic())
    for name, d in (("a->b", dirs[a]), ("b->a", dirs[b])):
        print("linkemu %s: %d packets, %d dropped" % (name, d.packets, d.drops), flush=True)


if __name__ == "__main__":
    main()
