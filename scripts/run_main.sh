#!/usr/bin/env bash
# Installs what is missing (Debian packages, including dataset-fashion-mnist), builds, and runs the
# main job: examples/fashion_mnist_convnet, Keras's simple convnet trained on Fashion-MNIST with
# the cpu backend. Arguments are passed to it, e.g. `bash scripts/run_main.sh --epochs 2` or
# `--backend torch`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${KERAS_BUILD_DIR:-$root/build}"
bash "$root/scripts/setup.sh"
bash "$root/scripts/build.sh" --target fashion_mnist_convnet
"$build/examples/fashion_mnist_convnet" "$@"
