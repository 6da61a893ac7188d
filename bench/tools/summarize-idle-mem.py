#!/usr/bin/env python3
"""Markdown table of tools/idle-mem.sh's raw JSON lines.

One line per peer, in first-seen order, medians over rounds: RSS before, and for each count
N the RSS with N idle connections, how many were held, and KiB per connection
((RSS_N - RSS_0) / connections held, per round); then the min-max of KiB per connection at
the largest N, its ratio to the first peer's, the RSS after closing them and /hello's status
after closing ("200" when the server still answers).
"""
import json
import statistics
import sys


def med(xs):
    return statistics.median(xs) if xs else float("nan")


def main(path):
    rows = [json.loads(line) for line in open(path) if line.strip()]
    peers = list(dict.fromkeys(r["peer"] for r in rows))
    counts = sorted({run["n"] for r in rows for run in r["runs"]})
    if not counts:
        sys.exit("no measurement in %s" % path)
    top = counts[-1]
    per_conn = {}
    for p in peers:
        per_conn[p] = {n: [(run["rss_kib"] - r["rss0_kib"]) / run["held"] for r in rows
                           if r["peer"] == p for run in r["runs"] if run["n"] == n and run["held"]]
                       for n in counts}
    base = med(per_conn[peers[0]][top])
    mib = lambda kib: "%.1f MiB" % (kib / 1024)
    head = ["peer", "RSS before"]
    for n in counts:
        head += ["RSS, %s idle" % f"{n:,}", "held", "KiB/conn @%s" % f"{n:,}"]
    head += ["KiB/conn min-max", "x %s" % peers[0], "RSS after closing", "/hello after"]
    print("| " + " | ".join(head) + " |")
    print("|---|" + "---:|" * (len(head) - 3) + "---:|---|")
    for p in peers:
        rs = [r for r in rows if r["peer"] == p]
        cells = [p, mib(med([r["rss0_kib"] for r in rs]))]
        for n in counts:
            runs = [run for r in rs for run in r["runs"] if run["n"] == n]
            held = [run["held"] for run in runs]
            cells += [mib(med([run["rss_kib"] for run in runs])),
                      "all" if held and all(h == n for h in held) else ",".join(map(str, held)) or "-",
                      "%.1f" % med(per_conn[p][n])]
        top_runs = per_conn[p][top]
        cells += ["%.1f-%.1f" % (min(top_runs), max(top_runs)) if top_runs else "-",
                  "%.2f" % (med(top_runs) / base) if top_runs and base else "-",
                  mib(med([run["rss_after_close_kib"] for r in rs for run in r["runs"]
                           if run["n"] == top])),
                  "/".join(sorted({r["hello_after"] for r in rs}))]
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main(sys.argv[1])
