"""Runs the attacks, one fresh server each, beside the control client; prints the table.

For each attack: start the server, sample it (RSS, descriptors, CPU), serve the control
client for a moment (the "before" figures), attack while the control client keeps asking,
stop the attack, wait (bounded) for the server to come back down, check the control client is
still served, stop the server with SIGTERM, and judge (verdict.py)."""

import argparse
import os
import statistics
import sys
import time
import traceback

import servers
import verdict
from attack import Context, Outcome
from attacks import ALL
from control import Control
from sampler import Sampler

BIG_MB = {"short": 8, "full": 50}
RECOVERY = {"short": 10.0, "full": 30.0}


class Run:
    """The figures of one attack."""

    def __init__(self, attack):
        self.attack = attack
        self.outcome = Outcome("")
        self.control = []
        self.crashed = ""
        self.served_after = True
        self.recovered = True
        self.stop_problem = ""
        self.rss = (None, None, None)
        self.fds = (None, None, None)
        self.cpu = None
        self.notes = []
        self.verdict, self.reasons = "failed", []
        self.seconds = 0.0


def run_one(attack, mode, binaries, files, log):
    r = Run(attack)
    t_start = time.monotonic()
    slow = servers.SLOW
    extra = attack.args(mode)
    nofile = attack.nofile(mode) if attack.nofile else None
    try:
        server, r.notes = servers.start(attack.server, mode, binaries, files, extra, nofile)
    except Exception as e:  # a server that cannot start is a failed run, not a crashed suite
        r.crashed = f"server did not start: {e}"
        r.served_after = False
        r.verdict, r.reasons = verdict.judge(r, slow)
        return r
    if attack.server == "file":
        path, body = "/hello.txt", servers.HELLO
    else:
        path, body = "/hello", servers.HELLO
    pid = server.proc.pid
    sampler = Sampler(pid)
    sampler.start()
    control = Control(server.port, path, body, timeout=2.0 * slow)
    try:
        # Before: the control client's persistent connection is open and warm.
        control.once()
        time.sleep(0.3)
        before = sampler.now()
        ctx = Context(mode, slow, server.port, server.tls_port, pid,
                      servers.TIMEOUTS[mode], files.as_dict(), server)
        t0 = time.monotonic()
        control.start()
        try:
            r.outcome = attack.run(ctx)
        except Exception:
            r.outcome = Outcome("the attack itself failed: " +
                                traceback.format_exc().strip().splitlines()[-1],
                                broken=["attack error (see above)"])
            log(traceback.format_exc())
        t1 = time.monotonic()
        control.stop()
        r.control = control.results(t0, t1)
        r.cpu = sampler.cpu_percent(t0, t1)
        if server.proc.poll() is not None:
            r.crashed = f"server exited with {server.proc.returncode} during the attack"
        # Recovery: wait for RSS and descriptors to come back down, bounded.
        base = (before.rss_kb, before.fds)
        deadline = time.monotonic() + RECOVERY[mode] * slow
        after = sampler.now()
        while not verdict.recovered(base, (after.rss_kb, after.fds)) and \
                time.monotonic() < deadline and server.proc.poll() is None:
            time.sleep(0.2)
            after = sampler.now()
        r.recovered = verdict.recovered(base, (after.rss_kb, after.fds))
        # After: the control client must be served again (a few tries: a fresh connection).
        control.h2.close()
        r.served_after = False
        for _ in range(5):
            if server.proc.poll() is not None:
                break
            if control.once():
                r.served_after = True
                break
            time.sleep(0.5)
        peak_rss, peak_fds = sampler.peak(t0, time.monotonic())
        r.rss = (before.rss_kb, peak_rss, after.rss_kb)
        r.fds = (before.fds, peak_fds, after.fds)
        if attack.rss_growth_mb and peak_rss and before.rss_kb and \
                peak_rss - before.rss_kb > attack.rss_growth_mb(mode) * 1024:
            r.outcome.soft.append(f"peak RSS {(peak_rss - before.rss_kb) / 1024:.0f} MB above "
                                  f"before (bound {attack.rss_growth_mb(mode)} MB)")
        if server.proc.poll() is not None and not r.crashed:
            r.crashed = f"server exited with {server.proc.returncode} after the attack"
    finally:
        control.close()
        sampler.stop()
        alive = server.proc.poll() is None
        try:
            code = server.stop(timeout=10)
            if alive and code != 0:
                r.stop_problem = f"exit code {code} after SIGTERM"
        except AssertionError:
            r.stop_problem = "no graceful stop within 10 s of SIGTERM"
        if "AddressSanitizer" in "".join(server.err_lines) or \
                "runtime error:" in "".join(server.err_lines):
            r.crashed = r.crashed or "sanitizer report"
    r.verdict, r.reasons = verdict.judge(r, slow)
    r.seconds = time.monotonic() - t_start
    return r


