"""Robustness and speed over the Python standard library.

    python benchmarks/lint_stdlib.py [--force] [--limit N]

Runs the kerasshape analysis on every .py file of this interpreter's standard
library. Without --force, files that never mention keras are skipped before
parsing (what `kerasshape lint` does); with --force every file is parsed and
interpreted, which exercises the interpreter on a large body of unusual code.
Reports files/s and every internal error (KS000); exits 1 if there was one.
"""

from __future__ import annotations

import argparse
import sys
import sysconfig
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kerasshape.engine import analyze_source  # noqa: E402


def stdlib_files() -> list[Path]:
    root = Path(sysconfig.get_paths()["stdlib"])
    return sorted(p for p in root.rglob("*.py") if "site-packages" not in p.parts)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--force", action="store_true", help="analyse files that never mention keras too")
    ap.add_argument("--limit", type=int, default=0)
    args = ap.parse_args()
    files = stdlib_files()
    if args.limit:
        files = files[:: max(1, len(files) // args.limit)][: args.limit]
    internal, syntax, total_diags = [], 0, 0
    start = time.perf_counter()
    for path in files:
        data = path.read_bytes()
        analysis = analyze_source(data, str(path), force=args.force)
        for d in analysis.diagnostics:
            total_diags += 1
            if d.code == "KS000":
                internal.append(d)
            elif d.code in ("KS001", "KS002"):
                syntax += 1
    elapsed = time.perf_counter() - start
    print(f"files: {len(files)}  time: {elapsed:.1f} s  throughput: {len(files) / elapsed:.0f} files/s")
    print(f"diagnostics: {total_diags} (syntax/decoding: {syntax}, internal errors: {len(internal)})")
    for d in internal:
        print(f"  {d.path}:{d.line}: {d.message}")
    return 1 if internal else 0


if __name__ == "__main__":
    raise SystemExit(main())
