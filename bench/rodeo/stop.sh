#!/usr/bin/env bash
# Stops exactly the pids rodeo/start.sh recorded (same RUN_DIR/PORT knobs).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [ -f "$here/../common.sh" ]; then
  source "$here/../common.sh"
else
  source "$("$here/../prepare.sh" --path)/peers/common.sh"
fi
stop_peer rodeo 18150
