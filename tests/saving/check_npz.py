#!/usr/bin/env python3
"""Loads a .npz or .npy file with NumPy (allow_pickle=False) and prints one line per array:
"name dtype.str shape values" (values in C order via tolist(); strings as text). Used by
tests/saving/io_numpy_test.cpp to check that NumPy reads what keras-cpp writes."""
import sys

import numpy as np


def describe(name, a):
    dtype = a.dtype.str
    values = str(a) if a.dtype.kind == "U" and a.ndim == 0 else a.ravel().tolist()
    print(name, dtype, a.shape, values)


def main(path):
    data = np.load(path, allow_pickle=False)
    if isinstance(data, np.ndarray):
        describe("-", data)
        return
    with data:
        for name in data.files:
            describe(name, data[name])


if __name__ == "__main__":
    main(sys.argv[1])
