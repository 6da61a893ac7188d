#!/usr/bin/env bash
# Page load of Rodeo's / (the page and its 4 pushes) over the emulated WAN with push, HTTP/3
# against HTTP/2 over TLS, one client for both (pushload, which takes pushes over either):
#
#   tools/pageload-h3.sh          (root: network namespaces; Rodeo only, no other peer
#                                  pushes over HTTP/3)
#
# 1. tools/netns.sh up: rodeo-srv (10.200.0.1) and rodeo-cli (10.200.0.2) joined by
#    tools/linkemu.py (RTT_MS, RATE_MBIT), which forwards IP packets: QUIC's UDP as TCP.
# 2. Starts peers/rodeo in rodeo-srv (h2 over TLS on TCP 18151, HTTP/3 on UDP 18151).
# 3. One warm-up load per protocol (discarded), then RUNS rounds of one fresh
#    `pushload -n 1 -c 1 [--h3] https://10.200.0.1:18151/` per protocol from rodeo-cli, the
#    order alternating from round to round. A load is a new connection: its time is
#    pushload's elapsed_s, from the connect to the last byte of the last push (QUIC
#    handshake, or TCP and TLS handshakes, included); its p50_ms is the part from the
#    request on.
# 4. Table: tools/summarize-pageload-h3.py. Always (trap): stops Rodeo, deletes the
#    namespaces.
# Knobs: RUNS=10 RTT_MS=50 RATE_MBIT=20 PUSHLOAD=<project>/build/bench/bench/pushload
#   RODEO_BIN (peers/rodeo/start.sh)  OUT=bench/.run/results/pageload-h3-<UTC time>
set -euo pipefail
TOOLS="$(cd "$(dirname "$0")" && pwd)"
BENCH="$(cd "$TOOLS/.." && pwd)"
RUNS="${RUNS:-10}"
export RTT_MS="${RTT_MS:-50}" RATE_MBIT="${RATE_MBIT:-20}"
PUSHLOAD="${PUSHLOAD:-$BENCH/../build/bench/bench/pushload}"
OUT="${OUT:-$BENCH/.run/results/pageload-h3-$(date -u +%Y%m%dT%H%M%SZ)}"
SRV=10.200.0.1
source "$TOOLS/ports.sh"
[ "$(id -u)" = 0 ] || { echo "pageload-h3.sh: needs root (ip netns)" >&2; exit 1; }
[ -x "$PUSHLOAD" ] || { echo "pageload-h3.sh: no pushload at $PUSHLOAD" >&2; exit 1; }
mkdir -p "$OUT"

started=0
cleanup() {
  set +e
  [ "$started" = 0 ] || RUN_DIR="$BENCH/.run/netns/rodeo" "$BENCH/peers/rodeo/stop.sh" >&2
  "$TOOLS/netns.sh" down >&2
}
trap cleanup EXIT
trap 'exit 130' INT TERM
"$TOOLS/netns.sh" up >&2
BIND="$SRV" PORT="${PORT_OF[rodeo]}" RUN_DIR="$BENCH/.run/netns/rodeo" \
  ip netns exec rodeo-srv "$BENCH/peers/rodeo/start.sh" >&2
started=1

url="https://$SRV:$((PORT_OF[rodeo] + 1))/"
load() {  # load h3|h2: pushload's summary line (empty when it produced none)
  local proto=()
  [ "$1" = h3 ] && proto=(--h3)
  timeout 60 ip netns exec rodeo-cli "$PUSHLOAD" -n 1 -c 1 --timeout 30 "${proto[@]}" "$url" 2>&1 |
    grep '^pushload: pages=' || true
}
echo "pushload -n 1 -c 1 [--h3] $url; rtt ${RTT_MS} ms, ${RATE_MBIT} Mbit/s; runs $RUNS" >"$OUT/meta.txt"
load h3 >/dev/null
load h2 >/dev/null
raw="$OUT/raw.tsv"
: >"$raw"
for run in $(seq "$RUNS"); do
  if [ $((run % 2)) = 1 ]; then order="h3 h2"; else order="h2 h3"; fi
  for p in $order; do printf '%s\t%s\t%s\n' "$run" "$p" "$(load "$p")" >>"$raw"; done
  echo "pageload-h3: run $run/$RUNS done" >&2
done
/usr/bin/python3 "$TOOLS/summarize-pageload-h3.py" "$raw" | tee "$OUT/summary.md"
