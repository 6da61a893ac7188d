#!/usr/bin/env bash
# ngtcp2's example HTTP/3 server (Debian package ngtcp2-server), as an HTTP/3 peer for static
# files: QUIC on UDP PORT+1 (the TLS port of the peers' conventions; nothing on TCP). It runs
# no code and never pushes: /hello is the static file `hello`, /app.js the 60 KB file.
# One process, one thread (WORKERS is ignored). -q: no per-packet debug output.
set -euo pipefail
source "$(dirname "$0")/../common.sh"
peer_init gtlsserver 18170
command -v gtlsserver >/dev/null ||
  { echo "gtlsserver: not installed (Debian package ngtcp2-server)" >&2; exit 1; }
ensure_fixtures
refuse_if_running
gtlsserver -q -d "$SITE" "$BIND" "$TLS_PORT" "$KEY" "$CERT" >"$RUN_DIR/h3.log" 2>&1 &
record_pid $! gtlsserver
# UDP has no connect to wait for: wait (15 s at most) until the socket is bound.
deadline=$((SECONDS + 15))
until ss -Hlun "sport = :$TLS_PORT" | grep -q .; do
  if [ $SECONDS -ge $deadline ] || ! alive "$(cut -d' ' -f1 "$PIDFILE")"; then
    echo "$PEER: UDP $BIND:$TLS_PORT not bound after 15 s; logs in $RUN_DIR" >&2
    stop_peer "$PEER" "$PORT" >/dev/null 2>&1 || true
    exit 1
  fi
  sleep 0.1
done
echo "$PEER: h3 https://$BIND:$TLS_PORT/ (QUIC)  pids: $(cut -d' ' -f1 "$PIDFILE" | paste -sd' ')"
