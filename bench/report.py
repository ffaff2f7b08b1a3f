#!/usr/bin/python3
"""Turns ops_bench's Google Benchmark JSON into tables with the ratios the project targets:
matmul >= 90% of the library underneath, elementwise >= 70% of memcpy, dispatch <= 1 us.

Usage: report.py results.json  (prints Markdown)"""
import json
import sys

TO_NS = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}


def load(path):
    with open(path) as f:
        data = json.load(f)
    runs = {}
    cvs = {}
    for b in data["benchmarks"]:
        name = b.get("run_name", b["name"])
        if name.endswith("/real_time"):
            name = name[: -len("/real_time")]
        if b.get("run_type") == "aggregate":
            if b.get("aggregate_name") == "cv":
                cvs[name] = b["real_time"]
            if b.get("aggregate_name") != "median":
                continue
        elif name in runs and runs[name].get("run_type") == "aggregate":
            continue
        runs[name] = b
    return data.get("context", {}), runs, cvs


def spread(cvs, prefix):
    """The range of the coefficients of variation (across repetitions) of a group, as text."""
    v = [c for n, c in cvs.items() if n.startswith(prefix)]
    if not v:
        return ""
    return (f"Spread across repetitions (coefficient of variation of the time): "
            f"{100 * min(v):.0f}% to {100 * max(v):.0f}%.")


def value(runs, name, key):
    b = runs.get(name)
    if b is None or b.get("error_occurred"):
        return None
    if key == "ns":
        return b["real_time"] * TO_NS[b.get("time_unit", "ns")]
    return b.get(key)


def fmt(v, digits=1):
    return "—" if v is None else f"{v:.{digits}f}"


def ratio(a, b):
    return None if a is None or b is None or b == 0 else a / b


def pct(r, target=None):
    if r is None:
        return "—"
    s = f"{100 * r:.0f}%"
    if target is not None:
        s += " ✓" if r >= target else " ✗"
    return s


def table_head(columns):
    """The first two lines of a Markdown table with these columns."""
    return ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]


def section(out, title, columns):
    """Appends a "### title" heading, a blank line and the head of a table with `columns`."""
    out += [f"### {title}", ""] + table_head(columns)


def error_notes(runs):
    return [f"- `{n}`: {b.get('error_message', 'error')}" for n, b in runs.items()
            if b.get("error_occurred")]


def main():
    context, runs, cvs = load(sys.argv[1])
    backends = sorted({n.split("/")[2] for n in runs if n.startswith(("matmul/ops/", "elementwise/ops/",
                                                                     "dispatch/ops/"))},
                      key=lambda b: (b != "cpu", b))
    out = []
    out.append(f"Machine: {context.get('num_cpus', '?')} CPUs at {context.get('mhz_per_cpu', '?')} MHz; "
               f"load average {', '.join(f'{x:.1f}' for x in context.get('load_avg', []))}. "
               "(Google Benchmark's own warning about a DEBUG build refers to Debian's "
               "libbenchmark, not to keras-cpp, which is built Release.)")
    for k, v in sorted(context.items()):
        if k.startswith("backend_"):
            out.append(f"Backend `{k[8:]}`: {v}.")
    out.append("")

    out.append("### matmul, float32, n x n x n (GFLOP/s; target: ours >= 90% of the library underneath)")
    out.append("")
    head = ["n", "oneDNN dnnl_sgemm", "OpenBLAS cblas_sgemm"]
    for b in backends:
        head += [f"{b} ops::matmul", f"{b} kernel", f"{b} ops / oneDNN", f"{b} ops / best library"]
    out += table_head(head)
    for n in (256, 1024, 2048):
        dnnl = value(runs, f"matmul/ref/dnnl_sgemm/{n}", "flops_per_second")
        blas = value(runs, f"matmul/ref/cblas_sgemm/{n}", "flops_per_second")
        best = max([v for v in (dnnl, blas) if v is not None], default=None)
        row = [str(n), fmt(dnnl and dnnl / 1e9), fmt(blas and blas / 1e9)]
        for b in backends:
            o = value(runs, f"matmul/ops/{b}/{n}", "flops_per_second")
            k = value(runs, f"matmul/kernel/{b}/{n}", "flops_per_second")
            row += [fmt(o and o / 1e9), fmt(k and k / 1e9), pct(ratio(o, dnnl), 0.9),
                    pct(ratio(o, best), 0.9)]
        out.append("| " + " | ".join(row) + " |")
    out.append("")
    out.append(spread(cvs, "matmul/"))
    out.append("")

    out.append("### elementwise, 16M float32 elements (GB/s of bytes read + written; "
               "target: ours >= 70% of memcpy)")
    out.append("")
    hot = value(runs, "elementwise/ref/memcpy_hot/copy", "bytes_per_second")
    fresh = value(runs, "elementwise/ref/memcpy_fresh/copy", "bytes_per_second")
    out.append(f"memcpy of 64 MiB: {fmt(hot and hot / 1e9)} GB/s into a reused buffer (hot), "
               f"{fmt(fresh and fresh / 1e9)} GB/s into a newly allocated one (fresh, page faults "
               "included, as for an op that returns a new tensor).")
    out.append("")
    head = ["backend", "op", "ops GB/s", "kernel GB/s", "ops / memcpy hot", "ops / memcpy fresh"]
    out += table_head(head)
    for b in backends:
        for op in ("add", "multiply", "exp"):
            o = value(runs, f"elementwise/ops/{b}/{op}", "bytes_per_second")
            k = value(runs, f"elementwise/kernel/{b}/{op}", "bytes_per_second")
            out.append(f"| {b} | {op} | {fmt(o and o / 1e9, 2)} | {fmt(k and k / 1e9, 2)} | "
                       f"{pct(ratio(o, hot), 0.7)} | {pct(ratio(o, fresh), 0.7)} |")
    out.append("")
    out.append(spread(cvs, "elementwise/"))
    out.append("")

    section(out, "dispatch overhead, add of two 1-element float32 tensors (ns per call; "
            "target: ops <= 1000 ns)", ["backend", "ops::add", "backend kernel", "ops layer cost"])
    for b in backends:
        o = value(runs, f"dispatch/ops/{b}/add", "ns")
        k = value(runs, f"dispatch/kernel/{b}/add", "ns")
        mark = "" if o is None else (" ✓" if o <= 1000 else " ✗")
        out.append(f"| {b} | {fmt(o, 0)}{mark} | {fmt(k, 0)} | "
                   f"{fmt(None if o is None or k is None else o - k, 0)} |")
    out.append("")
    out.append(spread(cvs, "dispatch/"))
    out.append("")
    section(out, "keras::random, 16M float32 values (million values per second)",
            ["backend", "normal", "uniform"])
    for b in backends:
        n = value(runs, f"random/normal/{b}/16M", "items_per_second")
        u = value(runs, f"random/uniform/{b}/16M", "items_per_second")
        out.append(f"| {b} | {fmt(n and n / 1e6, 0)} | {fmt(u and u / 1e6, 0)} |")
    notes = error_notes(runs)
    if notes:
        out.append("")
        out.append("Benchmarks that reported an error:")
        out += notes
    print("\n".join(out))


if __name__ == "__main__":
    main()
