"""The control client: a well-behaved user beside the attacker. Two threads, each asking for
the control resource every `period` seconds: HTTP/1.1 on a fresh connection each time, and
h2c on one persistent connection (reopened after a failure). Success = the right status and
body within `timeout` seconds."""

import socket
import threading
import time

import h2.config
import h2.connection
import h2.events


class Result:
    __slots__ = ("t", "proto", "ok", "latency", "error")

    def __init__(self, t, proto, ok, latency, error=""):
        self.t, self.proto, self.ok, self.latency, self.error = t, proto, ok, latency, error


def http1_get(port, path, body, timeout):
    """One GET on a fresh connection; returns an error string or "" on success."""
    deadline = time.monotonic() + timeout
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while time.monotonic() < deadline:
            s.settimeout(max(0.01, deadline - time.monotonic()))
            b = s.recv(65536)
            if not b:
                break
            data += b
            head, sep, rest = data.partition(b"\r\n\r\n")
            if sep and rest.endswith(body):
                break
    if not data.startswith(b"HTTP/1.1 200"):
        return "status " + (data[9:12].decode(errors="replace") or "none")
    if not data.endswith(body):
        return "body"
    return ""


class H2Control:
    """One persistent h2c connection asking for `path` again and again."""

    def __init__(self, port, path, body, timeout):
        self.port, self.path, self.body, self.timeout = port, path, body, timeout
        self.sock = self.conn = None

    def close(self):
        if self.sock:
            self.sock.close()
        self.sock = self.conn = None

    def _open(self):
        self.sock = socket.create_connection(("127.0.0.1", self.port), timeout=self.timeout)
        self.conn = h2.connection.H2Connection(
            h2.config.H2Configuration(client_side=True, header_encoding="utf-8"))
        self.conn.initiate_connection()
        self.sock.sendall(self.conn.data_to_send())

    def get(self):
        try:
            if not self.sock:
                self._open()
            return self._get()
        except (OSError, h2.exceptions.ProtocolError) as e:
            self.close()
            return type(e).__name__
        except Exception as e:  # a confused connection: start over, report the failure
            self.close()
            return "error " + type(e).__name__

    def _get(self):
        deadline = time.monotonic() + self.timeout
        sid = self.conn.get_next_available_stream_id()
        self.conn.send_headers(sid, [(":method", "GET"), (":path", self.path),
                                     (":scheme", "http"), (":authority", "127.0.0.1")],
                               end_stream=True)
        self.sock.sendall(self.conn.data_to_send())
        status, data = None, b""
        while time.monotonic() < deadline:
            self.sock.settimeout(max(0.01, deadline - time.monotonic()))
            b = self.sock.recv(65536)
            if not b:
                self.close()
                return "closed"
            for ev in self.conn.receive_data(b):
                if isinstance(ev, h2.events.ResponseReceived) and ev.stream_id == sid:
                    status = dict(ev.headers).get(":status")
                elif isinstance(ev, h2.events.DataReceived):
                    self.conn.acknowledge_received_data(ev.flow_controlled_length, ev.stream_id)
                    if ev.stream_id == sid:
                        data += ev.data
                elif isinstance(ev, h2.events.StreamReset) and ev.stream_id == sid:
                    self.sock.sendall(self.conn.data_to_send())
                    return f"reset {ev.error_code}"
                elif isinstance(ev, h2.events.ConnectionTerminated):
                    self.close()
                    return "GOAWAY"
                elif isinstance(ev, h2.events.StreamEnded) and ev.stream_id == sid:
                    self.sock.sendall(self.conn.data_to_send())
                    if status != "200":
                        return f"status {status}"
                    return "" if data == self.body else "body"
            self.sock.sendall(self.conn.data_to_send())
        self.close()
        return "timeout"


class Control:
    """Runs both control clients until stop(); results() holds every request."""

    def __init__(self, port, path, body, timeout=2.0, period=0.1):
        self.port, self.path, self.body = port, path, body
        self.timeout, self.period = timeout, period
        self._results = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = []
        self.h2 = H2Control(port, path, body, timeout)

    def _record(self, proto, fn):
        t0 = time.monotonic()
        try:
            err = fn()
        except OSError as e:
            err = type(e).__name__
        dt = time.monotonic() - t0
        with self._lock:
            self._results.append(Result(t0, proto, not err, dt, err))
        return not err

    def once(self):
        """One request of each kind, now; True if both succeeded."""
        a = self._record("h1", lambda: http1_get(self.port, self.path, self.body, self.timeout))
        b = self._record("h2c", self.h2.get)
        return a and b

    def _loop(self, proto, fn):
        while not self._stop.is_set():
            t0 = time.monotonic()
            self._record(proto, fn)
            self._stop.wait(max(0.0, self.period - (time.monotonic() - t0)))

    def start(self):
        self._stop.clear()
        self._threads = [
            threading.Thread(target=self._loop, daemon=True, args=(
                "h1", lambda: http1_get(self.port, self.path, self.body, self.timeout))),
            threading.Thread(target=self._loop, daemon=True, args=("h2c", self.h2.get))]
        for t in self._threads:
            t.start()

    def stop(self):
        self._stop.set()
        for t in self._threads:
            t.join(timeout=self.timeout + 5)

    def results(self, t0=None, t1=None):
        with self._lock:
            return [r for r in self._results
                    if (t0 is None or r.t >= t0) and (t1 is None or r.t <= t1)]

    def close(self):
        self.h2.close()