def _mb(kb):
    return "-" if kb is None else f"{kb / 1024:.0f}"


def _n(v):
    return "-" if v is None else str(v)


def row(r):
    lat = [c.latency for c in r.control]
    ok = sum(1 for c in r.control if c.ok)
    p50 = f"{statistics.median(lat) * 1000:.0f}" if lat else "-"
    worst = f"{max(lat) * 1000:.0f}" if lat else "-"
    cpu = "-" if r.cpu is None else f"{r.cpu:.0f}"
    return [r.attack.name, f"{ok}/{len(r.control)}", p50, worst,
            "/".join(_mb(x) for x in r.rss), "/".join(_n(x) for x in r.fds), cpu,
            f"{r.seconds:.0f}", r.verdict]


def _per_protocol(control):
    """"h1 3/28 (timeout x25), h2c 28/28": the control results of each client."""
    out = []
    for proto in ("h1", "h2c"):
        mine = [c for c in control if c.proto == proto]
        errors = {}
        for c in mine:
            if not c.ok:
                errors[c.error] = errors.get(c.error, 0) + 1
        detail = ", ".join(f"{k} x{v}" for k, v in sorted(errors.items()))
        out.append(f"{proto} {sum(1 for c in mine if c.ok)}/{len(mine)}" +
                   (f" ({detail})" if detail else ""))
    return ", ".join(out)


HEADER = ["attack", "control ok", "p50 ms", "worst ms", "RSS MB b/peak/a", "fds b/peak/a",
          "CPU %", "s", "verdict"]


def table(runs):
    rows = [HEADER] + [row(r) for r in runs]
    widths = [max(len(x[i]) for x in rows) for i in range(len(HEADER))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(x, widths)).rstrip() for x in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines.append("")
    for r in runs:
        lines.append(f"{r.attack.name}: {r.outcome.observation}")
        if any(not c.ok for c in r.control):
            lines.append("    control: " + _per_protocol(r.control))
        if r.reasons:
            lines.append(f"    {r.verdict}: " + "; ".join(r.reasons))
        if r.notes:
            lines.append("    flags the server does not take yet (left out): " +
                         " ".join(r.notes))
    return "\n".join(lines)


def main(argv=None):
    p = argparse.ArgumentParser(prog="tests/abuse/run", description=__doc__.splitlines()[0])
    g = p.add_mutually_exclusive_group()
    g.add_argument("--short", dest="mode", action="store_const", const="short",
                   help="a few seconds per attack, scaled-down counts (the default; CI)")
    g.add_argument("--full", dest="mode", action="store_const", const="full",
                   help="the counts of the hardening issue (minutes)")
    p.add_argument("--only", default="", help="comma-separated attack names")
    p.add_argument("--list", action="store_true", help="list the attacks and exit")
    p.add_argument("--build", default=os.environ.get(
        "RODEO_BUILD_DIR", os.path.join(servers.HERE, "..", "..", "build", "default")),
        help="the build directory (default: build/default or $RODEO_BUILD_DIR)")
    p.add_argument("--server", help="the test server binary (default: in the build directory)")
    p.add_argument("--file-server", help="the file server binary (default: in the build)")
    a = p.parse_args(argv)
    mode = a.mode or "short"
    if a.list:
        for at in ALL:
            print(f"{at.name:22} {at.summary}")
        return 0
    wanted = [n for n in a.only.split(",") if n]
    unknown = [n for n in wanted if n not in {x.name for x in ALL}]
    if unknown:
        print("unknown attack: " + ", ".join(unknown) + " (see --list)", file=sys.stderr)
        return 2
    attacks = [x for x in ALL if not wanted or x.name in wanted]
    test_server, file_server = servers.default_binaries(a.build)
    binaries = (a.server or os.environ.get("RODEO_TEST_SERVER") or test_server,
                a.file_server or os.environ.get("RODEO_FILE_SERVER") or file_server)
    for b in binaries:
        if not os.access(b, os.X_OK):
            print(f"no server binary at {b} (build it: build default rodeo_test_server "
                  "rodeo_file_server)", file=sys.stderr)
            return 2
    servers.raise_own_nofile(65536)
    files = servers.Files(BIG_MB[mode])
    runs = []
    t0 = time.monotonic()
    try:
        for at in attacks:
            print(f"--- {at.name}: {at.summary}", flush=True)
            r = run_one(at, mode, binaries, files, lambda s: print(s, flush=True))
            print(f"    {r.verdict} in {r.seconds:.1f} s: {r.outcome.observation}", flush=True)
            runs.append(r)
    finally:
        files.remove()
    print()
    print(f"abuse suite ({mode}, {len(runs)} attacks, {time.monotonic() - t0:.0f} s)")
    print(table(runs))
    failed = [r.attack.name for r in runs if r.verdict == "failed"]
    if failed:
        print("\nFAILED: " + ", ".join(failed))
        return 1
    return 0
