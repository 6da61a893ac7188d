"""Live-test harness: start a Rodeo server on ephemeral ports, run real clients against it,
stop it. Every server and client is bounded in time; the server is stopped by the test that
started it, and a graceful stop (exit code 0 after SIGTERM) is part of every test."""

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import unittest

_BUILD = os.environ.get("RODEO_BUILD_DIR",
                        os.path.join(os.path.dirname(__file__), "..", "..", "build", "default"))
TEST_SERVER = os.environ.get("RODEO_TEST_SERVER",
                             os.path.join(_BUILD, "tests", "live", "rodeo_test_server"))
DEMO = os.environ.get("RODEO_DEMO", os.path.join(_BUILD, "apps", "demo", "rodeo_demo"))
SANITIZED = "ASAN_OPTIONS" in os.environ
# Sanitized builds are several times slower: scale the time limits of client runs.
SLOW = 4 if SANITIZED else 1


def bounded_quarantine_env():
    """The environment for a server whose memory a test measures. AddressSanitizer keeps freed
    memory in a quarantine (256 MiB by default) to catch use after free; a server that streams
    300 MB through short-lived buffers fills it, and its RSS says nothing about what the server
    holds. A small quarantine keeps the check meaningful under the sanitizers."""
    env = dict(os.environ)
    if SANITIZED:
        env["ASAN_OPTIONS"] = env["ASAN_OPTIONS"] + ":quarantine_size_mb=8"
    return env



class ServerCase(unittest.TestCase):
    """A test class whose tests share one server, started with `server_args`."""

    server_args = ()

    @classmethod
    def setUpClass(cls):
        cls.server = Server(args=list(cls.server_args)).__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.server.__exit__(None, None, None)


class Server:
    """A server process; `with Server(...) as s:` gives s.port and s.tls_port."""

    def __init__(self, binary=None, args=(), ready=r"ports (\d+) (\d+)", env=None):
        self.binary = binary or TEST_SERVER
        self.env = env
        self.args = list(args)
        self.ready = re.compile(ready)
        self.proc = None
        self.port = self.tls_port = None
        self.quic_port = 0
        self.exit_code = None

    def __enter__(self):
        self.proc = subprocess.Popen([self.binary] + self.args, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, env=self.env)
        deadline = time.time() + 20 * SLOW
        ports = []
        while time.time() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                raise RuntimeError("server exited early: " + self.proc.stderr.read())
            m = self.ready.search(line)
            if m:
                ports = [int(g) for g in m.groups()]
                mq = re.search(r"quic (\d+)", line)
                self.quic_port = int(mq.group(1)) if mq else 0
                if len(ports) == 1:
                    # demo style: one line per port
                    line2 = self.proc.stdout.readline()
                    m2 = self.ready.search(line2)
                    ports.append(int(m2.group(1)) if m2 else 0)
                break
        if not ports:
            self.proc.kill()
            raise RuntimeError("server did not report its ports")
        self.port, self.tls_port = ports[0], ports[1]
        # Drain both pipes so a chatty server never blocks on a full pipe.
        self.out_lines, self.err_lines = [], []
        self.readers = [threading.Thread(target=self._drain, args=(self.proc.stdout, self.out_lines),
                                         daemon=True),
                        threading.Thread(target=self._drain, args=(self.proc.stderr, self.err_lines),
                                         daemon=True)]
        for t in self.readers:
            t.start()
        return self

    @staticmethod
    def _drain(pipe, sink):
        for line in pipe:
            sink.append(line)

    def stop(self, timeout=15):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            self.exit_code = self.proc.wait(timeout=timeout * SLOW)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError("server did not stop within the graceful-stop deadline")
        for t in self.readers:
            t.join(timeout=5)
        self.proc.stdout.close()
        self.proc.stderr.close()
        self.stdout = "".join(self.out_lines)
        self.stderr = "".join(self.err_lines)
        return self.exit_code

    def __exit__(self, *exc):
        code = self.stop()
        if exc[0] is None and code != 0:
            raise AssertionError(f"server exited with {code}: {self.stderr[-2000:]}")
        if exc[0] is None and SANITIZED and ("runtime error:" in self.stderr or
                                            "AddressSanitizer" in self.stderr):
            raise AssertionError("sanitizer report:\n" + self.stderr[-4000:])
        return False

    def url(self, path="/", tls=False):
        if tls:
            return f"https://127.0.0.1:{self.tls_port}{path}"
        return f"http://127.0.0.1:{self.port}{path}"


def run(cmd, timeout=30, input=None, check=False):
    """Runs a client command; returns CompletedProcess with text output."""
    p = subprocess.run(cmd, capture_output=True, text=True, errors="replace", timeout=timeout * SLOW,
                       input=input)
    if check and p.returncode != 0:
        raise AssertionError(f"{cmd} exited {p.returncode}: {p.stderr}")
    return p


def curl(*args, timeout=30):
    return run(["curl", "-sS", "--max-time", str(timeout * SLOW)] + list(args), timeout=timeout + 5)


def parse_response(text):
    """`curl -i` output -> (status, lowercase fields of the response, body)."""
    head, _, body = text.replace("\r\n", "\n").partition("\n\n")
    lines = head.split("\n")
    fields = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        fields[name.strip().lower()] = value.strip()
    return int(lines[0].split()[1]), fields, body


def raw(port, data, read_until_close=True, timeout=5):
    """Sends raw bytes over TCP and returns everything read until the peer closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout * SLOW) as s:
        s.sendall(data)
        chunks = []
        try:
            while True:
                b = s.recv(65536)
                if not b:
                    break
                chunks.append(b)
                if not read_until_close:
                    break
        except socket.timeout:
            pass
        return b"".join(chunks)


def stats(server):
    """The test server's handler counters."""
    import json
    return json.loads(curl(server.url("/stats")).stdout)["counters"]


def wait_stat(server, name, at_least, timeout=5):
    """Waits (bounded by timeout * SLOW) until the test server's counter `name` reaches
    `at_least`; returns its last value, for the caller to assert on."""
    deadline = time.time() + timeout * SLOW
    value = stats(server).get(name, 0)
    while value < at_least and time.time() < deadline:
        time.sleep(0.02)
        value = stats(server).get(name, 0)
    return value


def push_stats(server):
    """The listener's push funnel."""
    import json
    return json.loads(curl(server.url("/stats")).stdout)["push"]


def main():
    unittest.main(verbosity=2)
