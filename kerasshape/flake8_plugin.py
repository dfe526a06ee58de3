"""flake8 adapter: `flake8 --select KS` reports kerasshape's diagnostics.

flake8 hands over the file's lines (and its own ast, which kerasshape does not use: it
re-parses the lines with libcst). flake8 applies its own `noqa` and per-file-ignores.
"""

from __future__ import annotations

from typing import Iterator

from . import __version__


class KerasShapeChecker:
    name = "kerasshape"
    version = __version__

    def __init__(self, tree, lines: list[str], filename: str) -> None:
        self.lines = lines
        self.filename = filename

    def run(self) -> Iterator[tuple[int, int, str, type]]:
        from .engine import analyze_source

        analysis = analyze_source("".join(self.lines), self.filename, models=False)
        for d in analysis.diagnostics:
            # flake8 columns are 0-based, as libcst's
            if d.path == self.filename:
                yield d.line, d.col, f"{d.code} {d.message}", type(self)
            elif d.call_site is not None:
                # in a helper module this file calls: flake8 reports lines of this file only
                line, col = d.call_site
                yield line, col, f"{d.code} {d.path} line {d.line}: {d.message}", type(self)
