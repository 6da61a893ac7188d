#!/usr/bin/env python3
"""SVG bar charts of the benchmark tables: each server's ratio to the table's reference
(the first server of the table, or of each mode / scheme), Rodeo's bar highlighted, and
one overview of Rodeo relative to h2o across the scenarios.

  charts.py RESULTS.md|BODY.md|RUN_DIR [--out bench/charts] [--markdown PREFIX]

The input is what bench/run writes: RESULTS.md, or a run's directory under
bench/.run/results/<UTC>/ (its <scenario>/summary.md tables; a scenario's directory name
is its section name). Every table with a known measure gets a chart <section>.svg:

  median req/s (hello-*, appjs-*)          higher is better
  median p50 (latency-*)                   lower is better
  median pages/s (push-*, per mode)        higher is better
  KiB/conn @N, largest N (idle-mem*)       lower is better
  load, push (pageload*, per scheme)       lower is better

The ratios are computed from the medians in the table, as the tables' own ratio columns
are. overview.svg: Rodeo / h2o for every chart that has both, inverted where lower is
better, so that above 1 means Rodeo does better. Needs python3-matplotlib (Debian). The
SVGs keep their text as text (svg.fonttype none): no embedded glyphs. With --markdown,
prints a markdown block showing the charts (image paths PREFIX/<name>.svg) for RESULTS.md.
"""
import argparse
import os
import re
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

plt.rcParams.update({"svg.fonttype": "none", "font.size": 9, "svg.hashsalt": "rodeo-bench"})

RODEO_COLOR, OTHER_COLOR, REF_COLOR = "#c0392b", "#7f8c8d", "#34495e"


def tables(text):
    """(section, header, rows) for each markdown table, section = the last ### heading."""
    section, out, lines = None, [], text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        m = re.match(r"^#{2,4}\s+(.*\S)", line)
        if m:
            section = m.group(1).split(":")[0].strip()
        if line.startswith("|") and i + 1 < len(lines) and re.match(r"^\|[-:| ]+\|$", lines[i + 1]):
            header = [c.strip() for c in line.strip().strip("|").split("|")]
            rows, i = [], i + 2
            while i < len(lines) and lines[i].startswith("|"):
                rows.append([c.strip() for c in lines[i].strip().strip("|").split("|")])
                i += 1
            out.append((section, header, rows))
            continue
        i += 1
    return out


def number(cell):
    m = re.match(r"^(-?[0-9][0-9,]*\.?[0-9]*)", cell.replace(" ", ""))
    return float(m.group(1).replace(",", "")) if m else None


def measure(header):
    """(column index, label, higher_is_better) of the table's measure, or None."""
    def col(pred):
        return next((i for i, h in enumerate(header) if pred(h)), None)
    if (i := col(lambda h: h == "median p50")) is not None:
        return i, "p50 request time", False
    if (i := col(lambda h: h == "median req/s")) is not None:
        return i, "requests/s", True
    if (i := col(lambda h: h == "median pages/s")) is not None:
        return i, "pages/s", True
    kib = [i for i, h in enumerate(header) if h.startswith("KiB/conn @") and "min-max" not in h]
    if kib:
        return kib[-1], "KiB per idle connection", False
    if (i := col(lambda h: h.startswith("load, push"))) is not None:
        return i, "page load time with push", False
    return None


def chart_data(header, rows):
    """{group: [(server, value)]} in table order; group "" when the table has none."""
    m = measure(header)
    if m is None:
        return None
    col, label, higher = m
    name = next((i for i, h in enumerate(header) if h in ("target", "peer", "server")), None)
    if name is None:
        return None
    group = next((i for i, h in enumerate(header) if h in ("mode", "scheme")), None)
    data = {}
    for r in rows:
        if len(r) <= max(col, name):
            continue
        v = number(r[col])
        if v is None or v <= 0:
            continue
        data.setdefault(r[group] if group is not None else "", []).append((r[name], v))
    return (data, label, higher) if data else None


def ratios(points):
    """Each server's value over the group's first (the table's reference)."""
    base = points[0][1]
    return [(s, v / base) for s, v in points]


