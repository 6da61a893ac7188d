"""The clients of the HTTP/2 client matrix (client_matrix_test.py): nghttp, curl, Python h2,
Node http2 and Go's golang.org/x/net/http2, each over h2c (prior knowledge) or TLS (ALPN h2).

Every client runs the same plan and describes each response the same way, so that one set of
checks applies to all of them. A plan is a list of steps run in order; the requests of one step
are sent at the same time, on one connection where the client can. A response is a dict:

    name, index          the step and the request's place in it
    error                set when the client failed (the other fields may then be missing)
    status, headers      the status and {name as received: [values]} (Go reports its
                         canonicalised names in lowercase)
    raw_names            the field names exactly as they arrived, where the client shows them
    trailers             {name: [values]}
    body, body_length, body_sha256   (body only for bodies up to 4 KiB)
    protocol             "2" when the client says HTTP/2 carried the response
    alpn                 "h2" after TLS ALPN; "h2c" or "" over clear text
    local_addr           the client's end of the connection, where the client shows it
    pushes               pushed responses received with it: [{path, status, headers, body}]
    informational        the 1xx statuses received before the final response
    waited_for_continue  true when the client held the body back until a 100 (Continue) or
                         its own time limit (RFC 9110 §10.1.1); absent: false
    skip                 why the client cannot run this step (a known client limitation)
"""

import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import time

import h2.events

import push_test
from harness import SLOW, TEST_SERVER

HERE = os.path.dirname(os.path.abspath(__file__))
SMALL = 4096
# How long a client that waits for 100 (Continue) holds its body back before sending it
# anyway; the server should answer the request's header section at once.
CONTINUE_WAIT = 2 * SLOW


def describe_body(result, body):
    result["body_length"] = len(body)
    result["body_sha256"] = hashlib.sha256(body).hexdigest()
    result["body"] = body.decode(errors="replace") if len(body) <= SMALL else ""


def field_map(pairs):
    """{name: [values]}, names as received (the checks want them lowercase)."""
    out = {}
    for name, value in pairs:
        out.setdefault(name, []).append(value)
    return out


def run_bytes(cmd, timeout):
    return subprocess.run(cmd, capture_output=True, timeout=timeout * SLOW)


# --- nghttp ---

_NGHTTP_EVENT = re.compile(
    rb"\[\s*\d+\.\d+\] recv (?:\(stream_id=(\d+)\) ([^\n]*)|"
    rb"(HEADERS|DATA|PUSH_PROMISE) frame <length=(\d+), flags=0x[0-9a-f]+, stream_id=(\d+)>)")
_PROMISED = re.compile(rb"promised_stream_id=(\d+)")
# What nghttp logs about a frame it sends: its line and the indented lines under it. A
# WINDOW_UPDATE may be sent (and logged) between two pieces of a DATA frame's payload.
_NGHTTP_SEND = re.compile(rb"\[\s*\d+\.\d+\] send [^\n]*\n(?: {10}[^\n]*\n)*")


def _split_field(line):
    text = line.decode(errors="replace")
    cut = text.find(": ", 1)  # pseudo-headers start with ':'
    return (text, "") if cut < 0 else (text[:cut], text[cut + 2:])


def parse_nghttp(out):
    """Streams seen in `nghttp -v` output: {id: {"fields", "trailers", "body", "promise"}}.
    nghttp prints a frame's payload (the body) just before the line that logs the frame, and
    a header block's fields just before its HEADERS or PUSH_PROMISE line."""
    out = _NGHTTP_SEND.sub(b"", out)
    streams, pending = {}, []

    def stream(sid):
        return streams.setdefault(sid, {"fields": None, "trailers": [], "body": b"",
                                        "promise": None, "parent": None, "informational": []})

    for m in _NGHTTP_EVENT.finditer(out):
        if m.group(1):
            pending.append(_split_field(m.group(2)))
            continue
        kind, length, sid = m.group(3), int(m.group(4)), int(m.group(5))
        if kind == b"DATA":
            stream(sid)["body"] += out[m.start() - length:m.start()]
        elif kind == b"HEADERS":
            s = stream(sid)
            status = [v for n, v in pending if n == ":status"]
            if s["fields"] is None and status and status[0].startswith("1"):
                s["informational"].append(int(status[0]))
            elif s["fields"] is None:
                s["fields"] = pending
            else:
                s["trailers"] = pending
            pending = []
        else:
            promised = int(_PROMISED.search(out, m.end()).group(1))
            p = stream(promised)
            p["promise"], p["parent"] = dict(pending), sid
            pending = []
    return streams


