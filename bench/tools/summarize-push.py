#!/usr/bin/env python3
"""Summarise bench/push.sh raw rows into a Markdown table.

Input (TSV, header line first), one pushload run per row:
  round label mode url pages pages_per_s pushed_per_s bytes_per_s p50_ms p99_ms
  failed promised pushed cancelled refused errors
Output: one row per (mode, target) in first-seen order: runs with a result, median
pages/s (min-max), median pushed streams/s, median DATA MB/s, median p50 and p99
latency to the last pushed byte, pushes per page, the ratio of median pages/s to
the first target of the same mode, the median of per-round ratios (same round,
same mode), and the summed failed pages / cancelled / refused pushes / errors.
A run with 0 pages/s is a dead run: reported, not put into the medians.
When the rows carry cpu_us_per_page (push.sh with SERVER_PIDS), a last column gives its
median: the server's CPU time per page ("-" for targets without a known server process).
"""
import statistics
import sys


def med(xs):
    return statistics.median(xs) if xs else float("nan")


def main(path):
    with open(path) as f:
        header = f.readline().rstrip("\n").split("\t")
        rows = [dict(zip(header, l.rstrip("\n").split("\t"))) for l in f if l.strip()]
    if not rows:
        sys.exit("no rows in %s" % path)
    keys = []
    for r in rows:
        k = (r["mode"], r["label"])
        if k not in keys:
            keys.append(k)
    by = {k: [r for r in rows if (r["mode"], r["label"]) == k] for k in keys}
    good = {k: [r for r in by[k] if float(r["pages_per_s"]) > 0] for k in keys}
    base = {}
    for mode, label in keys:
        base.setdefault(mode, (mode, label))
    cpu = any(r.get("cpu_us_per_page", "-") not in ("-", "") for r in rows)

    def cpu_cell(rs):
        xs = [float(r["cpu_us_per_page"]) for r in rs
              if r.get("cpu_us_per_page", "-") not in ("-", "")]
        return " %.0f |" % med(xs) if xs else " - |"

    print("| mode | target | runs | median pages/s | min-max pages/s | pushed/s | DATA MB/s "
          "| p50 ms | p99 ms | pushes/page | ratio to %s (of medians) | median per-round ratio "
          "| failed pages | cancelled / refused pushes | errors | dead runs |%s"
          % ("/".join(sorted({b[1] for b in base.values()})),
             " server CPU us/page |" if cpu else ""))
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
          + ("---:|" if cpu else ""))
    for k in keys:
        mode, label = k
        rs = good[k]
        dead = len(by[k]) - len(rs)
        if not rs:
            print("| %s | %s | 0 | - | - | - | - | - | - | - | - | - | - | - | - | %d |%s"
                  % (mode, label, dead, " - |" if cpu else ""))
            continue
        pps = [float(r["pages_per_s"]) for r in rs]
        b = base[mode]
        base_med = med([float(r["pages_per_s"]) for r in good[b]])
        base_round = {r["round"]: float(r["pages_per_s"]) for r in good[b]}
        per_round = [float(r["pages_per_s"]) / base_round[r["round"]]
                     for r in rs if base_round.get(r["round"])]
        pages = sum(int(r["pages"]) for r in rs)
        pushed = sum(int(r["pushed"]) for r in rs)
        print("| %s | %s | %d | %.0f | %.0f-%.0f | %.0f | %.1f | %.3f | %.3f | %.2f | %.2f | %.2f "
              "| %d | %d / %d | %d | %d |%s" % (
                  mode, label, len(rs), med(pps), min(pps), max(pps),
                  med([float(r["pushed_per_s"]) for r in rs]),
                  med([float(r["bytes_per_s"]) for r in rs]) / 1e6,
                  med([float(r["p50_ms"]) for r in rs]), med([float(r["p99_ms"]) for r in rs]),
                  pushed / pages if pages else 0.0,
                  med(pps) / base_med if base_med else float("nan"),
                  med(per_round) if per_round else float("nan"),
                  sum(int(r["failed"]) for r in rs), sum(int(r["cancelled"]) for r in rs),
                  sum(int(r["refused"]) for r in rs), sum(int(r["errors"]) for r in by[k]), dead,
                  cpu_cell(rs) if cpu else ""))


if __name__ == "__main__":
    main(sys.argv[1])
