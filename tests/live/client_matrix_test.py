"""An independent HTTP/2 client matrix: nghttp, curl, Python h2, Node http2 and Go's
golang.org/x/net/http2, each over h2c (prior knowledge, RFC 9113 §3.3) and over TLS (ALPN h2,
RFC 9113 §3.2), against one test server. Every one of the ten combinations runs the same plan
(matrix_clients.py describes the clients) and gets the same checks: a GET with a binding, a
POST echoed back, a large streamed body with a trailer, concurrent streams on one connection,
a 404, lowercase response fields with content-length where the length is known, trailers,
server push (or its absence for the clients that disable it), and the protocol actually
negotiated. A POST with "expect: 100-continue" runs apart: two of the clients wait for the
100 (Continue), which the server does not send over HTTP/2 yet."""

import hashlib
import os
import shutil
import unittest

import matrix_clients as mc
from harness import Server, main

BIG = 4 * 1024 * 1024       # the streamed response
UPLOAD = 200_000            # the echoed request body: more than one 64 KiB window
CONCURRENT = 4              # requests of the rendezvous step
BIG_SHA256 = hashlib.sha256(bytes(ord("a") + i % 26 for i in range(BIG))).hexdigest()
PUSHED = {"/push/asset/style.css": "asset style.css", "/push/asset/app.js": "asset app.js"}

# Which clients receive server pushes: curl and Go's client send SETTINGS_ENABLE_PUSH=0
# (RFC 9113 §6.5.2), so the server must promise nothing to them.
RECEIVES_PUSH = {"nghttp": True, "curl": False, "python_h2": True, "node": True, "go": False}

# Clients that hold a request body back until the server answers "expect: 100-continue"
# (curl; the Python h2 client here does the same); the others send it at once, and a server
# may then skip the 100 (RFC 9110 §10.1.1).
WAITS_FOR_CONTINUE = {"curl", "python_h2"}


def plan(client, transport, upload_file):
    tag = f"{client}-{transport}"
    return [
        {"name": "hello", "requests": [{"method": "GET", "path": f"/hello/{tag}"}]},
        {"name": "echo", "requests": [{"method": "POST", "path": "/echo",
                                       "body_file": upload_file}]},
        {"name": "big", "requests": [{"method": "GET", "path": f"/stream-big/{BIG}"}]},
        {"name": "trailers", "requests": [{"method": "GET", "path": "/stream"}]},
        {"name": "concurrent", "requests": [
            {"method": "GET", "path": f"/meet/{tag}/{CONCURRENT}?i={i}"}
            for i in range(CONCURRENT)]},
        {"name": "not_found", "requests": [{"method": "GET", "path": "/no/such/page"}]},
        {"name": "push", "requests": [{"method": "GET", "path": "/push/page"}]},
    ]


def expect_plan(upload_file):
    return [{"name": "expect_continue", "requests": [{"method": "POST", "path": "/echo",
                                                      "body_file": upload_file,
                                                      "expect_continue": True}]}]


