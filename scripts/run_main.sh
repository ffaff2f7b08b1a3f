#!/usr/bin/env bash
# Installs what is missing, builds, and runs the main demo: examples/ops_autodiff_demo (ops, a
# GradientTape gradient and a linear regression fitted by gradient descent on every built backend).
# Arguments are passed to the demo, e.g. `bash scripts/run_main.sh --backend torch`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${KERAS_BUILD_DIR:-$root/build}"
bash "$root/scripts/setup.sh"
bash "$root/scripts/build.sh" --target ops_autodiff_demo
"$build/examples/ops_autodiff_demo" "$@"
