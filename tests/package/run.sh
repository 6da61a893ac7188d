#!/usr/bin/env bash
# Installs the build into a temporary prefix, checks that only the public headers are there
# (every installed header's rodeo includes installed too, the internals absent), then
# configures, builds and runs the user project above against it: find_package(rodeo) must
# work out of the tree.
set -euo pipefail
build=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" --component rodeo_development >/dev/null
include="$work/prefix/include"
status=0
# Internal headers (engines, connection, transport, TLS, the request parser and its llhttp,
# the runtime's plumbing) are not part of the package.
for internal in rodeo/internal/net/connection.hpp rodeo/internal/net/transport.hpp rodeo/internal/protocol/protocol.hpp \
                rodeo/internal/net/server_context.hpp rodeo/internal/actor/stream_link.hpp rodeo/internal/actor/req_access.hpp \
                rodeo/internal/actor/request_actor.hpp rodeo/internal/protocol/http1/request_parser.hpp rodeo/internal/protocol/http2/engine.hpp \
                rodeo/internal/net/tls/context.hpp rodeo/internal/net/memory_transport.hpp \
                rodeo/testing/peer.hpp llhttp.h; do
  if [ -e "$include/$internal" ]; then
    echo "internal header installed: $internal"
    status=1
  fi
done
# What is installed is complete: a public header includes only installed rodeo headers.
while IFS= read -r header; do
  while IFS= read -r dep; do
    if [ ! -e "$include/$dep" ]; then
      echo "${header#"$include/"} includes $dep, which is not installed"
      status=1
    fi
  done < <(sed -n 's/^#include ["<]\(rodeo\/[^">]*\)[">].*/\1/p' "$header")
done < <(find "$include/rodeo" -name '*.hpp')
[ "$status" -eq 0 ] || exit "$status"
cmake -S "$(dirname "$0")" -B "$work/build" -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/build" -j 2 >/dev/null
"$work/build/package_user"
"$work/build/router_user"
"$work/build/testing_user"
# Built with RODEO_JSON: the header is installed and json_user was built against it.
if [ -e "$include/rodeo/json/json.hpp" ]; then "$work/build/json_user"; fi
