#!/usr/bin/env bash
# Installs what frontline needs from Debian 12's packages (only what is missing) and builds it.
# Sourced by scripts/demo and scripts/test; usable alone: scripts/setup.sh [BUILD_DIR] [cmake args...]
set -euo pipefail

FRONTLINE_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
FRONTLINE_PACKAGES=(g++ cmake ninja-build pkg-config libgdal-dev libgeos-dev libproj-dev
                    libcli11-dev nlohmann-json3-dev rapidjson-dev libgtest-dev libssl-dev libsqlite3-dev libjs-leaflet
                    libcairo2-dev fonts-dejavu-core patchelf)
# scripts/fuzz (and so .ci/run) also needs clang and its libFuzzer runtime.
FRONTLINE_FUZZ_PACKAGES=(clang libclang-rt-14-dev)

frontline_install_packages() {
  local missing=()
  for p in "${FRONTLINE_PACKAGES[@]}" "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if ((${#missing[@]})); then
    echo "frontline: installing ${missing[*]} (apt)" >&2
    local sudo=()
    if [[ $(id -u) -ne 0 ]]; then
      command -v sudo >/dev/null || { echo "frontline: missing ${missing[*]}; run this as root or install sudo" >&2; exit 1; }
      sudo=(sudo)
    fi
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
  fi
}

# frontline_build BUILD_DIR [cmake args...]: configure (once) and build.
frontline_build() {
  local dir=$1; shift
  cmake -S "$FRONTLINE_ROOT" -B "$dir" -G Ninja "$@" >&2
  cmake --build "$dir" --parallel "$(nproc)" >&2
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  frontline_install_packages
  frontline_build "${1:-$FRONTLINE_ROOT/build}" "${@:2}"
fi
