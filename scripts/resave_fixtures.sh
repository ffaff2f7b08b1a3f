#!/usr/bin/env bash
# Loads every Python Keras fixture (../shared/fixtures/keras3/*.keras, or $KERAS_FIXTURES_DIR)
# with keras-cpp, saves it again and unpacks the members into OUT_DIR/<fixture>/ with the save
# date blanked and the weights file as h5dump's text (HDF5 stamps object headers with the time),
# so that two builds' outputs can be compared byte for byte:
#
#   scripts/resave_fixtures.sh /tmp/before            # on the old commit
#   scripts/resave_fixtures.sh /tmp/after             # on the new one
#   diff -r /tmp/before /tmp/after && echo identical
#
# Uses the hostile-input driver (build/tests/hostile_driver, `resave`); BUILD_DIR picks the build.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:?usage: resave_fixtures.sh OUT_DIR}"
fixtures="${KERAS_FIXTURES_DIR:-$root/../shared/fixtures/keras3}"
driver="${BUILD_DIR:-$root/build}/tests/hostile_driver"
[[ -x "$driver" ]] || { echo "resave_fixtures: $driver not built" >&2; exit 1; }
command -v h5dump >/dev/null || { echo "resave_fixtures: needs h5dump (Debian hdf5-tools)" >&2; exit 1; }
rm -rf "$out" && mkdir -p "$out"
for f in "$fixtures"/*.keras; do
  name="$(basename "$f" .keras)"
  KERAS_HOME="$out" KERAS_BACKEND=cpu "$driver" resave "$f" "$out/$name.keras" >/dev/null
  mkdir -p "$out/$name"
  python3 - "$out/$name.keras" "$out/$name" <<'PY'
import json, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    for m in z.namelist():
        data = z.read(m)
        if m == "metadata.json":
            meta = json.loads(data)
            meta["date_saved"] = ""
            data = json.dumps(meta).encode()
        open(f"{sys.argv[2]}/{m}", "wb").write(data)
PY
  rm "$out/$name.keras"
  if [[ -f "$out/$name/model.weights.h5" ]]; then
    h5dump "$out/$name/model.weights.h5" | tail -n +2 >"$out/$name/model.weights.h5.txt"
    rm "$out/$name/model.weights.h5"
  fi
done
echo "resaved $(ls "$fixtures"/*.keras | wc -l) fixtures into $out"
