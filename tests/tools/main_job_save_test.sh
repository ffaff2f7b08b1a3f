#!/usr/bin/env bash
# The main job's --save: a model trained by a short run is saved as .keras, then loaded in NEW
# processes (the example's --load, and keras-cpp inspect / summary) and must give identical
# predictions (checksum over every test prediction) and the same evaluate loss and accuracy.
# Usage: main_job_save_test.sh FASHION_MNIST_CONVNET KERAS_CPP [BACKEND]
set -euo pipefail
example="$1"
cli="$2"
backend="${3:-cpu}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

"$example" --limit 512 --epochs 1 --verbose 0 --backend "$backend" --save "$tmp/convnet.keras" \
  >"$tmp/train.txt"
"$example" --limit 512 --backend "$backend" --load "$tmp/convnet.keras" >"$tmp/load.txt"
for key in "test predictions checksum" "test loss" "test accuracy"; do
  a="$(grep "^$key:" "$tmp/train.txt")"
  b="$(grep "^$key:" "$tmp/load.txt")"
  [ -n "$a" ] || { echo "no '$key' line in the training run"; cat "$tmp/train.txt"; exit 1; }
  [ "$a" = "$b" ] || { echo "after reload: '$b', trained model: '$a'"; exit 1; }
done

# The archive is Keras's: three members, a compiled Sequential, weights and Adam state.
"$cli" inspect --json "$tmp/convnet.keras" >"$tmp/inspect.json"
python3 - "$tmp/inspect.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
assert [m["name"] for m in j["members"]] == ["metadata.json", "config.json", "model.weights.h5"], j["members"]
assert j["metadata"]["keras_version"] == "3.15.1", j["metadata"]
assert j["model"]["class_name"] == "Sequential" and j["model"]["compiled"], j["model"]
paths = {w["path"]: w for w in j["weights"]}
assert paths["layers/conv2d/vars/0"]["shape"] == [3, 3, 1, 32], paths.get("layers/conv2d/vars/0")
assert paths["layers/dense/vars/0"]["shape"] == [1600, 10], paths.get("layers/dense/vars/0")
assert "optimizer/vars/0" in paths, sorted(paths)
PY
"$cli" summary "$tmp/convnet.keras" >"$tmp/summary.txt"
grep -q "Total params: 34,826" "$tmp/summary.txt"
echo "main_job_save_test: all checks passed"
