#!/bin/bash
# LSTM(128) + Dense(10) over 28 steps of 28 features, batch 128, Adam: keras-cpp (each backend
# given in BACKENDS, default cpu) and the same model in PyTorch (Debian's python3-torch), side by
# side in one run, with samples/s and the ratio ours / PyTorch.
#
#   bench/lstm_vs_pytorch.sh [--steps N] [--warmup N] [--repeats N] [--batch-size N]
#
# Environment: BUILD_DIR (default <repo>/build; must hold bench/lstm_vs_pytorch, built with
# `ninja -C build lstm_vs_pytorch`), BACKENDS (default cpu), PYTHON (default /usr/bin/python3),
# THREADS (default 2: PyTorch runs torch.set_num_threads(THREADS), ours OMP_NUM_THREADS=THREADS).
# OpenBLAS runs single-threaded (OPENBLAS_NUM_THREADS=1) for both. Unless OPENBLAS_CORETYPE is
# set, the kernel matching the CPU's flags is picked (Debian's OpenBLAS 0.3.21 does not know recent
# Xeons and falls back to slow SSE3 kernels; PyTorch's CPU LSTM runs its GEMMs on it).
# On a loaded machine, OMP_WAIT_POLICY=passive avoids OpenMP spin-waiting against other processes.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build}"
PYTHON="${PYTHON:-/usr/bin/python3}"
BACKENDS="${BACKENDS:-cpu}"
THREADS="${THREADS:-2}"
BIN="$BUILD_DIR/bench/lstm_vs_pytorch"
[[ -x "$BIN" ]] || { echo "missing $BIN: build it with ninja -C $BUILD_DIR lstm_vs_pytorch" >&2; exit 1; }
export OMP_NUM_THREADS="$THREADS"
export OPENBLAS_NUM_THREADS=1
if [[ -z "${OPENBLAS_CORETYPE:-}" ]]; then
  if grep -qw avx512f /proc/cpuinfo; then export OPENBLAS_CORETYPE=SkylakeX
  elif grep -qw avx2 /proc/cpuinfo; then export OPENBLAS_CORETYPE=Haswell; fi
fi

OUT="$(mktemp)"
trap 'rm -f "$OUT"' EXIT
echo "# $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), nproc=$(nproc)," \
  "threads=$THREADS, OPENBLAS_NUM_THREADS=1, OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-auto}," \
  "OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-default}, load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for b in $BACKENDS; do
  "$BIN" --backend "$b" "$@" | tee -a "$OUT"
done
"$PYTHON" "$ROOT/bench/lstm_vs_pytorch.py" --threads "$THREADS" "$@" | tee -a "$OUT"
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
"$PYTHON" - "$OUT" <<'PY'
import sys
rows = {}
for line in open(sys.argv[1]):
    if line.startswith("RESULT "):
        kv = dict(p.split("=", 1) for p in line.split()[1:])
        rows[(kv["mode"], kv["backend"])] = float(kv["samples_per_s"])
backends = sorted({b for (_, b) in rows if b != "pytorch"})
print("LSTM(128), 28 steps x 28 features, batch 128: samples/s (higher is better)\n")
print("| mode | " + " | ".join(f"ours {b}" for b in backends) + " | PyTorch | " +
      " | ".join(f"{b} / PyTorch" for b in backends) + " |")
print("|---" * (2 + 2 * len(backends)) + "|")
for mode in ("train", "predict"):
    pt = rows.get((mode, "pytorch"))
    cells = [f"{rows[(mode, b)]:,.0f}" if (mode, b) in rows else "-" for b in backends]
    ratios = [f"{rows[(mode, b)] / pt:.2f}x" if (mode, b) in rows and pt else "-" for b in backends]
    print(f"| {mode} | " + " | ".join(cells) + f" | {f'{pt:,.0f}' if pt else '-'} | " +
          " | ".join(ratios) + " |")
PY
