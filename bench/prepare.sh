#!/usr/bin/env bash
# Private, writable copy of the shared bench harness, so that nothing at run time
# writes into ../shared (which the project never edits):
#
#   bench/prepare.sh          refresh the copy, print its directory on stdout
#   bench/prepare.sh --path   print the directory; refresh only if it is missing
#
# The copy lives in bench/.run/shared/ (git-ignored) and is the shared tree as is,
# except:
#   fixtures/certs/   our own self-signed pair, made here with openssl (bench/.run/certs/).
#                     The shared make-cert.sh would write into ../shared/bench/fixtures.
#   peers/rodeo/      bench/rodeo/{start,stop}.sh, so the harness can start Rodeo like a peer
#   run-pageload.sh, tools/idle-mem.sh
#                     their port maps also know rodeo=18150 (checked after the edit)
# Run-time state (pidfiles, logs, results, the Go peer's binary) goes under the copy.
# Knob: SHARED_BENCH (default: ../shared/bench next to the project root).
set -euo pipefail
BENCH="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
SHARED_BENCH="${SHARED_BENCH:-$(cd "$ROOT/../shared/bench" 2>/dev/null && pwd || true)}"
RUN="$BENCH/.run"
MIRROR="$RUN/shared"
CERTS="$RUN/certs"

if [ "${1:-}" = --path ] && [ -x "$MIRROR/peers/rodeo/start.sh" ] && [ -s "$CERTS/cert.pem" ]; then
  echo "$MIRROR"; exit 0
fi
[ -n "$SHARED_BENCH" ] && [ -d "$SHARED_BENCH/peers" ] || {
  echo "prepare.sh: shared bench harness not found (set SHARED_BENCH)" >&2; exit 1; }

mkdir -p "$MIRROR" "$CERTS"

# Same parameters as the shared fixtures/make-cert.sh: ECDSA P-256, SANs for every
# address the harness uses (loopback and the page-load namespace's 10.200.0.1).
if [ ! -s "$CERTS/key.pem" ] || [ ! -s "$CERTS/cert.pem" ]; then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout "$CERTS/key.pem" -out "$CERTS/cert.pem" -days 3650 -subj "/CN=localhost" \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1,IP:10.200.0.1" \
    -addext "basicConstraints=critical,CA:FALSE" 2>/dev/null
  chmod 600 "$CERTS/key.pem"
  echo "prepare.sh: wrote $CERTS/cert.pem" >&2
fi

# Sources only; never the shared tree's own run-time leftovers.
tar -C "$SHARED_BENCH" --exclude=./fixtures/certs --exclude=./results \
    --exclude='./peers/*/run*' --exclude=./tools/run -cf - . | tar -C "$MIRROR" -xf -
chmod -R u+w "$MIRROR"
rm -rf "$MIRROR/fixtures/certs"
ln -s "$CERTS" "$MIRROR/fixtures/certs"

mkdir -p "$MIRROR/peers/rodeo"
cp "$BENCH/rodeo/start.sh" "$BENCH/rodeo/stop.sh" "$MIRROR/peers/rodeo/"
chmod +x "$MIRROR/peers/rodeo/"*.sh

sed -i 's/\[node\]=18140)/[node]=18140 [rodeo]=18150)/' "$MIRROR/run-pageload.sh"
grep -q '\[rodeo\]=18150' "$MIRROR/run-pageload.sh" ||
  { echo "prepare.sh: could not add rodeo to run-pageload.sh's port map" >&2; exit 1; }
sed -i 's/\[cowboy\]=18080)/[cowboy]=18080 [rodeo]=18150)/' "$MIRROR/tools/idle-mem.sh"
grep -q '\[rodeo\]=18150' "$MIRROR/tools/idle-mem.sh" ||
  { echo "prepare.sh: could not add rodeo to tools/idle-mem.sh's port map" >&2; exit 1; }

echo "$MIRROR"
