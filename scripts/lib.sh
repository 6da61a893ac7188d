# Shared by scripts/demo and scripts/test: install what is missing, configure, build.
# Quiet when nothing is missing. Sourced, not run.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JOBS=${JOBS:-$(nproc)}

# Debian packages the build needs.
BUILD_PACKAGES=(g++ cmake make pkg-config libcaf-dev libnghttp2-dev libssl-dev libspdlog-dev
                libfmt-dev doctest-dev node-llhttp libasio-dev libjemalloc-dev zlib1g-dev
                libbrotli-dev nlohmann-json3-dev libwslay-dev libnghttp3-dev libngtcp2-dev
                libngtcp2-crypto-gnutls-dev libgnutls28-dev)
# Real clients the tests drive.
TEST_PACKAGES=(curl nghttp2-client python3-h2 nodejs openssl procps golang-go
               golang-golang-x-net-dev python3-brotli prometheus python3-prometheus-client
               chromium python3-websockets ngtcp2-server ngtcp2-client)
# scripts/fuzz: clang 14 with libFuzzer; llvm for llvm-symbolizer (readable crash stacks).
FUZZ_PACKAGES=(clang libfuzzer-14-dev llvm)
# scripts/check-format: the .clang-format layout.
FORMAT_PACKAGES=(clang-format-14)

# ensure_packages PKG...: apt-get install only the missing ones.
ensure_packages() {
  local missing=()
  local p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "installing: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo=sudo
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq >/dev/null
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# build PRESET [TARGET...]: configure once, then build quietly; show the log on failure.
build() {
  local preset=$1; shift
  local dir="$ROOT/build/$preset"
  local log="$dir.log"
  mkdir -p "$ROOT/build"
  if [ ! -f "$dir/CMakeCache.txt" ]; then
    cmake --preset "$preset" -S "$ROOT" >"$log" 2>&1 || { cat "$log"; return 1; }
  elif [ $# -gt 0 ]; then
    # Named targets: make cannot regenerate the build system for a target it does not know
    # yet (one added since the last configure), so configure again first (quick, cached).
    cmake -S "$ROOT" -B "$dir" >"$log" 2>&1 || { cat "$log"; return 1; }
  fi
  local targets=()
  local t
  for t in "$@"; do targets+=(--target "$t"); done
  cmake --build "$dir" -j "$JOBS" "${targets[@]}" >"$log" 2>&1 || { tail -n 80 "$log"; return 1; }
}
