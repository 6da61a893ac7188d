#!/usr/bin/env bash
# Rodeo's demo with its request actors on the io threads (--actor-placement io_thread), as a
# peer beside `rodeo` (CAF's workers): the same binary and flags (../rodeo/start.sh) on PORT
# (default 18160) and PORT+1, so that one interleaved run compares the two placements.
set -euo pipefail
dir="$(cd "$(dirname "$0")" && pwd)"
export PORT="${PORT:-18160}" RUN_DIR="${RUN_DIR:-$dir/../../.run/peers/rodeo-io}"
export RODEO_ACTOR_PLACEMENT=io_thread
exec "$dir/../rodeo/start.sh"
