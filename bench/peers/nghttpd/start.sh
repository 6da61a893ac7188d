#!/usr/bin/env bash
# nghttpd, nghttp2's reference server: the table's reference. nghttpd serves cleartext or
# TLS on a port, never both, hence two processes (h2c on PORT, TLS on PORT+1).
# It runs no code: /hello is the static file `hello` (12 bytes, no content-type), and the
# pushes of / and /index.html come from its -p option.
set -euo pipefail
source "$(dirname "$0")/../common.sh"
peer_init nghttpd 18100
ensure_fixtures
refuse_if_running
push="$(tr ' ' ',' <<<"$PUSH_PATHS")"
args=(-a "$BIND" -d "$SITE" -n "$WORKERS" "-p/=$push" "-p/index.html=$push")
nghttpd --no-tls "${args[@]}" "$PORT" >"$RUN_DIR/h2c.log" 2>&1 &
record_pid $! nghttpd
nghttpd "${args[@]}" "$TLS_PORT" "$KEY" "$CERT" >"$RUN_DIR/tls.log" 2>&1 &
record_pid $! nghttpd
wait_ports "$PORT" "$TLS_PORT"
