#!/bin/bash
# Side-by-side training and inference throughput: keras-cpp on the `cpu` and `torch` backends and
# the same models in PyTorch (Debian's python3-torch), in one run, then a table with the ratios.
#
#   bench/train_vs_pytorch.sh [--steps N] [--repeats N] [--warmup N] [--data fashion|synthetic]
#
# Environment: BUILD_DIR (default <repo>/build; must hold bench/train_vs_pytorch, built with
# `ninja -C build train_vs_pytorch`), BACKENDS (default: every backend the program reports as
# built, "cpu torch"), PYTHON (default /usr/bin/python3), MODEL (mlp, convnet or all), THREADS
# (threads per engine, default nproc; THREADS=1 compares single-core speed, which is what stays
# meaningful on a machine other jobs keep busy: there a 2-thread OpenMP region mostly waits at
# its barrier for the descheduled thread, in every engine alike).
#
# Threads: every engine gets one thread per core and no more. Our OpenMP loops and oneDNN share
# one OpenMP pool; LibTorch and PyTorch use their OpenMP pool with OpenBLAS single-threaded
# (OPENBLAS_NUM_THREADS=1), so nothing is oversubscribed.
#
# OpenBLAS 0.3.21 (Debian 12) does not know recent Xeons and falls back to its "Prescott" (SSE3)
# kernels there, about 3x slower than its AVX-512 ones; PyTorch's Linear layers run on it. Unless
# OPENBLAS_CORETYPE is already set, the script picks the kernel matching the CPU's flags
# (SkylakeX with AVX-512, Haswell with AVX2) so PyTorch is measured at its best.
set -euo pipefail
source "$(dirname "$0")/vs_pytorch_lib.sh"
MODEL="${MODEL:-all}"
require_bench train_vs_pytorch

CORES="${THREADS:-$(nproc)}"
export OMP_NUM_THREADS="$CORES"
export OPENBLAS_NUM_THREADS=1
export OMP_PROC_BIND="${OMP_PROC_BIND:-close}"
export OMP_PLACES="${OMP_PLACES:-cores}"
pick_openblas_coretype

echo "# $(cpu_name), nproc=$(getconf _NPROCESSORS_ONLN), threads=$CORES," \
  "OMP_NUM_THREADS=$OMP_NUM_THREADS, OPENBLAS_NUM_THREADS=$OPENBLAS_NUM_THREADS," \
  "OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-auto}, load average: $(load_average)"
if [[ -z "${BACKENDS:-}" ]]; then
  BACKENDS="$("$BIN" --list-backends | tr '\n' ' ')"
fi
run_side_by_side "$CORES" --model "$MODEL" "$@"
PYTHONPATH="$ROOT/bench" "$PYTHON" - "$OUT" <<'EOF'
import sys
from vs_pytorch_results import read_results
rows = read_results(sys.argv[1], ("model", "mode", "backend"), "samples_per_s")
def cell(v):
    return f"{v:,.0f}" if v is not None else "-"
def ratio(a, b):
    return f"{a / b:.2f}x" if a is not None and b else "-"
print("samples/s (batch 128; higher is better; ratio = ours / PyTorch)\n")
print("| model | mode | ours cpu | ours torch | PyTorch | cpu / PyTorch | torch / PyTorch |")
print("|---|---|---|---|---|---|---|")
for model in ("mlp", "convnet"):
    for mode in ("train", "predict"):
        g = lambda b: rows.get((model, mode, b))
        if all(g(b) is None for b in ("cpu", "torch", "pytorch")):
            continue
        print(f"| {model} | {mode} | {cell(g('cpu'))} | {cell(g('torch'))} | {cell(g('pytorch'))} "
              f"| {ratio(g('cpu'), g('pytorch'))} | {ratio(g('torch'), g('pytorch'))} |")
EOF
