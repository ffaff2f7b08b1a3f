#!/usr/bin/env bash
# Installs the Debian 12 packages that building and testing keras-cpp need. Idempotent: when every
# package is already installed it does nothing (no apt-get at all), so reruns are fast.
set -euo pipefail

packages=(
  cmake ninja-build g++ pkg-config ccache      # toolchain (ccache: every build, fuzz included)
  libgtest-dev libgmock-dev libbenchmark-dev   # tests and benchmarks
  libdnnl-dev libopenblas-dev                  # cpu backend kernels (oneDNN, OpenBLAS)
  libopenblas-pthread-dev                      # OpenBLAS's headers (CMakeLists.txt reads them here)
  libopenblas0-openmp                          # the OpenBLAS build on OpenMP that the library links
  ocl-icd-opencl-dev                           # Debian's dnnl-config.cmake does find_package(OpenCL)
  libtorch-dev                                 # torch backend (LibTorch)
  nlohmann-json3-dev libhdf5-dev libzip-dev zlib1g-dev  # configs, .weights.h5, .keras/.npz
  python3-numpy python3-torch                  # fixture and reference scripts
  hdf5-tools                                   # h5dump / h5ls to inspect .weights.h5 files
  clang-14 libclang-rt-14-dev libomp-14-dev    # libFuzzer targets (scripts/fuzz.sh; OpenMP for clang)
  dataset-fashion-mnist                        # data for examples and dataset tests
)

missing=()
for p in "${packages[@]}"; do
  status="$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)"
  [ "$status" = "installed" ] || missing+=("$p")
done
if [ "${#missing[@]}" -eq 0 ]; then
  echo "setup.sh: all ${#packages[@]} packages are installed"
  exit 0
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
  else
    echo "setup.sh: not root and no sudo; install these packages: ${missing[*]}" >&2
    exit 1
  fi
fi
echo "setup.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update
"${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
