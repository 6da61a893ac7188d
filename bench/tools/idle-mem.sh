#!/usr/bin/env bash
# Memory per idle HTTP/2 connection: server RSS before, and with COUNTS idle h2c
# connections (tools/h2-idle-conns.py), per peer; peers interleaved A B C ... each round,
# a fresh server per peer and round (RUN_DIR bench/.run/idle/<peer>).
#
#   PEERS="nghttpd rodeo h2o" tools/idle-mem.sh
#   TLS=1 PEERS="nghttpd rodeo h2o" tools/idle-mem.sh   # TLS with ALPN h2, on each TLS port
#
# The servers run with their limits raised for the test (common.sh knobs): MAX_CONNS=16384
# (h2o's default is 1024, nginx's worker_connections 4096 here) and IDLE_TIMEOUT=300 (h2o
# closes a connection idle for 10 s, before 10,000 are open; Rodeo's demo closes one that
# sent no request after --request-timeout, 10 s: peers/rodeo/start.sh passes IDLE_TIMEOUT
# to it). `ulimit -n` goes to NOFILE for this shell, hence for the client and every server
# it starts.
# Knobs: PEERS ROUNDS=3 COUNTS=1000,10000 SETTLE=3 NOFILE=20000 TLS=0
#        OUT=bench/.run/results/idle-mem[-tls]-<UTC time>
set -euo pipefail
BENCH="$(cd "$(dirname "$0")/.." && pwd)"
PEERS="${PEERS:?PEERS: the servers to measure}"
ROUNDS="${ROUNDS:-3}" COUNTS="${COUNTS:-1000,10000}" SETTLE="${SETTLE:-3}" NOFILE="${NOFILE:-20000}"
TLS="${TLS:-0}"
OUT="${OUT:-$BENCH/.run/results/idle-mem$([ "$TLS" = 1 ] && echo -tls)-$(date -u +%Y%m%dT%H%M%SZ)}"
source "$BENCH/tools/ports.sh"
export MAX_CONNS=16384 IDLE_TIMEOUT=300
ulimit -Sn "$NOFILE"
mkdir -p "$OUT"
raw="$OUT/raw.jsonl"
: >"$raw"
echo "rounds: $ROUNDS  counts: $COUNTS  settle: ${SETTLE}s  tls: $TLS  peers: $PEERS  loadavg: $(cut -d' ' -f1-3 /proc/loadavg)" >"$OUT/meta.txt"

RUNNING=""
stop() {
  [ -z "$RUNNING" ] || RUN_DIR="$BENCH/.run/idle/$RUNNING" PORT="${PORT_OF[$RUNNING]}" \
    "$BENCH/peers/$RUNNING/stop.sh" >&2 || true
  RUNNING=""
}
trap stop EXIT
hello() {  # hello PORT: the HTTP status of /hello over h2c (TLS=1: over h2 on PORT+1)
  if [ "$TLS" = 1 ]; then
    curl -sk -m 5 --http2 -o /dev/null -w '%{http_code}' "https://127.0.0.1:$(($1 + 1))/hello" || true
  else
    curl -s -m 5 --http2-prior-knowledge -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1/hello" || true
  fi
}
client_port() {  # the port the idle connections go to
  if [ "$TLS" = 1 ]; then echo $(($1 + 1)); else echo "$1"; fi
}

for round in $(seq "$ROUNDS"); do
  for name in $PEERS; do
    port="${PORT_OF[$name]}" dir="$BENCH/.run/idle/$name"
    if ! RUN_DIR="$dir" PORT="$port" "$BENCH/peers/$name/start.sh" >&2; then
      echo "idle-mem: $name did not start; round $round left out" >&2; continue
    fi
    RUNNING="$name"
    pids="$(cut -d' ' -f1 "$dir/pids" | paste -sd,)"
    before="$(hello "$port")"
    sleep 2  # start-up allocations settle before RSS_0
    tls_arg=()
    [ "$TLS" = 1 ] && tls_arg=(--tls)
    res="$(timeout 900 /usr/bin/python3 "$BENCH/tools/h2-idle-conns.py" --port "$(client_port "$port")" \
             --pids "$pids" --counts "$COUNTS" --settle "$SETTLE" "${tls_arg[@]}")" || res='{"runs": []}'
    after="$(hello "$port")"
    echo "round $round/$ROUNDS $name: /hello $before before, $after after; $res" >&2
    /usr/bin/python3 -c 'import json, sys
d = json.loads(sys.argv[1]); d.update(round=int(sys.argv[2]), peer=sys.argv[3], hello_after=sys.argv[4])
print(json.dumps(d))' "$res" "$round" "$name" "$after" >>"$raw"
    stop
  done
done
/usr/bin/python3 "$BENCH/tools/summarize-idle-mem.py" "$raw" | tee "$OUT/summary.md"
