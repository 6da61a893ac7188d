"""Timeouts and bounded output against hostile or broken peers: a client that never reads
(send timeout, HTTP/2 flow control held at zero), memory under many non-reading streams,
slowloris on request heads and the HTTP/2 preface, stalled request bodies, empty lines before
a request line, and a slow but steady reader that must not be cut.

Every wait is for an event (the socket closed, a status read, a counter in /stats) with an
upper bound several times the timeout; nothing is proven by sleeping."""

import os
import select
import socket
import tempfile
import time
import unittest

import h2.config
import h2.connection
import h2.errors
import h2.events
import h2.settings

from harness import Server, curl, stats, main, SLOW, bounded_quarantine_env, _BUILD

FILE_SERVER = os.environ.get("RODEO_FILE_SERVER",
                             os.path.join(_BUILD, "apps", "file_server", "rodeo_file_server"))

# The timeouts the tests give the server, and how long a test waits for their effect.
TIMEOUT_MS = 1000
BOUND = 10 * SLOW  # seconds: far above TIMEOUT_MS plus a tick, even on a sanitized server


def wait_for(predicate, bound=BOUND, step=0.05):
    """Polls `predicate` until it returns true or `bound` seconds pass; returns its value."""
    deadline = time.time() + bound
    while True:
        v = predicate()
        if v or time.time() > deadline:
            return v
        time.sleep(step)


def small_socket(port, rcvbuf=4096):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)  # before connect: a small window
    s.settimeout(BOUND)
    s.connect(("127.0.0.1", port))
    return s


def read_to_close(s, limit=256 * 1024 * 1024, bound=BOUND):
    """Reads until the peer closes (EOF or reset); returns the bytes, or None if more than
    `limit` bytes came or `bound` seconds passed (the peer kept the connection)."""
    data = bytearray()
    deadline = time.time() + bound
    s.settimeout(0.5)
    while time.time() < deadline and len(data) <= limit:
        try:
            b = s.recv(1 << 20)
        except socket.timeout:
            continue
        except (ConnectionResetError, BrokenPipeError):
            return bytes(data)
        if not b:
            return bytes(data)
        data += b
    return None


def drip(s, payload, every=0.2, bound=BOUND):
    """Sends `payload` one byte every `every` seconds, watching for the server's answer in
    between; returns (bytes sent, what the server said) once it closed, or None if it was
    still open after `bound` seconds."""
    answer = bytearray()
    sent = 0
    deadline = time.time() + bound
    while time.time() < deadline:
        ready, _, _ = select.select([s], [], [], every)
        if ready:
            try:
                b = s.recv(65536)
            except (ConnectionResetError, BrokenPipeError):
                return sent, bytes(answer)
            if not b:
                return sent, bytes(answer)
            answer += b
            continue
        try:
            s.send(payload[sent % len(payload):sent % len(payload) + 1])
            sent += 1
        except (ConnectionResetError, BrokenPipeError):
            return sent, bytes(answer) + (read_to_close(s, bound=2 * SLOW) or b"")
    return None


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def h2_client(settings=None):
    c = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True))
    c.initiate_connection()
    if settings:
        c.update_settings(settings)
    return c


def h2_get(c, sid, path, port):
    c.send_headers(sid, [(":method", "GET"), (":scheme", "http"),
                         (":authority", f"127.0.0.1:{port}"), (":path", path)], end_stream=True)


def h2_events_until(s, c, until, bound=BOUND):
    """Reads and hands events to `until` until it returns true; returns (events, closed)."""
    events = []
    deadline = time.time() + bound
    s.settimeout(0.5)
    while time.time() < deadline:
        try:
            data = s.recv(65536)
        except socket.timeout:
            continue
        except ConnectionResetError:
            return events, True
        if not data:
            return events, True
        events += c.receive_data(data)
        done = until(events)  # may queue frames too (WINDOW_UPDATE)
        out = c.data_to_send()
        if out:
            try:
                s.sendall(out)
            except (ConnectionResetError, BrokenPipeError):
                return events, True
        if done:
            return events, False
    return events, False


def server_args(**ms):
    args = []
    for k, v in ms.items():
        args += ["--" + k.replace("_", "-"), str(v)]
    return args


