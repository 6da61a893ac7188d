"""The TLS transport: records the client sends together with its handshake's last flight,
bodies larger than one socket read in both directions, a client's close_notify, and many
concurrent bulk responses over one connection."""

import hashlib
import os
import socket
import ssl
import tempfile
import unittest

from harness import ServerCase, run, main


def expected_big(n):
    return bytes(ord("a") + i % 26 for i in range(n))


class TlsTransport(ServerCase):
    def client_context(self, alpn):
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        ctx.minimum_version = ssl.TLSVersion.TLSv1_3
        ctx.set_alpn_protocols([alpn])
        return ctx

    def test_request_in_the_same_segment_as_the_client_finished(self):
        # The handshake runs over memory BIOs, so that the client's Finished and its first
        # application record leave in one send: the server reads both in one socket read.
        ctx = self.client_context("http/1.1")
        incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
        tls = ctx.wrap_bio(incoming, outgoing, server_side=False)
        with socket.create_connection(("127.0.0.1", self.server.tls_port), timeout=10) as s:
            while True:
                try:
                    tls.do_handshake()
                    break
                except ssl.SSLWantReadError:
                    if outgoing.pending:
                        s.sendall(outgoing.read())
                    data = s.recv(65536)
                    self.assertTrue(data, "server closed during the handshake")
                    incoming.write(data)
            tls.write(b"GET /hello HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\n\r\n")
            s.sendall(outgoing.read())  # Finished + the request
            response = b""
            while True:
                data = s.recv(65536)
                if not data:
                    break
                incoming.write(data)
                try:
                    while True:
                        chunk = tls.read(65536)
                        if not chunk:
                            break
                        response += chunk
                except ssl.SSLWantReadError:
                    continue
                except ssl.SSLZeroReturnError:
                    break
        self.assertTrue(response.startswith(b"HTTP/1.1 200"), response[:100])
        self.assertTrue(response.endswith(b"Hello world!"), response[-100:])

    def test_large_upload_and_download_http11_and_h2(self):
        body = os.urandom(3 * 1024 * 1024 + 17)
        with tempfile.TemporaryDirectory() as d:
            sent, got = os.path.join(d, "sent"), os.path.join(d, "got")
            with open(sent, "wb") as f:
                f.write(body)
            for version in ("--http1.1", "--http2"):
                p = run(["curl", "-sSk", version, "--data-binary", "@" + sent,
                         "-H", "content-type: application/octet-stream",
                         self.server.url("/echo", tls=True), "-o", got], timeout=60)
                self.assertEqual(p.returncode, 0, p.stderr)
                with open(got, "rb") as f:
                    self.assertEqual(hashlib.sha256(f.read()).hexdigest(),
                                     hashlib.sha256(body).hexdigest(), version)

    def test_big_response_h2(self):
        n = 5 * 1024 * 1024 + 3
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "got")
            p = run(["curl", "-sSk", "--http2", self.server.url(f"/big/{n}", tls=True),
                     "-o", path], timeout=60)
            self.assertEqual(p.returncode, 0, p.stderr)
            with open(path, "rb") as f:
                got = f.read()
        self.assertEqual(len(got), n)
        self.assertEqual(hashlib.sha256(got).hexdigest(),
                         hashlib.sha256(expected_big(n)).hexdigest())

    def test_client_close_notify_closes_the_connection(self):
        ctx = self.client_context("http/1.1")
        with socket.create_connection(("127.0.0.1", self.server.tls_port), timeout=10) as raw:
            s = ctx.wrap_socket(raw)
            s.sendall(b"GET /hello HTTP/1.1\r\nhost: localhost\r\n\r\n")
            response = b""
            while not response.endswith(b"Hello world!"):
                data = s.recv(65536)
                self.assertTrue(data)
                response += data
            # RFC 8446 §6.1: close_notify; the server then closes the connection.
            plain = s.unwrap()
            self.assertEqual(plain.recv(1), b"")

    def test_many_bulk_streams_over_few_connections(self):
        p = run(["h2load", "-n", "1000", "-c", "4", "-m", "16",
                 self.server.url("/big/65536", tls=True)], timeout=120)
        self.assertIn("1000 succeeded, 0 failed, 0 errored", p.stdout)


if __name__ == "__main__":
    main()
