#!/usr/bin/env bash
# The emulated WAN of the page-load scenario, between two namespaces of its own:
#
#   tools/netns.sh up      rodeo-srv (10.200.0.1) <-> rodeo-cli (10.200.0.2) through
#                          tools/linkemu.py: RTT_MS round trip, RATE_MBIT each way
#   tools/netns.sh down    stops linkemu (its recorded pid) and deletes both namespaces
#
# Knobs: RTT_MS=50 RATE_MBIT=20 QUEUE_MS=500. Needs root. Nothing outside the two
# namespaces is touched; state (pid, log) goes to bench/.run/netns/.
set -euo pipefail
STATE="$(cd "$(dirname "$0")/.." && pwd)/.run/netns"
SRV=rodeo-srv CLI=rodeo-cli
RTT_MS="${RTT_MS:-50}" RATE_MBIT="${RATE_MBIT:-20}" QUEUE_MS="${QUEUE_MS:-500}"
exists() { ip netns list | awk '{ print $1 }' | grep -qx "$1"; }

down() {
  local pid
  if [ -s "$STATE/linkemu.pid" ]; then
    pid="$(cat "$STATE/linkemu.pid")"
    if grep -q linkemu "/proc/$pid/cmdline" 2>/dev/null; then
      kill -TERM "$pid"
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
    rm -f "$STATE/linkemu.pid"
    cat "$STATE/linkemu.log" 2>/dev/null || true
  fi
  for ns in $SRV $CLI; do if exists $ns; then ip netns del $ns; fi; done
}

up() {
  [ "$(id -u)" = 0 ] || { echo "netns.sh: needs root" >&2; exit 1; }
  for ns in $SRV $CLI; do
    if exists $ns; then echo "netns.sh: $ns exists; run '$0 down' first" >&2; exit 1; fi
  done
  mkdir -p "$STATE"
  rm -f "$STATE/ready"
  for ns in $SRV $CLI; do
    ip netns add $ns
    ip -n $ns link set lo up
    # every connection starts from a cold congestion window
    ip netns exec $ns sysctl -qw net.ipv4.tcp_no_metrics_save=1
  done
  /usr/bin/python3 "$(dirname "$0")/linkemu.py" $SRV rodeo-tun-s $CLI rodeo-tun-c \
    --delay-ms "$(awk -v r="$RTT_MS" 'BEGIN { print r / 2 }')" --rate-mbit "$RATE_MBIT" \
    --queue-ms "$QUEUE_MS" --ready-file "$STATE/ready" >"$STATE/linkemu.log" 2>&1 &
  echo $! >"$STATE/linkemu.pid"
  for _ in $(seq 50); do [ -s "$STATE/ready" ] && break; sleep 0.1; done
  [ -s "$STATE/ready" ] || { cat "$STATE/linkemu.log" >&2; down; exit 1; }
  ip -n $SRV addr add 10.200.0.1 peer 10.200.0.2 dev rodeo-tun-s
  ip -n $CLI addr add 10.200.0.2 peer 10.200.0.1 dev rodeo-tun-c
  ip -n $SRV link set rodeo-tun-s up
  ip -n $CLI link set rodeo-tun-c up
  echo "netns: $SRV (10.200.0.1) <-> $CLI (10.200.0.2), rtt ${RTT_MS} ms, ${RATE_MBIT} Mbit/s each way"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  *) echo "usage: $0 up|down" >&2; exit 2 ;;
esac
