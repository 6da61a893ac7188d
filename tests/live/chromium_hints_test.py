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

import asyncio
import base64
import hashlib
import json
import os
import re
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
import unittest

from harness import Server, curl, main, DEMO, SLOW

try:
    import websockets
except ImportError:  # scripts/lib.sh installs python3-websockets
    websockets = None

CHROMIUM = shutil.which("chromium")
READY = r":(\d+)/"
ATTEMPTS = 3
# The demo's pages push, then think this long before answering (--think-ms), as a page that
# queries a database would: the 103 goes out at once and the browser acts on it meanwhile.
THINK_MS = "20"
# What the demo's push.map pushes for /, as the page's Resource Timing names them.
ASSETS = ["/static/style.css", "/static/app.js", "/static/rodeo.svg", "/static/model.svg"]


def spki_pin(port):
    """base64(sha256(SubjectPublicKeyInfo)) of the certificate the server presents."""
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    with socket.create_connection(("127.0.0.1", port), timeout=10 * SLOW) as raw:
        with ctx.wrap_socket(raw, server_hostname="localhost") as s:
            der = s.getpeercert(binary_form=True)
    pub = subprocess.run(["openssl", "x509", "-inform", "DER", "-pubkey", "-noout"], input=der,
                         capture_output=True, check=True).stdout
    spki = subprocess.run(["openssl", "pkey", "-pubin", "-outform", "DER"], input=pub,
                          capture_output=True, check=True).stdout
    return base64.b64encode(hashlib.sha256(spki).digest()).decode()


class Browser:
    """Headless chromium with a DevTools endpoint on an ephemeral port."""

    def __init__(self, pin):
        self.dir = tempfile.mkdtemp(prefix="rodeo-chromium-")
        self.proc = subprocess.Popen(
            [CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu",
             "--no-first-run", "--no-default-browser-check", "--disable-extensions",
             "--user-data-dir=" + self.dir, "--remote-debugging-port=0",
             "--ignore-certificate-errors-spki-list=" + pin, "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        active = os.path.join(self.dir, "DevToolsActivePort")
        deadline = time.time() + 30 * SLOW
        while time.time() < deadline and self.proc.poll() is None:
            if os.path.exists(active):
                lines = open(active).read().split("\n")
                if len(lines) >= 2 and lines[1]:
                    self.ws = f"ws://127.0.0.1:{lines[0]}{lines[1]}"
                    return
            time.sleep(0.05)
        self.close()
        raise RuntimeError("chromium did not open its DevTools port")

    def close(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


class Devtools:
    """A minimal DevTools protocol client over the browser's websocket (flat sessions)."""

    def __init__(self, ws):
        self.ws, self.next_id, self.events = ws, 0, []

    async def call(self, method, params=None, session=None):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        await self.ws.send(json.dumps(msg))
        while True:
            m = json.loads(await self.ws.recv())
            if m.get("id") == self.next_id:
                if "error" in m:
                    raise RuntimeError(f"{method}: {m['error']}")
                return m["result"]
            self.events.append(m)

    async def wait_event(self, method, session, timeout):
        deadline = time.time() + timeout
        seen = 0
        while True:
            for m in self.events[seen:]:
                if m.get("method") == method and m.get("sessionId") == session:
                    return m
            seen = len(self.events)
            left = deadline - time.time()
            if left <= 0:
                raise TimeoutError(method)
            self.events.append(json.loads(await asyncio.wait_for(self.ws.recv(), left)))


async def new_page(d):
    """A blank page in a fresh browser context (its own connections and cache): returns
    (context id, flat session id)."""
    ctx = (await d.call("Target.createBrowserContext"))["browserContextId"]
    target = (await d.call("Target.createTarget",
                           {"url": "about:blank", "browserContextId": ctx}))["targetId"]
    session = (await d.call("Target.attachToTarget",
                            {"targetId": target, "flatten": True}))["sessionId"]
    return ctx, session


async def load(ws_url, url):
    """Loads `url` in a fresh browser context; returns its resource timing entries as
    (path, initiatorType, nextHopProtocol)."""
    async with websockets.connect(ws_url, max_size=None) as ws:
        d = Devtools(ws)
        ctx, session = await new_page(d)
        await d.call("Network.enable", session=session)
        await d.call("Page.enable", session=session)
        await d.call("Page.navigate", {"url": url}, session=session)
        await d.wait_event("Page.loadEventFired", session, 30 * SLOW)
        res = await d.call("Runtime.evaluate", {
            "expression": "JSON.stringify(performance.getEntriesByType('resource')"
                          ".map(e => [new URL(e.name).pathname, e.initiatorType,"
                          " e.nextHopProtocol]))",
            "returnByValue": True}, session=session)
        timing = json.loads(res["result"]["value"])
        # The page's own table (app.js, on load): resource -> how it came ("103 hint",
        # "fetched"). Filled by a load listener, so asked again until it has its rows.
        table = {}
        for _ in range(50):
            res = await d.call("Runtime.evaluate", {
                "expression": "JSON.stringify([...document.querySelectorAll('#loaded tr')]"
                              ".map(tr => [...tr.cells].map(td => td.textContent)))",
                "returnByValue": True}, session=session)
            table = {row[0]: row[1] for row in json.loads(res["result"]["value"]) if len(row) > 1}
            if table:
                break
            await asyncio.sleep(0.1)
        await d.call("Target.disposeBrowserContext", {"browserContextId": ctx})
        return timing, table


@unittest.skipUnless(CHROMIUM and websockets, "needs Debian's chromium and python3-websockets")
class ChromiumEarlyHints(unittest.TestCase):
    def test_demo_assets_arrive_by_early_hints(self):
        # The access log (on stdout) counts what the server answered, preloads included.
        with Server(DEMO, ["--port", "0", "--tls-port", "0", "--think-ms", THINK_MS],
                    ready=READY) as s:
            browser = Browser(spki_pin(s.tls_port))
            try:
                for attempt in range(1, ATTEMPTS + 1):
                    timing, table = asyncio.run(load(browser.ws, s.url("/", tls=True)))
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
