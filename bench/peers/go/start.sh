#!/usr/bin/env bash
# Go (Debian golang-go): one process for both ports, GOMAXPROCS=WORKERS. main.go is
# built into RUN_DIR on first start, in GOPATH mode against Debian's /usr/share/gocode
# (no module download).
set -euo pipefail
source "$(dirname "$0")/../common.sh"
peer_init go 18130
ensure_fixtures
refuse_if_running
bin="$RUN_DIR/gopeer"
if [ ! -x "$bin" ] || [ "$PEERS_DIR/go/main.go" -nt "$bin" ]; then
  (cd "$PEERS_DIR/go" && GO111MODULE=off GOPATH=/usr/share/gocode GOFLAGS='' \
     GOCACHE="$RUN_DIR/gocache" go build -o "$bin" main.go)
fi
GOMAXPROCS="$WORKERS" "$bin" -site "$SITE" -bind "$BIND" -port "$PORT" -cert "$CERT" \
  -key "$KEY" >"$RUN_DIR/stdout.log" 2>&1 &
record_pid $! gopeer
wait_ports "$PORT" "$TLS_PORT"
