"""A real browser and early hints: headless Debian chromium, driven over the DevTools protocol,
loads the demo's / over HTTPS (HTTP/2). Chromium sends SETTINGS_ENABLE_PUSH=0, so the demo's
pushes become one 103 Early Hints (RFC 8297): the hinted assets must show Resource Timing
initiatorType `early-hints`, each asset be served once (the server's access log), and no push
be promised.

Chromium acts on a 103 only over HTTP/2 and HTTP/3. A 103 that arrives together with the final
response loses a race inside Chromium (the document's own loads start first): the demo runs
with a think time of a few ms (--think-ms) between its pushes and its answer, and a load
where no asset shows `early-hints` is still retried, at most ATTEMPTS times in all, each attempt
in a fresh browser context; the attempts are printed. A load that shows some assets hinted
and others not, an asset served twice, or a push promised fails."""

import json
import re
import unittest

from chromium import AVAILABLE, Browser, load, spki_pin
from harness import Server, curl, main, DEMO

READY = r":(\d+)/"
ATTEMPTS = 3
# The demo's pages push, then think this long before answering (--think-ms), as a page that
# queries a database would: the 103 goes out at once and the browser acts on it meanwhile.
THINK_MS = "20"
# What the demo's push.map pushes for /, as the page's Resource Timing names them.
ASSETS = ["/static/style.css", "/static/app.js", "/static/rodeo.svg", "/static/model.svg"]


@unittest.skipUnless(AVAILABLE, "needs Debian's chromium and python3-websockets")
class ChromiumEarlyHints(unittest.TestCase):
    def test_demo_assets_arrive_by_early_hints(self):
        # The access log (on stdout) counts what the server answered, preloads included.
        with Server(DEMO, ["--port", "0", "--tls-port", "0", "--think-ms", THINK_MS],
                    ready=READY) as s:
            browser = Browser(spki_pin(s.tls_port))
            try:
                for attempt in range(1, ATTEMPTS + 1):
                    page = load(browser.ws, s.url("/", tls=True))
                    timing, table = page.timing, page.table
                    # Every entry of an asset (rodeo.svg is the icon and an <img> too).
                    kinds = {p: [k for path, k, _ in timing if path == p] for p in ASSETS}
                    hinted = [p for p in ASSETS if "early-hints" in kinds[p]]
                    print(f"attempt {attempt}: initiatorType {kinds}")
                    if hinted:
                        break
            finally:
                browser.close()
            info = json.loads(curl("--http1.1", s.url("/push-info")).stdout)
        print(f"early hints used on attempt {attempt} of at most {ATTEMPTS}")
        self.assertEqual(hinted, ASSETS, f"initiatorType by asset: {kinds}")
        self.assertTrue(all(proto == "h2" for path, _, proto in timing if path in ASSETS), timing)
        # The demo page tells its reader the same: each asset came by a 103 hint.
        self.assertEqual({p: table.get(p) for p in ASSETS}, {p: "103 hint" for p in ASSETS}, table)
        # Each asset requested once per page load (each load in a fresh browser context): the
        # page used the preloaded responses instead of fetching (or revalidating) them again.
        served = {p: len(re.findall(f'"GET {re.escape(p)}" ', s.stdout)) for p in ASSETS}
        print(f"served: {served}")
        self.assertEqual(served, {p: attempt for p in ASSETS}, s.stdout[-3000:])
        # Chromium sent ENABLE_PUSH=0: nothing was promised; every load hinted every asset.
        m = info["metrics"]
        self.assertEqual((m["promised"], m["hinted"]), (0, len(ASSETS) * attempt), m)

if __name__ == "__main__":
    main()
