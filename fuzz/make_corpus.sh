#!/usr/bin/env bash
# Seed corpora for the fuzz targets, made from the test fixtures: make_corpus.sh OUT_DIR
# writes OUT_DIR/<target>/ for each target. The only committed seeds are fuzz/seeds/h5 (HDF5
# layouts no fixture has; fuzz/seeds/h5/make_seeds.c writes them).
# Adding a target: add a `seeds_<name>_fuzzer` function below (files to copy into "$1").
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$1
FIXTURES=${KERAS_FIXTURES_DIR:-$ROOT/../shared/fixtures/keras3}
DATA=$ROOT/tests/saving/data

# Files of at most $2 bytes matching the globs after it, copied into $1 (names made unique).
copy_small() {
  local dest=$1 max=$2
  shift 2
  local f
  for f in "$@"; do
    [[ -f $f ]] || continue
    (($(stat -c %s "$f") <= max)) || continue
    cp "$f" "$dest/$(basename "$(dirname "$f")")_$(basename "$f")"
  done
}

seeds_npy_fuzzer() {
  copy_small "$1" 65536 "$DATA"/*.npy
  # The members of NumPy's own .npz files.
  local tmp
  tmp=$(mktemp -d)
  for z in "$DATA"/*.npz "$FIXTURES"/dense_mlp.npz "$FIXTURES"/embedding.npz; do
    [[ -f $z ]] || continue
    mkdir -p "$tmp/$(basename "$z" .npz)"
    if command -v unzip > /dev/null; then
      unzip -q -o "$z" -d "$tmp/$(basename "$z" .npz)"
    else
      python3 -m zipfile -e "$z" "$tmp/$(basename "$z" .npz)"
    fi
  done
  copy_small "$1" 65536 "$tmp"/*/*.npy
  rm -rf "$tmp"
}

seeds_zip_fuzzer() {
  copy_small "$1" 65536 "$DATA"/*.npz "$FIXTURES"/*.npz "$FIXTURES"/*.keras
}

seeds_h5_fuzzer() {
  # The fixtures (superblock 0, as Keras writes) and fuzz/seeds/h5 (newer layouts, make_seeds.c).
  copy_small "$1" 65536 "$FIXTURES"/*.weights.h5 "$ROOT"/fuzz/seeds/h5/*.h5
}

# The config.json of every .keras fixture (every layer and model envelope keras-cpp reads).
seeds_config_fuzzer() {
  local k
  for k in "$FIXTURES"/*.keras; do
    [[ -f $k ]] || continue
    if command -v unzip > /dev/null; then
      unzip -p "$k" config.json > "$1/$(basename "$k" .keras).json"
    else
      python3 -c 'import sys, zipfile; sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read("config.json"))' \
        "$k" > "$1/$(basename "$k" .keras).json"
    fi
  done
}

# Whole models: each small .keras fixture as it is, and as parts (4-byte little-endian length of
# config.json, config.json, model.weights.h5), the form keras_file_fuzzer packs into an archive.
seeds_keras_file_fuzzer() {
  copy_small "$1" 65536 "$FIXTURES"/*.keras
  python3 - "$1" "$FIXTURES"/*.keras <<'PY'
import os, struct, sys, zipfile
out = sys.argv[1]
for path in sys.argv[2:]:
    with zipfile.ZipFile(path) as z:
        config, weights = z.read("config.json"), z.read("model.weights.h5")
    if len(config) + len(weights) > 65536:
        continue
    name = os.path.basename(path)[: -len(".keras")] + ".parts"
    with open(os.path.join(out, name), "wb") as f:
        f.write(struct.pack("<I", len(config)) + config + weights)
PY
}

for target in "$ROOT"/fuzz/*_fuzzer.cpp; do
  name=$(basename "$target" .cpp)
  mkdir -p "$OUT/$name"
  if declare -F "seeds_$name" > /dev/null; then
    "seeds_$name" "$OUT/$name"
  fi
  echo "$name: $(find "$OUT/$name" -type f | wc -l) seed files"
done
