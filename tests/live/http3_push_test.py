"""Server push over HTTP/3 (RFC 9114 §4.6) with Rodeo's own push-capable client (rodeo_h3_get,
which sends MAX_PUSH_ID: no other client on this platform does) against the test server's
push routes, the ones push_test.py drives over HTTP/2. Each test names the rule it checks."""

import os
import re
import shutil
import tempfile
import time
import unittest

from harness import ServerCase, main, push_stats, run, SLOW

H3_GET = os.environ.get("RODEO_H3_GET", "")


class Result:
    """rodeo_h3_get's report: responses and pushes, in order."""

    def __init__(self, p):
        self.p = p
        self.responses = []  # [{field: value}, ...] with "status"
        self.pushes = []     # [{"id", "flags", "promise": {}, "fields": {}, "status"}]
        current = None
        for line in p.stdout.splitlines():
            m = re.match(r"^(response|pushed) status (\d+) body (\d+) bytes", line)
            if m:
                current = {"status": m.group(2), "length": int(m.group(3))}
                if m.group(1) == "response":
                    self.responses.append(current)
                else:
                    self.pushes[-1]["fields"] = current
                continue
            m = re.match(r"^push (\d+)(.*)$", line)
            if m:
                self.pushes.append({"id": int(m.group(1)), "flags": m.group(2).split(),
                                    "promise": {}, "fields": None})
                current = None
                continue
            m = re.match(r"^  promise ([^:]*|:[^:]+): (.*)$", line)
            if m and self.pushes:
                self.pushes[-1]["promise"][m.group(1)] = m.group(2)
                continue
            m = re.match(r"^  (:?[^:]+): (.*)$", line)
            if m and current is not None:
                current[m.group(1)] = m.group(2)

    def push(self, path):
        found = [p for p in self.pushes if p["promise"].get(":path") == path]
        assert len(found) == 1, (path, self.p.stdout)
        return found[0]


