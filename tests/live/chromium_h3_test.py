"""A real browser over HTTP/3: headless Debian chromium, driven over the DevTools protocol,
loads the demo's / over QUIC (RFC 9000) and HTTP/3 (RFC 9114), told to with
--enable-quic --origin-to-force-quic-on=127.0.0.1:PORT (PORT: the TLS port's number, which the
QUIC listener takes by default) and --ignore-certificate-errors-spki-list (the demo's
self-signed certificate, on TCP and QUIC alike).

Checked: the page and its assets arrived over h3 (DevTools Network.responseReceived
`protocol`), with status 200 and bodies byte-identical to the site's files; the server's access
log says h3 for each. Chromium sends no MAX_PUSH_ID, so the demo's pushes are skipped with the
outcome `no_push_id` and, under the default push policy, become one 103 Early Hints: the
hinted assets show Resource Timing initiatorType `early-hints`, each is served once per load,
the listener's push metrics count them hinted, none promised, and the push log (rodeo.push, at
debug) says why each was hinted: `no_push_id`.

A 103 that arrives together with the final response loses a race inside Chromium (the
document's own loads start first): the demo thinks a few ms (--think-ms) between its pushes
and its answer, and a load where no asset shows `early-hints` is retried, at most ATTEMPTS
times in all, each in a fresh browser context; the attempts are printed."""

import json
import os
import re
import time
import unittest

from chromium import AVAILABLE, Browser, load, spki_pin
from harness import Server, curl, main, DEMO, SLOW

READY = r":(\d+)/"
QUIC_READY = re.compile(r":(\d+)/ \(h3, QUIC on UDP\)")
ATTEMPTS = 3
THINK_MS = "20"
# What the demo's push.map pushes for /, as the page's Resource Timing names them.
ASSETS = ["/static/style.css", "/static/app.js", "/static/rodeo.svg", "/static/model.svg"]
SITE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "apps", "demo",
                    "site")


def site_file(path):
    with open(os.path.join(SITE, os.path.basename(path)), "rb") as f:
        return f.read()


def quic_port(server):
    """The QUIC port the demo printed (its third line), waited for: the harness reads the
    first two."""
    deadline = time.time() + 10 * SLOW
    while time.time() < deadline:
        for line in list(server.out_lines):
            m = QUIC_READY.search(line)
            if m:
                return int(m.group(1))
        time.sleep(0.02)
    raise AssertionError("the demo printed no QUIC port: " + "".join(server.out_lines)[-2000:])


def access_log(stdout, path):
    """The protocols of the access log lines for GET `path`."""
    return re.findall(f'"GET {re.escape(path)}" \\d+ \\d+ \\d+us (\\S+) ', stdout)


@unittest.skipUnless(AVAILABLE, "needs Debian's chromium and python3-websockets")
class ChromiumHttp3(unittest.TestCase):
    def test_demo_over_h3_with_early_hints(self):
        # RODEO_LOG=debug: the push log on stderr says why a push was hinted.
        env = dict(os.environ, RODEO_LOG="debug")
        with Server(DEMO, ["--port", "0", "--tls-port", "0", "--think-ms", THINK_MS],
                    ready=READY, env=env) as s:
            port = quic_port(s)
            # The origin Chromium forces onto QUIC is the TLS port's: the same number.
            self.assertEqual(port, s.tls_port)
            flags = ["--enable-quic", f"--origin-to-force-quic-on=127.0.0.1:{port}"]
            with Browser(spki_pin(s.tls_port), flags) as browser:
                for attempt in range(1, ATTEMPTS + 1):
                    page = load(browser.ws, s.url("/", tls=True), bodies=ASSETS)
                    kinds = {p: [k for path, k, _ in page.timing if path == p] for p in ASSETS}
                    hinted = [p for p in ASSETS if "early-hints" in kinds[p]]
                    print(f"attempt {attempt}: initiatorType {kinds}")
                    if hinted:
                        break
            info = json.loads(curl("--http1.1", s.url("/push-info")).stdout)
        print(f"early hints used on attempt {attempt} of at most {ATTEMPTS}")

        # The page and each asset: over h3, 200 (DevTools' view of the network stack).
        got = {r.path: (r.protocol, r.status) for r in page.responses}
        print(f"responses: {got}")
        self.assertEqual({p: got.get(p) for p in ["/"] + ASSETS},
                         {p: ("h3", 200) for p in ["/"] + ASSETS}, page.responses)
        self.assertTrue(all(proto == "h3" for path, _, proto in page.timing if path in ASSETS),
                        page.timing)
        for p in ASSETS:
            self.assertEqual(page.bodies.get(p), site_file(p), p)

        # The 103 reached Chromium over h3 and was used: every asset preloaded by it, and the
        # page's own table says so.
        self.assertEqual(hinted, ASSETS, f"initiatorType by asset: {kinds}")
        self.assertEqual({p: page.table.get(p) for p in ASSETS},
                         {p: "103 hint" for p in ASSETS}, page.table)

        # The server's side: each request of each load over h3 in the access log, each asset
        # served once per load (the page used the preloaded responses).
        log = s.stdout
        for p in ["/"] + ASSETS:
            self.assertEqual(access_log(log, p), ["h3"] * attempt, f"{p}: {log[-3000:]}")
        # Chromium sent no MAX_PUSH_ID (RFC 9114 §7.2.7): no push, each one hinted instead
        # (the metrics count a hinted push as hinted, not under its skip reason).
        m = info["metrics"]
        self.assertEqual((m["promised"], m["hinted"]), (0, len(ASSETS) * attempt), m)
        why = {p: re.findall(f"push GET \\S*{re.escape(p)} hinted: (\\w+)", s.stderr)
               for p in ASSETS}
        self.assertEqual(why, {p: ["no_push_id"] * attempt for p in ASSETS}, s.stderr[-3000:])


if __name__ == "__main__":
    main()
