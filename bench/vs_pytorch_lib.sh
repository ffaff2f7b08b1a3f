# Sourced by the bench/*_vs_pytorch.sh drivers (and run_benchmarks.sh): the repository root, the
# Python to run the PyTorch side with, the machine line each report starts with, and the
# side-by-side run of a benchmark program and its PyTorch twin.
#
# Sets ROOT and PYTHON (default /usr/bin/python3).
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-/usr/bin/python3}"

# require_bench NAME: BIN=$BUILD_DIR/bench/NAME (BUILD_DIR default <repo>/build), or exit 1 with
# how to build it.
require_bench() {
  BUILD_DIR="${BUILD_DIR:-$ROOT/build}"
  BIN="$BUILD_DIR/bench/$1"
  [[ -x "$BIN" ]] || { echo "missing $BIN: build it with ninja -C $BUILD_DIR $1" >&2; exit 1; }
}

# Unless OPENBLAS_CORETYPE is set, picks the OpenBLAS kernel matching the CPU's flags: OpenBLAS
# 0.3.21 (Debian 12) does not know recent Xeons and falls back to slow SSE3 kernels there, and
# PyTorch runs its GEMMs on it.
pick_openblas_coretype() {
  if [[ -z "${OPENBLAS_CORETYPE:-}" ]]; then
    if grep -qw avx512f /proc/cpuinfo; then export OPENBLAS_CORETYPE=SkylakeX
    elif grep -qw avx2 /proc/cpuinfo; then export OPENBLAS_CORETYPE=Haswell; fi
  fi
}

cpu_name() { grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'; }
load_average() { cut -d' ' -f1-3 /proc/loadavg; }

# run_side_by_side THREADS [ARGS...]: runs $BIN once per backend in BACKENDS and then
# bench/<name of $BIN>.py with --threads THREADS, all with ARGS, echoing their output; OUT (a
# temporary file, removed at exit) collects it for the report.
run_side_by_side() {
  local threads="$1"
  shift
  OUT="$(mktemp)"
  trap 'rm -f "$OUT"' EXIT
  for b in $BACKENDS; do
    "$BIN" --backend "$b" "$@" | tee -a "$OUT"
  done
  "$PYTHON" "$ROOT/bench/$(basename "$BIN").py" --threads "$threads" "$@" | tee -a "$OUT"
  echo "# load average after: $(load_average)"
  echo
}
