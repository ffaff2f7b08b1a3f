#!/usr/bin/env python3
"""Rewrites paths of files moved between folders (issue 16, the serialization tier) everywhere.

Usage: python3 scripts/dev/rename_includes.py [--check]
  (no argument)  rewrites every text file under the tree (src, include, tests, examples, fuzz,
                 bench, docs, scripts and the top-level CMakeLists.txt / README.md) in place;
  --check        rewrites nothing, lists the files that still use an old path (exit 1 if any).

Idempotent: a new path never contains an old one, so running it again changes nothing. It is
committed so that branches written against the old paths can be merged and the script re-run.
"""
import pathlib
import re
import sys

# Old path -> new path, as they appear after `keras/` (public headers) or `src/` (private ones).
MOVES = {
    "keras/saving/config.hpp": "keras/serialization/config.hpp",
    "keras/saving/object_registry.hpp": "keras/serialization/object_registry.hpp",
    "keras/saving/object_ref.hpp": "keras/serialization/object_ref.hpp",
    "keras/saving/atomic_file.hpp": "keras/serialization/atomic_file.hpp",
    "saving/object_registry.cpp": "serialization/object_registry.cpp",
    "saving/atomic_file.cpp": "serialization/atomic_file.cpp",
    "saving/config_args.hpp": "serialization/config_args.hpp",
    "saving/config_ints.hpp": "serialization/config_ints.hpp",
    "saving/variable_budget.hpp": "serialization/variable_budget.hpp",
    "saving/variable_budget.cpp": "serialization/variable_budget.cpp",
    "saving/activation_budget.hpp": "serialization/activation_budget.hpp",
    "saving/activation_budget.cpp": "serialization/activation_budget.cpp",
    "saving/load_scope.hpp": "serialization/load_scope.hpp",
    "saving/config_fields.hpp": "serialization/config_fields.hpp",
    # What model_config.hpp kept after the model parts moved to src/models/ (ConfigReader).
    "saving/model_config.hpp": "serialization/config_reader.hpp",
}

ROOTS = ["src", "include", "tests", "examples", "fuzz", "bench", "docs", "scripts"]
TOP_FILES = ["CMakeLists.txt", "README.md"]
SUFFIXES = {".cpp", ".hpp", ".h", ".cc", ".inc", ".txt", ".md", ".sh", ".py", ".cmake"}

# An old path not preceded by a word character (so "x_saving/..." is left alone); longest first
# so "keras/saving/config.hpp" wins over a shorter key.
keys = sorted(MOVES, key=len, reverse=True)
pattern = re.compile(r"(?<![\w.])(" + "|".join(re.escape(k) for k in keys) + r")(?![\w.])")


def files(root: pathlib.Path):
    me = pathlib.Path(__file__).resolve()
    for name in TOP_FILES:
        if (root / name).is_file():
            yield root / name
    for sub in ROOTS:
        for p in sorted((root / sub).rglob("*")):
            if p.is_file() and p.suffix in SUFFIXES and p.resolve() != me:
                yield p


def main() -> int:
    check = "--check" in sys.argv[1:]
    root = pathlib.Path(__file__).resolve().parents[2]
    changed = []
    for p in files(root):
        text = p.read_text(errors="surrogateescape")
        new = pattern.sub(lambda m: MOVES[m.group(1)], text)
        if new != text:
            changed.append(p.relative_to(root))
            if not check:
                p.write_text(new, errors="surrogateescape")
    for p in changed:
        print(("uses an old path: " if check else "rewrote ") + str(p))
    return 1 if (check and changed) else 0


if __name__ == "__main__":
    sys.exit(main())
