#!/usr/bin/env python3
"""One peer of bench/peers.sh: trains the three models of bench/compiled_vs_eager.cpp with the
same protocol and prints the same kind of RESULT lines, so keras-cpp and its peers are compared
on equal terms.

    peers.py --peer keras-jax|keras-tensorflow|keras-torch|pytorch [--model M[,M...]|all]
             [--steps N] [--warmup N] [--repeats N] [--batch-size N] [--threads N] [--label L]

Protocol (as compiled_vs_eager's fit measurement): random inputs, uniform in [0, 1), of
steps * batch-size samples (mlp: 784 features; convnet: 28x28x1 images; lstm: 28 steps of 28
features) and random labels in 0..9; Adam (lr 1e-3, Keras's eps 1e-7), sparse categorical
crossentropy, accuracy; one epoch of --steps batches in order (no shuffling); max(--warmup, 2)
warm-up epochs (which trace/compile), then the best of --repeats timed epochs.

The Keras peers (Python Keras 3, one backend per process: KERAS_BACKEND is set before keras is
imported) call model.fit(x, y, batch_size, epochs=1, verbose=0, shuffle=False) with compile()'s
defaults, i.e. jit_compile="auto" (XLA on JAX and, when every layer supports it, on TensorFlow;
eager on torch). The pytorch peer is the same models in torch.nn, trained the way a PyTorch user
would (eager): zero_grad, forward to logits, F.cross_entropy (the fused equivalent of Keras's
softmax output + sparse categorical crossentropy), backward, Adam step, and the running loss and
accuracy accumulated per batch like Keras's metrics. It runs under any PyTorch from 1.13 on
(Debian's python3-torch and the bench venv's PyTorch 2.x).

Prints "# peer ..." lines naming the versions and the backend Keras really used, and per model
    RESULT model=M mode=train backend=LABEL batch=B steps=S samples_per_s=X ms_per_step=T check=A
(LABEL: --label, default the peer's name; check: the accuracy of the last timed epoch, a
sanity value near 0.1 on random labels).
"""
import argparse
import os
import sys
import time

MODELS = ("mlp", "convnet", "lstm")
PEERS = ("keras-jax", "keras-tensorflow", "keras-torch", "pytorch")


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--peer", required=True, choices=PEERS)
    p.add_argument("--model", default="all", help="mlp, convnet, lstm, a comma list or all")
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--threads", type=int, default=os.cpu_count())
    p.add_argument("--label", help="the RESULT lines' backend= (default: --peer)")
    args = p.parse_args()
    args.label = args.label or args.peer
    return args


def sample_shape(name):
    return {"mlp": (784,), "convnet": (28, 28, 1), "lstm": (28, 28)}[name]


def report(args, name, peer, best_s, check, extra=""):
    sps = args.steps * args.batch_size / best_s
    print(f"RESULT model={name} mode=train backend={peer} batch={args.batch_size} "
          f"steps={args.steps} samples_per_s={sps:.0f} ms_per_step={best_s * 1e3 / args.steps:.3f} "
          f"check={check:.4f}{extra}", flush=True)


def timed(args, epoch):
    """max(warmup, 2) untimed calls of epoch(), then (best seconds, last result) of --repeats."""
    for _ in range(max(args.warmup, 2)):
        epoch()
    best, result = float("inf"), None
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        result = epoch()
        best = min(best, time.perf_counter() - t0)
    return best, result


# ---------------------------------------------------------------------------------------------
# Python Keras 3 on JAX, TensorFlow or PyTorch.

