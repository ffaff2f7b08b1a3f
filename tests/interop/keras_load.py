#!/usr/bin/env python3
"""Loads in real Python Keras 3 the models keras-cpp saved (tests/interop/export_models.cpp) and
checks that they predict keras-cpp's numbers.

    python keras_load.py DIR       (DIR holds manifest.json and the files it names)

For every model NAME in DIR/manifest.json:
  * keras.saving.load_model(NAME.keras) (safe_mode on, the default) and predict on NAME_in.npz:
    every output within 1e-5 * max(1, max|keras|) of NAME_out.npz (the fixtures' tolerance);
  * compiled models: the optimizer is restored, `iterations` equals the steps keras-cpp ran, and
    its variables equal keras-cpp's (NAME_opt.npz) in order and value; one more fit step on
    NAME_train.npz works, and where keras-cpp recorded its predictions after that step
    (NAME_after.npz) Keras's agree within 1e-4 (the step goes through both autodiffs);
  * NAME.weights.h5 loads with load_weights into a model Keras rebuilds from the loaded model's
    config (compiled, so the optimizer state in the file loads too) and predicts the same.

Exits 1 with one line per mismatch, naming the model, the check and the difference.
"""
import json
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")
os.environ.setdefault("JAX_PLATFORMS", "cpu")

import numpy as np  # noqa: E402

import keras  # noqa: E402

PREDICT_TOL = 1e-5
AFTER_STEP_TOL = 1e-4

failures = []


def fail(name, what):
    failures.append(f"{name}: {what}")
    print(f"  FAIL {what}")


def numbered(path, prefix):
    with np.load(path, allow_pickle=False) as f:
        out, i = [], 0
        while f"{prefix}{i}" in f.files:
            out.append(f[f"{prefix}{i}"])
            i += 1
    return out


def as_list(y):
    return [np.asarray(v) for v in y] if isinstance(y, (list, tuple)) else [np.asarray(y)]


def compare(name, what, keras_values, ours, tol):
    """Keras's outputs against keras-cpp's; returns the largest relative difference."""
    if len(keras_values) != len(ours):
        fail(name, f"{what}: Keras gives {len(keras_values)} arrays, keras-cpp {len(ours)}")
        return None
    worst = 0.0
    for i, (k, o) in enumerate(zip(keras_values, ours)):
        if k.shape != o.shape:
            fail(name, f"{what} output_{i}: Keras shape {k.shape}, keras-cpp {o.shape}")
            continue
        k64, o64 = k.astype(np.float64), o.astype(np.float64)
        scale = max(1.0, float(np.max(np.abs(k64)))) if k64.size else 1.0
        diff = float(np.max(np.abs(k64 - o64))) / scale if k64.size else 0.0
        if not np.isfinite(diff) or diff > tol:
            fail(name, f"{what} output_{i}: max |keras - keras-cpp| / scale = {diff:.3g} > {tol}")
        worst = max(worst, diff)
    print(f"  {what}: {len(ours)} output(s), max relative difference {worst:.3g} (tol {tol})")
    return worst


def check_optimizer(name, model, entry, directory, steps):
    opt = model.optimizer
    if opt is None:
        fail(name, "the model is compiled in keras-cpp but Keras restored no optimizer")
        return False
    iterations = int(opt.iterations.numpy())
    if iterations != steps:
        fail(name, f"optimizer.iterations = {iterations}, keras-cpp ran {steps} steps")
    ours = numbered(os.path.join(directory, f"{name}_opt.npz"), "var_")
    theirs = [np.asarray(v.numpy()) for v in opt.variables]
    if len(ours) != len(theirs):
        fail(name, f"Keras's {type(opt).__name__} has {len(theirs)} variables, keras-cpp wrote "
             f"{len(ours)}")
        return False
    bad = [
        f"{v.path} {t.shape}{t.dtype} vs {o.shape}{o.dtype}"
        for v, t, o in zip(opt.variables, theirs, ours)
        if t.shape != o.shape or not np.array_equal(t.astype(np.float64), o.astype(np.float64))
    ]
    if bad:
        fail(name, f"optimizer variables differ from keras-cpp's: {'; '.join(bad[:4])}")
        return False
    print(f"  optimizer: {type(opt).__name__}, iterations {iterations}, "
          f"{len(theirs)} variables equal to keras-cpp's")
    return True


def check_model(directory, entry):
    name = entry["name"]
    print(f"{name}:" + (f" ({entry['about']})" if "about" in entry else ""))
    path = os.path.join(directory, f"{name}.keras")
    try:
        model = keras.saving.load_model(path)
    except Exception as e:  # noqa: BLE001 - report what Keras rejected
        fail(name, f"keras.saving.load_model rejected {name}.keras: {type(e).__name__}: {e}")
        return
    inputs = numbered(os.path.join(directory, f"{name}_in.npz"), "input_")
    expected = numbered(os.path.join(directory, f"{name}_out.npz"), "output_")
    x = inputs if len(inputs) > 1 else inputs[0]
    tol = entry.get("tol", PREDICT_TOL)
    compare(name, "load_model + predict", as_list(model.predict(x, verbose=0)), expected, tol)

    if entry["compiled"]:
        steps = int(entry["steps"])
        check_optimizer(name, model, entry, directory, steps)
        train = os.path.join(directory, f"{name}_train.npz")
        tx, ty = numbered(train, "x_"), numbered(train, "y_")
        try:
            history = model.fit(tx if len(tx) > 1 else tx[0], ty if len(ty) > 1 else ty[0],
                                batch_size=len(tx[0]), epochs=1, shuffle=False, verbose=0)
            loss = history.history["loss"][-1]
            if not np.isfinite(loss):
                fail(name, f"fit after loading gives loss {loss}")
            if model.optimizer is not None and int(model.optimizer.iterations.numpy()) != steps + 1:
                fail(name, f"after one more fit step iterations = "
                     f"{int(model.optimizer.iterations.numpy())}, expected {steps + 1}")
            print(f"  fit one more step: loss {loss:.6g}")
            if entry.get("after"):
                after = numbered(os.path.join(directory, f"{name}_after.npz"), "output_")
                compare(name, "predict after that step", as_list(model.predict(x, verbose=0)),
                        after, AFTER_STEP_TOL)
        except Exception as e:  # noqa: BLE001
            fail(name, f"fit after loading failed: {type(e).__name__}: {e}")

    # The standalone weights file, into a model Keras builds from the config (compiled like the
    # original, so the optimizer is built and its state in the file is loaded too).
    try:
        fresh = keras.saving.deserialize_keras_object(keras.saving.serialize_keras_object(model))
        fresh.load_weights(os.path.join(directory, f"{name}.weights.h5"))
    except Exception as e:  # noqa: BLE001
        fail(name, f"load_weights({name}.weights.h5) failed: {type(e).__name__}: {e}")
        return
    compare(name, "rebuilt from config + load_weights + predict",
            as_list(fresh.predict(x, verbose=0)), expected, tol)
    if entry["compiled"]:
        check_optimizer(name, fresh, entry, directory, int(entry["steps"]))


def main(directory):
    print(f"Keras {keras.__version__}, backend {keras.backend.backend()}, files from {directory}")
    with open(os.path.join(directory, "manifest.json")) as f:
        manifest = json.load(f)
    for entry in manifest:
        check_model(directory, entry)
    if failures:
        print(f"\n{len(failures)} mismatch(es) between keras-cpp's files and Python Keras:")
        for f in failures:
            print(f"  {f}")
        return 1
    print(f"\nall {len(manifest)} models load in Keras {keras.__version__} with keras-cpp's "
          "predictions")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
