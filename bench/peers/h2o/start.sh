#!/usr/bin/env bash
# h2o 2.2 (Debian): one process, WORKERS threads, both ports (h2o.conf.in).
set -euo pipefail
source "$(dirname "$0")/../common.sh"
peer_init h2o 18110
ensure_fixtures
refuse_if_running
render "$PEERS_DIR/h2o/h2o.conf.in" "$RUN_DIR/h2o.conf"
h2o -c "$RUN_DIR/h2o.conf" >"$RUN_DIR/stdout.log" 2>&1 &
record_pid $! h2o
wait_ports "$PORT" "$TLS_PORT"
