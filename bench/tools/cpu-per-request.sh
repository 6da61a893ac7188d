#!/usr/bin/env bash
# Server cost per request under h2load, from the kernel's own accounting rather than req/s
# (which a loaded machine distorts): CPU time (utime+stime of every thread, /proc/PID/stat)
# and context switches (voluntary and involuntary, summed over /proc/PID/task/*/status) per
# request completed, with h2load's req/s beside them and the load average before the run.
#
#   bench/tools/cpu-per-request.sh PID URL [h2load options...]
#   e.g. bench/tools/cpu-per-request.sh "$(pgrep -n rodeo_demo)" http://127.0.0.1:18150/hello \
#          -c16 -m16 -n200000
#
# Prints one line: label=value pairs (cpu_us_per_req, vcsw_per_req, ivcsw_per_req, req_s,
# done, loadavg).
set -euo pipefail
pid="${1:?PID}" url="${2:?URL}"
shift 2
hz="$(getconf CLK_TCK)"
cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
switches() {  # voluntary involuntary, summed over the threads alive now
  cat /proc/"$pid"/task/*/status 2>/dev/null |
    awk '/^voluntary_ctxt_switches/ {v += $2} /^nonvoluntary_ctxt_switches/ {n += $2}
         END {print v + 0, n + 0}'
}
load="$(cut -d' ' -f1 /proc/loadavg)"
c0="$(cpu)"
read -r v0 n0 < <(switches)
out="$(h2load "$@" "$url" 2>&1)"
c1="$(cpu)"
read -r v1 n1 < <(switches)
done_n="$(awk '/^requests:/ {for (i = 1; i <= NF; i++) if ($(i + 1) == "succeeded,") print $i}' <<<"$out")"
rps="$(awk '/^finished in/ {print $4}' <<<"$out")"
[ -n "$done_n" ] && [ "$done_n" -gt 0 ] || { echo "no request succeeded:" >&2; echo "$out" >&2; exit 1; }
awk -v c="$((c1 - c0))" -v hz="$hz" -v n="$done_n" -v v="$((v1 - v0))" -v iv="$((n1 - n0))" \
    -v rps="$rps" -v load="$load" 'BEGIN {
  printf "cpu_us_per_req=%.2f vcsw_per_req=%.4f ivcsw_per_req=%.4f req_s=%s done=%d loadavg=%s\n",
         c * 1e6 / hz / n, v / n, iv / n, rps, n, load }'
