"""The demo's site: `/` promises every asset its push manifest lists (RFC 9113 §8.4) and each
pushed body is the file on disk, byte for byte, over h2c and TLS; `--root` serves another
directory (the benchmarks' fixture site) the same way; /push-info and the /events SSE clock."""

import gzip
import json
import os
import re
import shutil
import tempfile
import unittest

import brotli

from harness import Server, curl, run, main, DEMO
from push_test import Client

HERE = os.path.dirname(os.path.abspath(__file__))
SITE = os.path.join(HERE, "..", "..", "apps", "demo", "site")
# The benchmarks' fixture site lives beside the project (shared/bench/fixtures/site).
FIXTURE = os.environ.get("RODEO_BENCH_SITE",
                         os.path.join(HERE, "..", "..", "..", "shared", "bench", "fixtures", "site"))
FIXTURE_PUSHES = ["/style.css", "/app.js", "/img1.png", "/img2.png"]
READY = r":(\d+)/"


def manifest(path, page):
    """The assets a push.map lists for `page`, in order (the format of push_map.hpp)."""
    assets = []
    with open(path) as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if line.startswith(page + ":"):
                assets += line[len(page) + 1:].split()
    return assets


def decoded(headers, data):
    """`data` without its content-coding (gzip or br), as a browser reads it."""
    coding = headers.get("content-encoding")
    if coding == "gzip":
        return gzip.decompress(data)
    if coding == "br":
        return brotli.decompress(data)
    return data


def file_bytes(root, path):
    with open(os.path.join(root, path.lstrip("/")), "rb") as f:
        return f.read()


