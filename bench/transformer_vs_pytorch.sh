#!/bin/bash
# One transformer encoder block (d=128, 4 heads, ff 256, 64 tokens, batch 32 by default) trained
# and run by keras-cpp (each backend in BACKENDS, default cpu) and by PyTorch's
# nn.TransformerEncoderLayer (Debian's python3-torch), side by side in one run: tokens/s and the
# ratio ours / PyTorch. Also ours: ops::dot_product_attention fused vs composite (micro rows).
#
#   bench/transformer_vs_pytorch.sh [--steps N] [--warmup N] [--repeats N] [--batch-size N]
#                                   [--seq N] [--dim N] [--heads N] [--ff N] [--micro 0|1]
#
# Environment: BUILD_DIR (default <repo>/build; must hold bench/transformer_vs_pytorch, built
# with `ninja -C build transformer_vs_pytorch`), BACKENDS (default cpu), PYTHON (default
# /usr/bin/python3), THREADS (default 2: torch.set_num_threads(THREADS), ours
# OMP_NUM_THREADS=THREADS). OpenBLAS runs single-threaded (OPENBLAS_NUM_THREADS=1) for both.
set -euo pipefail
source "$(dirname "$0")/vs_pytorch_lib.sh"
BACKENDS="${BACKENDS:-cpu}"
THREADS="${THREADS:-2}"
require_bench transformer_vs_pytorch
export OMP_NUM_THREADS="$THREADS"
export OPENBLAS_NUM_THREADS=1

echo "# $(cpu_name), nproc=$(nproc), threads=$THREADS, OPENBLAS_NUM_THREADS=1," \
  "load average: $(load_average)"
run_side_by_side "$THREADS" "$@"
PYTHONPATH="$ROOT/bench" "$PYTHON" - "$OUT" <<'PY'
import sys
from vs_pytorch_results import read_results
rows = read_results(sys.argv[1], ("model", "mode", "backend"), "tokens_per_s")
backends = sorted({b for (m, _, b) in rows if b != "pytorch"})
print("Transformer encoder block: tokens/s (higher is better)\n")
print("| mode | " + " | ".join(f"ours {b}" for b in backends) + " | PyTorch | " +
      " | ".join(f"{b} / PyTorch" for b in backends) + " |")
print("|---" * (2 + 2 * len(backends)) + "|")
for mode in ("train", "predict"):
    pt = rows.get(("encoder", mode, "pytorch"))
    cells = [f"{rows[('encoder', mode, b)]:,.0f}" if ("encoder", mode, b) in rows else "-" for b in backends]
    ratios = [f"{rows[('encoder', mode, b)] / pt:.2f}x" if ("encoder", mode, b) in rows and pt else "-"
              for b in backends]
    print(f"| {mode} | " + " | ".join(cells) + f" | {f'{pt:,.0f}' if pt else '-'} | " +
          " | ".join(ratios) + " |")
micro = [(m, mode, b, v) for (m, mode, b), v in rows.items() if m.startswith("dpa_")]
if micro:
    print("\nops::dot_product_attention (causal), tokens/s: fused kernel vs composite ops\n")
    print("| backend | mode | fused | composite | fused / composite |")
    print("|---|---|---|---|---|")
    for b in backends:
        for mode in ("forward", "forward_backward"):
            f = rows.get(("dpa_fused", mode, b))
            c = rows.get(("dpa_composite", mode, b))
            if f and c:
                print(f"| {b} | {mode} | {f:,.0f} | {c:,.0f} | {f / c:.2f}x |")
PY