def _from_nghttp_stream(name, index, s, tls, negotiated):
    fields = s["fields"] or []
    result = {"name": name, "index": index, "raw_names": [n for n, _ in fields if n[0] != ":"],
              "headers": field_map((n, v) for n, v in fields if n[0] != ":"),
              "trailers": field_map(s["trailers"]), "local_addr": None,
              "protocol": "2" if fields else "", "alpn": negotiated if tls else "h2c",
              "informational": s["informational"]}
    status = [v for n, v in fields if n == ":status"]
    result["status"] = int(status[0]) if status else 0
    describe_body(result, s["body"])
    return result


def nghttp(base, tls, plan, workdir):
    results = []
    for step in plan:
        reqs = step["requests"]
        cmd = ["nghttp", "-v"]
        if reqs[0].get("body_file"):
            cmd += ["-d", reqs[0]["body_file"]]  # -d sends its body with every URI
        if reqs[0].get("expect_continue"):
            cmd += ["-H", "expect: 100-continue"]  # the body follows at once
        p = run_bytes(cmd + [base + r["path"] for r in reqs], timeout=60)
        m = re.search(rb"The negotiated protocol: (\S+)", p.stdout)
        negotiated = m.group(1).decode() if m else ""
        streams = parse_nghttp(p.stdout)
        requested = sorted(sid for sid, s in streams.items() if s["parent"] is None and sid % 2)
        # nghttp opens its request streams in the order of its URIs, from stream 13 on (after
        # its priority anchors).
        requested = [sid for sid in requested if sid >= 13]
        for i in range(len(reqs)):
            if p.returncode != 0 or i >= len(requested):
                results.append({"name": step["name"], "index": i,
                                "error": f"nghttp exited {p.returncode}: " +
                                         p.stderr.decode(errors="replace")[-500:]})
                continue
            sid = requested[i]
            r = _from_nghttp_stream(step["name"], i, streams[sid], tls, negotiated)
            r["pushes"] = []
            for psid, ps in sorted(streams.items()):
                if ps["parent"] == sid:
                    pr = _from_nghttp_stream(step["name"], i, ps, tls, negotiated)
                    r["pushes"].append({"path": ps["promise"].get(":path"),
                                        "status": pr["status"], "body": pr["body"],
                                        "headers": {k: v[0] for k, v in pr["headers"].items()}})
            results.append(r)
    return results


# --- curl ---

def curl_version():
    out = subprocess.run(["curl", "--version"], capture_output=True, text=True).stdout
    return tuple(int(x) for x in re.match(r"curl (\d+)\.(\d+)", out).groups())


def parse_curl_dump(text):
    """A `curl -D` dump of an HTTP/2 response: the status line and fields, a blank line, then
    the trailer fields (curl hands trailers to its header output too)."""
    blocks = text.replace("\r\n", "\n").split("\n\n")
    head = blocks[0].split("\n")
    status = int(head[0].split()[1])
    fields = [tuple(line.split(": ", 1)) for line in head[1:] if line]
    trailers = [tuple(line.split(": ", 1)) for b in blocks[1:] for line in b.split("\n") if line]
    return status, fields, trailers


