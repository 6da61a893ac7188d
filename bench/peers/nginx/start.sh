#!/usr/bin/env bash
# nginx 1.22 (Debian): master in the foreground of a background job (daemon off) and
# WORKERS worker processes. The master's pid is recorded; TERM to it stops the workers.
set -euo pipefail
source "$(dirname "$0")/../common.sh"
peer_init nginx 18120
ensure_fixtures
refuse_if_running
mkdir -p "$RUN_DIR/tmp"
render "$PEERS_DIR/nginx/nginx.conf.in" "$RUN_DIR/nginx.conf"
nginx -q -p "$RUN_DIR" -e "$RUN_DIR/error.log" -c "$RUN_DIR/nginx.conf" >"$RUN_DIR/stdout.log" 2>&1 &
record_pid $! nginx
wait_ports "$PORT" "$TLS_PORT"
