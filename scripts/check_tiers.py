#!/usr/bin/env python3
"""The tier check (docs/architecture.md, "Tiers"): every #include in src/ and include/keras/ goes
to its own tier or a lower one. Run by ctest as `tier_check`; prints file:line and the rule
broken for each wrong-way include and exits 1.

Usage: python3 scripts/check_tiers.py [repository root]
"""
import pathlib
import re
import sys

# Bottom-up. A file's tier is that of its top-level folder under src/ or include/keras/; a file
# may include its own tier (folders of one tier may use each other) and every tier below it.
TIERS = [
    ("core", ["core", "backend", "utils", "version.hpp"]),
    ("ops", ["ops", "autodiff", "random", "graph"]),
    ("data", ["data"]),
    ("serialization", ["serialization"]),
    ("families", ["initializers", "regularizers", "constraints", "activations"]),
    ("layers", ["layers"]),
    ("losses-metrics-optimizers", ["losses", "metrics", "optimizers"]),
    ("models", ["models", "trainers", "callbacks", "datasets"]),
    ("saving", ["saving"]),
    ("programs", ["tools", "keras.hpp"]),
]
# Backends implement core's Backend interface: they include the core tier only, and nothing
# outside a backend's own folder includes its headers.
BACKENDS = "backends"
BACKENDS_MAY_INCLUDE = "core"

# The only wrong-way includes allowed, each with its reason: (file, included path) -> reason.
EXCEPTIONS = {
    ("src/core/variable.cpp", "keras/ops/ops.hpp"):
        "Variable::assign casts and moves the new value to the variable's dtype and backend, "
        "and assign_add/assign_sub add, with ops (as Keras's Variable does); only this .cpp "
        "calls ops, core's headers do not include them",
}

TIER_OF = {folder: i for i, (_, folders) in enumerate(TIERS) for folder in folders}
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^">]+)[">]')


def folder_of(rel: pathlib.PurePosixPath):
    """The top-level folder (or top-level file) of a path under src/ or include/keras/."""
    parts = rel.parts
    if parts[0] == "src":
        return parts[1]
    if parts[:2] == ("include", "keras"):
        return parts[2]
    return None


def included_folder(root: pathlib.Path, src: pathlib.Path, delim: str, path: str):
    """The folder an include refers to, or None for system and third-party headers."""
    if path.startswith("keras/"):
        return path.split("/")[1]
    if delim == "<":
        return None
    local = (src.parent / path).resolve()
    if local.is_file():  # relative to the including file
        return folder_of(pathlib.PurePosixPath(local.relative_to(root).as_posix()))
    if (root / "src" / path).is_file():  # src/ is on the private include path
        return path.split("/")[0]
    return None


def main() -> int:
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else __file__).resolve()
    if root.is_file():
        root = root.parents[1]
    errors = []
    used_exceptions = set()
    files = [p for base in ("src", "include/keras") for p in sorted((root / base).rglob("*"))
             if p.suffix in {".cpp", ".hpp", ".h", ".cc", ".inc"}]
    for src in files:
        rel = pathlib.PurePosixPath(src.relative_to(root).as_posix())
        here = folder_of(rel)
        if here != BACKENDS and here not in TIER_OF:
            errors.append(f"{rel}: folder '{here}' is in no tier; add it to TIERS in "
                          f"scripts/check_tiers.py and to docs/architecture.md")
            continue
        for line_no, line in enumerate(src.read_text(errors="replace").splitlines(), 1):
            m = INCLUDE.match(line)
            if not m:
                continue
            target = included_folder(root, src, m.group(1), m.group(2))
            if target is None or target == here:
                continue
            where = f"{rel}:{line_no}: {line.strip()}"
            if (str(rel), m.group(2)) in EXCEPTIONS:
                used_exceptions.add((str(rel), m.group(2)))
                continue
            if target == BACKENDS:
                errors.append(f"{where}: only {BACKENDS}/ itself includes a backend's headers "
                              f"(backends are reached through the backend registry)")
                continue
            if target not in TIER_OF:
                errors.append(f"{where}: '{target}' is in no tier")
                continue
            if here == BACKENDS:
                if TIER_OF[target] > TIER_OF[BACKENDS_MAY_INCLUDE]:
                    errors.append(f"{where}: a backend includes only the core tier, not "
                                  f"'{target}' (tier {TIERS[TIER_OF[target]][0]})")
                continue
            if TIER_OF[target] > TIER_OF[here]:
                errors.append(
                    f"{where}: '{here}' (tier {TIER_OF[here]}, {TIERS[TIER_OF[here]][0]}) may "
                    f"include only its own and lower tiers, not '{target}' (tier "
                    f"{TIER_OF[target]}, {TIERS[TIER_OF[target]][0]})")
    for stale in sorted(set(EXCEPTIONS) - used_exceptions):
        errors.append(f"{stale[0]}: the allowed exception for {stale[1]} is no longer used; "
                      f"delete it from EXCEPTIONS in scripts/check_tiers.py")
    for e in errors:
        print(e)
    if errors:
        print(f"tier_check: {len(errors)} wrong-way include(s); the tiers are in "
              f"docs/architecture.md")
        return 1
    print(f"tier_check: {len(files)} files, every include goes to its own or a lower tier")
    return 0


if __name__ == "__main__":
    sys.exit(main())
