// Runs the HTTP/2 client matrix's requests with Node's http2 client over one session, h2c
// (prior knowledge) or TLS (ALPN h2), accepting server pushes; prints one JSON line per
// response for client_matrix_test.py to check.
//
// Usage: node matrix_client.mjs http|https PORT PLAN_FILE [TIMEOUT_SECONDS]
// The plan is the one clients/go/main.go reads: steps run in order, the requests
// of one step at the same time.
import crypto from "node:crypto";
import fs from "node:fs";
import http2 from "node:http2";

const [scheme, port, planFile, timeoutArg] = process.argv.slice(2);
const plan = JSON.parse(fs.readFileSync(planFile, "utf8"));
setTimeout(() => { console.error("timeout"); process.exit(1); },
           1000 * Number(timeoutArg || 30)).unref();

const session = http2.connect(`${scheme}://127.0.0.1:${port}`, { rejectUnauthorized: false });
session.on("error", (e) => { console.error(`session error: ${e.message}`); process.exit(1); });

// Pushed streams of the current step: each settles with {path, status, headers, body}.
let pushes = [];
session.on("stream", (pushed, requestHeaders) => {
  pushes.push(new Promise((resolve) => {
    const chunks = [];
    let headers = {};
    pushed.on("push", (h) => { headers = h; });
    pushed.on("data", (d) => chunks.push(d));
    pushed.on("end", () => resolve({ path: requestHeaders[":path"], status: headers[":status"],
                                     headers, body: Buffer.concat(chunks).toString() }));
    pushed.on("error", (e) => resolve({ path: requestHeaders[":path"], error: e.message }));
  }));
});

function fieldsOf(h) {
  const out = {};
  for (const [k, v] of Object.entries(h)) {
    if (!k.startsWith(":")) out[k] = Array.isArray(v) ? v : [String(v)];
  }
  return out;
}

function run(name, index, r) {
  return new Promise((resolve) => {
    const result = { name, index, status: 0, protocol: "", alpn: "", headers: {}, trailers: {},
                     informational: [] };
    const fields = { ":method": r.method, ":path": r.path };
    // The body follows at once: this client does not wait for the 100.
    if (r.expect_continue) fields.expect = "100-continue";
    const req = session.request(fields, { endStream: !r.body_file });
    req.on("continue", () => result.informational.push(100));
    if (r.body_file) req.end(fs.readFileSync(r.body_file));
    const chunks = [];
    req.on("response", (h) => {
      result.status = Number(h[":status"]);
      result.headers = fieldsOf(h);
      // "h2" after TLS ALPN, "h2c" on a clear-text session (prior knowledge).
      result.protocol = session.alpnProtocol === "h2" || session.alpnProtocol === "h2c" ? "2" : "";
      result.alpn = session.alpnProtocol;
      result.local_addr = `${session.socket.localAddress}:${session.socket.localPort}`;
    });
    req.on("trailers", (h) => { result.trailers = fieldsOf(h); });
    req.on("data", (d) => chunks.push(d));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      result.body_length = body.length;
      result.body_sha256 = crypto.createHash("sha256").update(body).digest("hex");
      result.body = body.length <= 4096 ? body.toString() : "";
      resolve(result);
    });
    req.on("error", (e) => { result.error = e.message; resolve(result); });
  });
}

for (const step of plan) {
  pushes = [];
  const results = await Promise.all(step.requests.map((r, i) => run(step.name, i, r)));
  // Pushed responses may end after their parent: wait for them too.
  results[0].pushes = await Promise.all(pushes);
  for (const r of results) console.log(JSON.stringify(r));
}
session.close();
