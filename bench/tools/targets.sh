# shellcheck shell=bash
# Sourced by throughput.sh and push.sh: parse_targets [LABEL=]URL... fills LABELS and URLS
# (a target without a label is labelled by its URL).
parse_targets() {
  LABELS=() URLS=()
  local arg
  for arg in "$@"; do
    if [[ "$arg" =~ ^([A-Za-z0-9_.:+-]+)=(.+)$ ]]; then
      LABELS+=("${BASH_REMATCH[1]}") URLS+=("${BASH_REMATCH[2]}")
    else
      LABELS+=("$arg") URLS+=("$arg")
    fi
  done
}
