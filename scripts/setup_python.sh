#!/usr/bin/env bash
# Creates the Python virtual environment that the interop test (tests/interop/, ctest entry
# keras_python_interop) uses to check keras-cpp's files against real Python Keras 3 (JAX backend,
# CPU). The library itself never needs Python.
#
# Idempotent: when the venv is complete (marker file written last) it does nothing. When PyPI
# cannot be reached or an install fails, it prints a warning, removes what it made and exits 0,
# so the rest of the setup goes on; the interop test then reports itself as SKIPPED.
#
# The venv lives in a cache keyed by the pinned versions and the Python version
# ($KERAS_CACHE_DIR, default ~/.cache/keras-cpp/venv-interop-<key>), so a fresh clone (CI) reuses
# it; <repo>/build-venv is a link to it, which is where the interop test looks.
#
#   KERAS_PYTHON_VENV   use this venv directory instead (no cache, no link)
#   KERAS_SKIP_PYTHON=1 do nothing
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
python="${PYTHON:-python3}"

# The exact versions the interop test was written against: the fixtures' Keras, and a JAX that
# Keras 3.15.1 runs on with Python 3.11.
requirements=(
  "keras==3.15.1"
  "jax[cpu]==0.10.2"
  "jaxlib==0.10.2"
  "h5py==3.16.0"
  "numpy==2.4.6"
)
wanted="${requirements[*]}"
link=""
if [[ -n "${KERAS_PYTHON_VENV:-}" ]]; then
  venv="$KERAS_PYTHON_VENV"
else
  pyver="$("$python" -c 'import sys; print(sys.version.split()[0])' 2>/dev/null || echo none)"
  key="$(printf '%s python %s\n' "$wanted" "$pyver" | sha256sum | cut -c1-12)"
  venv="${KERAS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/keras-cpp}/venv-interop-$key"
  link="$root/build-venv"
fi
marker="$venv/.keras-cpp-venv-ready"
# Points <repo>/build-venv at the cached venv (replacing a venv made there by older scripts).
link_venv() {
  [[ -n "$link" ]] || return 0
  [[ -L "$link" || ! -e "$link" ]] || rm -rf "$link"
  ln -sfn "$venv" "$link"
}

if [[ -n "${KERAS_SKIP_PYTHON:-}" ]]; then
  echo "setup_python.sh: KERAS_SKIP_PYTHON is set; the Python Keras interop test will be skipped"
  exit 0
fi
if [[ -f "$marker" && "$(cat "$marker")" == "$wanted" && -x "$venv/bin/python" ]]; then
  link_venv
  echo "setup_python.sh: $venv is ready ($wanted)"
  exit 0
fi

warn() {
  echo "setup_python.sh: WARNING: $*" >&2
  echo "setup_python.sh: WARNING: the Python Keras interop test (keras_python_interop) will be" \
    "SKIPPED; rerun scripts/setup_python.sh when PyPI is reachable" >&2
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

rm -rf "$venv"
mkdir -p "$(dirname "$venv")"
made=1
if ! "$python" -m venv "$venv" >/dev/null 2>&1; then
  rm -rf "$venv"
  # Debian's python3 needs python3-venv (ensurepip) for `python3 -m venv`.
  pkg="python3-venv"
  ver="$("$python" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"
  if apt-cache show "python${ver}-venv" >/dev/null 2>&1; then pkg="python${ver}-venv"; fi
  sudo=()
  if [[ "$(id -u)" -ne 0 ]] && command -v sudo >/dev/null 2>&1; then sudo=(sudo); fi
  echo "setup_python.sh: installing $pkg for python -m venv"
  if ! { DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y --no-install-recommends \
    "$pkg" || { "${sudo[@]}" apt-get update &&
      DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y --no-install-recommends \
        "$pkg"; }; } >/dev/null; then
    warn "could not install $pkg"
    exit 0
  fi
  if ! "$python" -m venv "$venv"; then
    warn "$python -m venv $venv failed"
    exit 0
  fi
fi

echo "setup_python.sh: installing $wanted into $venv"
start=$SECONDS
if ! "$venv/bin/python" -m pip install --disable-pip-version-check --no-input --quiet \
  --timeout 30 --retries 2 "${requirements[@]}"; then
  warn "pip install failed (PyPI unreachable?)"
  exit 0
fi
# Importing Keras with the JAX backend is what the test does; check it works before declaring
# the venv ready.
if ! KERAS_HOME="$venv/keras_home" KERAS_BACKEND=jax JAX_PLATFORMS=cpu "$venv/bin/python" -c \
  'import keras, jax; assert keras.__version__ == "3.15.1", keras.__version__; jax.numpy.ones(2)'; then
  warn "the installed Keras/JAX do not import"
  exit 0
fi
echo "$wanted" >"$marker"
link_venv
echo "setup_python.sh: $venv ready in $((SECONDS - start)) s ($(du -sh "$venv" | cut -f1))"
