"""Lifecycle: graceful stop lets running streams finish; a dropped connection ends the
request actors it leaves behind."""

import socket
import subprocess
import threading
import time
import unittest

from harness import Server, curl, stats, wait_stat, main, SLOW


class Lifecycle(unittest.TestCase):
    def test_graceful_stop_finishes_running_streams(self):
        s = Server().__enter__()
        result = {}

        def slow():
            result["p"] = curl("--http2-prior-knowledge", s.url("/sleep/800"))
        t = threading.Thread(target=slow)
        t.start()
        # Stop once the handler runs (an event, not a guessed delay).
        self.assertEqual(wait_stat(s, "sleep_started", 1), 1)
        s.__exit__(None, None, None)  # SIGTERM while the request runs; asserts exit code 0
        t.join()
        self.assertEqual(result["p"].stdout, "slept 800")

    def test_new_connections_are_refused_after_stop(self):
        s = Server().__enter__()
        port = s.port
        s.__exit__(None, None, None)
        with self.assertRaises(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=2).close()

    def test_dropped_http1_connection_ends_its_request_actor(self):
        with Server() as s:
            before = stats(s).get("hang_terminate_reset", 0)
            c = socket.create_connection(("127.0.0.1", s.port), timeout=5)
            c.sendall(b"GET /hang HTTP/1.1\r\nHost: x\r\n\r\n")
            deadline = time.time() + 5 * SLOW
            while time.time() < deadline and stats(s).get("hang_started", 0) == 0:
                time.sleep(0.05)
            c.close()
            deadline = time.time() + 5 * SLOW
            while time.time() < deadline and stats(s).get("hang_terminate_reset", 0) == before:
                time.sleep(0.05)
            self.assertEqual(stats(s).get("hang_terminate_reset", 0), before + 1)

    def test_loop_handler_answered_by_a_message(self):
        with Server() as s:
            self.assertEqual(curl(s.url("/wait/200")).stdout, "woke wake")


if __name__ == "__main__":
    main()
