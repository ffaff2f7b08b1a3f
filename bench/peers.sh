#!/usr/bin/env bash
# keras-cpp next to its peers, in one invocation on one machine: the training throughput
# (samples/s of one fit() epoch) of the three models of bench/compiled_vs_eager.cpp (mlp,
# convnet, lstm) in
#   keras-cpp, compiled (jit_compile="auto") and eager, on each built backend (cpu, torch):
#     build/bench/compiled_vs_eager
#   the peers, bench/peers.py with the same protocol, in the venv scripts/setup_bench_venv.sh
#   makes: Python Keras 3.15.1 on JAX and on TensorFlow, and PyTorch 2.x eager;
#   extra columns, not counted in the best peer: Python Keras on PyTorch (same venv) and Debian's
#     PyTorch 1.13 (/usr/bin/python3, python3-torch);
# then a table with each keras-cpp configuration's ratio to the best peer.
#
#   bench/peers.sh
#
# Environment:
#   MODELS    "all" (default) or a space-separated list of mlp, convnet, lstm
#   STEPS, WARMUP, REPEATS, BATCH_SIZE   as compiled_vs_eager (defaults 20, 3, 3, 128); each
#             engine runs max(WARMUP, 2) untimed epochs, then the best of REPEATS timed ones
#   BACKENDS  keras-cpp backends (default: cpu, and torch when compiled_vs_eager runs on it)
#   THREADS   threads per engine (default nproc); OMP_NUM_THREADS and OPENBLAS_NUM_THREADS
#             default to it, OMP_PROC_BIND=close, OMP_PLACES=cores
#   KERAS_TORCH=0   leave out the Keras-on-PyTorch column
#   BUILD_DIR (default <repo>/build), BENCH_VENV (default: the one setup_bench_venv.sh makes),
#   DEBIAN_PYTHON (default /usr/bin/python3)
#
# The venv is not made here (it takes several GB): without it the peer columns print
# "skipped (run scripts/setup_bench_venv.sh)". compiled_vs_eager also measures predict(); only
# its fit lines enter the table.
set -euo pipefail
# shellcheck source=bench/vs_pytorch_lib.sh
source "$(dirname "$0")/vs_pytorch_lib.sh"
require_bench compiled_vs_eager

MODELS="${MODELS:-all}"
STEPS="${STEPS:-20}"
WARMUP="${WARMUP:-3}"
REPEATS="${REPEATS:-3}"
BATCH_SIZE="${BATCH_SIZE:-128}"
THREADS="${THREADS:-$(nproc)}"
DEBIAN_PYTHON="${DEBIAN_PYTHON:-/usr/bin/python3}"
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-$THREADS}"
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-$THREADS}"
export OMP_PROC_BIND="${OMP_PROC_BIND:-close}"
export OMP_PLACES="${OMP_PLACES:-cores}"
pick_openblas_coretype
# The Python peers: CPU only, quiet.
export JAX_PLATFORMS=cpu CUDA_VISIBLE_DEVICES="" TF_CPP_MIN_LOG_LEVEL=3
export PYTHONWARNINGS=ignore

[[ "$MODELS" == "all" ]] && MODELS="mlp convnet lstm"
common=(--steps "$STEPS" --warmup "$WARMUP" --repeats "$REPEATS" --batch-size "$BATCH_SIZE")

OUT="$(mktemp)"
# Every engine (keras-cpp and Python Keras) reads $KERAS_HOME/keras.json: a private, empty one
# keeps ~/.keras/keras.json (which may name another backend) out of the measurement.
KERAS_HOME="$(mktemp -d)"
export KERAS_HOME
trap 'rm -rf "$OUT" "$KERAS_HOME"' EXIT
column() {  # column NAME TITLE KIND [STATE]: one table column, in order, for peers_report.py
  printf 'COLUMN\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "${4:-}" >>"$OUT"
}

