"""/metrics on the demo: the push funnel, requests and durations after known requests, parsed
by prometheus_client's text-format parser (Debian python3-prometheus-client); the access log's
push outcomes; and a real scrape by Debian's prometheus, read back through its query API."""

import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import unittest
import urllib.parse
import urllib.request

import h2.events
import h2.settings
from prometheus_client.parser import text_string_to_metric_families

from harness import Server, curl, main, DEMO, SLOW
from push_test import Client

BIG = 512 * 1024  # larger than the client's window: its push stalls mid-body
WINDOW = 8192


def site(root):
    """A --root site whose / pushes a small stylesheet and a big file."""
    with open(os.path.join(root, "index.html"), "w") as f:
        f.write("<!doctype html><title>m</title><link rel=stylesheet href=/a.css>\n")
    with open(os.path.join(root, "a.css"), "w") as f:
        f.write("body { color: red }\n" * 10)
    with open(os.path.join(root, "big.bin"), "wb") as f:
        f.write(b"x" * BIG)
    with open(os.path.join(root, "push.map"), "w") as f:
        f.write("/: /a.css /big.bin\n")


class HoldingClient(Client):
    """Acknowledges no DATA of the streams in `hold`: their flow-control window stays shut."""

    hold = set()

    def on_event(self, e):
        if isinstance(e, h2.events.DataReceived) and e.stream_id in self.hold:
            self.data[e.stream_id] = self.data.get(e.stream_id, b"") + e.data
            self.frames.append(("data", e.stream_id))
            return
        super().on_event(e)


def families(text):
    """{sample name with sorted labels: value} from the Prometheus text."""
    out = {}
    for fam in text_string_to_metric_families(text):
        for s in fam.samples:
            labels = ",".join(f"{k}={v}" for k, v in sorted(s.labels.items()))
            out[s.name + ("{" + labels + "}" if labels else "")] = s.value
    return out


class Metrics(unittest.TestCase):
    def setUp(self):
        self.root = tempfile.mkdtemp(prefix="rodeo-metrics-")
        site(self.root)
        self.scrapes = 0

    def tearDown(self):
        shutil.rmtree(self.root, ignore_errors=True)

    def scrape(self, server):
        """GET /metrics over HTTP/1.1 (each scrape is itself a counted 2xx request)."""
        p = curl("-i", "--http1.1", server.url("/metrics"))
        self.scrapes += 1
        head, _, body = p.stdout.partition("\n\n")  # text mode: CRLF reads as LF
        self.assertIn("content-type: text/plain; version=0.0.4; charset=utf-8", head.lower())
        return families(body)

    def wait_for(self, server, name, value):
        deadline = time.time() + 10 * SLOW
        m = self.scrape(server)
        while m.get(name) != value and time.time() < deadline:
            time.sleep(0.05)
            m = self.scrape(server)
        return m

    def test_counters_match_the_requests_made(self):
        with Server(DEMO, ["--port", "0", "--tls-port", "0", "--root", self.root],
                    ready=r":(\d+)/") as s:
            # h2c: / pushes a.css (completed) and big.bin, which the client cancels mid-body.
            c = HoldingClient(s.port, settings={h2.settings.SettingCodes.INITIAL_WINDOW_SIZE:
                                                WINDOW})
            c.get(1, "/")
            c.pump(lambda: len(c.promises) == 2 and 1 in c.ended)
            self.assertEqual(sorted(h["path"] if "path" in h else h[":path"]
                                    for _, _, h in c.promises), ["/a.css", "/big.bin"])
            big = next(p for _, p, h in c.promises if h[":path"] == "/big.bin")
            small = next(p for _, p, h in c.promises if h[":path"] == "/a.css")
            c.hold = {big}
            c.pump(lambda: small in c.ended and len(c.data.get(big, b"")) > 0)
            got = len(c.data.get(big, b""))
            self.assertGreater(got, 0)
            self.assertLess(got, BIG)  # mid-body
            c.c.reset_stream(big, error_code=8)  # CANCEL
            c.s.sendall(c.c.data_to_send())
            m = self.wait_for(s, "rodeo_push_cancelled_total", 1.0)
            c.close()
            # HTTP/1.1: / skips both pushes (http1); an asset; a 404.
            self.assertEqual(curl("--http1.1", "-o", "/dev/null", "-w", "%{http_code}",
                                  s.url("/")).stdout, "200")
            curl("--http1.1", "-o", "/dev/null", s.url("/a.css"))
            self.assertEqual(curl("--http1.1", "-o", "/dev/null", "-w", "%{http_code}",
                                  s.url("/nope")).stdout, "404")
            # The last request's end is counted after its response: wait for it.
            m = self.wait_for(s, "rodeo_requests_total{code=4xx,protocol=http/1.1}", 1.0)
            scrapes_before = self.scrapes - 1  # the scrape that returned m is not counted yet
            s.stop()
            log = s.stdout

        self.assertEqual(m["rodeo_push_requested_total"], 4)
        self.assertEqual(m["rodeo_push_promised_total"], 2)
        self.assertEqual(m["rodeo_push_completed_total"], 1)
        self.assertEqual(m["rodeo_push_cancelled_total"], 1)
        self.assertEqual(m["rodeo_push_skipped_total{reason=http1}"], 2)
        self.assertEqual(m["rodeo_push_hinted_total"], 0)
        self.assertEqual(m["rodeo_push_failed_total"], 0)
        skipped = sum(v for k, v in m.items() if k.startswith("rodeo_push_skipped_total"))
        self.assertEqual(m["rodeo_push_requested_total"],
                         m["rodeo_push_promised_total"] + skipped)
        wasted = m["rodeo_push_wasted_bytes_total"]
        self.assertGreaterEqual(wasted, got)  # at least what the client received of big.bin
        self.assertLess(wasted, BIG)
        self.assertEqual(m["rodeo_push_body_bytes_total"], 200 + wasted)
        self.assertEqual(m["rodeo_requests_total{code=2xx,protocol=h2c}"], 1)
        self.assertEqual(m["rodeo_requests_total{code=2xx,protocol=http/1.1}"], 2 + scrapes_before)
        self.assertEqual(m["rodeo_requests_total{code=4xx,protocol=http/1.1}"], 1)
        self.assertEqual(m["rodeo_requests_total{code=2xx,protocol=h2}"], 0)
        h2c = {k: v for k, v in m.items()
               if k.startswith("rodeo_request_duration_seconds_bucket{") and "h2c" in k}
        self.assertEqual(len(h2c), 12)
        self.assertEqual(h2c["rodeo_request_duration_seconds_bucket{le=+Inf,protocol=h2c}"], 1)
        self.assertEqual(m["rodeo_request_duration_seconds_count{protocol=h2c}"], 1)
        self.assertGreater(m["rodeo_request_duration_seconds_sum{protocol=h2c}"], 0)
        # The access log: each page's push outcomes; the cancelled push says reset.
        self.assertRegex(log, r'"GET /" 200 \d+ \d+us h2c stream=1 '
                              r'push=promised:2,hinted:0,skipped:0\n')
        self.assertRegex(log, r'"GET /" 200 \d+ \d+us http/1.1 stream=1 '
                              r'push=promised:0,hinted:0,skipped:2\n')
        self.assertRegex(log, r'"GET /big.bin" 200 \d+ \d+us h2c stream=\d+ pushed reset\n')

    def test_get_and_head_only_and_never_cached(self):
        with Server(DEMO, ["--port", "0", "--tls-port", "0", "--quiet", "--root", self.root],
                    ready=r":(\d+)/") as s:
            p = curl("-i", "-X", "POST", s.url("/metrics"))
            self.assertRegex(p.stdout, r"^HTTP/1.1 405 ")
            self.assertIn("allow: get, head", p.stdout.lower())
            p = curl("-sI", "--http2-prior-knowledge", s.url("/metrics"))
            self.assertRegex(p.stdout, r"^HTTP/2 200")
            self.assertIn("cache-control: no-store", p.stdout)
            self.assertIn("content-type: text/plain; version=0.0.4; charset=utf-8", p.stdout)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


