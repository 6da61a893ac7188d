#!/usr/bin/env bash
# Push and early hints over the emulated link (tools/netns.sh: RTT_MS, RATE_MBIT), against
# the Rodeo demo's built-in site whose / pushes its four assets, then thinks THINK_MS before
# answering (--think-ms), as a page that queries a database does:
#
#   tools/pushmeasure.sh SCENARIO...     (root: network namespaces)
#
# browser-pageload  headless Chromium (tools/browser-load.py; it takes no push) in the client
#                   namespace: Rodeo with early hints (the default policy) over h2, the same
#                   over h3 (rodeo-h3: Chromium forced onto QUIC, which sends no MAX_PUSH_ID,
#                   so a 103 too), and Rodeo with --push-policy off over h2; time to load and
#                   to first contentful paint
# think-push        `nghttp -n -a -v` (takes pushes): Rodeo pushing vs --push-policy off;
#                   when the assets and the page are complete
# repeat-visit      pushed bytes of a first visit and of a second one that sends back the
#                   cookies of the first (Rodeo's rodeo_pushed digest), Rodeo vs nghttpd and
#                   h2o as bench/peers/ configure them (no cookie-based suppression)
# Everything over TLS (HTTP/2, ALPN; rodeo-h3 over QUIC). RUNS rounds (default 5); in each round every variant
# once, the order alternating. Table: tools/summarize-pushmeasure.py. Always (trap): stops
# what it started, deletes the namespaces.
# Knobs: RUNS=5 THINK_MS=100 RTT_MS=50 RATE_MBIT=20 RODEO_BIN (default: build/release's
#   rodeo_demo) PEERS="nghttpd h2o" (repeat-visit) OUT=bench/.run/results/pushmeasure-<UTC>
set -euo pipefail
TOOLS="$(cd "$(dirname "$0")" && pwd)"
BENCH="$(cd "$TOOLS/.." && pwd)"
[ $# -ge 1 ] || { sed -n '2,24p' "$0"; exit 2; }
SCENARIOS="$*"
RUNS="${RUNS:-5}" THINK_MS="${THINK_MS:-100}" PEERS="${PEERS-nghttpd h2o}"
export RTT_MS="${RTT_MS:-50}" RATE_MBIT="${RATE_MBIT:-20}"
OUT="${OUT:-$BENCH/.run/results/pushmeasure-$(date -u +%Y%m%dT%H%M%SZ)}"
RODEO_BIN="${RODEO_BIN:-$BENCH/../build/release/apps/demo/rodeo_demo}"
SRV=10.200.0.1
CERTS="$BENCH/.run/certs"
source "$TOOLS/ports.sh"
[ "$(id -u)" = 0 ] || { echo "pushmeasure.sh: needs root (ip netns)" >&2; exit 1; }
[ -x "$RODEO_BIN" ] || { echo "pushmeasure.sh: no rodeo_demo at $RODEO_BIN (set RODEO_BIN)" >&2; exit 1; }
for s in $SCENARIOS; do
  case "$s" in browser-pageload|think-push|repeat-visit) ;;
    *) echo "pushmeasure.sh: unknown scenario $s" >&2; exit 2 ;; esac
done
if [[ " $SCENARIOS " == *" browser-pageload "* ]] &&
   ! { command -v chromium && /usr/bin/python3 -c 'import websockets'; } >/dev/null 2>&1; then
  echo "pushmeasure.sh: browser-pageload needs Debian's chromium and python3-websockets" >&2
  exit 1
fi
mkdir -p "$OUT"
"$BENCH/fixtures/make-cert.sh" "$CERTS" >/dev/null
# Two demo instances: the default policy (push, or a 103 to a client that takes no push)
# and --push-policy off (neither). Their ports: the h2c port; TLS is the next one.
declare -A DEMO_PORT=([rodeo]=18160 [rodeo-off]=18162)
declare -A DEMO_ARGS=([rodeo]="" [rodeo-off]="--push-policy off")

DEMO_PIDS=() PEERS_UP=()
cleanup() {
  set +e
  local pid p
  for pid in "${DEMO_PIDS[@]}"; do
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  done
  for p in "${PEERS_UP[@]}"; do RUN_DIR="$BENCH/.run/netns/$p" "$BENCH/peers/$p/stop.sh" >&2; done
  "$TOOLS/netns.sh" down >&2
}
trap cleanup EXIT
trap 'exit 130' INT TERM
"$TOOLS/netns.sh" up >&2

