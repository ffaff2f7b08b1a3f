#!/usr/bin/env python3
"""Writes with real Python Keras 3 files that the fixtures in shared/fixtures/keras3 do not cover,
for tests/interop/import_models.cpp to load in keras-cpp (the ctest entry keras_python_interop).

    python keras_save.py DIR

For each model NAME it writes NAME.keras, NAME.weights.h5, NAME_in.npz (input_0..),
NAME_out.npz (Keras's predictions output_0..), and for compiled models NAME_train.npz (x_0..,
y_0..), NAME_opt.npz (the optimizer's variables var_0.. in Keras's order) and NAME_after.npz
(predictions after one more fit step on NAME_train.npz); DIR/manifest.json lists them with the
tolerance each comparison uses.
"""
import json
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")
os.environ.setdefault("JAX_PLATFORMS", "cpu")

import numpy as np  # noqa: E402

import keras  # noqa: E402
from keras import layers as L  # noqa: E402

rng = np.random.default_rng(1234)
manifest = []


def savez(path, prefix, arrays):
    np.savez(path, **{f"{prefix}{i}": np.asarray(a) for i, a in enumerate(arrays)})


def as_list(y):
    return [np.asarray(v) for v in y] if isinstance(y, (list, tuple)) else [np.asarray(y)]


def export(directory, name, model, inputs, tol, train=None, steps=0):
    """train: (x list, y list) for compiled models; fit runs `steps` full-batch steps first."""
    entry = {"name": name, "compiled": train is not None, "tol": tol}
    x = inputs if len(inputs) > 1 else inputs[0]
    if train is not None:
        tx, ty = train
        fx, fy = (tx if len(tx) > 1 else tx[0]), (ty if len(ty) > 1 else ty[0])
        model.fit(fx, fy, batch_size=len(tx[0]), epochs=steps, shuffle=False, verbose=0)
        entry["steps"] = int(model.optimizer.iterations.numpy())
        with open(os.path.join(directory, f"{name}_train.npz"), "wb") as f:
            np.savez(f, **{f"x_{i}": a for i, a in enumerate(tx)},
                     **{f"y_{i}": a for i, a in enumerate(ty)})
        savez(os.path.join(directory, f"{name}_opt.npz"), "var_",
              [v.numpy() for v in model.optimizer.variables])
    outputs = [o.astype(np.float32) for o in as_list(model.predict(x, verbose=0))]
    savez(os.path.join(directory, f"{name}_in.npz"), "input_", inputs)
    savez(os.path.join(directory, f"{name}_out.npz"), "output_", outputs)
    model.save(os.path.join(directory, f"{name}.keras"))
    model.save_weights(os.path.join(directory, f"{name}.weights.h5"))
    if train is not None:
        model.fit(fx, fy, batch_size=len(tx[0]), epochs=1, shuffle=False, verbose=0)
        savez(os.path.join(directory, f"{name}_after.npz"), "output_",
              as_list(model.predict(x, verbose=0)))
        entry["after"] = True
    manifest.append(entry)
    print(f"wrote {name}")


def normal(*shape):
    return rng.standard_normal(shape).astype(np.float32)


def compiled_adam(directory):
    """A compiled Functional model with a nested Functional block, saved after 3 Adam steps."""
    inner_in = keras.Input((16,))
    inner = keras.Model(inner_in, L.LayerNormalization()(L.Dense(8, activation="tanh")(inner_in)),
                        name="block")
    x_in = keras.Input((10,), name="features")
    h = L.Dense(16, activation="relu")(x_in)
    out = L.Dense(3, activation="softmax", name="probs")(inner(h))
    model = keras.Model(x_in, out, name="py_adam")
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.005),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    train = ([normal(24, 10)], [rng.integers(0, 3, size=(24,)).astype(np.int32)])
    export(directory, "py_adam", model, [normal(5, 10)], 1e-5, train=train, steps=3)


