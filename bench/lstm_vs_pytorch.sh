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
source "$(dirname "$0")/vs_pytorch_lib.sh"
BACKENDS="${BACKENDS:-cpu}"
THREADS="${THREADS:-2}"
require_bench lstm_vs_pytorch
export OMP_NUM_THREADS="$THREADS"
export OPENBLAS_NUM_THREADS=1
pick_openblas_coretype

echo "# $(cpu_name), nproc=$(nproc), threads=$THREADS, OPENBLAS_NUM_THREADS=1," \
  "OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-auto}, OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-default}," \
  "load average: $(load_average)"
run_side_by_side "$THREADS" "$@"
PYTHONPATH="$ROOT/bench" "$PYTHON" - "$OUT" <<'PY'
import sys
from vs_pytorch_results import read_results
rows = read_results(sys.argv[1], ("mode", "backend"), "samples_per_s")
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
