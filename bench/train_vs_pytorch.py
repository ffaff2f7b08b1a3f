#!/usr/bin/python3
"""The PyTorch half of the side-by-side benchmark (bench/train_vs_pytorch.sh).

The same two models, data, batch size and optimizer as bench/train_vs_pytorch.cpp, written the
way a PyTorch user would (eager mode, logits + F.cross_entropy, which is the fused equivalent of
Keras's softmax output + sparse_categorical_crossentropy; the default Adam hyper-parameters of
Keras: lr 1e-3, eps 1e-7). Each training step gathers a shuffled batch from the 60000 training
samples, as Keras's fit does, and accumulates loss and accuracy like Keras's metrics.

    train_vs_pytorch.py [--model mlp|convnet|all] [--steps N] [--warmup N] [--repeats N]
                        [--batch-size N] [--threads N] [--data fashion|synthetic]

Prints the same RESULT lines as the C++ program, with backend=pytorch.
"""
import argparse
import gzip
import os
import struct
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

FASHION_DIR = os.environ.get("KERAS_FASHION_MNIST_DIR", "/usr/share/datasets/fashion-mnist")


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    _, _, dtype_code, ndim = struct.unpack(">BBBB", data[:4])
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def training_data(which):
    if which == "fashion":
        x = read_idx(os.path.join(FASHION_DIR, "train-images-idx3-ubyte.gz"))
        y = read_idx(os.path.join(FASHION_DIR, "train-labels-idx1-ubyte.gz"))
        x = torch.from_numpy(x.astype(np.float32) / 255.0)
        y = torch.from_numpy(y.astype(np.int64))
    else:
        g = torch.Generator().manual_seed(1)
        x = torch.rand(60000, 28, 28, generator=g)
        y = torch.randint(0, 10, (60000,), generator=g)
    return x, y


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


def make_model(name):
    if name == "mlp":
        return nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 256), nn.ReLU(),
                             nn.Linear(256, 10))
    return ConvNet()


def report(args, model, mode, best_s, check):
    ms = best_s * 1e3 / args.steps
    sps = args.steps * args.batch_size / best_s
    print(f"RESULT model={model} mode={mode} backend=pytorch batch={args.batch_size} "
          f"steps={args.steps} ms_per_step={ms:.3f} samples_per_s={sps:.1f} check={check:.4f}",
          flush=True)


def run_model(args, name, x_images, y):
    torch.manual_seed(42)
    x = x_images.reshape(-1, 784) if name == "mlp" else x_images.reshape(-1, 1, 28, 28)
    model = make_model(name)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-7)
    n = x.shape[0]

    def fit(steps):
        model.train()
        order = torch.randperm(n)
        loss_sum, correct, seen = 0.0, 0, 0
        for step in range(steps):
            begin = (step * args.batch_size) % n
            idx = order[begin:begin + args.batch_size]
            xb, yb = x[idx], y[idx]
            opt.zero_grad(set_to_none=True)
            logits = model(xb)
            loss = F.cross_entropy(logits, yb)
            loss.backward()
            opt.step()
            with torch.no_grad():
                loss_sum += loss.item() * len(idx)
                correct += (logits.argmax(1) == yb).sum().item()
                seen += len(idx)
        return correct / seen

    fit(args.warmup)
    best, accuracy = float("inf"), 0.0
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        accuracy = fit(args.steps)
        best = min(best, time.perf_counter() - t0)
    report(args, name, "train", best, accuracy)

    xp = x[:args.steps * args.batch_size]

    def predict(steps):
        model.eval()
        out = []
        with torch.no_grad():
            for step in range(steps):
                out.append(F.softmax(model(xp[step * args.batch_size:(step + 1) * args.batch_size]),
                                     dim=1))
        return torch.cat(out)

    predict(min(args.warmup, args.steps))
    best, check = float("inf"), 0.0
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        p = predict((xp.shape[0] + args.batch_size - 1) // args.batch_size)
        best = min(best, time.perf_counter() - t0)
        check = p.max(1).values.mean().item()
    report(args, name, "predict", best, check)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--model", default="all", choices=["mlp", "convnet", "all"])
    p.add_argument("--steps", type=int, default=50)
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--threads", type=int, default=os.cpu_count())
    p.add_argument("--data", default="fashion", choices=["fashion", "synthetic"])
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    print(f"# backend pytorch: PyTorch {torch.__version__}, {torch.get_num_threads()} threads, "
          f"mkldnn {torch.backends.mkldnn.is_available()}", flush=True)
    x, y = training_data(args.data)
    for m in ["mlp", "convnet"]:
        if args.model in ("all", m):
            run_model(args, m, x, y)


if __name__ == "__main__":
    main()
