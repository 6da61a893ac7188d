"""The clients of the HTTP/2 client matrix (client_matrix_test.py): nghttp, curl, Python h2,
Node http2 and Go's golang.org/x/net/http2, each over h2c (prior knowledge) or TLS (ALPN h2).

Every client runs the same plan and describes each response the same way, so that one set of
checks applies to all of them. A plan is a list of steps run in order; the requests of one step
are sent at the same time, on one connection where the client can. matrix_results.py says
what each client reports about a response.
"""

import json
import os
import re
import shutil
import subprocess
import tempfile

from harness import SLOW, TEST_SERVER
from matrix_h2_client import H2Client
from matrix_results import CONTINUE_WAIT, describe_body, field_map

HERE = os.path.dirname(os.path.abspath(__file__))


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
    """A `curl -D` dump of an HTTP/2 response: any 1xx blocks, the status line and fields, a
    blank line, then the trailer fields (curl hands trailers to its header output too)."""
    blocks = [b for b in text.replace("\r\n", "\n").split("\n\n") if b]
    # Informational responses (100, 103) come first in the dump, each a block of its own.
    while len(blocks) > 1 and re.match(r"HTTP/\S+ 1\d\d", blocks[0]):
        blocks.pop(0)
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