class SendTimeout(unittest.TestCase):
    """A peer that stops reading is disconnected; one that reads slowly is not."""

    def test_http1_client_that_never_reads_is_disconnected(self):
        with Server(args=server_args(send_timeout_ms=TIMEOUT_MS)) as srv:
            s = small_socket(srv.port)
            s.sendall(b"GET /firehose/16 HTTP/1.1\r\nHost: a\r\n\r\n")
            # The request actor ends when the connection goes (terminate(reset)).
            self.assertTrue(wait_for(lambda: stats(srv).get("firehose_terminate_reset") == 1),
                            f"the connection was not closed within {BOUND} s: {stats(srv)}")
            # Reading now: what was in flight, then the close (a kept connection would
            # stream forever and hit the limit instead).
            self.assertIsNotNone(read_to_close(s, limit=64 * 1024 * 1024))
            s.close()

    def test_slow_but_steady_reader_is_not_cut(self):
        # Larger than the kernel's socket buffers (4 MB at most here), so that the server
        # writes for seconds; read at about 2.5 MB/s.
        size = 12_000_000
        # The response is handed to the connection at once, so no stream is open while it is
        # written: the idle timeout must not count a connection that is still writing.
        with Server(args=server_args(send_timeout_ms=TIMEOUT_MS, idle_ms=500,
                                     linger_ms=500)) as srv:
            s = small_socket(srv.port, rcvbuf=256 * 1024)
            s.sendall(f"GET /big/{size} HTTP/1.1\r\nHost: a\r\n\r\n".encode())
            data = bytearray()
            deadline = time.time() + 60 * SLOW
            expected = None
            while time.time() < deadline and (expected is None or len(data) < expected):
                b = s.recv(256 * 1024)
                if not b:
                    break
                data += b
                if expected is None and b"\r\n\r\n" in data:
                    expected = data.index(b"\r\n\r\n") + 4 + size
                time.sleep(0.1)  # the reader's pace
            s.close()
            head, _, body = bytes(data).partition(b"\r\n\r\n")
            self.assertTrue(head.startswith(b"HTTP/1.1 200"), head[:100])
            self.assertEqual(len(body), size)

    def test_http2_stream_held_by_a_zero_window_is_reset_and_others_are_served(self):
        with Server(args=server_args(send_timeout_ms=TIMEOUT_MS)) as srv:
            s = socket.create_connection(("127.0.0.1", srv.port), timeout=BOUND)
            c = h2_client({h2.settings.SettingCodes.INITIAL_WINDOW_SIZE: 0})
            h2_get(c, 1, "/firehose/16", srv.port)
            s.sendall(c.data_to_send())
            # A control client on another connection is served meanwhile.
            r = curl("--http2-prior-knowledge", srv.url("/big/1000"))
            self.assertEqual(len(r.stdout), 1000)
            events, closed = h2_events_until(
                s, c, lambda ev: any(isinstance(e, h2.events.StreamReset) for e in ev))
            resets = [e for e in events if isinstance(e, h2.events.StreamReset)]
            self.assertEqual(len(resets), 1, f"no RST_STREAM within {BOUND} s (closed={closed})")
            self.assertEqual(resets[0].stream_id, 1)
            self.assertEqual(resets[0].error_code, h2.errors.ErrorCodes.CANCEL)
            self.assertTrue(wait_for(lambda: stats(srv).get("firehose_terminate_reset") == 1))
            s.close()

    def test_http2_connection_window_held_at_zero_closes_the_connection(self):
        with Server(args=server_args(send_timeout_ms=TIMEOUT_MS)) as srv:
            s = socket.create_connection(("127.0.0.1", srv.port), timeout=BOUND)
            # Stream windows wide open, but the client never acknowledges data: the
            # connection window (65,535) runs out.
            c = h2_client({h2.settings.SettingCodes.INITIAL_WINDOW_SIZE: 1 << 24})
            h2_get(c, 1, "/firehose/16", srv.port)
            s.sendall(c.data_to_send())
            events, closed = h2_events_until(
                s, c, lambda ev: any(isinstance(e, h2.events.ConnectionTerminated) for e in ev))
            self.assertTrue(closed or any(isinstance(e, h2.events.ConnectionTerminated)
                                          for e in events),
                            f"neither GOAWAY nor close within {BOUND} s")
            self.assertTrue(wait_for(lambda: stats(srv).get("firehose_terminate_reset") == 1))
            s.close()