def curl(base, tls, plan, workdir):
    version = ["--http2", "-k"] if tls else ["--http2-prior-knowledge"]
    results = []
    for step in plan:
        reqs = step["requests"]
        if len(reqs) > 1 and not tls and curl_version() < (8, 0):
            # curl/curl#10634 (fixed in 8.0 by #10643): with --http2-prior-knowledge, curl
            # 7.x fails every transfer that reuses a connection ("Error in the HTTP2 framing
            # layer") before it sends a byte, so it cannot multiplex h2c requests.
            results += [{"name": step["name"], "index": i,
                         "skip": "curl < 8.0 cannot reuse an h2c prior-knowledge connection "
                                 "(curl/curl#10634)"} for i in range(len(reqs))]
            continue
        # Per-transfer options repeat after each --next; --parallel applies to them all.
        common = ["-sS", "-v", "--max-time", str(60 * SLOW)] + version
        cmd = ["curl"]
        if len(reqs) > 1:
            cmd += ["--parallel", "--parallel-max", str(len(reqs))]
        files = []
        for i, r in enumerate(reqs):
            body_out = os.path.join(workdir, f"curl-{step['name']}-{i}.body")
            dump = os.path.join(workdir, f"curl-{step['name']}-{i}.head")
            files.append((body_out, dump))
            if i:
                cmd.append("--next")
            cmd += common + ["-o", body_out, "-D", dump, "-w", "%{json}\n"]
            if r.get("body_file"):
                cmd += ["--data-binary", "@" + r["body_file"]]
            if r.get("expect_continue"):
                # curl holds the body back until the 100 or its time limit.
                cmd += ["-H", "Expect: 100-continue",
                        "--expect100-timeout", str(CONTINUE_WAIT)]
            cmd.append(base + r["path"])
        p = subprocess.run(cmd, capture_output=True, text=True, errors="replace",
                           timeout=70 * SLOW)
        infos = {}
        for line in p.stdout.splitlines():
            if line.startswith("{"):
                info = json.loads(line)
                infos[info["url"]] = info  # parallel transfers report as they end
        alpn = "h2" if "ALPN: server accepted h2" in p.stderr else ""
        connects = sum(i["num_connects"] for i in infos.values())
        for i, (body_out, dump) in enumerate(files):
            info = infos.get(base + reqs[i]["path"])
            r = {"name": step["name"], "index": i}
            if not info or info["exitcode"] != 0 or not os.path.exists(dump):
                r["error"] = (info or {}).get("errormsg") or p.stderr[-500:]
                results.append(r)
                continue
            with open(dump, errors="replace") as f:
                status, fields, trailers = parse_curl_dump(f.read())
            informational = [int(m) for m in re.findall(r"^< HTTP/2 (1\d\d)", p.stderr,
                                                           re.MULTILINE)]
            r.update(informational=informational,
                     waited_for_continue=bool(reqs[i].get("expect_continue")))
            r.update(status=status, raw_names=[n for n, _ in fields],
                     headers=field_map(fields), trailers=field_map(trailers),
                     protocol=info["http_version"], alpn=alpn if tls else "",
                     connections=connects,
                     local_addr=f"{info['local_ip']}:{info['local_port']}", pushes=[])
            with open(body_out, "rb") as f:
                describe_body(r, f.read())
            results.append(r)
    return results


# --- Python h2 ---

