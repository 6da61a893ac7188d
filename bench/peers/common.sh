# shellcheck shell=bash disable=SC2034
# Sourced by bench/peers/<name>/start.sh and stop.sh: what every peer shares.
#
# Knobs (environment):
#   BIND     address to listen on (default 127.0.0.1)
#   PORT     h2c (prior knowledge) port; TLS with ALPN is PORT+1 (default: the peer's own)
#   WORKERS  server threads or processes (default 1)
#   RUN_DIR  pidfile, logs, rendered config (default bench/.run/peers/<name>)
#   MAX_CONNS, IDLE_TIMEOUT  connection limit (h2o, nginx) and idle timeout in s (h2o; rodeo
#            when given: --idle-timeout and --request-timeout;
#            nginx keeps its 75 s): default 4096 and 10; tools/idle-mem.sh raises both
# The site and the certificate are made on first use under bench/.run/ (fixtures/).

PEERS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BENCH_DIR="$(cd "$PEERS_DIR/.." && pwd)"
SITE="$BENCH_DIR/.run/site"
CERT="$BENCH_DIR/.run/certs/cert.pem"
KEY="$BENCH_DIR/.run/certs/key.pem"

# What / and /index.html push, for the peers that need the list spelt out.
PUSH_PATHS="/style.css /app.js /img1.png /img2.png"

peer_init() {  # peer_init NAME DEFAULT_PORT
  PEER="$1"
  BIND="${BIND:-127.0.0.1}"
  PORT="${PORT:-$2}"
  TLS_PORT=$((PORT + 1))
  WORKERS="${WORKERS:-1}"
  MAX_CONNS="${MAX_CONNS:-4096}"
  IDLE_TIMEOUT="${IDLE_TIMEOUT:-10}"
  RUN_DIR="${RUN_DIR:-$BENCH_DIR/.run/peers/$PEER}"
  PIDFILE="$RUN_DIR/pids"
  mkdir -p "$RUN_DIR"
}

ensure_fixtures() {
  [ -s "$SITE/index.html" ] || /usr/bin/python3 "$BENCH_DIR/fixtures/gen-site.py" "$SITE" >/dev/null
  "$BENCH_DIR/fixtures/make-cert.sh" "$(dirname "$CERT")"
}

alive() {  # alive PID: running and not a zombie
  local st
  st="$(awk '/^State:/ {print $2}' "/proc/$1/status" 2>/dev/null)"
  [ -n "$st" ] && [ "$st" != Z ]
}

refuse_if_running() {
  local pid _
  if [ -s "$PIDFILE" ]; then
    while read -r pid _; do
      if [ -n "$pid" ] && alive "$pid"; then
        echo "$PEER: already running (pid $pid, $PIDFILE); run its stop.sh first" >&2
        exit 1
      fi
    done <"$PIDFILE"
    rm -f "$PIDFILE"
  fi
}

# record_pid PID COMM: stop.sh kills PID only while /proc/PID/comm is still COMM, so a
# recycled pid is never hit.
record_pid() { echo "$1 $2" >>"$PIDFILE"; }

wait_ports() {  # wait_ports PORT...: up to 15 s for each port to accept a connection
  local deadline=$((SECONDS + 15)) p
  for p in "$@"; do
    until (exec 3<>"/dev/tcp/$BIND/$p") 2>/dev/null; do
      if [ $SECONDS -ge $deadline ]; then
        echo "$PEER: $BIND:$p not listening after 15 s; logs in $RUN_DIR" >&2
        stop_peer "$PEER" "$PORT" >/dev/null 2>&1 || true
        exit 1
      fi
      sleep 0.1
    done
  done
  echo "$PEER: h2c http://$BIND:$PORT/  tls https://$BIND:$TLS_PORT/  pids: $(cut -d' ' -f1 "$PIDFILE" | paste -sd' ')"
}

render() {  # render TEMPLATE OUT: substitutes the @VARS@ of a config template
  sed -e "s|@BIND@|$BIND|g" -e "s|@PORT@|$PORT|g" -e "s|@TLS_PORT@|$TLS_PORT|g" \
      -e "s|@SITE@|$SITE|g" -e "s|@CERT@|$CERT|g" -e "s|@KEY@|$KEY|g" \
      -e "s|@RUN_DIR@|$RUN_DIR|g" -e "s|@WORKERS@|$WORKERS|g" \
      -e "s|@MAX_CONNS@|$MAX_CONNS|g" -e "s|@IDLE_TIMEOUT@|$IDLE_TIMEOUT|g" "$1" >"$2"
}

stop_peer() {  # stop_peer NAME DEFAULT_PORT: TERM (then KILL after 5 s) the recorded pids
  peer_init "$1" "$2"
  [ -s "$PIDFILE" ] || { echo "$PEER: not running (no $PIDFILE)"; return 0; }
  local pid comm
  while read -r pid comm; do
    [ -n "$pid" ] || continue
    if [ "$(cat "/proc/$pid/comm" 2>/dev/null)" != "$comm" ]; then
      echo "$PEER: pid $pid is gone or no longer $comm; left alone"; continue
    fi
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 50); do alive "$pid" || break; sleep 0.1; done
    alive "$pid" && kill -KILL "$pid" 2>/dev/null
    echo "$PEER: stopped pid $pid ($comm)"
  done <"$PIDFILE"
  rm -f "$PIDFILE"
}