PROMETHEUS = shutil.which("prometheus")


class RealScrape(unittest.TestCase):
    def test_prometheus_scrapes_the_demo_and_reads_a_push_counter_back(self):
        if not PROMETHEUS:
            if os.environ.get("CI") == "true":
                self.fail("prometheus is missing (Debian package prometheus)")
            self.skipTest("prometheus is not installed (Debian package prometheus)")
        data = tempfile.mkdtemp(prefix="rodeo-prometheus-")
        try:
            with Server(DEMO, ["--port", "0", "--tls-port", "0", "--quiet"],
                        ready=r":(\d+)/") as s:
                # The built-in page pushes its four assets over h2c.
                c = Client(s.port)
                c.get(1, "/")
                c.pump(c.all_done)
                c.close()
                self.assertEqual(len(c.promises), 4)
                config = os.path.join(data, "prometheus.yml")
                with open(config, "w") as f:
                    f.write("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
                            "scrape_configs:\n  - job_name: rodeo\n"
                            "    metrics_path: /metrics\n"
                            f"    static_configs:\n      - targets: ['127.0.0.1:{s.port}']\n")
                web = free_port()
                prom = subprocess.Popen(
                    [PROMETHEUS, "--config.file=" + config,
                     "--storage.tsdb.path=" + os.path.join(data, "tsdb"),
                     f"--web.listen-address=127.0.0.1:{web}"],
                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                self.addCleanup(prom.stderr.close)
                try:
                    query = urllib.parse.urlencode(
                        {"query": 'rodeo_push_promised_total{job="rodeo"}'})
                    url = f"http://127.0.0.1:{web}/api/v1/query?{query}"
                    result, deadline = [], time.time() + 60 * SLOW
                    while not result and time.time() < deadline and prom.poll() is None:
                        try:
                            with urllib.request.urlopen(url, timeout=5) as r:
                                result = json.load(r)["data"]["result"]
                        except OSError:
                            pass  # not listening yet
                        if not result:
                            time.sleep(0.2)
                    self.assertTrue(result, "no scrape within the time limit: " +
                                    ("" if prom.poll() is None else prom.stderr.read()[-2000:]))
                    self.assertEqual(result[0]["metric"]["instance"], f"127.0.0.1:{s.port}")
                    self.assertEqual(result[0]["value"][1], "4")
                finally:
                    prom.terminate()
                    try:
                        prom.wait(timeout=30)
                    except subprocess.TimeoutExpired:
                        prom.kill()
                        prom.wait()
        finally:
            shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
