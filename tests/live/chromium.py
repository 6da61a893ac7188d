"""Headless Debian chromium for the live tests, driven over the DevTools protocol: the server
certificate's SPKI pin (so that the browser accepts the server's self-signed certificate, over
TLS and QUIC alike), the browser process, a minimal DevTools client, and one page load in a
fresh browser context with what the page and the browser saw of it."""

import asyncio
import base64
import hashlib
import json
import os
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from harness import SLOW

try:
    import websockets
except ImportError:  # scripts/lib.sh installs python3-websockets
    websockets = None

CHROMIUM = shutil.which("chromium")
AVAILABLE = bool(CHROMIUM and websockets)


def spki_pin(port):
    """base64(sha256(SubjectPublicKeyInfo)) of the certificate the server presents on its TLS
    port: what --ignore-certificate-errors-spki-list takes."""
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
    """Headless chromium with a DevTools endpoint on an ephemeral port; `args` are further
    command-line flags (QUIC's, for one)."""

    def __init__(self, pin, args=()):
        self.dir = tempfile.mkdtemp(prefix="rodeo-chromium-")
        self.proc = subprocess.Popen(
            [CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu",
             "--no-first-run", "--no-default-browser-check", "--disable-extensions",
             "--user-data-dir=" + self.dir, "--remote-debugging-port=0",
             "--ignore-certificate-errors-spki-list=" + pin, *args, "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        active = os.path.join(self.dir, "DevToolsActivePort")
        deadline = time.time() + 30 * SLOW
        while time.time() < deadline and self.proc.poll() is None:
            if os.path.exists(active):
                with open(active) as f:
                    lines = f.read().split("\n")
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

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False


class Devtools:
    """A minimal DevTools protocol client over the browser's websocket (flat sessions). Every
    event that arrives is kept in `events`, in order."""

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

    def session_events(self, method, session):
        return [m["params"] for m in self.events
                if m.get("method") == method and m.get("sessionId") == session]


async def new_page(d):
    """A blank page in a fresh browser context (its own connections and cache): returns
    (context id, flat session id)."""
    ctx = (await d.call("Target.createBrowserContext"))["browserContextId"]
    target = (await d.call("Target.createTarget",
                           {"url": "about:blank", "browserContextId": ctx}))["targetId"]
    session = (await d.call("Target.attachToTarget",
                            {"targetId": target, "flatten": True}))["sessionId"]
    return ctx, session


@dataclass
class Response:
    """One Network.responseReceived: what the browser's network stack got."""
    path: str
    status: int
    protocol: str  # "h2", "h3", "http/1.1"
    request_id: str


@dataclass
class PageLoad:
    # Resource Timing entries: (path, initiatorType, nextHopProtocol).
    timing: list = field(default_factory=list)
    # The demo page's own table (app.js, on load): resource -> how it came ("103 hint",
    # "fetched"); empty for a page without that table.
    table: dict = field(default_factory=dict)
    # Network.responseReceived, in order (the document's and every subresource's).
    responses: list = field(default_factory=list)
    # path -> response body bytes, for the paths asked for (Network.getResponseBody).
    bodies: dict = field(default_factory=dict)


async def _evaluate(d, session, expression):
    res = await d.call("Runtime.evaluate", {"expression": expression, "returnByValue": True},
                       session=session)
    return res["result"].get("value")


async def _load(ws_url, url, bodies, demo_table):
    async with websockets.connect(ws_url, max_size=None) as ws:
        d = Devtools(ws)
        ctx, session = await new_page(d)
        out = PageLoad()
        try:
            await d.call("Network.enable", session=session)
            await d.call("Page.enable", session=session)
            await d.call("Page.navigate", {"url": url}, session=session)
            await d.wait_event("Page.loadEventFired", session, 30 * SLOW)
            out.timing = json.loads(await _evaluate(
                d, session,
                "JSON.stringify(performance.getEntriesByType('resource')"
                ".map(e => [new URL(e.name).pathname, e.initiatorType, e.nextHopProtocol]))"))
            if demo_table:
                # Filled by a load listener of the page's app.js: asked again until it has
                # its rows (bounded).
                for _ in range(50):
                    rows = json.loads(await _evaluate(
                        d, session,
                        "JSON.stringify([...document.querySelectorAll('#loaded tr')]"
                        ".map(tr => [...tr.cells].map(td => td.textContent)))"))
                    out.table = {row[0]: row[1] for row in rows if len(row) > 1}
                    if out.table:
                        break
                    await asyncio.sleep(0.1)
            for p in d.session_events("Network.responseReceived", session):
                r = p["response"]
                out.responses.append(Response(urlsplit(r["url"]).path, r["status"],
                                              r.get("protocol", ""), p["requestId"]))
            for path in bodies:
                got = [r for r in out.responses if r.path == path]
                if not got:
                    continue
                b = await d.call("Network.getResponseBody", {"requestId": got[-1].request_id},
                                 session=session)
                out.bodies[path] = (base64.b64decode(b["body"]) if b["base64Encoded"]
                                    else b["body"].encode())
        finally:
            await d.call("Target.disposeBrowserContext", {"browserContextId": ctx})
        return out


def load(ws_url, url, bodies=(), demo_table=True):
    """Loads `url` in a fresh browser context of the browser at `ws_url` until its load event;
    returns a PageLoad. `bodies`: paths whose response bodies to read back."""
    return asyncio.run(_load(ws_url, url, bodies, demo_table))
