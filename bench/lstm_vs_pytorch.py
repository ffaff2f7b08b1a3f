#!/usr/bin/python3
"""The PyTorch half of bench/lstm_vs_pytorch.sh: nn.LSTM(28, 128, batch_first) on the last
timestep + nn.Linear(128, 10), logits + F.cross_entropy (the fused equivalent of Keras's softmax
+ sparse_categorical_crossentropy), Adam with Keras's defaults (lr 1e-3, eps 1e-7); the same
synthetic data, batch size and step counts as bench/lstm_vs_pytorch.cpp.

    lstm_vs_pytorch.py [--steps N] [--warmup N] [--repeats N] [--batch-size N] [--threads N]
"""
import argparse
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(28, 128, batch_first=True)
        self.fc = nn.Linear(128, 10)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.fc(out[:, -1])


def report(args, mode, best):
    print(f"RESULT model=lstm mode={mode} backend=pytorch batch={args.batch_size} "
          f"steps={args.steps} ms_per_step={best * 1e3 / args.steps:.3f} "
          f"samples_per_s={args.steps * args.batch_size / best:.1f}", flush=True)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--threads", type=int, default=2)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(42)
    n = args.batch_size * max(args.steps, args.warmup)
    x = torch.rand(n, 28, 28)
    y = torch.randint(0, 10, (n,))
    model = Net()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)

    def batch(t, s):
        return t[s * args.batch_size:(s + 1) * args.batch_size]

    def train_step(s):
        model.train()
        opt.zero_grad()
        logits = model(batch(x, s))
        loss = F.cross_entropy(logits, batch(y, s))
        loss.backward()
        opt.step()
        (logits.argmax(1) == batch(y, s)).float().mean().item()

    for s in range(args.warmup):
        train_step(s)
    best = float("inf")
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        for s in range(args.steps):
            train_step(s)
        best = min(best, time.perf_counter() - t0)
    report(args, "train", best)
    model.eval()
    with torch.no_grad():
        for s in range(args.warmup):
            F.softmax(model(batch(x, s)), 1)
        best = float("inf")
        for _ in range(args.repeats):
            t0 = time.perf_counter()
            for s in range(args.steps):
                F.softmax(model(batch(x, s)), 1).numpy()
            best = min(best, time.perf_counter() - t0)
    report(args, "predict", best)


if __name__ == "__main__":
    main()
