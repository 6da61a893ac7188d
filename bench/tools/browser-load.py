#!/usr/bin/env python3
"""Page loads in headless Chromium, one line of key=value fields per load (stdout):

  tools/browser-load.py URL --pin PIN [--runs N] [--quic]

Each load is a fresh browser context (a new connection, TLS handshake included, an empty
cache), driven over the DevTools protocol with the client of tests/live/chromium.py.
Fields: load_ms (Navigation Timing loadEventEnd), fcp_ms (first-contentful-paint), connect_ms
(connectEnd: TCP and TLS done), ttfb_ms (responseStart: the page's first byte), html_ms
(responseEnd: the page's last byte), assets_ms (the last resource's responseEnd), dcl_ms
(domContentLoadedEventEnd), all from the start of the navigation (for an asset that came
by an early hint, Chromium's entry times when the page used the preloaded response, not
its network times); hinted (assets whose initiatorType is early-hints), assets
(resource entries), body_bytes (encoded bodies of the page and its resources). PIN is the
base64 SHA-256 of the server's SubjectPublicKeyInfo (--ignore-certificate-errors-spki-list:
Chromium then caches as with a trusted certificate). --quic: HTTP/3 from the first request
(--enable-quic --origin-to-force-quic-on=HOST:PORT of URL, whose QUIC port is the TLS port's
number); proto (the page's nextHopProtocol: h2, h3) says which protocol carried the page.
Run it where the browser should be: bench/tools/pushmeasure.sh runs it in the client
namespace of the emulated link."""
import argparse
import asyncio
import json
import os
import sys
from urllib.parse import urlsplit

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                "tests", "live"))
from chromium import Browser, Devtools, new_page, websockets  # noqa: E402

TIMING = ("JSON.stringify({nav: performance.getEntriesByType('navigation')[0].toJSON(),"
          " fcp: performance.getEntriesByName('first-contentful-paint').map(e => e.startTime),"
          " res: performance.getEntriesByType('resource').map(e => [e.initiatorType, e.encodedBodySize, e.responseEnd, new URL(e.name).pathname])})")


async def one_load(ws_url, url, timeout):
    async with websockets.connect(ws_url, max_size=None) as ws:
        d = Devtools(ws)
        ctx, session = await new_page(d)
        await d.call("Page.enable", session=session)
        await d.call("Page.navigate", {"url": url}, session=session)
        await d.wait_event("Page.loadEventFired", session, timeout)
        t = {}
        # loadEventEnd and the paint entry are set just after the load event: ask until set.
        for _ in range(50):
            res = await d.call("Runtime.evaluate", {"expression": TIMING, "returnByValue": True},
                               session=session)
            t = json.loads(res["result"]["value"])
            if t["nav"]["loadEventEnd"] > 0 and t["fcp"]:
                break
            await asyncio.sleep(0.1)
        await d.call("Target.disposeBrowserContext", {"browserContextId": ctx})
        return t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("--pin", required=True)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--timeout", type=float, default=30)
    ap.add_argument("--quic", action="store_true")
    a = ap.parse_args()
    if websockets is None:
        sys.exit("browser-load.py: needs python3-websockets")
    flags = []
    if a.quic:
        u = urlsplit(a.url)
        flags = ["--enable-quic", f"--origin-to-force-quic-on={u.hostname}:{u.port or 443}"]
    browser = Browser(a.pin, flags)
    try:
        asyncio.run(one_load(browser.ws, a.url, a.timeout))  # warm-up (discarded)
        for run in range(1, a.runs + 1):
            try:
                t = asyncio.run(one_load(browser.ws, a.url, a.timeout))
            except Exception as e:  # a lost load is a row, not the end of the series
                print(f"run={run} error={type(e).__name__}", flush=True)
                continue
            if os.environ.get("BROWSER_LOAD_DEBUG"):  # every resource: kind, bytes, end, path
                print(t["res"], file=sys.stderr)
            fcp = t["fcp"][0] if t["fcp"] else -1
            nav = t["nav"]
            body = nav["encodedBodySize"] + sum(r[1] for r in t["res"])
            hinted = sum(r[0] == "early-hints" for r in t["res"])
            assets = max((r[2] for r in t["res"]), default=-1)
            print(f"run={run} load_ms={nav['loadEventEnd']:.0f} fcp_ms={fcp:.0f}"
                  f" connect_ms={nav['connectEnd']:.0f} ttfb_ms={nav['responseStart']:.0f}"
                  f" html_ms={nav['responseEnd']:.0f} assets_ms={assets:.0f}"
                  f" dcl_ms={nav['domContentLoadedEventEnd']:.0f}"
                  f" hinted={hinted} assets={len(t['res'])} body_bytes={body}"
                  f" proto={nav['nextHopProtocol'] or '-'}", flush=True)
    finally:
        browser.close()


if __name__ == "__main__":
    main()