def draw(section, data, label, higher, path):
    groups = list(data)
    servers = list(dict.fromkeys(s for g in groups for s, _ in data[g]))
    width = 0.8 / max(1, len(servers)) if len(groups) > 1 else 0.7
    bars = len(servers) * max(1, len(groups))
    fig, ax = plt.subplots(figsize=(max(4.5, 0.32 * bars + 1.5), 3.2 if len(groups) > 1 else 2.8))
    ref = None
    for gi, g in enumerate(groups):
        rs = ratios(data[g])
        ref = ref or rs[0][0]
        for s, r in rs:
            si = servers.index(s)
            x = (gi + (si - (len(servers) - 1) / 2) * width) if len(groups) > 1 else si
            color = RODEO_COLOR if s.startswith("rodeo") else (REF_COLOR if s == rs[0][0] else OTHER_COLOR)
            ax.bar(x, r, width * 0.92, color=color)
            ax.text(x, r, "%.2f" % r, ha="center", va="bottom", fontsize=7)
            if len(groups) > 1:
                ax.text(x, 0, s, ha="center", va="top", rotation=90, fontsize=7,
                        transform=ax.get_xaxis_transform(), color=color)
    if len(groups) > 1:
        ax.set_xticks(range(len(groups)))
        ax.set_xticklabels(groups)
        ax.tick_params(axis="x", pad=48, length=0)
    else:
        ax.set_xticks(range(len(servers)))
        ax.set_xticklabels(servers)
    ax.axhline(1.0, color=REF_COLOR, linewidth=0.8, linestyle="--")
    ax.set_ylabel("ratio to %s" % ref)
    ax.set_title("%s: %s, ratio to %s (%s is better)"
                 % (section, label, ref, "higher" if higher else "lower"), fontsize=9)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    fig.savefig(path, format="svg", metadata={"Date": None})
    plt.close(fig)


def overview(items, path):
    """items: [(label, rodeo_over_h2o_better_is_higher)]."""
    fig, ax = plt.subplots(figsize=(6.5, 0.32 * len(items) + 1.0))
    ys = range(len(items))[::-1]
    for y, (lab, r) in zip(ys, items):
        ax.barh(y, r, 0.7, color=RODEO_COLOR if r < 1 else "#27ae60")
        ax.text(r, y, " %.2f" % r, va="center", fontsize=7)
    ax.set_yticks(list(ys))
    ax.set_yticklabels([lab for lab, _ in items])
    ax.axvline(1.0, color=REF_COLOR, linewidth=0.8, linestyle="--")
    ax.set_xlabel("Rodeo relative to h2o (above 1: Rodeo better; times and memory inverted)")
    ax.set_title("Rodeo / h2o, per scenario", fontsize=9)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    fig.savefig(path, format="svg", metadata={"Date": None})
    plt.close(fig)


def read_input(src):
    if os.path.isdir(src):
        parts = []
        for name in sorted(os.listdir(src)):
            summary = os.path.join(src, name, "summary.md")
            if os.path.isfile(summary):
                parts.append("### %s\n\n%s" % (name, open(summary).read()))
        return "\n".join(parts)
    return open(src).read()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("results", help="RESULTS.md, or a run directory under bench/.run/results/")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                  "..", "charts"))
    ap.add_argument("--markdown", metavar="PREFIX",
                    help="print markdown showing the charts, as PREFIX/<name>.svg")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    seen, items, drawn = set(), [], []
    for section, header, rows in tables(read_input(args.results)):
        if not section or section in seen:
            continue
        got = chart_data(header, rows)
        if not got:
            continue
        seen.add(section)
        data, label, higher = got
        slug = re.sub(r"[^a-z0-9.-]+", "-", section.lower()).strip("-")
        draw(section, data, label, higher, os.path.join(args.out, slug + ".svg"))
        print("charts.py: %s.svg" % slug, file=sys.stderr)
        drawn.append((section, slug))
        for g, points in data.items():
            vals = dict(points)
            if "rodeo" in vals and "h2o" in vals:
                r = vals["rodeo"] / vals["h2o"] if higher else vals["h2o"] / vals["rodeo"]
                items.append(("%s%s" % (section, " " + g if g else ""), r))
    if items:
        overview(items, os.path.join(args.out, "overview.svg"))
        print("charts.py: overview.svg", file=sys.stderr)
    elif not seen:
        sys.exit("charts.py: no table with a known measure in %s" % args.results)
    if args.markdown is not None:
        print("## Charts\n")
        print("Drawn from the tables below by `bench/tools/charts.py`: each server's ratio to the "
              "table's reference (its first server), Rodeo in red.\n")
        if items:
            print("![Rodeo / h2o per scenario](%s/overview.svg)\n" % args.markdown)
        for section, slug in drawn:
            print("![%s](%s/%s.svg)" % (section, args.markdown, slug))
        print()


if __name__ == "__main__":
    main()
