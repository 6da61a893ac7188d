"""The Python h2 client of the HTTP/2 client matrix (client_matrix_test.py)."""

import time

import h2.events

import push_test
from harness import SLOW
from matrix_results import CONTINUE_WAIT, describe_body, field_map


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
