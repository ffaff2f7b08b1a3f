#!/usr/bin/env bash
# Checks the keras-cpp command-line tool (run by ctest with the binary's path).
set -euo pipefail
cli="$1"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

"$cli" info --json >"$tmp/info.json"
python3 - "$tmp/info.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
names = [b["name"] for b in j["backends"]]
assert "cpu" in names, f"cpu missing from {names}"
for b in j["backends"]:
    assert "error" not in b, f"{b['name']}: {b.get('error')}"
    assert b["num_threads"] >= 1 and b["device"], b
    assert b["ops"]["total"] == j["ops"]["total"] > 100, b["ops"]
assert j["version"].count(".") == 2, j["version"]
PY
"$cli" ops --json >"$tmp/ops.json"
python3 -c 'import json,sys; ops={o["name"]: o for o in json.load(open(sys.argv[1]))}; assert ops["conv"]["tier"] == 1 and "conv" in ops["conv"]["fused_kernels"]' "$tmp/ops.json"
"$cli" info | grep -q "built backends"
"$cli" --help | grep -q "usage: keras-cpp"
"$cli" --version | grep -q "^keras-cpp [0-9]"

for bad in "frobnicate" "info --bogus" ""; do
  rc=0
  # shellcheck disable=SC2086
  "$cli" $bad >/dev/null 2>"$tmp/err" || rc=$?
  [ "$rc" -eq 2 ] || { echo "keras-cpp $bad: exit code $rc, expected 2"; exit 1; }
  grep -q "keras-cpp: " "$tmp/err" || { echo "keras-cpp $bad: no error message"; exit 1; }
done
# An unusable configuration is an environment error (exit code 6) naming its source.
rc=0
KERAS_BACKEND=nonsense "$cli" info >/dev/null 2>"$tmp/err" || rc=$?
[ "$rc" -eq 6 ] && grep -q "KERAS_BACKEND" "$tmp/err" ||
  { echo "KERAS_BACKEND=nonsense keras-cpp info: exit code $rc, expected 6"; cat "$tmp/err"; exit 1; }
mkdir -p "$tmp/home/keras.json"
rc=0
KERAS_HOME="$tmp/home" "$cli" info >/dev/null 2>"$tmp/err" || rc=$?
[ "$rc" -eq 6 ] && grep -q "keras.json.*is a directory" "$tmp/err" ||
  { echo "keras.json a directory: exit code $rc, expected 6"; cat "$tmp/err"; exit 1; }
# .keras commands on the Python Keras 3 fixtures.
fixtures="$(cd "$(dirname "$0")/../../../shared/fixtures/keras3" 2>/dev/null && pwd || true)"
if [ -n "$fixtures" ] && [ -f "$fixtures/functional_multi_io.keras" ]; then
  # predict reproduces Keras's outputs (input_0..k in, output_0..m out; fixtures' tolerance).
  for name in functional_multi_io dense_mlp; do
    "$cli" predict "$fixtures/$name.keras" "$fixtures/$name.npz" -o "$tmp/$name.out.npz" \
      --backend cpu 2>"$tmp/predict.err"
    python3 - "$fixtures/$name.npz" "$tmp/$name.out.npz" <<'PY'
import ast, struct, sys, zipfile
# A minimal .npy reader (float32 / C order), so the test needs no NumPy.
def load(path):
    out = {}
    with zipfile.ZipFile(path) as z:
        for n in z.namelist():
            b = z.read(n)
            assert b[:6] == b"\x93NUMPY", n
            hl = struct.unpack("<H", b[8:10])[0] if b[6] == 1 else struct.unpack("<I", b[8:12])[0]
            start = 10 if b[6] == 1 else 12
            h = ast.literal_eval(b[start:start + hl].decode("latin1"))
            data = b[start + hl:]
            if h["descr"] != "<f4":
                out[n[:-4]] = (h["descr"], h["shape"], None)
                continue
            assert not h["fortran_order"]
            out[n[:-4]] = (h["descr"], tuple(h["shape"]), struct.unpack("<%df" % (len(data) // 4), data))
    return out
ref, out = load(sys.argv[1]), load(sys.argv[2])
outs = sorted(k for k in ref if k.startswith("output_"))
assert sorted(out) == outs, (sorted(out), outs)
for k in outs:
    (da, sa, a), (db, sb, b) = out[k], ref[k]
    assert da == "<f4" and sa == sb, (k, da, sa, sb)
    err = max(abs(x - y) for x, y in zip(a, b))
    assert err <= 1e-5 * max(1.0, max(abs(y) for y in b)), (k, err)
PY
  done
  "$cli" summary "$fixtures/functional_multi_io.keras" >"$tmp/summary.txt"
  grep -q "Connected to" "$tmp/summary.txt"
  grep -q "Total params" "$tmp/summary.txt"
  "$cli" inspect "$fixtures/dense_mlp.keras" >"$tmp/inspect.txt"
  grep -q "layers/dense/vars/0" "$tmp/inspect.txt"
  "$cli" inspect --json "$fixtures/dense_mlp.keras" | python3 -c '
import json, sys
j = json.load(sys.stdin)
assert j["metadata"]["keras_version"] == "3.15.1" and j["model"]["class_name"] == "Sequential"
assert {"path": "layers/dense/vars/0", "shape": [10, 16], "dtype": "float32"} in j["weights"], j["weights"][:3]'

  # Distinct exit codes: 2 usage, 3 missing file, 4 invalid model file, 5 bad inputs.
  expect_rc() {
    local want="$1"; shift
    local rc=0
    "$cli" "$@" >/dev/null 2>"$tmp/err" || rc=$?
    [ "$rc" -eq "$want" ] || { echo "keras-cpp $*: exit code $rc, expected $want"; cat "$tmp/err"; exit 1; }
    grep -q "keras-cpp: " "$tmp/err" || { echo "keras-cpp $*: no error message"; exit 1; }
  }
  printf 'not a zip' >"$tmp/bad.keras"
  expect_rc 2 predict "$fixtures/dense_mlp.keras" "$fixtures/dense_mlp.npz"
  expect_rc 2 summary
  expect_rc 3 summary "$tmp/missing.keras"
  expect_rc 3 predict "$fixtures/dense_mlp.keras" "$tmp/missing.npz" -o "$tmp/o.npz"
  expect_rc 4 summary "$tmp/bad.keras"
  expect_rc 4 inspect "$tmp/bad.keras"
  expect_rc 5 predict "$fixtures/dense_mlp.keras" "$fixtures/conv2d.npz" -o "$tmp/o.npz"
  expect_rc 5 predict "$fixtures/functional_multi_io.keras" "$fixtures/dense_mlp.npz" -o "$tmp/o.npz"
fi
echo "cli_test: all checks passed"