class Site(unittest.TestCase):
    def fetch(self, server, path, tls):
        c = Client(server.tls_port if tls else server.port, tls)
        c.get(1, path)
        c.pump(c.all_done)
        c.close()
        return c

    def check_pushes(self, server, tls, expected, on_disk):
        """GET / promises exactly `expected`, in order, and each pushed body is the file
        `on_disk(path)` names."""
        c = self.fetch(server, "/", tls)
        self.assertEqual(c.headers[1][":status"], "200")
        self.assertEqual([hs[":path"] for _, _, hs in c.promises], expected)
        for parent, sid, hs in c.promises:
            self.assertEqual(parent, 1)
            self.assertEqual(sid % 2, 0)  # RFC 9113 §5.1.1: server-initiated streams are even
            self.assertEqual(hs[":method"], "GET")
            self.assertEqual(hs[":scheme"], "https" if tls else "http")
            self.assertEqual(c.headers[sid][":status"], "200", hs[":path"])
            body = on_disk(hs[":path"])
            data = c.data.get(sid, b"")
            self.assertEqual(c.headers[sid]["content-length"], str(len(data)))
            # The demo compresses (compress_stream_h) what the promised request accepts.
            self.assertEqual(decoded(c.headers[sid], data), body, hs[":path"])  # byte for byte
        return c

    # --- the built-in site ---

    def site_asset(self, path):
        self.assertTrue(path.startswith("/static/"), path)
        return file_bytes(SITE, path[len("/static"):])

    def test_builtin_site_pushes_its_manifest_h2c_and_tls(self):
        expected = manifest(os.path.join(SITE, "push.map"), "/")
        self.assertEqual(len(expected), 4)
        with Server(DEMO, ["--port", "0", "--tls-port", "0", "--quiet"], ready=READY) as s:
            for tls in (False, True):
                with self.subTest(tls=tls):
                    c = self.check_pushes(s, tls, expected, self.site_asset)
                    self.assertEqual(c.data[1], file_bytes(SITE, "index.html"))

    def test_pushes_come_in_a_coding_the_page_request_named(self):
        # RFC 9110 §12.5.3: the promised request accepts the codings the client's own request
        # for the page accepted; a client that named none gets every pushed body as is.
        expected = manifest(os.path.join(SITE, "push.map"), "/")
        with Server(DEMO, ["--port", "0", "--tls-port", "0", "--quiet"], ready=READY) as s:
            for accepted, coding in ((None, None), ("gzip", "gzip"), ("gzip, br", "br")):
                with self.subTest(accept_encoding=accepted):
                    c = Client(s.port)
                    c.get(1, "/", [("accept-encoding", accepted)] if accepted else [])
                    c.pump(c.all_done)
                    c.close()
                    self.assertEqual([hs[":path"] for _, _, hs in c.promises], expected)
                    for _, sid, hs in c.promises:
                        self.assertEqual(hs.get("accept-encoding"), accepted, hs[":path"])
                        self.assertEqual(c.headers[sid].get("content-encoding"), coding,
                                         hs[":path"])
                        self.assertEqual(decoded(c.headers[sid], c.data.get(sid, b"")),
                                         self.site_asset(hs[":path"]), hs[":path"])

    def test_builtin_clock_page_pushes_its_manifest(self):
        with Server(DEMO, ["--port", "0", "--tls-port", "0", "--quiet"], ready=READY) as s:
            c = Client(s.port)
            c.get(1, "/clock")
            c.pump(c.all_done)
            c.close()
            self.assertEqual([hs[":path"] for _, _, hs in c.promises],
                             manifest(os.path.join(SITE, "push.map"), "/clock"))
            self.assertEqual(c.data[1], file_bytes(SITE, "clock.html"))

    def test_nghttp_sees_a_push_promise_per_asset_before_the_page(self):
        expected = manifest(os.path.join(SITE, "push.map"), "/")
        with Server(DEMO, ["--port", "0", "--tls-port", "0", "--quiet"], ready=READY) as s:
            for tls in (False, True):
                with self.subTest(tls=tls):
                    out = run(["nghttp", "-nav", s.url("/", tls=tls)], timeout=20).stdout
                    # nghttp prints a promise's header fields, then the frame line.
                    promised, path = [], None
                    for line in out.splitlines():
                        m = re.search(r"recv \(stream_id=13\) :path: (\S+)$", line)
                        if m:
                            path = m.group(1)
                        elif "recv PUSH_PROMISE frame" in line:
                            promised.append(path)
                            path = None
                    self.assertEqual(promised, expected, out)
                    # RFC 9113 §8.4: the promises precede the page's HEADERS.
                    self.assertLess(out.rfind("recv PUSH_PROMISE"),
                                    out.find("recv (stream_id=13) :status: 200"))
                    for sid in (2, 4, 6, 8):
                        self.assertIn(f"recv (stream_id={sid}) :status: 200", out)

    def test_push_map_is_not_served(self):
        with Server(DEMO, ["--port", "0", "--tls-port", "0", "--quiet"], ready=READY) as s:
            p = curl("-o", "/dev/null", "-w", "%{http_code}", s.url("/static/push.map"))
            self.assertEqual(p.stdout, "404")

    def test_no_push_over_http1_and_with_push_disabled(self):
        with Server(DEMO, ["--port", "0", "--tls-port", "0", "--quiet"], ready=READY) as s:
            out = run(["nghttp", "-nv", "--no-push", s.url("/")], timeout=20).stdout
            self.assertNotIn("PUSH_PROMISE", out)
            info = json.loads(curl("--http1.1", s.url("/push-info")).stdout)
            # Pushes the client cannot take became early hints (one 103), not skips.
            self.assertEqual(info["metrics"]["hinted"], 4)
            self.assertEqual(info["metrics"]["skipped"]["disabled_by_client"], 0)
            curl("--http1.1", "-o", "/dev/null", s.url("/"))
            info = json.loads(curl("--http1.1", s.url("/push-info")).stdout)
            self.assertEqual(info["metrics"]["skipped"]["http1"], 4)
            self.assertEqual(info["metrics"]["promised"], 0)

    def test_push_info_reports_the_manifest_and_the_funnel(self):
        with Server(DEMO, ["--port", "0", "--tls-port", "0", "--quiet"], ready=READY) as s:
            self.fetch(s, "/", tls=False)
            p = curl("--http2-prior-knowledge", "-i", s.url("/push-info"))
            head, body = p.stdout.split("\n\n", 1)  # text mode: CRLF read as LF
            self.assertIn("content-type: application/json", head)
            self.assertIn("cache-control: no-store", head)
            info = json.loads(body)
            self.assertEqual(info["page"], "/")
            self.assertEqual(info["pushes"], manifest(os.path.join(SITE, "push.map"), "/"))
            # The manifest's name only: a page shows no file system paths of the server.
            self.assertEqual(info["manifest"], "push.map")
            self.assertEqual(info["request"], {"protocol": "HTTP/2", "scheme": "http"})
            m = info["metrics"]
            self.assertEqual((m["requested"], m["promised"]), (4, 4))
            self.assertEqual(sorted(m["skipped"]),
                             sorted(["http1", "disabled_by_client", "nested", "connection_closing",
                                     "concurrency_limit", "duplicate", "stream_closed",
                                     "output_full", "policy",
                                     "client_cached", "no_push_id", "push_ids_exhausted"]))
            self.assertTrue(info["summary"].startswith("requested=4 promised=4 "))
            clock = json.loads(curl(s.url("/push-info?page=/clock")).stdout)
            self.assertEqual(clock["pushes"], manifest(os.path.join(SITE, "push.map"), "/clock"))

    # --- the SSE clock (a loop handler) ---

    def test_events_streams_ticks_over_http1_and_h2(self):
        with Server(DEMO, ["--port", "0", "--tls-port", "0", "--quiet"], ready=READY) as s:
            for flag, proto in (("--http1.1", "HTTP/1.1"), ("--http2-prior-knowledge", "HTTP/2")):
                with self.subTest(proto=proto):
                    p = curl(flag, "-N", "-i", s.url("/events?count=3"), timeout=15)
                    head, body = p.stdout.split("\n\n", 1)  # text mode: CRLF read as LF
                    self.assertRegex(head, r"^HTTP/(1\.1|2) 200")
                    self.assertIn("content-type: text/event-stream", head)
                    self.assertIn("cache-control: no-cache", head)
                    events = body.split("\n\n")
                    self.assertEqual(events[-1], "")
                    self.assertEqual(len(events), 4, body)
                    stamps = []
                    for n, e in enumerate(events[:3], 1):
                        m = re.fullmatch(r'id: (\d+)\nevent: tick\ndata: \{"n":(\d+),"utc":"'
                                         r'(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)","protocol":"([^"]+)"\}',
                                         e)
                        self.assertIsNotNone(m, e)
                        self.assertEqual((m.group(1), m.group(2), m.group(4)), (str(n), str(n), proto))
                        stamps.append(m.group(3))
                    self.assertEqual(len(set(stamps)), 3, stamps)  # one a second

    def test_events_continue_after_last_event_id(self):
        with Server(DEMO, ["--port", "0", "--tls-port", "0", "--quiet"], ready=READY) as s:
            p = curl("-N", "-H", "last-event-id: 41", s.url("/events?count=1"), timeout=10)
            self.assertTrue(p.stdout.startswith("id: 42\nevent: tick\n"), p.stdout)

    def test_events_rejects_a_bad_count(self):
        with Server(DEMO, ["--port", "0", "--tls-port", "0", "--quiet"], ready=READY) as s:
            for qs in ("count=0", "count=x", "count=", "count=1000001"):
                p = curl("-o", "/dev/null", "-w", "%{http_code}", s.url("/events?" + qs))
                self.assertEqual(p.stdout, "400", qs)

    # --- --root ---

    @unittest.skipUnless(os.path.isfile(os.path.join(FIXTURE, "index.html")),
                         "the bench fixture site is not beside the project")
    def test_root_fixture_site_pushes_its_references_h2c_and_tls(self):
        with Server(DEMO, ["--port", "0", "--tls-port", "0", "--quiet", "--root", FIXTURE],
                    ready=READY) as s:
            for tls in (False, True):
                with self.subTest(tls=tls):
                    c = self.check_pushes(s, tls, FIXTURE_PUSHES,
                                          lambda p: file_bytes(FIXTURE, p))
                    self.assertEqual(c.data[1], file_bytes(FIXTURE, "index.html"))
            # /index.html is the same page: it pushes too.
            c = self.fetch(s, "/index.html", tls=False)
            self.assertEqual([hs[":path"] for _, _, hs in c.promises], FIXTURE_PUSHES)
            # /hello is the fixture's file, as every benchmark peer serves it.
            p = run(["curl", "-sS", "--http2-prior-knowledge", s.url("/hello")], timeout=10)
            self.assertEqual(p.stdout, file_bytes(FIXTURE, "hello").decode())
            info = json.loads(curl(s.url("/push-info")).stdout)
            self.assertEqual(info["pushes"], FIXTURE_PUSHES)

    def test_root_with_a_push_map_uses_it(self):
        d = tempfile.mkdtemp(prefix="rodeo-site-")
        try:
            with open(os.path.join(d, "index.html"), "w") as f:
                f.write('<link rel="stylesheet" href="/a.css"><img src="/b.png">')
            for name, data in (("a.css", "a{}"), ("b.png", "png"), ("c.js", "c()")):
                with open(os.path.join(d, name), "w") as f:
                    f.write(data)
            with open(os.path.join(d, "push.map"), "w") as f:
                f.write("/index.html: /c.js\n")
            with Server(DEMO, ["--port", "0", "--tls-port", "0", "--quiet", "--root", d],
                        ready=READY) as s:
                c = self.check_pushes(s, False, ["/c.js"], lambda p: file_bytes(d, p))
                self.assertEqual(c.headers[1][":status"], "200")
                p = curl("-o", "/dev/null", "-w", "%{http_code}", s.url("/push.map"))
                self.assertEqual(p.stdout, "404")
        finally:
            shutil.rmtree(d)

    def test_root_pushes_same_origin_absolute_references_only(self):
        d = tempfile.mkdtemp(prefix="rodeo-site-")
        try:
            with open(os.path.join(d, "index.html"), "w") as f:
                f.write('<link rel="stylesheet" href="https://cdn.example/x.css">'
                        '<script src="rel.js"></script><script src="/abs.js?v=1"></script>'
                        '<img src="//cdn.example/y.png">')
            with open(os.path.join(d, "abs.js"), "w") as f:
                f.write("abs()")
            with Server(DEMO, ["--port", "0", "--tls-port", "0", "--quiet", "--root", d],
                        ready=READY) as s:
                c = self.fetch(s, "/", tls=False)
                self.assertEqual([(hs[":path"]) for _, _, hs in c.promises], ["/abs.js?v=1"])
                (_, sid, _), = c.promises
                self.assertEqual(c.data[sid], b"abs()")
                # A revalidation gets 304 and no promises (the client has the page).
                etag = c.headers[1]["etag"]
                p = run(["nghttp", "-nv", "-H", "if-none-match: " + etag, s.url("/")], timeout=20)
                self.assertIn(":status: 304", p.stdout)
                self.assertNotIn("PUSH_PROMISE", p.stdout)
        finally:
            shutil.rmtree(d)

    def test_bad_root_stops_start_up(self):
        p = run([DEMO, "--port", "0", "--tls-port", "0", "--root", "/nonexistent/rodeo"], timeout=10)
        self.assertEqual(p.returncode, 2)
        self.assertEqual(p.stderr, "rodeo_demo: --root /nonexistent/rodeo is not a directory\n")


if __name__ == "__main__":
    main()
