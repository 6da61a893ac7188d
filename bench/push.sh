#!/usr/bin/env bash
# Push throughput with pushload, targets interleaved A B C A B C ... (the push
# counterpart of throughput.sh: h2load always refuses push).
#
#   bench/push.sh [LABEL=]URL [[LABEL=]URL ...]
#
# e.g. bench/push.sh nghttpd=http://127.0.0.1:18100/ rodeo=http://127.0.0.1:18150/
# A URL written h3+https://... is fetched over HTTP/3 (pushload --h3 https://...), e.g.
#   bench/push.sh rodeo-h3=h3+https://127.0.0.1:18151/ rodeo-h2=https://127.0.0.1:18151/
# The servers must already be running. For every round, every MODE and every
# target: one `pushload -D DURATION --warm-up WARMUP -c CLIENTS -m STREAMS -t THREADS`
# inside `timeout`. Modes:
#   push         connections live for the whole run, pages fetched over and over
#   nopush       the same with --no-push (SETTINGS_ENABLE_PUSH=0): same server config
#   cold-push    --reconnect 1: a new connection for every page (a cold page load)
#   cold-nopush  --reconnect 1 --no-push
#   get          the same flags as push, for a URL that pushes nothing (/hello, /app.js)
# Servers that push a resource only once per connection (h2o; Rodeo's push contract)
# push on the first page of a connection only: compare their "push" rows by the
# pushes/page column, or use the cold modes. Prints a Markdown table (tools/
# summarize-push.py): median pages/s, pushed streams/s, DATA MB/s, p50/p99 latency
# to the last pushed byte, and ratios to the FIRST target of the same mode.
#
# Knobs (environment) and defaults:
#   ROUNDS=3 DURATION=8 WARMUP=1 CLIENTS=16 STREAMS=4 THREADS=1 MODES="push nopush"
#   PUSHLOAD=<project>/build/bench/bench/pushload   PUSHLOAD_EXTRA=""
#   OUT=bench/.run/results/push-<UTC timestamp>
#   SERVER_PIDS="LABEL=PID[,PID...] ..."  the server processes of a target: adds the server's
#     CPU time (utime+stime, /proc/PID/stat) per page, over the whole run (warm-up
#     included) divided by pages/s x (WARMUP + DURATION): an estimate, like
#     tools/cpu-per-request.sh's but for pushload
set -euo pipefail
BENCH="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
ROUNDS="${ROUNDS:-3}" DURATION="${DURATION:-8}" WARMUP="${WARMUP:-1}"
CLIENTS="${CLIENTS:-16}" STREAMS="${STREAMS:-4}" THREADS="${THREADS:-1}"
MODES="${MODES:-push nopush}"
PUSHLOAD="${PUSHLOAD:-$ROOT/build/bench/bench/pushload}"
PUSHLOAD_EXTRA="${PUSHLOAD_EXTRA:-}"
OUT="${OUT:-$BENCH/.run/results/push-$(date -u +%Y%m%dT%H%M%SZ)}"
limit=$((DURATION + WARMUP + 30))

[ $# -ge 1 ] || { sed -n '2,22p' "$0"; exit 2; }
[ -x "$PUSHLOAD" ] || { echo "push.sh: no pushload at $PUSHLOAD (build target pushload)" >&2; exit 1; }

source "$BENCH/tools/targets.sh"
parse_targets "$@"
declare -A PIDS_OF=()
for kv in ${SERVER_PIDS:-}; do PIDS_OF["${kv%%=*}"]="${kv#*=}"; done
hz="$(getconf CLK_TCK)"
server_cpu() {  # server_cpu LABEL: clock ticks used so far by its server processes (or empty)
  local pids="${PIDS_OF[$1]:-}" pid t=0
  [ -n "$pids" ] || return 0
  for pid in ${pids//,/ }; do
    t=$((t + $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)))
  done
  echo "$t"
}

mkdir -p "$OUT"
raw="$OUT/raw.tsv"
fields="pages pages_per_s pushed_per_s bytes_per_s p50_ms p99_ms failed promised pushed cancelled refused errors"
printf 'round\tlabel\tmode\turl\t%s\tcpu_us_per_page\n' "$(tr ' ' '\t' <<<"$fields")" >"$raw"
settings="-D $DURATION --warm-up $WARMUP -c $CLIENTS -m $STREAMS -t $THREADS $PUSHLOAD_EXTRA"
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "pushload: $PUSHLOAD"
  echo "settings: $settings [+ --no-push / --reconnect 1 by mode]"
  echo "rounds: $ROUNDS  modes: $MODES"
  echo "nproc: $(nproc)  loadavg: $(cut -d' ' -f1-3 /proc/loadavg)"
} >"$OUT/meta.txt"

for round in $(seq 1 "$ROUNDS"); do
  for mode in $MODES; do
    case "$mode" in
      push|get) extra=() ;;
      nopush) extra=(--no-push) ;;
      cold-push) extra=(--reconnect 1) ;;
      cold-nopush) extra=(--reconnect 1 --no-push) ;;
      *) echo "push.sh: unknown mode $mode (push nopush cold-push cold-nopush get)" >&2; exit 2 ;;
    esac
    for i in "${!URLS[@]}"; do
      label="${LABELS[$i]}" url="${URLS[$i]}"
      log="$OUT/r${round}-${mode}-${label//[^A-Za-z0-9_.-]/_}.log"
      proto=() target="$url"
      if [[ "$url" == h3+* ]]; then proto=(--h3) target="${url#h3+}"; fi
      cpu0="$(server_cpu "$label")"
      # shellcheck disable=SC2086
      timeout "$limit" "$PUSHLOAD" -D "$DURATION" --warm-up "$WARMUP" -c "$CLIENTS" \
        -m "$STREAMS" -t "$THREADS" "${proto[@]}" "${extra[@]}" $PUSHLOAD_EXTRA "$target" \
        >"$log" 2>&1 || true
      cpu1="$(server_cpu "$label")"
      line="$(grep '^pushload: pages=' "$log" | tail -1 || true)"
      row=()
      for f in $fields; do
        v="$(sed -n "s/.* $f=\([^ ]*\).*/\1/p" <<<" ${line#pushload: }")"
        row+=("${v:-0}")
      done
      [ -n "$line" ] || echo "round $round $label $mode: pushload produced no result, see $log" >&2
      cpu=-
      if [ -n "$cpu0" ]; then
        cpu="$(awk -v t="$((cpu1 - cpu0))" -v hz="$hz" -v pps="${row[1]}" -v s="$((DURATION + WARMUP))" \
               'BEGIN { if (pps > 0) printf "%.1f", t * 1e6 / hz / (pps * s); else print "-" }')"
      fi
      printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$label" "$mode" "$url" \
        "$(IFS=$'\t'; echo "${row[*]}")" "$cpu" >>"$raw"
      printf 'round %d/%d  %-8s %-14s %10s pages/s  %10s pushed/s  p50 %s ms\n' "$round" \
        "$ROUNDS" "$mode" "$label" "${row[1]}" "${row[2]}" "${row[4]}" >&2
    done
  done
done

echo
echo "pushload $settings; modes: $MODES; $ROUNDS rounds, interleaved; $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo
/usr/bin/python3 "$BENCH/tools/summarize-push.py" "$raw" | tee "$OUT/summary.md"
echo
echo "raw: $raw"
