"""Reads back the RESULT lines the *_vs_pytorch programs print ("RESULT key=value ..."), for the
tables of the bench/*_vs_pytorch.sh drivers."""


def read_results(path, keys, value):
    """{(values of `keys`): float(value of `value`)} for every RESULT line of the file."""
    rows = {}
    for line in open(path):
        if line.startswith("RESULT "):
            kv = dict(p.split("=", 1) for p in line.split()[1:])
            rows[tuple(kv[k] for k in keys)] = float(kv[value])
    return rows
