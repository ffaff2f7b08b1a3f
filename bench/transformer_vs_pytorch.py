"""PyTorch side of bench/transformer_vs_pytorch.sh: nn.TransformerEncoderLayer (post-norm, relu,
dropout 0, batch_first) + mean over tokens + Linear(10), Adam, cross-entropy; same sizes and
synthetic data shapes as bench/transformer_vs_pytorch.cpp. Prints RESULT lines."""
import argparse
import time

import torch
import torch.nn.functional as F


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=2)
    for name, default in [("steps", 10), ("warmup", 2), ("repeats", 3), ("batch-size", 32),
                          ("seq", 64), ("dim", 128), ("heads", 4), ("ff", 256), ("micro", 1)]:
        p.add_argument("--" + name, type=int, default=default)
    p.add_argument("--backend", default="")  # accepted for symmetry, ignored
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(42)
    n = a.batch_size * max(a.steps, a.warmup)
    x = torch.randn(n, a.seq, a.dim)
    y = torch.randint(0, 10, (n,))

    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.block = torch.nn.TransformerEncoderLayer(
                a.dim, a.heads, dim_feedforward=a.ff, dropout=0.0, batch_first=True)
            self.head = torch.nn.Linear(a.dim, 10)

        def forward(self, t):
            return self.head(self.block(t).mean(dim=1))

    model = Net()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)

    def batch(t, s):
        return t[s * a.batch_size:(s + 1) * a.batch_size]

    def train_step(s):
        opt.zero_grad()
        loss = F.cross_entropy(model(batch(x, s)), batch(y, s))
        loss.backward()
        opt.step()

    def best_of(f):
        best = float("inf")
        for _ in range(a.repeats):
            t0 = time.perf_counter()
            f()
            best = min(best, time.perf_counter() - t0)
        return best

    tokens = a.steps * a.batch_size * a.seq

    def report(model_name, mode, seconds):
        print(f"RESULT model={model_name} mode={mode} backend=pytorch batch={a.batch_size} "
              f"seq={a.seq} dim={a.dim} ms={seconds * 1e3:.3f} tokens_per_s={tokens / seconds:.1f}",
              flush=True)

    model.train()
    for s in range(a.warmup):
        train_step(s)
    report("encoder", "train", best_of(lambda: [train_step(s) for s in range(a.steps)]))
    model.eval()
    with torch.no_grad():
        for s in range(a.warmup):
            model(batch(x, s))
        report("encoder", "predict", best_of(lambda: [model(batch(x, s)) for s in range(a.steps)]))


if __name__ == "__main__":
    main()
