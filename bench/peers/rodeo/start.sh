#!/usr/bin/env bash
# Rodeo's demo app (apps/demo, target rodeo_demo) as a peer, with the peers' conventions
# (common.sh): one process, h2c prior knowledge and HTTP/1.1 on PORT (default 18150), TLS
# with ALPN on PORT+1. It serves the benchmark site (--root); what it pushes for / is the
# demo's own choice. --bind and --quiet (no access log) are passed when its --help lists them.
# Knobs: those of common.sh (WORKERS -> --threads; IDLE_TIMEOUT, when given, -> the demo's
# --idle-timeout and --request-timeout: a connection that never sends a request, as in
# tools/idle-mem.sh, is closed after --request-timeout, 10 s by default), and RODEO_BIN
# (default: rodeo_demo under build/release of this project).
set -euo pipefail
ASKED_IDLE_TIMEOUT="${IDLE_TIMEOUT:-}"
source "$(dirname "$0")/../common.sh"
peer_init rodeo 18150

find_bin() {
  local release="$BENCH_DIR/../build/release"
  [ -d "$release" ] || return 0
  find "$release" -type f -name rodeo_demo -perm -u+x 2>/dev/null | head -1
}
RODEO_BIN="${RODEO_BIN:-$(find_bin)}"
if [ -z "$RODEO_BIN" ] || [ ! -x "$RODEO_BIN" ]; then
  echo "rodeo: no rodeo_demo binary (build it: cmake --preset release &&" \
       "cmake --build build/release --target rodeo_demo, or set RODEO_BIN)" >&2
  exit 1
fi
ensure_fixtures
refuse_if_running

args=(--root "$SITE" --port "$PORT" --tls-port "$TLS_PORT" --cert "$CERT" --key "$KEY"
      --threads "$WORKERS")
# Optional flags, passed when --help lists them (bounded: a binary that ignored --help
# would otherwise start serving here). --quiet: no access log, like every peer.
help="$(timeout 3 "$RODEO_BIN" --help 2>&1 || true)"
if grep -q -- '--bind' <<<"$help"; then
  args+=(--bind "$BIND")
elif [ "$BIND" != 127.0.0.1 ]; then
  echo "rodeo: the demo has no --bind option; BIND=$BIND may not be honoured" >&2
fi
if grep -q -- '--quiet' <<<"$help"; then args+=(--quiet); fi
if [ -n "$ASKED_IDLE_TIMEOUT" ] && grep -q -- '--request-timeout' <<<"$help"; then
  args+=(--idle-timeout "$ASKED_IDLE_TIMEOUT" --request-timeout "$ASKED_IDLE_TIMEOUT")
fi
"$RODEO_BIN" "${args[@]}" >"$RUN_DIR/stdout.log" 2>&1 &
record_pid $! "$(basename "$RODEO_BIN" | cut -c1-15)"
wait_ports "$PORT" "$TLS_PORT"