echo "# $(cpu_name), nproc=$(getconf _NPROCESSORS_ONLN), threads=$THREADS," \
  "OMP_NUM_THREADS=$OMP_NUM_THREADS, OPENBLAS_NUM_THREADS=$OPENBLAS_NUM_THREADS," \
  "OMP_PROC_BIND=$OMP_PROC_BIND, OMP_PLACES=$OMP_PLACES, OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-auto}"
echo "# models: $MODELS; steps=$STEPS warmup=$WARMUP repeats=$REPEATS batch=$BATCH_SIZE;" \
  "load average before: $(load_average)"

# keras-cpp: each backend that runs (a one-step probe when BACKENDS is not given).
if [[ -z "${BACKENDS:-}" ]]; then
  BACKENDS=""
  for b in cpu torch; do
    if "$BIN" --backend "$b" --model mlp --steps 1 --warmup 0 --repeats 1 \
      >/dev/null 2>&1; then
      BACKENDS+="$b "
    else
      echo "# keras-cpp backend $b: not built (compiled_vs_eager --backend $b fails); no column"
    fi
  done
fi
for b in $BACKENDS; do
  column "$b-compiled" "$b compiled" ours
  column "$b-eager" "$b eager" ours
  start=$SECONDS
  for m in $MODELS; do
    if ! "$BIN" --backend "$b" --model "$m" "${common[@]}" | tee -a "$OUT"; then
      echo "# keras-cpp $b $m: FAILED"
    fi
  done
  echo "# keras-cpp $b: $((SECONDS - start)) s"
done

# run_peer PYTHON PEER LABEL: bench/peers.py for every model, in one process (one import),
# without the two lines TensorFlow's logging prints whatever TF_CPP_MIN_LOG_LEVEL says.
run_peer() {
  local start=$SECONDS
  if ! "$1" "$ROOT/bench/peers.py" --peer "$2" --label "$3" --model "${MODELS// /,}" \
    --threads "$THREADS" "${common[@]}" 2>&1 | grep -v -e '^WARNING: All log messages before absl' \
    -e '^I0000 .*oneDNN custom operations are on' | tee -a "$OUT"; then
    echo "# $3: FAILED"
  fi
  echo "# $3: $((SECONDS - start)) s"
}

venv="${BENCH_VENV:-$("$ROOT/scripts/setup_bench_venv.sh" --print-path)}"
vpy="$venv/bin/python"
skipped="skipped (run scripts/setup_bench_venv.sh)"
if [[ -x "$vpy" && -f "$venv/.keras-cpp-venv-ready" ]]; then
  torch2="$("$vpy" -c 'import importlib.metadata as m; print(m.version("torch"))')"
  column keras-jax "Keras/JAX" peer
  column keras-tensorflow "Keras/TF" peer
  column pytorch-2 "PyTorch $torch2" peer
  [[ "${KERAS_TORCH:-1}" == 0 ]] || column keras-torch "Keras/torch" extra
  run_peer "$vpy" keras-jax keras-jax
  run_peer "$vpy" keras-tensorflow keras-tensorflow
  run_peer "$vpy" pytorch pytorch-2
  [[ "${KERAS_TORCH:-1}" == 0 ]] || run_peer "$vpy" keras-torch keras-torch
else
  echo "# peers' venv $venv is not ready: Keras/JAX, Keras/TF, PyTorch 2.x $skipped"
  column keras-jax "Keras/JAX" peer "$skipped"
  column keras-tensorflow "Keras/TF" peer "$skipped"
  column pytorch-2 "PyTorch 2.x" peer "$skipped"
fi

if "$DEBIAN_PYTHON" -c 'import torch' >/dev/null 2>&1; then
  column pytorch-1.13 "PyTorch 1.13 (Debian)" extra
  run_peer "$DEBIAN_PYTHON" pytorch pytorch-1.13
else
  column pytorch-1.13 "PyTorch 1.13 (Debian)" extra "skipped (no torch in $DEBIAN_PYTHON: apt install python3-torch)"
fi

echo "# load average after: $(load_average)"
echo
python3 "$ROOT/bench/peers_report.py" "$OUT"
