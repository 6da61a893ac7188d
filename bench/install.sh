#!/usr/bin/env bash
# Installs with apt-get only what the benchmark needs and the machine lacks:
#
#   bench/install.sh [PEER ...]      (default: nghttpd h2o nginx go node)
#
# Always: nghttp2-client (h2load, nghttp), curl, iproute2 (ss, ip), python3,
# python3-matplotlib (tools/charts.py draws the tables as SVG).
# Per peer: nghttpd -> nghttp2-server; h2o -> h2o; nginx -> nginx; gtlsserver -> ngtcp2-server;
#           go -> golang-go + golang-golang-x-net-dev. Node is the machine's own
#           (not installed here); a missing `node` is reported.
# The nginx and h2o packages start their system services when installed. For the
# install, a policy-rc.d that refuses service starts is put in place if there is
# none (and removed afterwards); on a systemd host the two services are disabled.
# Nothing is installed when nothing is missing (no apt-get update either).
set -euo pipefail
PEERS=("$@")
[ ${#PEERS[@]} -gt 0 ] || PEERS=(nghttpd h2o nginx go node)

missing=()
need() {  # need PACKAGE TEST...  : queue PACKAGE when the test fails
  local pkg="$1"; shift
  if ! "$@" >/dev/null 2>&1; then
    [[ " ${missing[*]:-} " == *" $pkg "* ]] || missing+=("$pkg")
  fi
}
need nghttp2-client command -v h2load
need nghttp2-client command -v nghttp
need curl command -v curl
need iproute2 command -v ss
need python3 test -x /usr/bin/python3
need python3-matplotlib /usr/bin/python3 -c 'import matplotlib'
for p in "${PEERS[@]}"; do
  case "$p" in
    nghttpd) need nghttp2-server command -v nghttpd ;;
    h2o) need h2o command -v h2o ;;
    nginx) need nginx command -v nginx ;;
    go)
      need golang-go command -v go
      need golang-golang-x-net-dev test -d /usr/share/gocode/src/golang.org/x/net/http2/h2c ;;
    node) command -v node >/dev/null || echo "install.sh: no node on this machine; the node peer will be left out" >&2 ;;
    gtlsserver) need ngtcp2-server command -v gtlsserver ;;
    rodeo|rodeo-io) ;;
    *) echo "install.sh: unknown peer $p" >&2; exit 2 ;;
  esac
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install.sh: nothing to install" >&2
  exit 0
fi
[ "$(id -u)" = 0 ] || { echo "install.sh: missing ${missing[*]}; run as root to install" >&2; exit 1; }

policy=/usr/sbin/policy-rc.d
made_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\n# bench/install.sh: no service starts during the install\nexit 101\n' >"$policy"
  chmod +x "$policy"
  made_policy=1
fi
cleanup() { [ "$made_policy" = 0 ] || rm -f "$policy"; }
trap cleanup EXIT

echo "install.sh: apt-get install ${missing[*]}" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null; then
  systemctl disable --now nginx h2o >/dev/null 2>&1 || true
fi
echo "install.sh: installed ${missing[*]}" >&2
