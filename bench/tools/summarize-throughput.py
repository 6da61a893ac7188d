#!/usr/bin/env python3
"""Markdown table of bench/throughput.sh's raw rows.

  summarize-throughput.py [--latency] RAW.tsv

Rows (TSV with a header): round label url req_s mean_ms p50_ms p99_ms succeeded failed
errored non2xx. One line per target, in first-seen order: runs with a result, median and
min-max req/s, median of the mean request time, the ratio of medians to the first target,
and the median of the per-round ratios (each round against the first target in that round).
The ratios are of req/s (higher is better). With --latency they are of the p50 request time
(lower is better), and the medians of each run's p50 and p99 are shown too.
A run with no result (0 req/s) is counted as dead, not put into the medians.
"""
import statistics
import sys


def main(argv):
    latency = "--latency" in argv
    path = [a for a in argv if a != "--latency"][0]
    with open(path) as f:
        header = f.readline().rstrip("\n").split("\t")
        rows = [dict(zip(header, line.rstrip("\n").split("\t"))) for line in f if line.strip()]
    if not rows:
        sys.exit("no rows in %s" % path)
    labels = list(dict.fromkeys(r["label"] for r in rows))
    key = "p50_ms" if latency else "req_s"
    good = {l: [r for r in rows if r["label"] == l and float(r["req_s"]) > 0] for l in labels}
    base = labels[0]
    base_round = {r["round"]: float(r[key]) for r in good[base]}
    base_med = statistics.median(base_round.values()) if base_round else 0
    extra = " median p50 | median p99 |" if latency else ""
    print("| target | url | runs | median req/s | min-max req/s | median mean latency |%s "
          "%s ratio to %s (of medians) | median per-round ratio | failed requests | dead runs |"
          % (extra, "p50" if latency else "req/s", base))
    print("|---|---|---:|---:|---:|---:|%s---:|---:|---:|---:|" % ("---:|---:|" if latency else ""))
    for l in labels:
        rs = good[l]
        dead = sum(1 for r in rows if r["label"] == l) - len(rs)
        url = next(r["url"] for r in rows if r["label"] == l)
        if not rs:
            print("| %s | %s | 0 | - | - | - |%s - | - | - | %d |" % (
                l, url, " - | - |" if latency else "", dead))
            continue
        reqs = [float(r["req_s"]) for r in rs]
        values = [float(r[key]) for r in rs]
        per_round = [float(r[key]) / base_round[r["round"]] for r in rs if base_round.get(r["round"])]
        bad = sum(int(r["failed"]) + int(r["errored"]) + int(r["non2xx"]) for r in rs)
        med = statistics.median(values)
        pcts = (" %.3f ms | %.3f ms |" % (med, statistics.median(float(r["p99_ms"]) for r in rs))
                if latency else "")
        print("| %s | %s | %d | %.0f | %.0f-%.0f | %.3f ms |%s %s | %s | %d | %d |" % (
            l, url, len(rs), statistics.median(reqs), min(reqs), max(reqs),
            statistics.median(float(r["mean_ms"]) for r in rs), pcts,
            "%.2f" % (med / base_med) if base_med else "-",
            "%.2f" % statistics.median(per_round) if per_round else "-", bad, dead))


if __name__ == "__main__":
    main(sys.argv[1:])
