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
echo "cli_test: all checks passed"
