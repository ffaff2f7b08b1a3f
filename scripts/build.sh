#!/usr/bin/env bash
# Configures and builds keras-cpp in build/ (Release, torch backend ON) with every core.
# Usage: scripts/build.sh [cmake --build arguments, e.g. --target keras-cpp]
# KERAS_BUILD_DIR overrides the build directory.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${KERAS_BUILD_DIR:-$root/build}"
source "$root/scripts/ccache_env.sh"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DKERAS_WITH_TORCH=ON \
  -DKERAS_BUILD_TESTS=ON -DKERAS_BUILD_EXAMPLES=ON "${ccache_cmake_args[@]}"
cmake --build "$build" -j "$(nproc)" "$@"