def run_keras(args, names):
    backend = args.peer.split("-", 1)[1]
    os.environ["KERAS_BACKEND"] = backend
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("JAX_PLATFORMS", "cpu")
    os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
    if backend == "jax" and args.threads == 1:
        # XLA's CPU client runs on one Eigen pool of all the cores; this makes it one thread.
        os.environ["XLA_FLAGS"] = (os.environ.get("XLA_FLAGS", "") +
                                   " --xla_cpu_multi_thread_eigen=false"
                                   " intra_op_parallelism_threads=1").strip()
    if backend == "torch":
        import torch
        torch.set_num_threads(args.threads)
    import numpy as np
    import keras
    from keras import layers
    used = keras.backend.backend()
    if used != backend:
        sys.exit(f"peers.py: Keras runs on {used!r}, not {backend!r}")
    if backend == "tensorflow":
        import tensorflow as tf
        tf.get_logger().setLevel("ERROR")
        try:
            tf.config.threading.set_intra_op_parallelism_threads(args.threads)
            tf.config.threading.set_inter_op_parallelism_threads(args.threads)
        except RuntimeError as e:  # the runtime was already initialized
            print(f"# note: could not set TensorFlow's threads: {e}")
        lib = f"TensorFlow {tf.__version__}, devices {[d.device_type for d in tf.config.list_logical_devices()]}"
    elif backend == "jax":
        import jax
        lib = f"JAX {jax.__version__}, devices {[d.platform for d in jax.devices()]}"
    else:
        import torch
        lib = f"PyTorch {torch.__version__}, {torch.get_num_threads()} threads"
    print(f"# peer {args.peer}: Keras {keras.__version__}, keras.backend.backend()={used}, {lib}, "
          f"numpy {np.__version__}, --threads {args.threads}", flush=True)

    def make_model(name):
        if name == "mlp":
            return keras.Sequential([keras.Input((784,)),
                                     layers.Dense(512, activation="relu"),
                                     layers.Dense(256, activation="relu"),
                                     layers.Dense(10, activation="softmax")])
        if name == "lstm":
            return keras.Sequential([keras.Input((28, 28)), layers.LSTM(128),
                                     layers.Dense(10, activation="softmax")])
        return keras.Sequential([keras.Input((28, 28, 1)),
                                 layers.Conv2D(32, 3, activation="relu"),
                                 layers.MaxPooling2D(2),
                                 layers.Conv2D(64, 3, activation="relu"),
                                 layers.MaxPooling2D(2), layers.Flatten(), layers.Dropout(0.5),
                                 layers.Dense(10, activation="softmax")])

    for name in names:
        keras.utils.clear_session()
        keras.utils.set_random_seed(42)
        rng = np.random.default_rng(1)
        n = args.steps * args.batch_size
        x = rng.random((n,) + sample_shape(name), dtype=np.float32)
        y = rng.integers(0, 10, size=(n,)).astype(np.int32)
        model = make_model(name)
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"])

        def epoch():
            h = model.fit(x, y, batch_size=args.batch_size, epochs=1, verbose=0, shuffle=False)
            return float(h.history["accuracy"][-1])  # a host value: the epoch has finished

        best, acc = timed(args, epoch)
        report(args, name, args.label, best, acc,
               f" keras_backend={keras.backend.backend()} jit_compile={model.jit_compile}")


# ---------------------------------------------------------------------------------------------
# PyTorch, eager, written the PyTorch way.

def run_pytorch(args, names):
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
    torch.set_num_threads(args.threads)
    print(f"# peer {args.peer}: PyTorch {torch.__version__} (eager), {torch.get_num_threads()} "
          f"threads, mkldnn {torch.backends.mkldnn.is_available()}, python "
          f"{sys.version.split()[0]} ({sys.executable})", flush=True)

    class ConvNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(1, 32, 3)
            self.conv2 = nn.Conv2d(32, 64, 3)
            self.dropout = nn.Dropout(0.5)
            self.fc = nn.Linear(64 * 5 * 5, 10)

        def forward(self, x):
            x = F.max_pool2d(F.relu(self.conv1(x)), 2)
            x = F.max_pool2d(F.relu(self.conv2(x)), 2)
            return self.fc(self.dropout(torch.flatten(x, 1)))

    class LSTMNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.lstm = nn.LSTM(28, 128, batch_first=True)
            self.fc = nn.Linear(128, 10)

        def forward(self, x):
            out, _ = self.lstm(x)
            return self.fc(out[:, -1])

    def make_model(name):
        if name == "mlp":
            return nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 256), nn.ReLU(),
                                 nn.Linear(256, 10))
        return LSTMNet() if name == "lstm" else ConvNet()

    for name in names:
        torch.manual_seed(42)
        g = torch.Generator().manual_seed(1)
        n = args.steps * args.batch_size
        # PyTorch's convolutions take channels first: the convnet's images are (1, 28, 28).
        shape = (1, 28, 28) if name == "convnet" else sample_shape(name)
        x = torch.rand((n,) + tuple(shape), generator=g)
        y = torch.randint(0, 10, (n,), generator=g)
        model = make_model(name)
        opt = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-7)
        bs = args.batch_size

        def epoch():
            model.train()
            loss_sum = torch.zeros(())
            correct = torch.zeros((), dtype=torch.int64)
            for step in range(args.steps):
                xb, yb = x[step * bs:(step + 1) * bs], y[step * bs:(step + 1) * bs]
                opt.zero_grad(set_to_none=True)
                logits = model(xb)
                loss = F.cross_entropy(logits, yb)
                loss.backward()
                opt.step()
                with torch.no_grad():
                    loss_sum += loss.detach() * len(yb)
                    correct += (logits.argmax(1) == yb).sum()
            return correct.item() / n

        best, acc = timed(args, epoch)
        report(args, name, args.label, best, acc, f" torch={torch.__version__}")


def main():
    args = parse_args()
    names = MODELS if args.model == "all" else tuple(args.model.split(","))
    for name in names:
        if name not in MODELS:
            sys.exit(f"peers.py: unknown model {name!r} (choose from {', '.join(MODELS)} or all)")
    if args.peer == "pytorch":
        run_pytorch(args, names)
    else:
        run_keras(args, names)


if __name__ == "__main__":
    main()
