#!/usr/bin/env python3
"""Summarise tools/pageload-h3.sh: one row per protocol (h3, h2) with the median page load
(pushload's elapsed_s: connect to the last pushed byte) and its min-max, the median time
from the request on (p50_ms of a one-page run), pushes per load, failed loads, and the
median load ratio to h2.

Input: lines `run<TAB>protocol<TAB>pushload: pages=... key=value ...` (empty third field:
no result, counted as failed).
"""
import re
import statistics
import sys


def main(path):
    rows = {}
    for line in open(path):
        parts = line.rstrip("\n").split("\t")
        if len(parts) < 2:
            continue
        kv = dict(re.findall(r"(\w+)=([0-9.]+)", parts[2] if len(parts) > 2 else ""))
        rows.setdefault(parts[1], []).append(kv)
    ok = {p: [r for r in rs if r.get("pages") == "1" and r.get("failed") == "0"]
          for p, rs in rows.items()}
    med = {p: statistics.median(float(r["elapsed_s"]) * 1000 for r in rs)
           for p, rs in ok.items() if rs}
    print("| protocol | loads | median load ms | min-max ms | median request to last push ms "
          "| pushes/load | failed | ratio to h2 (medians) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for p in sorted(rows, key=lambda p: p != "h3"):
        rs = ok[p]
        if not rs:
            print("| %s | 0 | - | - | - | - | %d | - |" % (p, len(rows[p])))
            continue
        loads = [float(r["elapsed_s"]) * 1000 for r in rs]
        print("| %s | %d | %.1f | %.1f-%.1f | %.1f | %.2f | %d | %s |" % (
            p, len(rs), med[p], min(loads), max(loads),
            statistics.median(float(r["p50_ms"]) for r in rs),
            statistics.mean(float(r["pushed"]) for r in rs), len(rows[p]) - len(rs),
            "%.2f" % (med[p] / med["h2"]) if "h2" in med else "-"))


if __name__ == "__main__":
    main(sys.argv[1])
