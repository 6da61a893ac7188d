'use strict';
// Node peer: the core http2 module (stream API, pushStream).
//   node server.js SITE BIND PORT CERT KEY
// h2c prior knowledge on PORT, TLS with ALPN h2 on PORT+1. The site is read into memory
// at start-up and served from there; / and /index.html push the four assets first.
// (respondWithFile is not used: Node 20's fd-based responses crashed when h2load closed
// connections with responses in flight.)
const http2 = require('http2');
const fs = require('fs');
const path = require('path');

const [site, bind, port, certFile, keyFile] = process.argv.slice(2);
const PUSH = ['/style.css', '/app.js', '/img1.png', '/img2.png'];
const TYPES = { '.html': 'text/html', '.css': 'text/css', '.js': 'application/javascript',
                '.png': 'image/png' };

const FILES = new Map();
for (const name of fs.readdirSync(site)) {
  const body = fs.readFileSync(path.join(site, name));
  FILES.set('/' + name, { body, type: TYPES[path.extname(name)] || 'application/octet-stream' });
}

function send(stream, urlPath) {
  if (stream.destroyed) return;
  const f = FILES.get(urlPath);
  if (!f) { stream.respond({ ':status': 404 }); stream.end(); return; }
  stream.respond({ ':status': 200, 'content-type': f.type, 'content-length': f.body.length });
  stream.end(f.body);
}

function onStream(stream, headers) {
  stream.on('error', () => {});
  const urlPath = (headers[':path'] || '/').split('?')[0];
  if (urlPath === '/hello') {
    stream.respond({ ':status': 200, 'content-type': 'text/plain' });
    stream.end('Hello world!');
  } else if (urlPath === '/' || urlPath === '/index.html') {
    if (stream.pushAllowed) {  // false once the client sent SETTINGS_ENABLE_PUSH=0
      for (const p of PUSH) {
        stream.pushStream({ ':path': p }, (err, push) => {
          if (err) return;
          push.on('error', () => {});
          send(push, p);
        });
      }
    }
    send(stream, '/index.html');
  } else {
    send(stream, urlPath);
  }
}

for (const server of [
  http2.createServer(),
  http2.createSecureServer({ cert: fs.readFileSync(certFile), key: fs.readFileSync(keyFile) }),
]) {
  server.on('stream', onStream);
  server.on('sessionError', () => {});
  server.on('tlsClientError', () => {});
  server.listen(server instanceof require('tls').Server ? Number(port) + 1 : Number(port), bind);
}