@unittest.skipUnless(H3_GET, "needs rodeo_h3_get (libngtcp2-dev, libngtcp2-crypto-gnutls-dev)")
class Http3Push(ServerCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="rodeo-h3push-")

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def get(self, *paths, max_push_id=None, cancel=(), ok=True):
        cmd = [H3_GET, "--push-dir", self.dir, "--output", os.path.join(self.dir, "body")]
        if max_push_id is not None:
            cmd += ["--max-push-id", str(max_push_id)]
        for c in cancel:
            cmd += ["--cancel", str(c)]
        cmd += ["127.0.0.1", str(self.server.quic_port)] + list(paths)
        p = run(cmd, timeout=60 * SLOW)
        if ok:
            self.assertEqual(p.returncode, 0, p.stdout[-2000:] + p.stderr[-2000:])
        return Result(p)

    def pushed_body(self, push):
        with open(os.path.join(self.dir, str(push["id"])), "rb") as f:
            return f.read()

    def wait_push_stat(self, name, at_least):
        deadline = time.time() + 5 * SLOW
        value = push_stats(self.server)[name]
        while value < at_least and time.time() < deadline:
            time.sleep(0.02)
            value = push_stats(self.server)[name]
        return value

    # --- what a push does when the client allows it ---

    def test_promises_before_the_parents_headers_and_pushed_bodies(self):
        r = self.get("/push/page", max_push_id=10)
        port = self.server.quic_port
        self.assertEqual(r.responses[0]["status"], "200")
        self.assertEqual(r.responses[0]["x-push-outcomes"], "promised,promised")
        self.assertEqual(len(r.pushes), 2)
        for path, accept in [("/push/asset/style.css", "text/css,*/*;q=0.1"),
                             ("/push/asset/app.js", "*/*")]:
            push = r.push(path)
            # RFC 9114 §4.6: on the parent stream, before the response that refers to it.
            self.assertIn("before-response", push["flags"])
            self.assertEqual(push["promise"][":method"], "GET")
            self.assertEqual(push["promise"][":scheme"], "https")
            self.assertEqual(push["promise"][":authority"], f"127.0.0.1:{port}")
            self.assertEqual(push["promise"]["accept"], accept)
            # The pushed request ran through the chain and router in its own actor.
            self.assertEqual(push["fields"]["status"], "200")
            self.assertEqual(push["fields"]["x-pushed"], "yes")
            self.assertEqual(push["fields"]["x-mw"], "seen")
            self.assertEqual(push["fields"]["x-accept"], accept)
            name = path.rsplit("/", 1)[1]
            self.assertEqual(self.pushed_body(push), f"asset {name}".encode())
        self.assertLessEqual(max(p["id"] for p in r.pushes), 10)

    def test_a_large_push_is_byte_identical(self):
        # 3 MB: more than the client's stream window (1 MB), so flow control paces the push.
        n = 3 * 1024 * 1024
        r = self.get("/push/big/%d" % n, f"/big/{n}", max_push_id=10)
        push = r.push(f"/big/{n}")
        self.assertEqual(push["fields"]["content-length"], str(n))
        expected = bytes((ord("a") + i % 26) for i in range(n))
        self.assertEqual(self.pushed_body(push), expected)
        # The same resource fetched on the same connection: the same bytes.
        with open(os.path.join(self.dir, "body"), "rb") as f:
            self.assertEqual(f.read(), expected)

    def test_push_ids_never_above_max_push_id(self):
        # MAX_PUSH_ID 0: one push ID, so one of the three pushes is promised.
        r = self.get("/push/many", max_push_id=0)
        self.assertEqual([p["id"] for p in r.pushes], [0])
        outcomes = r.responses[0]["x-push-outcomes"].split(",")
        self.assertEqual(outcomes[0], "promised")
        for o in outcomes[1:]:
            self.assertIn(o, ("concurrency_limit", "push_ids_exhausted"))

    def test_head_push(self):
        r = self.get("/push/head", max_push_id=10)
        (push,) = r.pushes
        self.assertEqual(push["promise"][":method"], "HEAD")
        self.assertEqual(push["fields"]["x-method"], "HEAD")
        self.assertEqual(push["fields"]["length"], 0)

    # --- cancellation ---

    def test_cancel_push_ends_the_pushed_actor_and_the_connection_serves_on(self):
        before = push_stats(self.server)["cancelled"]
        # /push/cancel pushes a slow resource (a 2 s loop handler); the client refuses it with
        # CANCEL_PUSH as soon as it is promised, then asks for /hello on the same connection.
        r = self.get("/push/cancel", "/hello", max_push_id=10, cancel=[0])
        (push,) = r.pushes
        self.assertIn("cancelled", push["flags"])
        self.assertEqual(r.responses[0]["status"], "200")
        self.assertEqual(r.responses[1]["status"], "200")
        with open(os.path.join(self.dir, "body"), "rb") as f:
            self.assertEqual(f.read(), b"Hello world!")
        # The pushed request's actor was stopped as a reset stream (not after its 2 s).
        self.assertEqual(self.wait_push_stat("cancelled", before + 1), before + 1)

    def test_a_pushed_request_answered_404_is_reset_and_counted_failed(self):
        before = push_stats(self.server)
        r = self.get("/push/missing", max_push_id=10)
        (push,) = r.pushes
        self.assertIn("reset", push["flags"])  # the client learned it will not come
        self.assertEqual(r.responses[0]["status"], "200")
        self.assertEqual(self.wait_push_stat("failed", before["failed"] + 1), before["failed"] + 1)
        self.assertEqual(push_stats(self.server)["cancelled"], before["cancelled"])

    # --- no-ops, as on HTTP/2 ---

    def test_no_push_without_max_push_id_hints_instead(self):
        r = self.get("/push/page")
        self.assertEqual(r.pushes, [])
        # Default policy push_or_hint: skipped as no_push_id, hinted in a 103.
        self.assertEqual(r.responses[0]["x-push-outcomes"], "hinted,hinted")

    def test_nested_push_is_skipped(self):
        r = self.get("/push/nested", max_push_id=10)
        (push,) = r.pushes
        self.assertEqual(push["fields"]["x-push-outcomes"], "nested")

    def test_duplicate_resource_is_pushed_once(self):
        r = self.get("/push/dup", max_push_id=10)
        self.assertEqual(len(r.pushes), 1)
        self.assertEqual(r.responses[0]["x-push-outcomes"], "promised,duplicate")

    def test_invalid_arguments_throw_and_nothing_reaches_the_wire(self):
        r = self.get("/push/invalid", max_push_id=10)
        self.assertEqual(r.pushes, [])
        with open(os.path.join(self.dir, "body"), "rb") as f:
            errors = f.read().decode().split("\n")[:-1]
        self.assertEqual(len(errors), 7)
        self.assertIn("method 'POST' cannot be pushed", errors[0])

    def test_push_after_a_103(self):
        r = self.get("/push/inform", max_push_id=10)
        self.assertEqual(r.responses[0]["x-push-outcomes"], "promised")
        (push,) = r.pushes
        # Before or after the 103's HEADERS frame, whichever nghttp3 had written: never inside.
        self.assertEqual(push["fields"]["status"], "200")


if __name__ == "__main__":
    main()
