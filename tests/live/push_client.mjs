// Fetches a page with Node's http2 client, accepting every push; prints one line for the
// parent and one per pushed stream: "push PATH STATUS BODY".
import http2 from "node:http2";

const [scheme, port, path] = process.argv.slice(2);
const session = http2.connect(`${scheme}://127.0.0.1:${port}`, { rejectUnauthorized: false });
const pending = new Set();
let parentDone = false;
const finish = () => { if (parentDone && pending.size === 0) session.close(); };

session.on("stream", (pushed, requestHeaders) => {
  const p = requestHeaders[":path"];
  pending.add(p);
  let status = 0, body = "";
  pushed.on("push", (h) => { status = h[":status"]; });
  pushed.setEncoding("utf8");
  pushed.on("data", (d) => { body += d; });
  pushed.on("end", () => { console.log(`push ${p} ${status} ${body}`); pending.delete(p); finish(); });
});

const req = session.request({ ":path": path });
let status = 0, body = "";
req.on("response", (h) => { status = h[":status"]; });
req.setEncoding("utf8");
req.on("data", (d) => { body += d; });
req.on("end", () => { console.log(`parent ${status} ${body}`); parentDone = true; finish(); });
setTimeout(() => { console.error("timeout"); process.exit(1); }, 10000).unref();
