"""Samples a server process from /proc in a background thread: resident memory (VmRSS),
open descriptors (/proc/PID/fd) and CPU time (utime + stime of /proc/PID/stat)."""

import os
import threading
import time

_TICKS = os.sysconf("SC_CLK_TCK")


def read_rss_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def count_fds(pid):
    try:
        return len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return None


def read_cpu_seconds(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            # The command name may hold spaces: the fields after it start past the last ')'.
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _TICKS
    except (OSError, IndexError, ValueError):
        return None


class Sample:
    __slots__ = ("t", "rss_kb", "fds", "cpu")

    def __init__(self, t, rss_kb, fds, cpu):
        self.t, self.rss_kb, self.fds, self.cpu = t, rss_kb, fds, cpu


class Sampler(threading.Thread):
    """Samples every `interval` seconds until stop(); now() takes one sample on demand."""

    def __init__(self, pid, interval=0.1):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.samples = []
        self.lock = threading.Lock()
        self._halt = threading.Event()

    def now(self):
        s = Sample(time.monotonic(), read_rss_kb(self.pid), count_fds(self.pid),
                   read_cpu_seconds(self.pid))
        if s.rss_kb is not None:
            with self.lock:
                self.samples.append(s)
        return s

    def run(self):
        while not self._halt.wait(self.interval):
            self.now()

    def stop(self):
        self._halt.set()
        self.join(timeout=5)

    def between(self, t0, t1):
        with self.lock:
            return [s for s in self.samples if t0 <= s.t <= t1]

    def peak(self, t0, t1):
        """(peak RSS kB, peak descriptors) over [t0, t1]."""
        w = self.between(t0, t1)
        return (max((s.rss_kb for s in w), default=None),
                max((s.fds for s in w if s.fds is not None), default=None))

    def cpu_percent(self, t0, t1):
        """The server's CPU use over [t0, t1], in % of one core."""
        w = [s for s in self.between(t0, t1) if s.cpu is not None]
        if len(w) < 2 or w[-1].t <= w[0].t:
            return None
        return 100.0 * (w[-1].cpu - w[0].cpu) / (w[-1].t - w[0].t)
