#!/usr/bin/env bash
# Configures the user project above with Rodeo's source tree as a subdirectory, builds it
# and runs it (the package test's program: one request through a listener).
#   run.sh RODEO_SOURCE_DIR BUILD_DIR
# BUILD_DIR is kept between runs so that a rerun only rebuilds what changed.
set -euo pipefail
src=$(cd "$1" && pwd)
build=$2
mkdir -p "$build"
cmake -S "$(dirname "$0")" -B "$build" -DRODEO_SOURCE_DIR="$src" \
      -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$build/configure.log" 2>&1 \
  || { cat "$build/configure.log"; exit 1; }
cmake --build "$build" -j 2 >"$build/build.log" 2>&1 || { tail -n 60 "$build/build.log"; exit 1; }
"$build/subproject_user"
