"""The demo's REST resource (/notes, a rodeo::rest_handler) with curl over HTTP/1.1 and h2c
(prior knowledge): content negotiation (406, vary), conditional GET and PUT (304, 412), 405
with allow, 415, POST 201 with location, DELETE 204 then 410; and nghttp receiving the style
sheet the HTML form pushes.

Answers given before the request body is read (412, 415, 405 to a PUT) come with
RST_STREAM(NO_ERROR) on h2c, as RFC 9113 §8.1 allows; curl 7.88 then sometimes drops the
response it already has (exit 92, curl/curl#22984), so those go through Python h2 on h2c."""

import json
import unittest

from harness import Server, ServerCase, curl, run, main, parse_response, DEMO
from push_test import Client

PROTOCOLS = {"http1": "--http1.1", "h2c": "--http2-prior-knowledge"}


class Notes(ServerCase):

    @classmethod
    def setUpClass(cls):
        cls.server = Server(DEMO, ["--port", "0", "--tls-port", "0", "--quiet"],
                            ready=r":(\d+)/").__enter__()

    def call(self, proto, method, path, headers=(), body=None):
        """(status, lowercase headers, body) of one curl request."""
        args = [PROTOCOLS[proto], "-i", "-X", method]
        for h in headers:
            args += ["-H", h]
        if body is not None:
            args += ["--data-binary", body]
        p = curl(*args, self.server.url(path))
        self.assertEqual(p.returncode, 0, p.stderr)
        return parse_response(p.stdout)

    def early(self, proto, method, path, headers, body):
        """(status, lowercase headers) of a request answered before its body is read."""
        if proto == "http1":
            return self.call(proto, method, path, headers, body)[:2]
        c = Client(self.server.port)
        try:
            fields = [(":method", method), (":scheme", "http"),
                      (":authority", f"127.0.0.1:{self.server.port}"), (":path", path)]
            fields += [tuple(p.strip().lower() for p in h.split(":", 1)) for h in headers]
            c.c.send_headers(1, fields)
            c.c.send_data(1, body.encode(), end_stream=True)
            c.s.sendall(c.c.data_to_send())
            c.pump(lambda: 1 in c.ended)
            self.assertIn(1, c.ended)
            self.assertEqual(c.resets.get(1, 0), 0)  # none, or NO_ERROR
            fields = dict(c.headers[1])
            return int(fields.pop(":status")), fields
        finally:
            c.s.close()

    def test_a_note_lifecycle_over_each_protocol(self):
        for proto in PROTOCOLS:
            with self.subTest(proto=proto):
                path = f"/notes/{proto}"
                json_put = ["content-type: application/json"]
                status, f, _ = self.call(proto, "PUT", path, json_put, '{"text":"first"}')
                self.assertEqual(status, 201)
                etag = f["etag"]

                status, f, body = self.call(proto, "GET", path, ["accept: application/json"])
                self.assertEqual((status, f["content-type"], f["etag"]), (200, "application/json", etag))
                self.assertEqual(json.loads(body), {"id": proto, "text": "first"})
                self.assertEqual(f["vary"], "accept")
                status, f, body = self.call(proto, "GET", path, ["accept: text/plain"])
                self.assertEqual((status, f["content-type"], body), (200, "text/plain", "first\n"))
                status, f, _ = self.call(proto, "GET", path, ["accept: image/png"])
                self.assertEqual(status, 406)

                # Conditional GET: the client's copy is current.
                status, f, body = self.call(proto, "GET", path, [f"if-none-match: {etag}"])
                self.assertEqual((status, body, f["etag"]), (304, "", etag))
                status, _, _ = self.call(proto, "HEAD", path, [f"if-none-match: {etag}"])
                self.assertEqual(status, 304)

                # Conditional PUT: a stale If-Match loses, the current one wins.
                text = ["content-type: text/plain"]
                status, _ = self.early(proto, "PUT", path, text + ['if-match: "v0"'], "lost")
                self.assertEqual(status, 412)
                status, f, _ = self.call(proto, "PUT", path, text + [f"if-match: {etag}"], "second")
                self.assertEqual(status, 204)
                self.assertNotEqual(f["etag"], etag)
                status, _, body = self.call(proto, "GET", path, ["accept: text/plain"])
                self.assertEqual((status, body), (200, "second\n"))
                status, _, _ = self.call(proto, "GET", path, [f"if-none-match: {etag}"])
                self.assertEqual(status, 200)

                status, _ = self.early(proto, "PUT", path, ["content-type: image/png"], "x")
                self.assertEqual(status, 415)
                status, _, _ = self.call(proto, "PUT", path, json_put, "not json")
                self.assertEqual(status, 400)
                status, f, _ = self.call(proto, "PATCH", path)
                self.assertEqual((status, f["allow"]), (405, "GET, HEAD, PUT, DELETE, OPTIONS"))
                status, f, _ = self.call(proto, "OPTIONS", path)
                self.assertEqual((status, f["allow"]), (200, "GET, HEAD, PUT, DELETE, OPTIONS"))

                status, _, _ = self.call(proto, "DELETE", path)
                self.assertEqual(status, 204)
                status, _, _ = self.call(proto, "GET", path)
                self.assertEqual(status, 410)
                status, _, _ = self.call(proto, "DELETE", "/notes/never")
                self.assertEqual(status, 404)

    def test_post_to_the_collection_creates(self):
        for proto in PROTOCOLS:
            with self.subTest(proto=proto):
                status, f, _ = self.call(proto, "POST", "/notes", ["content-type: text/plain"],
                                         f"posted over {proto}")
                self.assertEqual(status, 201)
                self.assertRegex(f["location"], r"^/notes/\d+$")
                status, _, body = self.call(proto, "GET", f["location"], ["accept: text/plain"])
                self.assertEqual((status, body), (200, f"posted over {proto}\n"))
                status, _, body = self.call(proto, "GET", "/notes", ["accept: application/json"])
                self.assertIn({"id": f["location"].rsplit("/", 1)[1], "text": f"posted over {proto}"},
                              json.loads(body))
                status, f = self.early(proto, "PUT", "/notes", ["content-type: text/plain"], "x")
                self.assertEqual((status, f["allow"]), (405, "GET, HEAD, POST, OPTIONS"))

    def test_the_html_form_pushes_its_style_sheet(self):
        p = run(["nghttp", "-nv", "-H", "accept: text/html", self.server.url("/notes")],
                timeout=20)
        self.assertEqual(p.returncode, 0, p.stderr)
        out = p.stdout
        promise = out.find("recv PUSH_PROMISE frame")
        status = out.find(":status: 200")
        self.assertGreater(promise, 0, out)
        self.assertIn(":path: /static/style.css", out)
        self.assertLess(promise, status)  # the promise comes before the page's HEADERS


if __name__ == "__main__":
    main()
