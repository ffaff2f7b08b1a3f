#!/usr/bin/env bash
# The ctest entry keras_python_interop: keras-cpp's files against real Python Keras 3.15.1 (JAX
# backend, CPU), both ways.
#   1. interop_export_models (per backend) builds, trains and saves models with keras-cpp;
#      keras_load.py loads them in Keras and compares predictions and optimizer state.
#   2. keras_save.py has Keras write files the fixtures do not cover; interop_import_models (per
#      backend) loads them in keras-cpp, compares with Keras's predictions and saves them again;
#      keras_load.py loads those back in Keras.
# Exits 77 (ctest SKIP_RETURN_CODE: reported as SKIPPED) when the venv made by
# scripts/setup_python.sh is missing. KERAS_INTEROP_KEEP=DIR keeps the files in DIR.
#
# usage: interop_test.sh SOURCE_DIR EXPORT_MODELS IMPORT_MODELS [BACKEND...]
# (every built backend, as `EXPORT_MODELS --list-backends` prints them, when none is named)
set -uo pipefail
src="$1" export_models="$2" import_models="$3"
shift 3
backends=("$@")
if [[ ${#backends[@]} -eq 0 ]]; then
  mapfile -t backends < <("$export_models" --list-backends)
fi
here="$src/tests/interop"
venv="${KERAS_PYTHON_VENV:-$src/build-venv}"
if [[ ! -f "$venv/.keras-cpp-venv-ready" ]]; then
  echo "SKIPPED: no Python Keras venv at $venv; run scripts/setup_python.sh (needs PyPI) to" \
    "check keras-cpp's files against Python Keras 3"
  exit 77
fi

if [[ -n "${KERAS_INTEROP_KEEP:-}" ]]; then
  work="$KERAS_INTEROP_KEEP"
  rm -rf "$work" && mkdir -p "$work"
else
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
fi
# Python Keras writes a keras.json (with "backend": "tensorflow") into KERAS_HOME: keep it away
# from keras-cpp, which reads the same file.
# XLA compiles every small step separately; its cheapest optimization level and a persistent
# compilation cache next to the venv keep this test short (the second backend, and later runs,
# reuse the compiled programs).
python() {
  KERAS_HOME="$work/python_keras_home" KERAS_BACKEND=jax JAX_PLATFORMS=cpu \
    XLA_FLAGS="--xla_backend_optimization_level=0 --xla_llvm_disable_expensive_passes=true" \
    JAX_COMPILATION_CACHE_DIR="$venv/jax-cache" JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS=0 \
    JAX_PERSISTENT_CACHE_MIN_ENTRY_SIZE_BYTES=0 PYTHONDONTWRITEBYTECODE=1 \
    "$venv/bin/python" "$@"
}

status=0
step() {  # step TITLE COMMAND...: runs it, reports its time, remembers a failure
  local title="$1" start=$SECONDS
  shift
  echo "=== $title"
  if ! "$@"; then
    status=1
    echo "=== FAILED: $title"
  fi
  echo "=== ($((SECONDS - start)) s)"
}

for b in "${backends[@]}"; do
  step "keras-cpp ($b) saves models" env KERAS_BACKEND="$b" "$export_models" "$work/cpp_$b"
  if [[ -f "$work/cpp_$b/manifest.json" ]]; then
    step "Python Keras loads keras-cpp's ($b) files" python "$here/keras_load.py" "$work/cpp_$b"
  fi
done
step "Python Keras saves models" python "$here/keras_save.py" "$work/python"
if [[ -f "$work/python/manifest.json" ]]; then
  for b in "${backends[@]}"; do
    step "keras-cpp ($b) loads Python Keras's files and saves them again" \
      env KERAS_BACKEND="$b" "$import_models" "$work/python" "$work/resaved_$b"
    if [[ -f "$work/resaved_$b/manifest.json" ]]; then
      step "Python Keras loads them as keras-cpp ($b) saved them" \
        python "$here/keras_load.py" "$work/resaved_$b"
    fi
  done
fi
exit $status
