#!/usr/bin/env bash
# Builds the libFuzzer targets in fuzz/ (clang, -fsanitize=fuzzer,address,undefined) in their own
# directory and runs each one for a fixed time from a seed corpus made from the test fixtures;
# then, when every target ran, the hostile-input suite built under ASan/UBSan (KERAS_SKIP_HOSTILE=1
# skips it).
# Fails if a target crashes, leaks, hits a sanitizer error or times out on an input; the input is
# left in $build/artifacts/.
#
# config_fuzzer links the whole `keras` library, built here instrumented (fuzz/CMakeLists.txt).
#
#   bash scripts/fuzz.sh                  # every target, 30 s each
#   FUZZ_SECONDS=300 bash scripts/fuzz.sh zip_fuzzer
#
# Environment: FUZZ_SECONDS (30), KERAS_FUZZ_BUILD_DIR (build-fuzz), FUZZ_CXX (clang++-14, or
# clang++), FUZZ_JOBS (2: build parallelism), FUZZ_PARALLEL (set: all targets at once),
# FUZZ_TIMEOUT (10: seconds one input may take), FUZZ_RUNS (when set: that many inputs per target
# instead of a time limit, with FUZZ_SEED (1) as libFuzzer's seed, so a run is repeatable; CI
# uses this).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${KERAS_FUZZ_BUILD_DIR:-$root/build-fuzz}"
seconds="${FUZZ_SECONDS:-30}"
cxx="${FUZZ_CXX:-$(command -v clang++-14 || command -v clang++ || true)}"
if [[ -z "$cxx" ]]; then
  echo "fuzz.sh: clang++ not found (Debian: apt-get install clang-14 libclang-rt-14-dev)" >&2
  exit 2
fi

mkdir -p "$build"
source "$root/scripts/ccache_env.sh"
cmake -S "$root/fuzz" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER="$cxx" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo "${ccache_cmake_args[@]}" > "$build/configure.log" 2>&1 ||
  { cat "$build/configure.log"; exit 1; }
cmake --build "$build" -j"${FUZZ_JOBS:-2}"

targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then
  for f in "$root"/fuzz/*_fuzzer.cpp; do targets+=("$(basename "$f" .cpp)"); done
fi

rm -rf "$build/seeds"
bash "$root/fuzz/make_corpus.sh" "$build/seeds"
mkdir -p "$build/artifacts"
status=0
# Runs one target; its log is $build/<target>.log. Returns non-zero on a finding.
run_target() {
  local t=$1
  # New inputs go to corpus/<target> (kept between runs); the seeds are read only.
  mkdir -p "$build/corpus/$t"
  local dict=() budget=(-max_total_time="$seconds")
  [[ -f "$root/fuzz/${t%_fuzzer}.dict" ]] && dict=(-dict="$root/fuzz/${t%_fuzzer}.dict")
  [[ -n "${FUZZ_RUNS:-}" ]] && budget=(-runs="$FUZZ_RUNS" -seed="${FUZZ_SEED:-1}")
  echo "== $t: ${budget[*]}"
  if ! "$build/$t" "$build/corpus/$t" "$build/seeds/$t" "${dict[@]}" \
      "${budget[@]}" -timeout="${FUZZ_TIMEOUT:-10}" -rss_limit_mb=2048 -max_len=65536 \
      -print_final_stats=1 -artifact_prefix="$build/artifacts/$t-" 2> "$build/$t.log"; then
    echo "== $t FAILED; see $build/$t.log and $build/artifacts/" >&2
    tail -40 "$build/$t.log" >&2
    return 1
  fi
  echo "== $t:"
  grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb|^#[0-9]+.*DONE" "$build/$t.log" || true
}
if [[ -n "${FUZZ_PARALLEL:-}" ]]; then
  # Every target at once (long local runs: FUZZ_SECONDS=3600 FUZZ_PARALLEL=1); they share the cores.
  pids=()
  for t in "${targets[@]}"; do
    run_target "$t" &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p" || status=1; done
else
  for t in "${targets[@]}"; do run_target "$t" || status=1; done
fi
# With every target run, the hostile-input suite (tests/hostile) runs too, built over the same
# instrumented library: each crafted file, flag and environment under ASan/UBSan.
if [[ $# -eq 0 && -z "${KERAS_SKIP_HOSTILE:-}" ]]; then
  echo "== hostile_tests (ASan/UBSan)"
  if ! "$build/hostile_tests" > "$build/hostile_tests.log" 2>&1; then
    echo "== hostile_tests FAILED under the sanitizers; see $build/hostile_tests.log" >&2
    grep -E "^\[  FAILED  \]|Failure|ERROR: AddressSanitizer|runtime error" "$build/hostile_tests.log" | head -40 >&2
    status=1
  else
    tail -3 "$build/hostile_tests.log"
  fi
fi
exit $status
