#!/usr/bin/env bash
# Installs what is missing, builds everything (Release, torch backend ON), runs every test, then a
# short run of each libFuzzer target over the file parsers (KERAS_SKIP_FUZZ=1 skips it).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${KERAS_BUILD_DIR:-$root/build}"
bash "$root/scripts/setup.sh"
# Python Keras 3 for the keras_python_interop test (skipped, visibly, when PyPI is unreachable).
bash "$root/scripts/setup_python.sh" || echo "test.sh: setup_python.sh failed; keras_python_interop will be skipped" >&2
bash "$root/scripts/build.sh"
ctest --test-dir "$build" --output-on-failure
if [[ -z "${KERAS_SKIP_FUZZ:-}" ]]; then
  # A fixed number of inputs and a fixed seed per target, so the run is repeatable; any crash,
  # sanitizer report, leak or hang fails the run (see fuzz/README.md).
  FUZZ_RUNS="${FUZZ_RUNS:-20000}" bash "$root/scripts/fuzz.sh"
fi