class ClientMatrix(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.workdir = mc.workdir()
        cls.upload_file = os.path.join(cls.workdir, "upload.bin")
        # Every byte value, in an order that is not a short repetition.
        cls.upload = bytes((i * 7919 + (i >> 8)) % 256 for i in range(UPLOAD))
        with open(cls.upload_file, "wb") as f:
            f.write(cls.upload)
        cls.go_binary = mc.build_go(cls.workdir)
        cls.server = Server().__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.server.__exit__(None, None, None)
        shutil.rmtree(cls.workdir, ignore_errors=True)

    def run_client(self, client, transport, steps=None):
        tls = transport == "tls"
        base = self.server.url("", tls=tls)
        run = {"nghttp": mc.nghttp, "curl": mc.curl, "python_h2": mc.python_h2,
               "node": mc.node, "go": mc.go(self.go_binary)}[client]
        if steps is None:
            steps = plan(client, transport, self.upload_file)
        results = run(base, tls, steps, self.workdir)
        steps = {}
        for r in results:
            steps.setdefault(r["name"], []).append(r)
        return steps

    def usable(self, steps, name):
        """The step's results; skips the subtest for a known client limitation and fails
        on a client error."""
        results = steps.get(name)
        self.assertTrue(results, f"no result for {name}")
        skips = [r["skip"] for r in results if "skip" in r]
        if skips:
            self.skipTest(skips[0])
        errors = [r["error"] for r in results if r.get("error")]
        self.assertFalse(errors, errors)
        return results

    def check(self, client, transport):
        steps = self.run_client(client, transport)
        tag = f"{client}-{transport}"
        everything = [r for rs in steps.values() for r in rs if "skip" not in r]

        with self.subTest("protocol"):
            # The client itself says HTTP/2 carried every response; over TLS, ALPN chose h2.
            errors = [r["error"] for r in everything if r.get("error")]
            self.assertFalse(errors, errors)
            for r in everything:
                self.assertEqual(r["protocol"], "2", r)
                if transport == "tls":
                    self.assertEqual(r["alpn"], "h2", r)
                else:
                    self.assertIn(r["alpn"], ("h2c", ""), r)

        with self.subTest("hello"):
            r, = self.usable(steps, "hello")
            self.assertEqual(r["status"], 200)
            self.assertEqual(r["body"], f"Hello {tag}!")
            self.assertEqual(r["headers"]["content-type"], ["text/plain"])
            self.assertEqual(r["headers"]["content-length"], [str(len(f"Hello {tag}!"))])

        with self.subTest("echo"):
            r, = self.usable(steps, "echo")
            self.assertEqual(r["status"], 200)
            self.assertEqual(r["body_length"], UPLOAD)
            self.assertEqual(r["body_sha256"], hashlib.sha256(self.upload).hexdigest())
            self.assertEqual(r["headers"]["x-body-length"], [str(UPLOAD)])
            self.assertEqual(r["headers"]["content-length"], [str(UPLOAD)])

        with self.subTest("large streamed body"):
            r, = self.usable(steps, "big")
            self.assertEqual(r["status"], 200)
            self.assertEqual(r["body_length"], BIG)
            self.assertEqual(r["body_sha256"], BIG_SHA256)
            # Streamed: the length is only known at the end (RFC 9110 §8.6).
            self.assertNotIn("content-length", r["headers"])
            # The handler wrote "Content-Type", "Trailer" and "Keep-Alive": lowercase names,
            # and no connection-specific field (RFC 9113 §8.2.2).
            self.assertEqual(r["headers"]["content-type"], ["application/octet-stream"])
            self.assertNotIn("keep-alive", r["headers"])
            self.assertEqual(r["trailers"].get("x-body-length"), [str(BIG)])

        with self.subTest("trailers"):
            r, = self.usable(steps, "trailers")
            self.assertEqual(r["status"], 200)
            self.assertEqual(r["body"], "".join(f"chunk{i}\n" for i in range(5)))
            self.assertEqual(r["trailers"].get("x-checksum"), ["five"])
            self.assertNotIn("x-checksum", r["headers"])

        with self.subTest("concurrent streams on one connection"):
            rs = self.usable(steps, "concurrent")
            self.assertEqual(len(rs), CONCURRENT)
            # /meet answers only once all of its group are in their handlers at the same time:
            # a 200 for each proves they were in flight together.
            for r in rs:
                self.assertEqual(r["status"], 200, r)
            streams = set()
            for r in rs:
                words = r["body"].split()
                self.assertEqual(words[:2], ["met", str(CONCURRENT)], r["body"])
                self.assertEqual(words[3], "version=HTTP/2", r["body"])
                streams.add(words[2])
            # Distinct stream ids: one connection (separate ones would each start at the same
            # stream id).
            self.assertEqual(len(streams), CONCURRENT, streams)
            addrs = {r["local_addr"] for r in rs if r.get("local_addr")}
            self.assertLessEqual(len(addrs), 1, addrs)
            if "connections" in rs[0]:
                self.assertEqual(rs[0]["connections"], 1)

        with self.subTest("404"):
            r, = self.usable(steps, "not_found")
            self.assertEqual(r["status"], 404)

        with self.subTest("lowercase field names"):
            # RFC 9113 §8.2.1: field names in HTTP/2 are lowercase (a client would treat an
            # uppercase one as malformed).
            for r in everything:
                for name in r.get("raw_names", []) + list(r.get("headers", {})) + \
                        list(r.get("trailers", {})):
                    self.assertEqual(name, name.lower(), (r["name"], name))

        with self.subTest("server push"):
            r, = self.usable(steps, "push")
            self.assertEqual(r["status"], 200)
            self.assertEqual(r["body"], "<html>page</html>")
            if RECEIVES_PUSH[client]:
                self.assertEqual(r["headers"]["x-push-outcomes"], ["promised,promised"])
                got = {p["path"]: p for p in r["pushes"]}
                self.assertEqual(set(got), set(PUSHED))
                for path, body in PUSHED.items():
                    self.assertEqual(got[path]["status"], 200)
                    self.assertEqual(got[path]["body"], body)
                    self.assertEqual(got[path]["headers"].get("x-pushed"), "yes")
            else:
                # The client disabled push: no PUSH_PROMISE was sent (the pushes became early
                # hints), and the page still came.
                self.assertEqual(r["headers"]["x-push-outcomes"], ["hinted,hinted"])
                self.assertEqual(r.get("pushes", []), [])

    def check_expect_continue(self, client, transport):
        steps = self.run_client(client, transport, expect_plan(self.upload_file))
        r, = self.usable(steps, "expect_continue")
        self.assertEqual(r["protocol"], "2")
        self.assertEqual(r["status"], 200)
        self.assertEqual(r["body_sha256"], hashlib.sha256(self.upload).hexdigest())
        waited = r.get("waited_for_continue", False)
        self.assertEqual(waited, client in WAITS_FOR_CONTINUE)
        self.assertEqual([s for s in r["informational"] if s != 100], [])
        if waited:
            # RFC 9110 §10.1.1: the header section alone must get a 100 (or a final status).
            self.assertEqual(r["informational"], [100])


def _add(client, transport):
    def test(self):
        self.check(client, transport)
    test.__doc__ = f"{client} over {transport}"
    setattr(ClientMatrix, f"test_{client}_{transport}", test)

    def test_expect(self):
        self.check_expect_continue(client, transport)
    test_expect.__doc__ = f"{client} over {transport}: POST with expect: 100-continue"
    setattr(ClientMatrix, f"test_{client}_{transport}_expect_100_continue", test_expect)


for _client in RECEIVES_PUSH:
    for _transport in ("h2c", "tls"):
        _add(_client, _transport)


if __name__ == "__main__":
    main()