def mixed_float16(directory):
    """mixed_float16 layers (float32 variables, float16 computations), a float32 head."""
    model = keras.Sequential([
        keras.Input((12,)),
        L.Dense(16, activation="relu", dtype="mixed_float16"),
        L.Dense(8, activation="tanh", dtype="mixed_float16"),
        L.Dense(4, activation="softmax", dtype="float32"),
    ], name="py_mixed_float16")
    export(directory, "py_mixed_float16", model, [normal(6, 12)], 2e-3)


def half_variables(directory):
    """Variables stored as float16 and as bfloat16 (h5py's 2-byte opaque type + attribute)."""
    model = keras.Sequential([
        keras.Input((12,)),
        L.Dense(16, activation="relu", dtype="float16"),
        L.Dense(8, activation="tanh", dtype="bfloat16"),
        L.Dense(4, dtype="float32"),
    ], name="py_half_variables")
    export(directory, "py_half_variables", model, [normal(6, 12)], 2e-2)


def deep(directory):
    """70 layers: the weights file's `layers` group has 70 members (several B-tree nodes)."""
    stack = [keras.Input((8,))]
    for i in range(35):
        stack.append(L.Dense(8, activation="tanh"))
        stack.append(L.LayerNormalization() if i % 2 else L.BatchNormalization())
    stack.append(L.Dense(2))
    model = keras.Sequential(stack, name="py_deep")
    # Non-default BatchNormalization statistics, so that loading them matters.
    for layer in model.layers:
        if isinstance(layer, L.BatchNormalization):
            layer.moving_mean.assign(normal(8) * 0.1)
            layer.moving_variance.assign(np.abs(normal(8)) + 0.5)
    export(directory, "py_deep", model, [normal(4, 8)], 1e-5)


def normalization(directory):
    """Normalization adapted on data (per feature, and over everything), and with fixed statistics
    inverted: the weights (mean, variance, count) and the config's mean / variance forms."""
    data = normal(50, 4, 3) * 3 + 1
    per_feature = L.Normalization(axis=-1)
    per_feature.adapt(data)
    model = keras.Sequential([keras.Input((4, 3)), per_feature, L.Dense(2)], name="py_norm_adapted")
    export(directory, "py_norm_adapted", model, [normal(5, 4, 3)], 1e-5)
    everything = L.Normalization(axis=None)
    everything.adapt(data)
    model = keras.Sequential([keras.Input((4, 3)), everything], name="py_norm_scalar")
    export(directory, "py_norm_scalar", model, [normal(5, 4, 3)], 1e-5)
    x_in = keras.Input((3,))
    fixed = L.Normalization(mean=[1.0, 2.0, 3.0], variance=[1.0, 4.0, 9.0], invert=True)
    model = keras.Model(x_in, fixed(x_in), name="py_norm_fixed")
    export(directory, "py_norm_fixed", model, [normal(5, 3)], 1e-5)


def category_encoding(directory):
    """CategoryEncoding counts of int32 ids feeding a Dense, and multi_hot ids alone."""
    x_in = keras.Input((4,), dtype="int32")
    counts = L.CategoryEncoding(num_tokens=6, output_mode="count")(x_in)
    model = keras.Model(x_in, L.Dense(2)(counts), name="py_category_encoding")
    ids = rng.integers(0, 6, size=(5, 4)).astype(np.int32)
    export(directory, "py_category_encoding", model, [ids], 1e-5)
    x_in = keras.Input((3,), dtype="int32")
    model = keras.Model(x_in, L.CategoryEncoding(num_tokens=5)(x_in), name="py_multi_hot")
    export(directory, "py_multi_hot", model, [rng.integers(0, 5, size=(4, 3)).astype(np.int32)],
           1e-6)


def main(directory):
    os.makedirs(directory, exist_ok=True)
    keras.utils.set_random_seed(7)
    print(f"Keras {keras.__version__}, backend {keras.backend.backend()}, writing to {directory}")
    compiled_adam(directory)
    mixed_float16(directory)
    half_variables(directory)
    deep(directory)
    normalization(directory)
    category_encoding(directory)
    with open(os.path.join(directory, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    main(sys.argv[1])
