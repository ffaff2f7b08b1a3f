#!/usr/bin/env python3
"""The table of bench/peers.sh (stdlib only): reads the lines the driver collected and prints,
per model, the training samples/s of each keras-cpp configuration and each peer, and the ratio
of each keras-cpp configuration to the best peer.

    peers_report.py OUTPUT_FILE

The file holds what compiled_vs_eager printed (RESULT ... mode=train backend=B
eager_samples_per_s=E compiled_samples_per_s=C; predict lines are ignored), what bench/peers.py
printed (RESULT ... mode=train backend=PEER samples_per_s=X keras_backend=K ...) and the driver's
column lines, tab-separated:
    COLUMN  NAME  TITLE  ours|peer|extra  STATE
one per column in table order; a column with a STATE (e.g. "skipped (run
scripts/setup_bench_venv.sh)") prints it in its cells instead of numbers.
"""
import sys


def parse(line):
    return dict(p.split("=", 1) for p in line.split()[1:] if "=" in p)


def main(path):
    columns = []  # (name, title, kind, state)
    values = {}  # (model, column name) -> samples/s
    keras_backends = {}  # peer -> (keras_backend, jit_compile)
    models = []
    for line in open(path, errors="replace"):
        if line.startswith("COLUMN\t"):
            _, name, title, kind, state = line.rstrip("\n").split("\t")
            columns.append((name, title, kind, state))
        elif line.startswith("RESULT "):
            kv = parse(line)
            if kv.get("mode") != "train":
                continue
            model = kv["model"]
            if model not in models:
                models.append(model)
            b = kv["backend"]
            if "compiled_samples_per_s" in kv:
                for mode in ("compiled", "eager"):  # 0: not measured (compiled_vs_eager --only)
                    if float(kv[f"{mode}_samples_per_s"]) > 0:
                        values[(model, f"{b}-{mode}")] = float(kv[f"{mode}_samples_per_s"])
            else:
                values[(model, b)] = float(kv["samples_per_s"])
                if "keras_backend" in kv:
                    keras_backends[b] = (kv["keras_backend"], kv.get("jit_compile", "?"))

    ours = [c for c in columns if c[2] == "ours"]
    peers = [c for c in columns if c[2] == "peer"]
    extras = [c for c in columns if c[2] == "extra"]

    def cell(model, col):
        name, _, _, state = col
        if state:
            return state
        v = values.get((model, name))
        return f"{v:,.0f}" if v is not None else "no result (see the log above)"

    def best_peer(model):
        found = [(values[(model, c[0])], c[1]) for c in peers
                 if not c[3] and (model, c[0]) in values]
        return max(found) if found else None

    header = ([f"ours {c[1]}" for c in ours] + [c[1] for c in peers] + ["best peer"] +
              [f"{c[1]} / best" for c in ours] + [f"{c[1]} (extra)" for c in extras])
    print("Training throughput, samples/s (one fit() epoch; higher is better). ours = keras-cpp"
          " (backend, compiled or eager).")
    print("x / best = keras-cpp / the best of the peers " + ", ".join(c[1] for c in peers) +
          "; the (extra) columns are not counted in the best.\n")
    print("| model | " + " | ".join(header) + " |")
    print("|---" * (len(header) + 1) + "|")
    for model in models:
        best = best_peer(model)
        row = [cell(model, c) for c in ours] + [cell(model, c) for c in peers]
        row.append(f"{best[0]:,.0f} ({best[1]})" if best else "-")
        for c in ours:
            v = values.get((model, c[0]))
            row.append(f"{v / best[0]:.2f}x" if v is not None and best and not c[3] else "-")
        row += [cell(model, c) for c in extras]
        print(f"| {model} | " + " | ".join(row) + " |")
    if keras_backends:
        print("\nKeras peers' keras.backend.backend() and resolved jit_compile: " +
              ", ".join(f"{p}: {kb} (jit_compile={jit})" for p, (kb, jit) in keras_backends.items()))


if __name__ == "__main__":
    main(sys.argv[1])
