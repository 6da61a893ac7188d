#!/usr/bin/env bash
# Installs the build into a temporary prefix, then configures, builds and runs the user
# project above against it: find_package(rodeo) must work out of the tree.
set -euo pipefail
build=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" --component rodeo_development >/dev/null
cmake -S "$(dirname "$0")" -B "$work/build" -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/build" -j 2 >/dev/null
"$work/build/package_user"
"$work/build/router_user"
