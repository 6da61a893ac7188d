#!/usr/bin/env bash
# Stops exactly the processes start.sh recorded (same RUN_DIR and PORT knobs).
set -euo pipefail
dir="$(cd "$(dirname "$0")" && pwd)"
export PORT="${PORT:-18160}" RUN_DIR="${RUN_DIR:-$dir/../../.run/peers/rodeo-io}"
exec "$dir/../rodeo/stop.sh"
