"""Lint time against plain parsing time, on the same files, in one run.

    python benchmarks/bench_lint.py [FOLDER ...]      # default: fixtures/

For every .py file: the time of ``libcst.parse_module`` alone, and the time of a
full ``kerasshape`` analysis (which parses too). Each is the best of ``--repeat``
runs over the whole set. Prints the totals and the ratio lint/parse: the analysis
should cost little more than the parse.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import libcst as cst

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kerasshape.engine import analyze_source, decode  # noqa: E402


def files_in(folders) -> list[Path]:
    out = []
    for folder in folders:
        p = Path(folder)
        out.extend(sorted(p.rglob("*.py")) if p.is_dir() else [p])
    return out


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("folders", nargs="*", default=["fixtures"])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    sources = []
    for path in files_in(args.folders):
        data = path.read_bytes()
        try:
            text = decode(data)
            cst.parse_module(text)
        except Exception:
            continue
        sources.append((str(path), data, text))
    keras_sources = [s for s in sources if b"keras" in s[1]]

    def parse_all():
        for _, _, text in sources:
            cst.parse_module(text)

    def lint_all():
        for path, data, _ in sources:
            analyze_source(data, path, models=False)

    def show_all():
        for path, data, _ in sources:
            analyze_source(data, path, models=True).to_dict()

    t_parse = best(parse_all, args.repeat)
    t_lint = best(lint_all, args.repeat)
    t_show = best(show_all, args.repeat)
    nbytes = sum(len(s[1]) for s in sources)
    print(f"files: {len(sources)} ({len(keras_sources)} mention keras), {nbytes / 1024:.0f} KiB")
    print(f"parse only (libcst.parse_module): {t_parse * 1000:8.1f} ms")
    print(f"kerasshape lint (parse + analysis): {t_lint * 1000:8.1f} ms")
    print(f"kerasshape show (+ every model's summary): {t_show * 1000:8.1f} ms")
    print(f"ratio lint/parse: {t_lint / t_parse:.2f}   ratio show/parse: {t_show / t_parse:.2f}")
    print(f"lint throughput: {len(sources) / t_lint:.0f} files/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
