"""Cache-aware push and preload links, over h2c against the demo serving a temp --root site:
the first visit is pushed the page's assets and gets the rodeo_pushed digest cookie, a second
visit sending it back is pushed nothing it has, an asset changed on disk is pushed again, a
conditional navigation is pushed nothing, a client that refuses push is hinted once and not
again, and /preload's `link: rel=preload` fields become
pushes (not the `nopush` one)."""

import os
import re
import shutil
import tempfile
import urllib.request

import h2.events
import h2.settings

from harness import Server, main, DEMO
from push_test import Client
import unittest


class CookieClient(Client):
    """Also records the 103 (Early Hints) responses of stream 1."""

    def on_event(self, e):
        if isinstance(e, h2.events.InformationalResponseReceived):
            self.hints = getattr(self, "hints", []) + [
                {k.decode(): v.decode() for k, v in e.headers}]
        super().on_event(e)

    def get(self, sid, path, fields=()):
        self.c.send_headers(sid, [(":method", "GET"), (":scheme", self.scheme),
                                  (":authority", f"127.0.0.1:{self.port}"), (":path", path)] +
                            list(fields), end_stream=True)
        self.s.sendall(self.c.data_to_send())


class PushDigest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.root = tempfile.mkdtemp(prefix="rodeo-digest-")
        cls.write("index.html", "<!doctype html><link rel=stylesheet href=/static/style.css>")
        cls.write("push.map", "/: /static/style.css /static/app.js\n")
        cls.write("static/style.css", "body { color: black }\n")
        cls.write("static/app.js", "console.log(1)\n")
        cls.server = Server(DEMO, ["--port", "0", "--tls-port", "0", "--quiet", "--root",
                                   cls.root], ready=r":(\d+)/").__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.server.__exit__(None, None, None)
        shutil.rmtree(cls.root)

    @classmethod
    def write(cls, rel, text):
        path = os.path.join(cls.root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)

    def visit(self, path="/", fields=(), settings=None):
        c = CookieClient(self.server.port, False, settings)
        c.get(1, path, fields)
        c.pump(c.all_done)
        c.close()
        self.assertIn(1, c.ended)
        self.assertEqual(c.headers[1][":status"], "200")
        return c

    @staticmethod
    def promised(c):
        return sorted(h[":path"] for _, _, h in c.promises)

    @staticmethod
    def cookie_of(c):
        set_cookie = c.headers[1].get("set-cookie", "")
        m = re.match(r"rodeo_pushed=([A-Za-z0-9_-]+);", set_cookie)
        return m.group(1) if m else None

    def test_repeat_visits_are_pushed_only_what_changed(self):
        first = self.visit()
        self.assertEqual(self.promised(first), ["/static/app.js", "/static/style.css"])
        digest = self.cookie_of(first)
        self.assertIsNotNone(digest, first.headers[1])
        self.assertLessEqual(len(digest), 104)
        for _, sid, _ in first.promises:
            self.assertEqual(first.headers[sid][":status"], "200")

        cookie = [("cookie", "theme=dark; rodeo_pushed=" + digest)]
        second = self.visit("/", cookie)
        self.assertEqual(self.promised(second), [])
        self.assertIsNone(self.cookie_of(second))  # nothing new pushed: no new cookie

        self.write("static/style.css", "body { color: navy; background: white }\n")
        third = self.visit("/", cookie)
        self.assertEqual(self.promised(third), ["/static/style.css"])
        fourth = self.visit("/", [("cookie", "rodeo_pushed=" + self.cookie_of(third))])
        self.assertEqual(self.promised(fourth), [])

        # The funnel counts the skips.
        text = urllib.request.urlopen(self.server.url("/metrics"), timeout=10).read().decode()
        m = re.search(r'rodeo_push_skipped_total\{reason="client_cached"\} (\d+)', text)
        self.assertIsNotNone(m, text)
        self.assertGreaterEqual(int(m.group(1)), 5)

    def test_a_client_that_refuses_push_is_hinted_once_then_not_again(self):
        # ENABLE_PUSH=0 (every browser): the pushes become one 103, and the digest records
        # the hinted assets, since the client fetches them; its next visit gets no 103.
        no_push = {h2.settings.SettingCodes.ENABLE_PUSH: 0}
        first = self.visit("/", settings=no_push)
        self.assertEqual(self.promised(first), [])
        hints = getattr(first, "hints", [])
        self.assertEqual([h[":status"] for h in hints], ["103"])
        self.assertIn("</static/style.css>; rel=preload", hints[0].get("link", ""))
        digest = self.cookie_of(first)
        self.assertIsNotNone(digest, first.headers[1])
        second = self.visit("/", [("cookie", "rodeo_pushed=" + digest)], settings=no_push)
        self.assertEqual(getattr(second, "hints", []), [])
        self.assertEqual(self.promised(second), [])

    def test_conditional_navigation_is_pushed_nothing(self):
        c = self.visit("/", [("if-modified-since", "Sun, 06 Dec 2026 10:00:00 GMT")])
        self.assertEqual(self.promised(c), [])
        # A malformed digest is an empty one: everything is pushed.
        c = self.visit("/", [("cookie", "rodeo_pushed=AAAA")])
        self.assertEqual(self.promised(c), ["/static/app.js", "/static/style.css"])

    def test_preload_links_are_pushed_except_nopush(self):
        c = self.visit("/preload")
        self.assertEqual(self.promised(c), ["/static/style.css"])
        self.assertIn("rel=preload", c.headers[1].get("link", ""))  # the fields stay
        (sid,) = [p for _, p, _ in c.promises]
        self.assertEqual(c.headers[sid][":status"], "200")
        self.assertIn(b"body", c.data[sid])
        self.assertIsNotNone(self.cookie_of(c))


if __name__ == "__main__":
    main()
