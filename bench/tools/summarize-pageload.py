#!/usr/bin/env python3
"""Markdown table of tools/pageload.sh's raw rows.

  summarize-pageload.py RAW --rtt-ms 50 --rate-mbit 20 --initcwnd 10 --html-bytes H --total-bytes T

Rows: run peer scheme mode, then parse-nghttp.py's key=value fields. Per scheme and peer:
median load time with and without push, the median of the paired differences (same run),
their ratio, the median time to the page (HTML) either way, the pushed streams seen, and
two floors to read them against:
  floor       RTT x (1 + TLS handshake round trips) + the page's bytes on the wire / rate
  slow start  the same link, the sender limited to cwnd segments a round trip, cwnd from
              INITCWND doubling each round trip; push: one burst; no push: the HTML, then
              the assets one round trip later
Bytes on the wire: bodies, 9 B per HTTP/2 frame, ~100 B of headers per response, 52 B of
TCP/IP headers per 1448-byte segment. TLS 1.3: one handshake round trip.
"""
import argparse
import math
import statistics

MSS, TCPIP = 1448, 52


def on_wire(body, responses):
    app = body + 9 * math.ceil(body / 16384 + responses) + 100 * responses
    return app + TCPIP * math.ceil(app / MSS)


def slow_start(nbytes, cwnd, rtt, rate):
    """Seconds from a request leaving the client to the last byte of nbytes arriving."""
    segments, t = math.ceil(nbytes / MSS), rtt / 2
    while True:
        n = min(cwnd, segments)
        sending = n * (MSS + TCPIP) * 8 / rate
        segments -= n
        if segments <= 0:
            return t + sending + rtt / 2
        t += max(rtt, sending)
        cwnd *= 2


def med(xs):
    return statistics.median(xs) if xs else float("nan")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("raw")
    for k in ("--rtt-ms", "--rate-mbit"):
        ap.add_argument(k, type=float, required=True)
    for k in ("--initcwnd", "--html-bytes", "--total-bytes"):
        ap.add_argument(k, type=int, required=True)
    a = ap.parse_args()
    rows = []
    for line in open(a.raw):
        parts = line.split()
        if len(parts) > 4 and parts[0] != "run":
            rows.append(dict(zip(("run", "peer", "scheme", "mode"), parts),
                             **dict(kv.partition("=")[::2] for kv in parts[4:])))
    ok = [r for r in rows if r.get("status") == "200" and "load_ms" in r]
    rtt, rate = a.rtt_ms / 1e3, a.rate_mbit * 1e6
    total = on_wire(a.total_bytes, 5)
    html = on_wire(a.html_bytes, 1)
    push_ss = slow_start(total, a.initcwnd, rtt, rate)
    nopush_ss = (slow_start(html, a.initcwnd, rtt, rate) +
                 slow_start(total - html, a.initcwnd + math.ceil(html / MSS), rtt, rate))
    print("Page: / and 4 assets, %d bytes of bodies (~%d on the wire); RTT %.0f ms, %.0f Mbit/s "
          "each way, initcwnd %d. Times from TCP connected to the last byte (TLS handshake "
          "included).\n" % (a.total_bytes, total, a.rtt_ms, a.rate_mbit, a.initcwnd))
    print("| peer | scheme | runs | load, push | load, no push | push saves (paired) | push / no push "
          "| HTML, push | HTML, no push | pushed | floor | slow-start model push / no push |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for scheme in dict.fromkeys(r["scheme"] for r in ok):
        hs = 1 if scheme == "tls" else 0
        for peer in dict.fromkeys(r["peer"] for r in ok):
            pick = lambda mode: [r for r in ok if r["peer"] == peer and r["scheme"] == scheme
                                 and r["mode"] == mode]
            push, nopush = pick("push"), pick("nopush")
            if not push or not nopush:
                continue
            ms = lambda rs, k: [float(r[k]) for r in rs]
            nopush_by_run = {r["run"]: float(r["load_ms"]) for r in nopush}
            saved = [nopush_by_run[r["run"]] - float(r["load_ms"]) for r in push if r["run"] in nopush_by_run]
            lp, ln = med(ms(push, "load_ms")), med(ms(nopush, "load_ms"))
            print("| %s | %s | %d+%d | %.0f ms | %.0f ms | %.0f ms | %.2f | %.0f ms | %.0f ms | %s "
                  "| %.0f ms | %.0f / %.0f ms |" % (
                      peer, scheme, len(push), len(nopush), lp, ln, med(saved), lp / ln,
                      med(ms(push, "html_ms")), med(ms(nopush, "html_ms")),
                      ",".join(sorted({r["pushed"] for r in push})),
                      (rtt * (1 + hs) + total * 8 / rate) * 1e3,
                      (push_ss + hs * rtt) * 1e3, (nopush_ss + hs * rtt) * 1e3))
    if len(ok) < len(rows):
        print("\n%d fetch(es) failed or were not 200, left out (raw.tsv)." % (len(rows) - len(ok)))


if __name__ == "__main__":
    main()
