"""Error pages and response fields, with curl over HTTP/1.1 and HTTP/2 (TLS and h2c): a JSON
API's error page renders the framework's 404, 400 (bad_request) and 500 (a crash); the
x-request-id a middleware set survives on all of them; HTTP/2 responses carry `date`
(RFC 9110 §6.6.1) and the listener's `server` field as HTTP/1.1 ones do."""

import json
import re
import unittest

from harness import ServerCase, curl, main, parse_response

PROTOCOLS = {
    "HTTP/1.1": ["--http1.1"],
    "HTTP/2": ["--http2-prior-knowledge"],
}


def fetch(server, path, protocol):
    """(status, lowercase headers of the final response, body)."""
    return parse_response(curl("-i", *PROTOCOLS[protocol], server.url(path)).stdout)


class JsonErrorPages(ServerCase):
    server_args = ["--error-page", "json", "--request-id-header", "on", "--server-header",
                   "rodeo-test"]

    def check_json_error(self, path, status):
        for protocol in PROTOCOLS:
            with self.subTest(protocol=protocol, path=path):
                got, fields, body = fetch(self.server, path, protocol)
                self.assertEqual(got, status)
                self.assertEqual(fields.get("content-type"), "application/json")
                self.assertEqual(json.loads(body), {"error": status, "protocol": protocol})
                self.assertTrue(fields.get("x-request-id", "").startswith("rid-"), fields)

    def test_router_404_is_json(self):
        self.check_json_error("/no/such/route", 404)

    def test_bad_request_400_is_json(self):
        self.check_json_error("/qs?n=notanumber", 400)

    def test_crash_500_is_json_and_keeps_middleware_headers(self):
        self.check_json_error("/crash", 500)

    def test_date_and_server_on_both_protocols(self):
        for protocol in PROTOCOLS:
            with self.subTest(protocol=protocol):
                status, fields, _ = fetch(self.server, "/hello", protocol)
                self.assertEqual(status, 200)
                self.assertRegex(fields.get("date", ""),
                                 r"^[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT$")
                self.assertEqual(fields.get("server"), "rodeo-test")


class DefaultFields(ServerCase):
    server_args = ["--request-id-header", "on"]

    def test_no_server_field_by_default_and_text_errors(self):
        for protocol in PROTOCOLS:
            with self.subTest(protocol=protocol):
                status, fields, body = fetch(self.server, "/crash", protocol)
                self.assertEqual(status, 500)
                self.assertNotIn("server", fields)
                self.assertIn("date", fields)
                self.assertEqual(body, "Internal Server Error\n")
                self.assertTrue(fields.get("x-request-id", "").startswith("rid-"), fields)


if __name__ == "__main__":
    main()
