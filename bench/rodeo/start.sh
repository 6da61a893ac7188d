#!/usr/bin/env bash
# Rodeo's demo app (apps/demo, target rodeo_demo) as a bench peer, with the shared
# peers' conventions (peers/common.sh): one process, pidfile in RUN_DIR.
#   h2c prior knowledge (and HTTP/1.1) on PORT (default 18150), TLS + ALPN on PORT+1.
#   Serves the fixture site (--root); what it pushes for / is the demo's own choice.
#   Adds --bind BIND and --quiet (no access log) when the demo's --help lists them.
# Knobs: BIND PORT WORKERS RUN_DIR (common.sh; WORKERS -> --threads),
#        RODEO_BIN (default: rodeo_demo under build/release of this project).
# Works from bench/rodeo/ (uses the private copy of the harness, bench/prepare.sh) and
# from the copy's peers/rodeo/ (where run-pageload.sh and idle-mem.sh find it).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [ -f "$here/../common.sh" ]; then
  source "$here/../common.sh"
else
  source "$("$here/../prepare.sh" --path)/peers/common.sh"
fi
peer_init rodeo 18150

find_bin() {  # the project root is the first ancestor holding CMakePresets.json
  local d="$here"
  while [ "$d" != / ] && [ ! -f "$d/CMakePresets.json" ]; do d="$(dirname "$d")"; done
  [ -d "$d/build/release" ] || return 0
  find "$d/build/release" -type f -name rodeo_demo -perm -u+x 2>/dev/null | head -1
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
"$RODEO_BIN" "${args[@]}" >"$RUN_DIR/stdout.log" 2>&1 &
record_pid $! "$(basename "$RODEO_BIN" | cut -c1-15)"
wait_ports "$PORT" "$TLS_PORT"
started
