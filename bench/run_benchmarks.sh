#!/bin/bash
# Builds ops_bench (Release) and runs it, then prints the ratio tables (bench/report.py).
#
#   bench/run_benchmarks.sh [extra Google Benchmark flags]
#   BUILD_DIR=build-bench MIN_TIME=0.5 bench/run_benchmarks.sh --benchmark_filter=matmul
#
# Environment: BUILD_DIR (default <repo>/build-bench), MIN_TIME (seconds per benchmark, default
# 0.5), REPETITIONS (default 1; >1 reports medians), JSON (where the raw results go, default
# $BUILD_DIR/ops_bench.json), NO_BUILD=1 to skip building.
set -euo pipefail
source "$(dirname "$0")/vs_pytorch_lib.sh"
BUILD_DIR="${BUILD_DIR:-$ROOT/build-bench}"
MIN_TIME="${MIN_TIME:-0.5}"
REPETITIONS="${REPETITIONS:-1}"
JSON="${JSON:-$BUILD_DIR/ops_bench.json}"

if [[ "${NO_BUILD:-0}" != 1 ]]; then
  cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DKERAS_BUILD_BENCHMARKS=ON >/dev/null
  ninja -C "$BUILD_DIR" ops_bench
fi

# One thread per core and no more: OpenMP (our loops and oneDNN) and OpenBLAS's pthread pool each
# get every core, and they never run at the same time, so nothing is oversubscribed. Threads are
# pinned so the numbers do not depend on the scheduler moving them.
CORES="$(nproc)"
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-$CORES}"
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-$CORES}"
export OMP_PROC_BIND="${OMP_PROC_BIND:-close}"
export OMP_PLACES="${OMP_PLACES:-cores}"
export KERAS_BACKEND=cpu

echo "# $(cpu_name), nproc=$CORES, OMP_NUM_THREADS=$OMP_NUM_THREADS," \
  "OPENBLAS_NUM_THREADS=$OPENBLAS_NUM_THREADS, load average: $(load_average)"
"$BUILD_DIR/bench/ops_bench" --benchmark_min_time="$MIN_TIME" \
  --benchmark_repetitions="$REPETITIONS" --benchmark_report_aggregates_only="$([[ $REPETITIONS -gt 1 ]] && echo true || echo false)" \
  --benchmark_out="$JSON" --benchmark_out_format=json "$@"
echo
"$PYTHON" "$ROOT/bench/report.py" "$JSON"
