#!/usr/bin/env bash
# Creates the Python virtual environment of the peers that bench/peers.sh measures keras-cpp
# against: Python Keras 3 on JAX, on TensorFlow and on PyTorch, and plain PyTorch 2.x, all from
# PyPI at pinned versions, in ONE venv (pip resolves them together; PyTorch's wheel from PyPI
# pulls its CUDA libraries, so the venv takes several GB). Only the benchmark uses it: neither the
# build nor the tests (scripts/test.sh) need it, and they never make it.
#
# Idempotent: when the venv is complete (marker file written last) it does nothing. When PyPI
# cannot be reached or an install fails, it prints a warning, removes what it made and exits 0;
# bench/peers.sh then prints the peer columns as skipped.
#
# The venv lives in a cache keyed by the pinned versions and the Python version
# ($KERAS_CACHE_DIR, default ~/.cache/keras-cpp/venv-bench-<key>).
#
#   scripts/setup_bench_venv.sh               make the venv (or say it is ready)
#   scripts/setup_bench_venv.sh --print-path  print where the venv is (made or not) and exit;
#                                             bench/peers.sh finds it this way
#   KERAS_BENCH_VENV   use this venv directory instead (no cache)
#   PYTHON             the Python to make the venv with (default python3, which must be 3.11:
#                      the pins were resolved there)
set -euo pipefail
python="${PYTHON:-python3}"

# Keras 3.15.1 is the version of the interop fixtures; JAX 0.10.2 is the one the interop venv
# (scripts/setup_python.sh) runs it on. TensorFlow 2.21 (CPU wheel), PyTorch 2.15 and numpy 2.4.6
# are the newest releases that resolve together with them on Python 3.11 (checked with
# `pip install --dry-run`); h5py is pinned to what that resolution picks.
requirements=(
  "keras==3.15.1"
  "jax[cpu]==0.10.2"
  "jaxlib==0.10.2"
  "tensorflow-cpu==2.21.0"
  "torch==2.15.0"
  "numpy==2.4.6"
  "h5py==3.14.0"
)
wanted="${requirements[*]}"
if [[ -n "${KERAS_BENCH_VENV:-}" ]]; then
  venv="$KERAS_BENCH_VENV"
else
  pyver="$("$python" -c 'import sys; print(sys.version.split()[0])' 2>/dev/null || echo none)"
  key="$(printf '%s python %s\n' "$wanted" "$pyver" | sha256sum | cut -c1-12)"
  venv="${KERAS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/keras-cpp}/venv-bench-$key"
fi
marker="$venv/.keras-cpp-venv-ready"

if [[ "${1:-}" == "--print-path" ]]; then
  echo "$venv"
  exit 0
fi
if [[ -f "$marker" && "$(cat "$marker")" == "$wanted" && -x "$venv/bin/python" ]]; then
  echo "setup_bench_venv.sh: $venv is ready ($wanted)"
  exit 0
fi

warn() {
  echo "setup_bench_venv.sh: WARNING: $*" >&2
  echo "setup_bench_venv.sh: WARNING: bench/peers.sh will print the Python peers as skipped;" \
    "rerun scripts/setup_bench_venv.sh when PyPI is reachable" >&2
}

# Never leave a half-made venv behind: it is removed on any failure or interruption.
made=0
cleanup() {
  if [[ "$made" == 1 && ! -f "$marker" ]]; then rm -rf "$venv"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if ! command -v "$python" >/dev/null 2>&1; then
  warn "no $python found"
  exit 0
fi
pyminor="$("$python" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"
if [[ "$pyminor" != "3.11" ]]; then
  echo "setup_bench_venv.sh: note: $python is Python $pyminor; the pins were resolved on 3.11" >&2
fi

rm -rf "$venv"
mkdir -p "$(dirname "$venv")"
made=1
if ! "$python" -m venv "$venv"; then
  warn "$python -m venv $venv failed (Debian's python3 needs python3-venv; scripts/setup_python.sh installs it)"
  exit 0
fi

echo "setup_bench_venv.sh: installing $wanted into $venv (several GB: PyTorch's CUDA wheels)"
start=$SECONDS
if ! "$venv/bin/python" -m pip install --disable-pip-version-check --no-input --quiet \
  --timeout 60 --retries 3 "${requirements[@]}"; then
  warn "pip install failed (PyPI unreachable?)"
  exit 0
fi
# Each Keras backend must import and run a tiny op on the CPU before the venv is declared ready.
# (Its output, TensorFlow's logging included, is shown only when it fails.)
for backend in jax tensorflow torch; do
  if ! check="$(KERAS_HOME="$venv/keras_home" KERAS_BACKEND="$backend" JAX_PLATFORMS=cpu \
    CUDA_VISIBLE_DEVICES="" TF_CPP_MIN_LOG_LEVEL=3 "$venv/bin/python" -c '
import keras
assert keras.__version__ == "3.15.1", keras.__version__
import os
assert keras.backend.backend() == os.environ["KERAS_BACKEND"], keras.backend.backend()
keras.ops.convert_to_numpy(keras.ops.ones(2) + 1)
' 2>&1)"; then
    echo "$check" >&2
    warn "Keras 3.15.1 on $backend does not import/run"
    exit 0
  fi
done
if ! "$venv/bin/python" -c 'import torch; assert torch.__version__.startswith("2."); torch.ones(2) + 1'; then
  warn "PyTorch does not import"
  exit 0
fi
echo "$wanted" >"$marker"
echo "setup_bench_venv.sh: $venv ready in $((SECONDS - start)) s ($(du -sh "$venv" | cut -f1))"