class H2Client(push_test.Client):
    """One Python h2 connection (push_test's client: its connection set-up) that sends a
    step's requests at once, bodies as flow control allows, and records every event per
    stream, pushed streams included."""

    def __init__(self, port, tls):
        super().__init__(port, tls)
        # Over TLS, ALPN chose h2 or the server would not have spoken HTTP/2 at all.
        self.alpn = (self.s.selected_alpn_protocol() or "") if tls else "h2c"
        self.settings_seen = False
        self.streams = {}

    def stream(self, sid):
        return self.streams.setdefault(sid, {"fields": None, "trailers": [], "body": b"",
                                             "ended": False, "reset": None, "promise": None,
                                             "parent": None, "informational": [],
                                             "waited": False})

    def on_event(self, e):
        if isinstance(e, h2.events.RemoteSettingsChanged):
            self.settings_seen = True
        elif isinstance(e, h2.events.PushedStreamReceived):
            s = self.stream(e.pushed_stream_id)
            s["promise"] = {k.decode(): v.decode() for k, v in e.headers}
            s["parent"] = e.parent_stream_id
        elif isinstance(e, h2.events.InformationalResponseReceived):
            status = dict(e.headers).get(b":status", b"0")
            self.stream(e.stream_id)["informational"].append(int(status))
        elif isinstance(e, h2.events.ResponseReceived):
            self.stream(e.stream_id)["fields"] = [(k.decode(), v.decode()) for k, v in e.headers]
        elif isinstance(e, h2.events.TrailersReceived):
            self.stream(e.stream_id)["trailers"] = [(k.decode(), v.decode())
                                                    for k, v in e.headers]
        elif isinstance(e, h2.events.DataReceived):
            self.stream(e.stream_id)["body"] += e.data
            self.c.acknowledge_received_data(e.flow_controlled_length, e.stream_id)
        elif isinstance(e, h2.events.StreamEnded):
            self.stream(e.stream_id)["ended"] = True
        elif isinstance(e, h2.events.StreamReset):
            self.stream(e.stream_id)["reset"] = e.error_code

    def send_pending(self, pending):
        for sid in list(pending):
            data = pending[sid]
            while data:
                n = min(self.c.local_flow_control_window(sid), self.c.max_outbound_frame_size,
                        len(data))
                if n <= 0:
                    break
                self.c.send_data(sid, data[:n])
                data = data[n:]
            pending[sid] = data
            if not data:
                self.c.end_stream(sid)
                del pending[sid]
        out = self.c.data_to_send()
        if out:
            self.s.sendall(out)

    def wait_for_continue(self, sid):
        """Holds the body back until the server answers the header section (a 100 or a final
        response), or CONTINUE_WAIT passed, as curl does (RFC 9110 §10.1.1)."""
        s = self.stream(sid)
        s["waited"] = True
        deadline = time.time() + CONTINUE_WAIT
        timeout = self.s.gettimeout()
        try:
            while not s["informational"] and s["fields"] is None and s["reset"] is None:
                left = deadline - time.time()
                if left <= 0:
                    break
                self.s.settimeout(left)
                try:
                    data = self.s.recv(65536)
                except TimeoutError:
                    break
                if not data:
                    break
                for e in self.c.receive_data(data):
                    self.on_event(e)
                out = self.c.data_to_send()
                if out:
                    self.s.sendall(out)
        finally:
            self.s.settimeout(timeout)

    def run_step(self, step):
        sids, pending = [], {}
        for r in step["requests"]:
            sid = self.c.get_next_available_stream_id()
            body = None
            if r.get("body_file"):
                with open(r["body_file"], "rb") as f:
                    body = f.read()
            fields = [(":method", r["method"]), (":scheme", self.scheme),
                      (":authority", f"127.0.0.1:{self.port}"), (":path", r["path"])]
            if r.get("expect_continue"):
                fields.append(("expect", "100-continue"))
            self.c.send_headers(sid, fields, end_stream=body is None)
            self.s.sendall(self.c.data_to_send())
            if body is not None and r.get("expect_continue"):
                self.wait_for_continue(sid)
            if body is not None:
                pending[sid] = body
            sids.append(sid)
        self.send_pending(pending)

        def done(sid):
            s = self.stream(sid)
            return s["ended"] or s["reset"] is not None

        def all_done():
            return (not pending and all(done(sid) for sid in sids) and
                    all(done(p) for p, s in self.streams.items() if s["parent"] in sids))

        deadline = time.time() + 60 * SLOW
        while time.time() < deadline and not all_done():
            data = self.s.recv(65536)
            if not data:
                break
            for e in self.c.receive_data(data):
                self.on_event(e)
            self.send_pending(pending)
            out = self.c.data_to_send()
            if out:
                self.s.sendall(out)
        local = "%s:%d" % self.s.getsockname()[:2]
        results = []
        for i, sid in enumerate(sids):
            r = self.result(step["name"], i, self.stream(sid), local)
            r["pushes"] = []
            for psid, ps in sorted(self.streams.items()):
                if ps["parent"] == sid:
                    pr = self.result(step["name"], i, ps, local)
                    r["pushes"].append({"path": ps["promise"].get(":path"),
                                        "status": pr.get("status"), "body": pr.get("body"),
                                        "headers": {k: v[0] for k, v in
                                                    pr.get("headers", {}).items()}})
            results.append(r)
        return results

    def result(self, name, index, s, local):
        r = {"name": name, "index": index, "local_addr": local, "alpn": self.alpn,
             "informational": s["informational"], "waited_for_continue": s["waited"]}
        if not s["ended"]:
            r["error"] = f"stream did not end (reset: {s['reset']})"
            return r
        fields = s["fields"] or []
        status = [v for n, v in fields if n == ":status"]
        r.update(status=int(status[0]) if status else 0,
                 raw_names=[n for n, _ in fields if n[0] != ":"],
                 headers=field_map((n, v) for n, v in fields if n[0] != ":"),
                 trailers=field_map(s["trailers"]),
                 protocol="2" if self.settings_seen and fields else "")
        describe_body(r, s["body"])
        return r

    def close(self):
        self.c.close_connection()
        self.s.sendall(self.c.data_to_send())
        self.s.close()


