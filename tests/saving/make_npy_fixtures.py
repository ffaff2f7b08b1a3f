#!/usr/bin/env python3
"""Writes the small NumPy fixtures under tests/saving/data/ that tests/saving/io_numpy_test.cpp reads.

Run with Debian's NumPy (python3-numpy): /usr/bin/python3 tests/saving/make_npy_fixtures.py
The files are committed; rerunning gives the same bytes (NumPy 1.24 writes deterministic .npy
headers; zip member times are fixed by NumPy to 1980-01-01).
"""
import io
import os
import pickle
import zipfile

import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")


def save(name, array, **kw):
    np.save(os.path.join(OUT, name), array, **kw)


def write_version(name, array, version):
    with open(os.path.join(OUT, name), "wb") as f:
        np.lib.format.write_array(f, array, version=version)


def main():
    os.makedirs(OUT, exist_ok=True)
    # Values the C++ tests recompute: arange-based, exactly representable.
    save("f32_c.npy", (np.arange(12, dtype="<f4").reshape(3, 4) * 0.5 - 1).astype("<f4"))
    save("f64_fortran.npy", np.asfortranarray(np.arange(24, dtype="<f8").reshape(2, 3, 4)))
    save("i64_be.npy", ((np.arange(6) - 3) * 1000000007).astype(">i8").reshape(2, 3))
    save("i64_le.npy", ((np.arange(6) - 3) * 1000000007).astype("<i8").reshape(2, 3))
    save("u16_be_fortran.npy",
         np.asfortranarray((np.arange(6) * 4099).astype(">u2").reshape(2, 3)))
    save("f32_be.npy", (np.arange(5) * -1.25).astype(">f4"))
    save("f16.npy", np.array([0.5, -2.0, 65504.0, 0.0009765625, -0.0], dtype="<f2"))
    save("bool.npy", np.array([[True, False, True], [False, False, True]]))
    save("i8.npy", np.array([-128, -1, 0, 127], dtype="i1"))
    save("u8.npy", np.array([0, 1, 255], dtype="u1"))
    save("i16.npy", np.array([-32768, 7, 32767], dtype="<i2"))
    save("i32.npy", np.array([[-2147483648, 5], [2147483647, 0]], dtype="<i4"))
    save("u32.npy", np.array([4294967295, 1], dtype="<u4"))
    save("u64.npy", np.array([18446744073709551615, 2], dtype="<u8"))
    save("f64_scalar.npy", np.array(3.25))
    save("f32_empty.npy", np.zeros((0, 3), dtype="<f4"))
    save("c64.npy", np.array([1 + 2j, -3.5j], dtype="<c8"))
    save("str_0d.npy", np.array("h\u00e9llo \u2713 \U0001F600"))
    save("str_2d.npy", np.array([["a", "bcd"], ["", "xyz\u20ac"]]))
    save("str_be.npy", np.array(["ab", "\u00e9"], dtype=">U2"))
    save("bytes.npy", np.array([b"ab", b"c"]))
    write_version("f32_v2.npy", np.arange(4, dtype="<f4"), (2, 0))
    write_version("f32_v3.npy", np.arange(4, dtype="<f4"), (3, 0))
    save("object.npy", np.array([{"a": 1}, None], dtype=object), allow_pickle=True)
    with open(os.path.join(OUT, "pickle.npy"), "wb") as f:
        pickle.dump({"not": "an array"}, f, protocol=2)
    entries = {
        "weights": (np.arange(6, dtype="<f4").reshape(2, 3) / 4).astype("<f4"),
        "labels": np.array([3, 1, 2], dtype="<i8"),
        "name": np.array("model \u2713"),
        "layers/dense/kernel": np.asfortranarray(np.arange(6, dtype=">f8").reshape(3, 2)),
    }
    np.savez(os.path.join(OUT, "mixed.npz"), **entries)
    np.savez_compressed(os.path.join(OUT, "mixed_compressed.npz"), **entries)
    write_streamed_zip()


class _Unseekable(io.RawIOBase):
    """A write-only stream: zipfile then writes data descriptors after each member."""

    def __init__(self):
        self.buf = bytearray()

    def writable(self):
        return True

    def write(self, b):
        self.buf += b
        return len(b)


def write_streamed_zip():
    # What Python's zipfile writes to a pipe: deflated members with data descriptors, a directory
    # entry and a UTF-8 name. Fixed dates keep the bytes reproducible.
    out = _Unseekable()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        info = zipfile.ZipInfo("config.json", date_time=(2024, 1, 2, 3, 4, 6))
        z.writestr(info, '{"a": 1}' * 100)
        with z.open("model.weights.h5", "w") as f:
            f.write(b"x" * 1000)
        z.writestr(zipfile.ZipInfo("assets/", date_time=(2024, 1, 2, 3, 4, 6)), "")
        z.writestr(zipfile.ZipInfo("na\u00efve.txt", date_time=(2024, 1, 2, 3, 4, 6)), "utf8 name")
    with open(os.path.join(OUT, "python_streamed.zip"), "wb") as f:
        f.write(out.buf)


if __name__ == "__main__":
    main()
