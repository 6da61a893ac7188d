#!/usr/bin/env python3
"""Markdown tables of tools/pushmeasure.sh's raw rows.

  summarize-pushmeasure.py RAW --rtt-ms 50 --rate-mbit 20 --think-ms 100

Rows: scenario variant run, then key=value fields (browser-load.py's, parse-nghttp.py's).
Medians per variant, against a model of the same link:
  browser-pageload  TCP + TLS 1.3 handshakes (2 RTT; QUIC's: 1 RTT, for loads over h3)
                    + think + 1 RTT + the page's bytes
                    (Chromium's encoded bodies, with tools/summarize-pageload.py's framing and
                    TCP/IP overhead) at the link rate. Times from the navigation's start;
                    "load - HTML" (median of each load's difference) is the browser's own time
                    after the page's last byte (parsing, the assets' round trip unless hinted,
                    layout, paint)
  think-push        from nghttp's first frame (handshake done): 1 RTT + think + the HTML at
                    the link rate (its bytes as nghttp received them); the target is a page complete within 1 RTT of it
"""
import argparse
import importlib.util
import os
import statistics

spec = importlib.util.spec_from_file_location(
    "summarize_pageload", os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                       "summarize-pageload.py"))
pageload = importlib.util.module_from_spec(spec)
spec.loader.exec_module(pageload)
on_wire = pageload.on_wire


def med(rows, key):
    xs = [float(r[key]) for r in rows if key in r]
    return statistics.median(xs) if xs else float("nan")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("raw")
    for k in ("--rtt-ms", "--rate-mbit", "--think-ms"):
        ap.add_argument(k, type=float, required=True)
    a = ap.parse_args()
    rows = []
    for line in open(a.raw):
        parts = line.split()
        if len(parts) > 3 and parts[0] != "scenario":
            rows.append(dict(zip(("scenario", "variant", "run"), parts),
                             **dict(kv.partition("=")[::2] for kv in parts[3:])))
    rate_ms = a.rate_mbit * 1e3  # bits per ms
    pick = lambda s, v: [r for r in rows if r["scenario"] == s and r["variant"] == v
                         and "error" not in r]
    variants = lambda s: dict.fromkeys(r["variant"] for r in rows if r["scenario"] == s)
    failed = sum("error" in r for r in rows)

    if variants("browser-pageload"):
        print("#### browser-pageload: headless Chromium, fresh context per load (new connection, "
              "empty cache)\n")
        print("| server | loads | connected | first byte (a 103 counts) | HTML complete | "
              "DOMContentLoaded | first contentful paint | load | load - HTML | "
              "assets by early hint | protocol | page bytes | model | HTML / model | load / model |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|")
        for v in variants("browser-pageload"):
            rs = pick("browser-pageload", v)
            if not rs:
                continue
            body = med(rs, "body_bytes")
            wire = on_wire(int(body), int(med(rs, "assets")) + 1)
            handshake = 1 if all(r.get("proto") == "h3" for r in rs) else 2
            model = (handshake + 1) * a.rtt_ms + a.think_ms + wire * 8 / rate_ms
            load, html = med(rs, "load_ms"), med(rs, "html_ms")
            after = statistics.median(float(r["load_ms"]) - float(r["html_ms"]) for r in rs)
            print("| %s | %d | %.0f ms | %.0f ms | %.0f ms | %.0f ms | %.0f ms | %.0f ms | %.0f ms "
                  "| %s | %s | %.0f | %.0f ms | %.2f | %.2f |" % (
                      v, len(rs), med(rs, "connect_ms"), med(rs, "ttfb_ms"), html,
                      med(rs, "dcl_ms"), med(rs, "fcp_ms"), load, after,
                      ",".join(sorted({r["hinted"] for r in rs})),
                      ",".join(sorted({r.get("proto", "?") for r in rs})), body, model, html / model,
                      load / model))
        print()

    if variants("think-push"):
        html_bytes = med([r for r in rows if r["scenario"] == "think-push"], "html_bytes")
        target = a.rtt_ms + a.think_ms + on_wire(int(html_bytes), 1) * 8 / rate_ms
        print("#### think-push: nghttp (takes pushes), times from the end of the TLS handshake\n")
        print("| server | fetches | pushed | assets complete | page (HTML) complete | all "
              "complete | assets before HTML | think + 1 RTT + HTML | all - that |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for v in variants("think-push"):
            rs = [r for r in pick("think-push", v) if r.get("status") == "200"]
            if not rs:
                continue
            since = lambda k: statistics.median(float(r[k]) - float(r["hs_ms"]) for r in rs)
            early = sum(float(r["assets_ms"]) <= float(r["html_ms"]) for r in rs)
            print("| %s | %d | %s | %.0f ms | %.0f ms | %.0f ms | %d of %d | %.0f ms | %+.0f ms |" % (
                v, len(rs), ",".join(sorted({r["pushed"] for r in rs})), since("assets_ms"),
                since("html_ms"), since("load_ms"), early, len(rs), target,
                since("load_ms") - target))
        print()

    if variants("repeat-visit"):
        print("#### repeat-visit: nghttp (takes pushes), a second visit sending back the first "
              "visit's cookies\n")
        print("| server | visits | pushed, first | pushed bytes, first | cookie sent | "
              "pushed, second | pushed bytes, second |")
        print("|---|---:|---:|---:|---|---:|---:|")
        for v in variants("repeat-visit"):
            if not v.endswith("-first"):
                continue
            name = v[:-len("-first")]
            first, second = pick("repeat-visit", v), pick("repeat-visit", name + "-second")
            if not first or not second:
                continue
            print("| %s | %d+%d | %.0f | %.0f | %s | %.0f | %.0f |" % (
                name, len(first), len(second), med(first, "pushed"), med(first, "pushed_bytes"),
                ",".join(sorted({r.get("cookie") or "no" for r in second})),
                med(second, "pushed"), med(second, "pushed_bytes")))
        print()
    if failed:
        print("%d load(s) or fetch(es) failed, left out (raw.tsv).\n" % failed)


if __name__ == "__main__":
    main()
