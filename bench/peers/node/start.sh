#!/usr/bin/env bash
# Node (the machine's node): one single-threaded process for both ports; WORKERS is
# ignored (no cluster).
set -euo pipefail
source "$(dirname "$0")/../common.sh"
peer_init node 18140
ensure_fixtures
refuse_if_running
node "$PEERS_DIR/node/server.js" "$SITE" "$BIND" "$PORT" "$CERT" "$KEY" >"$RUN_DIR/stdout.log" 2>&1 &
record_pid $! node
wait_ports "$PORT" "$TLS_PORT"
