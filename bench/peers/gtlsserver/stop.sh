#!/usr/bin/env bash
# Stops exactly the processes start.sh recorded (same RUN_DIR and PORT knobs).
set -euo pipefail
source "$(dirname "$0")/../common.sh"
stop_peer gtlsserver 18170
