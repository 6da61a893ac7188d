#!/usr/bin/env bash
# Server memory during large downloads: rodeo_file_server serves a 1 GiB sparse file; curl
# fetches it over HTTP/1.1, h2c and h2 (TLS), at full speed and through a slow reader; the
# server's VmRSS is sampled every 50 ms. Prints one line per download: peak RSS growth over
# the RSS before it, and the RSS after it.
#   bench/download-mem.sh               1 GiB, slow reader at 50 MB/s
#   SIZE=4G RATE=20M bench/download-mem.sh
# Knobs: SIZE (truncate size), RATE (curl --limit-rate for the slow runs), PORT (18700; TLS +1),
#        FILE_SERVER (default: rodeo_file_server under build/release).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SIZE=${SIZE:-1G}
RATE=${RATE:-50M}
PORT=${PORT:-18700}
FILE_SERVER=${FILE_SERVER:-$ROOT/build/release/apps/file_server/rodeo_file_server}
if [ ! -x "$FILE_SERVER" ]; then
  cmake --preset release >/dev/null && cmake --build "$ROOT/build/release" --target rodeo_file_server -j2 >/dev/null
fi

dir=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$dir"' EXIT
mkdir "$dir/root"
truncate -s "$SIZE" "$dir/root/big.bin"   # sparse: the page cache, not the disk, feeds it
bytes=$(stat -c %s "$dir/root/big.bin")
"$FILE_SERVER" --root "$dir/root" --port "$PORT" --tls-port $((PORT + 1)) --quiet >"$dir/log" 2>&1 &
pid=$!
for _ in $(seq 100); do grep -q "http://" "$dir/log" 2>/dev/null && break; sleep 0.05; done

rss() { awk '/^VmRSS/ {print $2}' "/proc/$pid/status"; }

download() {  # label, curl flags...
  local label=$1; shift
  local before peak now got
  before=$(rss); peak=$before
  curl -sS -o /dev/null -w '%{size_download} %{time_total}\n' "$@" >"$dir/curl" &
  local c=$!
  while kill -0 "$c" 2>/dev/null; do
    now=$(rss); [ "$now" -gt "$peak" ] && peak=$now
    sleep 0.05
  done
  wait "$c"
  read -r got secs <"$dir/curl"
  [ "$got" = "$bytes" ] || { echo "$label: got $got of $bytes bytes" >&2; exit 1; }
  printf '%-28s %6.1f s  RSS before %7.1f MiB  peak +%6.1f MiB  after %7.1f MiB\n' \
    "$label" "$secs" "$(bc -l <<<"$before/1024")" "$(bc -l <<<"($peak-$before)/1024")" \
    "$(bc -l <<<"$(rss)/1024")"
}

echo "file: $SIZE ($bytes bytes), server: ${FILE_SERVER#"$ROOT"/}"
http="http://127.0.0.1:$PORT/big.bin"
https="https://127.0.0.1:$((PORT + 1))/big.bin"
download "HTTP/1.1"                  --http1.1 "$http"
download "h2c"                       --http2-prior-knowledge "$http"
download "h2 (TLS)"                  --http2 -k "$https"
download "HTTP/1.1, reader $RATE/s"  --http1.1 --limit-rate "$RATE" "$http"
download "h2c, reader $RATE/s"       --http2-prior-knowledge --limit-rate "$RATE" "$http"