def open_fds(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


class Linger(unittest.TestCase):
    def test_close_after_a_protocol_error_is_forced_after_linger(self):
        # The send timeout is out of reach: only the linger timeout can end this connection.
        args = server_args(linger_ms=500, send_timeout_ms=120000)
        with Server(args=args) as srv:
            base = open_fds(srv.proc.pid)
            s = small_socket(srv.port)
            # A large response the peer never reads, then garbage: the server gives up on
            # the peer (400 after the response), but the flush never completes.
            s.sendall(b"GET /big/20000000 HTTP/1.1\r\nHost: a\r\n\r\nBAD REQUEST\r\n\r\n")
            self.assertTrue(wait_for(lambda: open_fds(srv.proc.pid) > base))
            self.assertTrue(wait_for(lambda: open_fds(srv.proc.pid) == base),
                            f"the socket was still open after {BOUND} s")
            s.close()


class BoundedOutput(unittest.TestCase):
    CONNECTIONS = 10
    STREAMS = 20
    # Server RSS growth allowed while every stream pushes output at a peer that never
    # reads: 1 MB per connection and 128 KiB per stream in flight, held in buffers whose
    # capacity may be twice that, measured at 86-113 MB; without the limits the growth has
    # no bound (over 800 MB half a second after the streams started, and rising).
    LIMIT_KIB = 200 * 1024

    def test_streams_of_peers_that_never_read_hold_bounded_memory(self):
        args = server_args(send_timeout_ms=120000, max_connection_output=1 << 20)
        with Server(args=args, env=bounded_quarantine_env()) as srv:
            curl(srv.url("/big/1000"))  # warm up
            base = rss_kib(srv.proc.pid)
            socks = []
            for _ in range(self.CONNECTIONS):
                s = small_socket(srv.port)
                c = h2_client({h2.settings.SettingCodes.INITIAL_WINDOW_SIZE: (1 << 31) - 1})
                c.increment_flow_control_window((1 << 31) - 1 - 65535)
                for i in range(self.STREAMS):
                    h2_get(c, 1 + 2 * i, "/firehose/16", srv.port)
                s.sendall(c.data_to_send())
                socks.append(s)
            total = self.CONNECTIONS * self.STREAMS
            self.assertTrue(wait_for(lambda: stats(srv).get("firehose_started") == total),
                            stats(srv))
            peak = 0
            deadline = time.time() + 3 * SLOW
            while time.time() < deadline:
                peak = max(peak, rss_kib(srv.proc.pid) - base)
                if peak > self.LIMIT_KIB:
                    srv.proc.kill()  # do not let it take the machine
                    break
                time.sleep(0.1)
            for s in socks:
                s.close()
            print(f"\nRSS growth with {total} non-reading streams: {peak // 1024} MB")
            self.assertLess(peak, self.LIMIT_KIB, f"server RSS grew by {peak // 1024} MB")


class FlowControl(unittest.TestCase):
    def test_many_streams_with_default_windows_complete(self):
        # 20 static files on one connection with 64 KiB windows: the engine holds more than
        # the connection's output limit behind flow control, and the server must still read
        # the WINDOW_UPDATEs that release it (no stall until the send timeout).
        streams, size = 20, 1 << 20
        with tempfile.TemporaryDirectory() as root:
            with open(os.path.join(root, "f.bin"), "wb") as f:
                f.write(os.urandom(size))
            with Server(binary=FILE_SERVER, args=["--root", root, "--port", "0", "--tls-port", "0",
                                                 "--quiet"], ready=r":(\d+)/") as srv:
                s = socket.create_connection(("127.0.0.1", srv.port), timeout=BOUND)
                c = h2_client()
                ids = [1 + 2 * i for i in range(streams)]
                for sid in ids:
                    h2_get(c, sid, "/f.bin", srv.port)
                s.sendall(c.data_to_send())
                got = {sid: 0 for sid in ids}
                ended = set()

                def until(events):
                    for e in events[len(until.seen):]:
                        if isinstance(e, h2.events.DataReceived):
                            got[e.stream_id] += len(e.data)
                            c.acknowledge_received_data(e.flow_controlled_length, e.stream_id)
                        elif isinstance(e, (h2.events.StreamEnded, h2.events.StreamReset)):
                            ended.add(e.stream_id)
                    until.seen = list(events)
                    return len(ended) == streams
                until.seen = []
                events, closed = h2_events_until(s, c, until, bound=3 * BOUND)
                s.close()
                self.assertFalse(any(isinstance(e, h2.events.StreamReset) for e in events))
                self.assertEqual(got, {sid: size for sid in ids})


class Slowloris(unittest.TestCase):
    def test_http1_first_head_dripped_gets_408_and_close(self):
        with Server(args=server_args(request_timeout_ms=TIMEOUT_MS,
                                     header_timeout_ms=TIMEOUT_MS)) as srv:
            s = socket.create_connection(("127.0.0.1", srv.port), timeout=BOUND)
            r = drip(s, b"GET / HTTP/1.1\r\nHost: a\r\nX-Drip: " + b"a" * 1000)
            s.close()
            self.assertIsNotNone(r, f"still open after {BOUND} s")
            sent, answer = r
            self.assertTrue(answer.startswith(b"HTTP/1.1 408 Request Timeout\r\n"), answer[:200])
            self.assertIn(b"connection: close", answer.lower())

    def test_http1_later_head_dripped_gets_408_and_close(self):
        with Server(args=server_args(request_timeout_ms=60000,
                                     header_timeout_ms=TIMEOUT_MS)) as srv:
            s = socket.create_connection(("127.0.0.1", srv.port), timeout=BOUND)
            s.sendall(b"GET /big/10 HTTP/1.1\r\nHost: a\r\n\r\n")
            first = b""
            while not first.endswith(b"abcdefghij"):
                first += s.recv(4096)
            self.assertTrue(first.startswith(b"HTTP/1.1 200"))
            r = drip(s, b"GET / HTTP/1.1\r\nHost: a\r\nX-Drip: " + b"a" * 1000)
            s.close()
            self.assertIsNotNone(r, f"still open after {BOUND} s")
            self.assertTrue(r[1].startswith(b"HTTP/1.1 408 Request Timeout\r\n"), r[1][:200])

    def test_http2_preface_dripped_is_closed(self):
        with Server(args=server_args(request_timeout_ms=TIMEOUT_MS)) as srv:
            s = socket.create_connection(("127.0.0.1", srv.port), timeout=BOUND)
            r = drip(s, b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")
            s.close()
            self.assertIsNotNone(r, f"still open after {BOUND} s")
            self.assertLess(r[0], 24, "the preface was completed before the close")

    def test_http2_without_a_request_gets_goaway_and_close(self):
        with Server(args=server_args(request_timeout_ms=TIMEOUT_MS)) as srv:
            s = socket.create_connection(("127.0.0.1", srv.port), timeout=BOUND)
            c = h2_client()
            s.sendall(c.data_to_send())  # preface and SETTINGS, then nothing
            events, closed = h2_events_until(s, c, lambda ev: False)
            s.close()
            self.assertTrue(closed, f"still open after {BOUND} s")
            self.assertTrue(any(isinstance(e, h2.events.ConnectionTerminated) for e in events))

    def test_too_many_empty_lines_before_a_request_get_400(self):
        with Server() as srv:
            s = socket.create_connection(("127.0.0.1", srv.port), timeout=BOUND)
            s.sendall(b"\r\n" * 3 + b"GET /big/3 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
            ok = read_to_close(s)
            s.close()
            self.assertTrue(ok.startswith(b"HTTP/1.1 200"), ok[:100])
            s = socket.create_connection(("127.0.0.1", srv.port), timeout=BOUND)
            s.sendall(b"\r\n" * 20 + b"GET /big/3 HTTP/1.1\r\nHost: a\r\n\r\n")
            bad = read_to_close(s)
            s.close()
            self.assertIsNotNone(bad)
            self.assertTrue(bad.startswith(b"HTTP/1.1 400 Bad Request\r\n"), bad[:100])


class BodyTimeout(unittest.TestCase):
    def test_http1_body_that_stops_gets_408_and_close(self):
        with Server(args=server_args(body_timeout_ms=TIMEOUT_MS)) as srv:
            s = socket.create_connection(("127.0.0.1", srv.port), timeout=BOUND)
            s.sendall(b"POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\n"
                      + b"0123456789")
            answer = read_to_close(s)
            s.close()
            self.assertIsNotNone(answer, f"still open after {BOUND} s")
            self.assertTrue(answer.startswith(b"HTTP/1.1 408 Request Timeout\r\n"), answer[:200])

    def test_http2_body_that_stops_gets_408(self):
        with Server(args=server_args(body_timeout_ms=TIMEOUT_MS)) as srv:
            s = socket.create_connection(("127.0.0.1", srv.port), timeout=BOUND)
            c = h2_client()
            c.send_headers(1, [(":method", "POST"), (":scheme", "http"),
                               (":authority", "a"), (":path", "/echo"),
                               ("content-length", "100")])
            c.send_data(1, b"0123456789")
            s.sendall(c.data_to_send())
            events, closed = h2_events_until(
                s, c, lambda ev: any(isinstance(e, (h2.events.StreamEnded, h2.events.StreamReset))
                                     for e in ev))
            s.close()
            heads = [e for e in events if isinstance(e, h2.events.ResponseReceived)]
            self.assertTrue(heads, f"no response within {BOUND} s: {events}")
            self.assertIn((b":status", b"408"), heads[0].headers)


if __name__ == "__main__":
    main()
