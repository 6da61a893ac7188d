"""Path traversal against the file server: dot segments raw, percent-encoded, double-encoded,
overlong UTF-8, backslashes, NUL, a symlink leading out, a dotfile, over HTTP/1.1 (raw
request lines) and h2c (raw :path). Expected: nothing outside the root is ever served (the
secret beside the root, /etc/passwd); a 200 is only allowed for a path that names a file
inside the root (e.g. /sub/../hello.txt). A dotfile served (/.env) is "degraded": hidden
files are refused by default (static_options::dotfiles)."""

import socket
import time

import h2.config
import h2.connection
import h2.events

from attack import Attack, Outcome

TARGETS = [
    "/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/secret.txt", "/..%2fsecret.txt",
    "/%2e%2e%2fsecret.txt", "/..%2Fsecret.txt", "/..%5csecret.txt", "/..\\secret.txt",
    "/%252e%252e/secret.txt", "/%252e%252e%252fsecret.txt", "/.%2e/secret.txt",
    "/%2e./secret.txt", "/..;/secret.txt", "/%c0%ae%c0%ae/secret.txt",
    "/%c0%af../secret.txt", "/..%c0%afsecret.txt", "/..%00/secret.txt", "/%00../secret.txt",
    "/hello.txt%00.png", "/hello.txt%00", "/sub/../../secret.txt", "/sub/%2e%2e/%2e%2e/secret.txt",
    "/./../secret.txt", "//../secret.txt", "/sub//../../secret.txt",
    "/../../../../../../etc/passwd", "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "//etc/passwd", "/..%2f..%2f..%2f..%2fetc%2fpasswd", "/escape.txt", "/.env",
    "/sub/..%2f..%2fsecret.txt", "/%5c..%5csecret.txt", "/sub/../hello.txt",
]
# Paths that name a file inside the root: a 200 with that file's content is fine.
INSIDE = {"/sub/../hello.txt": b"Hello world!"}
PASSWD = b"root:x:0:0"


def h1(ctx, target):
    req = f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode()
    out = b""
    try:
        with socket.create_connection(("127.0.0.1", ctx.port), timeout=3 * ctx.slow) as s:
            s.sendall(req)
            while True:
                b = s.recv(65536)
                if not b:
                    break
                out += b
    except OSError:
        pass
    status = out[9:12].decode(errors="replace") if out.startswith(b"HTTP/1.") else "none"
    return status, out.partition(b"\r\n\r\n")[2]


def h2c(ctx, target):
    cfg = h2.config.H2Configuration(client_side=True, header_encoding="utf-8",
                                    validate_outbound_headers=False,
                                    normalize_outbound_headers=False)
    conn = h2.connection.H2Connection(cfg)
    status, body = "none", b""
    try:
        with socket.create_connection(("127.0.0.1", ctx.port), timeout=3 * ctx.slow) as s:
            conn.initiate_connection()
            conn.send_headers(1, [(":method", "GET"), (":path", target), (":scheme", "http"),
                                  (":authority", "127.0.0.1")], end_stream=True)
            s.sendall(conn.data_to_send())
            deadline = time.monotonic() + 3 * ctx.slow
            done = False
            while not done and time.monotonic() < deadline:
                b = s.recv(65536)
                if not b:
                    break
                for ev in conn.receive_data(b):
                    if isinstance(ev, h2.events.ResponseReceived):
                        status = dict(ev.headers).get(":status", "none")
                    elif isinstance(ev, h2.events.DataReceived):
                        body += ev.data
                        conn.acknowledge_received_data(ev.flow_controlled_length, 1)
                    elif isinstance(ev, (h2.events.StreamEnded, h2.events.StreamReset,
                                         h2.events.ConnectionTerminated)):
                        done = True
                s.sendall(conn.data_to_send())
    except (OSError, h2.exceptions.ProtocolError):
        pass
    return status, body


def run(ctx):
    secret = ctx.files["secret"]
    statuses, leaks, soft = {}, [], []
    for proto, fetch in (("HTTP/1.1", h1), ("h2c", h2c)):
        for target in TARGETS:
            status, body = fetch(ctx, target)
            statuses[status] = statuses.get(status, 0) + 1
            if ctx.files["dotfile"] in body:
                soft.append(f"{proto} {target}: a dotfile served ({status})")
            elif secret in body or PASSWD in body:
                leaks.append(f"{proto} {target} served a file outside the root ({status})")
            elif status.startswith("2") and body != INSIDE.get(target, None):
                leaks.append(f"{proto} {target} answered {status} with {len(body)} bytes")
    obs = (f"{2 * len(TARGETS)} traversal requests: " +
           ", ".join(f"{k} x{v}" for k, v in sorted(statuses.items())) +
           f"; {'nothing outside the root served' if not leaks else str(len(leaks)) + ' leaks'}")
    return Outcome(obs, broken=leaks, soft=soft)


ATTACK = Attack("traversal", "encoded ../, backslashes, NUL, symlinks against the file server",
                run, server="file")
