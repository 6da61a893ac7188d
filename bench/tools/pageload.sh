#!/usr/bin/env bash
# Page-load time of / and its four assets over an emulated WAN, with and without push:
#
#   tools/pageload.sh PEER...        (root: network namespaces)
#
# 1. tools/netns.sh up: namespaces rodeo-srv (10.200.0.1) and rodeo-cli (10.200.0.2)
#    joined by tools/linkemu.py (RTT_MS round trip, RATE_MBIT each way).
# 2. Starts each peer in rodeo-srv (BIND=10.200.0.1, RUN_DIR bench/.run/netns/<peer>).
# 3. One warm-up fetch per peer, scheme and mode (discarded), then RUNS rounds of one fresh
#    `nghttp -n -a -v` per peer, scheme (SCHEMES) and mode from rodeo-cli; "nopush" is
#    nghttp --no-push (SETTINGS_ENABLE_PUSH=0), so one server configuration serves both,
#    and -a fetches the assets the page links that were not pushed. The order of the modes
#    alternates from round to round.
# 4. Table: tools/summarize-pageload.py. Always (trap): stops the peers, deletes the namespaces.
# Knobs: RUNS=10 RTT_MS=50 RATE_MBIT=20 SCHEMES="h2c tls" NGHTTP_OPTS="-w 24 -W 24"
#   (browser-sized 16 MiB windows: nghttp's default 64 KiB would throttle the page alone)
#   INITCWND= initcwnd and initrwnd of the emulated route, and 1 MiB default tcp_rmem in
#   both namespaces (empty: the kernel's 10 segments)
#   OUT=bench/.run/results/pageload-<UTC time>
set -euo pipefail
TOOLS="$(cd "$(dirname "$0")" && pwd)"
BENCH="$(cd "$TOOLS/.." && pwd)"
[ $# -ge 1 ] || { sed -n '2,20p' "$0"; exit 2; }
PEERS=("$@")
RUNS="${RUNS:-10}" SCHEMES="${SCHEMES:-h2c tls}" INITCWND="${INITCWND:-}"
NGHTTP_OPTS="${NGHTTP_OPTS:--w 24 -W 24}"
export RTT_MS="${RTT_MS:-50}" RATE_MBIT="${RATE_MBIT:-20}"
OUT="${OUT:-$BENCH/.run/results/pageload-$(date -u +%Y%m%dT%H%M%SZ)}"
SRV=10.200.0.1
source "$TOOLS/ports.sh"
[ "$(id -u)" = 0 ] || { echo "pageload.sh: needs root (ip netns)" >&2; exit 1; }
command -v nghttp >/dev/null || { echo "pageload.sh: no nghttp (bench/install.sh)" >&2; exit 1; }
mkdir -p "$OUT"

STARTED=()
cleanup() {
  set +e
  for p in "${STARTED[@]}"; do RUN_DIR="$BENCH/.run/netns/$p" "$BENCH/peers/$p/stop.sh" >&2; done
  "$TOOLS/netns.sh" down >&2
}
trap cleanup EXIT
trap 'exit 130' INT TERM
"$TOOLS/netns.sh" up >&2
if [ -n "$INITCWND" ]; then
  ip -n rodeo-srv route change 10.200.0.2 dev rodeo-tun-s proto kernel scope link src "$SRV" \
    initcwnd "$INITCWND" initrwnd "$INITCWND"
  ip -n rodeo-cli route change "$SRV" dev rodeo-tun-c proto kernel scope link src 10.200.0.2 \
    initcwnd "$INITCWND" initrwnd "$INITCWND"
  for ns in rodeo-srv rodeo-cli; do ip netns exec $ns sysctl -qw net.ipv4.tcp_rmem="4096 1048576 6291456"; done
fi
for p in "${PEERS[@]}"; do
  BIND="$SRV" PORT="${PORT_OF[$p]}" RUN_DIR="$BENCH/.run/netns/$p" \
    ip netns exec rodeo-srv "$BENCH/peers/$p/start.sh" >&2
  STARTED+=("$p")
done

fetch() {  # fetch PEER SCHEME MODE: parse-nghttp.py's fields
  local port="${PORT_OF[$1]}" url extra=()
  if [ "$2" = tls ]; then url="https://$SRV:$((port + 1))/"; else url="http://$SRV:$port/"; fi
  [ "$3" = nopush ] && extra=(--no-push)
  # shellcheck disable=SC2086
  timeout 30 ip netns exec rodeo-cli nghttp -n -a -v -y -t 20 $NGHTTP_OPTS "${extra[@]}" "$url" 2>&1 |
    /usr/bin/python3 "$TOOLS/parse-nghttp.py" || true
}

site="$BENCH/.run/site"
html=$(stat -c %s "$site/index.html")
total=$((html + $(cat "$site"/{style.css,app.js,img1.png,img2.png} | wc -c)))
echo "nghttp -n -a -v -y $NGHTTP_OPTS [--no-push]; rtt ${RTT_MS} ms, ${RATE_MBIT} Mbit/s; initcwnd ${INITCWND:-10}; runs $RUNS; peers ${PEERS[*]}" >"$OUT/meta.txt"
for p in "${PEERS[@]}"; do for s in $SCHEMES; do for m in push nopush; do fetch "$p" "$s" "$m" >/dev/null; done; done; done
raw="$OUT/raw.tsv"
echo "run peer scheme mode fields..." >"$raw"
for run in $(seq "$RUNS"); do
  if [ $((run % 2)) = 1 ]; then modes="push nopush"; else modes="nopush push"; fi
  for p in "${PEERS[@]}"; do for s in $SCHEMES; do for m in $modes; do
    echo "$run $p $s $m $(fetch "$p" "$s" "$m")" >>"$raw"
  done; done; done
  echo "pageload: run $run/$RUNS done" >&2
done
/usr/bin/python3 "$TOOLS/summarize-pageload.py" "$raw" --rtt-ms "$RTT_MS" --rate-mbit "$RATE_MBIT" \
  --initcwnd "${INITCWND:-10}" --html-bytes "$html" --total-bytes "$total" | tee "$OUT/summary.md"