wait_port() {  # wait_port PORT: up to 15 s for SRV:PORT to accept, from the server namespace
  for _ in $(seq 150); do
    if ip netns exec rodeo-srv bash -c "exec 3<>/dev/tcp/$SRV/$1" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "pushmeasure.sh: nothing listens on $SRV:$1 after 15 s" >&2
  return 1
}
for d in rodeo rodeo-off; do
  p="${DEMO_PORT[$d]}"
  # shellcheck disable=SC2086
  ip netns exec rodeo-srv "$RODEO_BIN" --bind "$SRV" --port "$p" --tls-port $((p + 1)) \
    --cert "$CERTS/cert.pem" --key "$CERTS/key.pem" --think-ms "$THINK_MS" --quiet \
    ${DEMO_ARGS[$d]} >"$OUT/$d.log" 2>&1 &
  DEMO_PIDS+=($!)
  wait_port $((p + 1))
done
if [[ " $SCENARIOS " == *" repeat-visit "* ]]; then
  for p in $PEERS; do
    BIND="$SRV" PORT="${PORT_OF[$p]}" RUN_DIR="$BENCH/.run/netns/$p" \
      ip netns exec rodeo-srv "$BENCH/peers/$p/start.sh" >&2
    PEERS_UP+=("$p")
  done
fi
url() {  # url SERVER: its TLS URL of /
  local p="${DEMO_PORT[$1]:-${PORT_OF[$1]:-}}"
  echo "https://$SRV:$((p + 1))/"
}
cli() { timeout 60 ip netns exec rodeo-cli "$@"; }
nghttp_fields() {  # nghttp_fields URL [NGHTTP ARGS]: parse-nghttp.py's fields; log in $OUT/last.log
  local u="$1"
  shift
  cli nghttp -n -a -v -y -t 20 -w 24 -W 24 "$@" "$u" >"$OUT/last.log" 2>&1 || true
  /usr/bin/python3 "$TOOLS/parse-nghttp.py" <"$OUT/last.log" || true
}

raw="$OUT/raw.tsv"
echo "scenario variant run fields..." >"$raw"
pin="$(openssl x509 -in "$CERTS/cert.pem" -pubkey -noout | openssl pkey -pubin -outform DER |
       openssl dgst -sha256 -binary | base64)"
for run in $(seq "$RUNS"); do
  if [ $((run % 2)) = 1 ]; then order="rodeo rodeo-off"; else order="rodeo-off rodeo"; fi
  case $((run % 3)) in  # the browser's three variants, each first in turn
    1) border="rodeo rodeo-h3 rodeo-off" ;; 2) border="rodeo-h3 rodeo-off rodeo" ;;
    *) border="rodeo-off rodeo rodeo-h3" ;;
  esac
  for s in $SCENARIOS; do
    case "$s" in
      browser-pageload)
        for v in $border; do
          # One warm-up load (the browser's first) and one measured, in a fresh browser.
          # rodeo-h3: the rodeo instance, over QUIC on its TLS port's number.
          quic=()
          [ "$v" = rodeo-h3 ] && quic=(--quic)
          line="$(cli /usr/bin/python3 "$TOOLS/browser-load.py" "$(url "${v%-h3}")" --pin "$pin" \
                  --runs 1 "${quic[@]}" | tail -1 || true)"
          echo "$s $v $run ${line#run=1 }" >>"$raw"
        done ;;
      think-push)
        for v in $order; do echo "$s $v $run $(nghttp_fields "$(url "$v")")" >>"$raw"; done ;;
      repeat-visit)
        for v in rodeo $PEERS; do
          echo "$s $v-first $run $(nghttp_fields "$(url "$v")")" >>"$raw"
          # The cookies the first visit set, sent back as a browser would.
          cookie="$(sed -n 's/^.*recv (stream_id=[0-9]*) set-cookie: \([^;]*\).*$/\1/p' "$OUT/last.log" |
                    sort -u | paste -sd';' | sed 's/;/; /g')"
          extra=()
          [ -n "$cookie" ] && extra=(-H "cookie: $cookie")
          echo "$s $v-second $run $(nghttp_fields "$(url "$v")" "${extra[@]}") cookie=${cookie:+yes}" >>"$raw"
        done ;;
    esac
  done
  echo "pushmeasure: run $run/$RUNS done" >&2
done
echo "RUNS=$RUNS THINK_MS=$THINK_MS RTT_MS=$RTT_MS RATE_MBIT=$RATE_MBIT scenarios: $SCENARIOS" >"$OUT/meta.txt"
/usr/bin/python3 "$TOOLS/summarize-pushmeasure.py" "$raw" --rtt-ms "$RTT_MS" --rate-mbit "$RATE_MBIT" \
  --think-ms "$THINK_MS" | tee "$OUT/summary.md"