def python_h2(base, tls, plan, workdir):
    port = int(base.rsplit(":", 1)[1])
    client = H2Client(port, tls)
    try:
        return [r for step in plan for r in client.run_step(step)]
    finally:
        client.close()


# --- Node and Go: programs that print the result lines themselves ---

def _json_lines(p, what):
    results = [json.loads(line) for line in p.stdout.splitlines() if line.startswith("{")]
    if not results:
        raise AssertionError(f"{what} exited {p.returncode} with no results: {p.stderr[-2000:]}")
    return results


def _plan_file(plan, workdir):
    path = os.path.join(workdir, "plan.json")
    with open(path, "w") as f:
        json.dump(plan, f)
    return path


def node(base, tls, plan, workdir):
    scheme, port = base.split("://")[0], base.rsplit(":", 1)[1]
    p = subprocess.run(["node", os.path.join(HERE, "matrix_client.mjs"),
                        scheme, port, _plan_file(plan, workdir), str(60 * SLOW)],
                       capture_output=True, text=True, timeout=70 * SLOW)
    return _json_lines(p, "node")


def build_go(workdir):
    """Builds the Go client offline: Debian's golang-golang-x-net-dev installs its sources
    under /usr/share/gocode/src, which GOPATH mode (GO111MODULE=off) finds without a module
    proxy. The build cache lives beside the test server (the build tree)."""
    if not shutil.which("go"):
        raise AssertionError("go is missing: install golang-go and golang-golang-x-net-dev")
    cache = os.path.join(os.path.dirname(os.path.abspath(TEST_SERVER)), "go-build-cache")
    env = dict(os.environ, GO111MODULE="off", GOPATH="/usr/share/gocode", GOCACHE=cache,
               GOPROXY="off", GOFLAGS="", CGO_ENABLED="0")
    binary = os.path.join(workdir, "matrix_client")
    p = subprocess.run(["go", "build", "-o", binary, "."], cwd=os.path.join(HERE, "clients", "go"),
                       env=env, capture_output=True, text=True, timeout=180 * SLOW)
    if p.returncode != 0:
        raise AssertionError("go build failed: " + p.stderr[-2000:])
    return binary


def go(binary):
    def run_go(base, tls, plan, workdir):
        scheme, port = base.split("://")[0], base.rsplit(":", 1)[1]
        p = subprocess.run([binary, "-scheme", scheme, "-port", port,
                            "-plan", _plan_file(plan, workdir), "-timeout", str(60 * SLOW)],
                           capture_output=True, text=True, timeout=70 * SLOW)
        return _json_lines(p, "go client")
    return run_go


def workdir():
    return tempfile.mkdtemp(prefix="rodeo-matrix-")
