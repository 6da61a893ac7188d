#!/usr/bin/env bash
# h2load against several running servers, targets interleaved A B C A B C ... per round:
#
#   bench/throughput.sh [LABEL=]URL [[LABEL=]URL ...]
#
# e.g. bench/throughput.sh nghttpd=http://127.0.0.1:18100/hello h2o=http://127.0.0.1:18110/hello
# Each run is `h2load -D DURATION --warm-up-time WARMUP -c CLIENTS -m STREAMS -t THREADS`
# inside `timeout`; http:// is h2c prior knowledge, https:// is TLS with ALPN h2
# (H2LOAD_EXTRA=--h1 for HTTP/1.1). Prints a Markdown table (tools/summarize-throughput.py):
# median req/s, median of h2load's mean request time, and ratios to the FIRST target.
# With LATENCY=1 every request's time is logged (h2load --log-file) and the table gives the
# median over rounds of each run's p50 and p99, with ratios of p50 (for -c 1 -m 1: lower is
# better; a ratio above 1 is slower than the first target).
#
# Knobs (environment) and defaults:
#   ROUNDS=3 DURATION=8 WARMUP=1 CLIENTS=16 STREAMS=16 THREADS=1 H2LOAD_EXTRA="" LATENCY=0
#   OUT=bench/.run/results/throughput-<UTC time>   (raw rows and every h2load log)
set -euo pipefail
BENCH="$(cd "$(dirname "$0")" && pwd)"
ROUNDS="${ROUNDS:-3}" DURATION="${DURATION:-8}" WARMUP="${WARMUP:-1}"
CLIENTS="${CLIENTS:-16}" STREAMS="${STREAMS:-16}" THREADS="${THREADS:-1}"
H2LOAD_EXTRA="${H2LOAD_EXTRA:-}" LATENCY="${LATENCY:-0}"
OUT="${OUT:-$BENCH/.run/results/throughput-$(date -u +%Y%m%dT%H%M%SZ)}"
limit=$((DURATION + WARMUP + 30))

[ $# -ge 1 ] || { sed -n '2,18p' "$0"; exit 2; }
command -v h2load >/dev/null || { echo "throughput.sh: no h2load (bench/install.sh)" >&2; exit 1; }
source "$BENCH/tools/targets.sh"
parse_targets "$@"

mkdir -p "$OUT"
raw="$OUT/raw.tsv"
printf 'round\tlabel\turl\treq_s\tmean_ms\tp50_ms\tp99_ms\tsucceeded\tfailed\terrored\tnon2xx\n' >"$raw"
settings="-D $DURATION --warm-up-time $WARMUP -c $CLIENTS -m $STREAMS -t $THREADS $H2LOAD_EXTRA"

to_ms() {  # an h2load time (850us, 1.23ms, 1.2s) in ms
  awk -v v="$1" 'BEGIN { if (sub(/us$/, "", v)) print v / 1000; else if (sub(/ms$/, "", v)) print v + 0;
                         else if (sub(/s$/, "", v)) print v * 1000; else print "nan" }'
}

for round in $(seq "$ROUNDS"); do
  for i in "${!URLS[@]}"; do
    label="${LABELS[$i]}" url="${URLS[$i]}"
    log="$OUT/r$round-${label//[^A-Za-z0-9_.-]/_}.log"
    reqlog=()
    [ "$LATENCY" = 1 ] && reqlog=(--log-file "${log%.log}.requests.tsv")
    # shellcheck disable=SC2086
    timeout "$limit" h2load $settings "${reqlog[@]}" "$url" >"$log" 2>&1 || true
    p50=nan p99=nan
    if [ "$LATENCY" = 1 ] && [ -s "${reqlog[1]}" ]; then
      # columns: start (us since the epoch), status, request time (us)
      read -r p50 p99 <<<"$(cut -f3 "${reqlog[1]}" | sort -n |
        awk '{ t[NR] = $1 } END { if (NR) printf "%.3f %.3f", t[int((NR + 1) / 2)] / 1000, t[int(NR * 0.99 + 0.999)] / 1000 }')"
    fi
    req_s="$(awk '/^finished in/ { gsub(",", "", $4); print $4 }' "$log")"
    mean="$(awk '/^time for request:/ { print $6 }' "$log")"
    read -r ok failed errored <<<"$(awk '/^requests:/ { print $8, $10, $12 }' "$log")"
    non2xx="$(awk '/^status codes:/ { print $5 + $7 + $9 }' "$log")"
    if [ -z "$req_s" ]; then
      echo "round $round $label: h2load gave no result, see $log" >&2
      req_s=0 mean=0us ok=0 failed=0 errored=1 non2xx=0
    fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$label" "$url" "$req_s" \
      "$(to_ms "$mean")" "${p50:-nan}" "${p99:-nan}" "$ok" "$failed" "$errored" "${non2xx:-0}" >>"$raw"
    printf 'round %d/%d  %-14s %10s req/s  mean %s\n' "$round" "$ROUNDS" "$label" "$req_s" "$mean" >&2
  done
done

echo "h2load $settings; $ROUNDS rounds, interleaved; $(date -u +%Y-%m-%dT%H:%M:%SZ)" >"$OUT/meta.txt"
flags=()
[ "$LATENCY" = 1 ] && flags=(--latency)
/usr/bin/python3 "$BENCH/tools/summarize-throughput.py" "${flags[@]}" "$raw" | tee "$OUT/summary.md"
