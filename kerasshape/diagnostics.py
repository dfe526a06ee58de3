"""Diagnostic codes and the Diagnostic value every view reads."""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Code:
    code: str
    name: str
    summary: str
    severity: str = "error"


CODES: dict[str, Code] = {}


def _code(code: str, name: str, summary: str, severity: str = "error") -> Code:
    c = Code(code, name, summary, severity)
    CODES[code] = c
    return c


# KS0xx: the file could not be analysed
KS000 = _code("KS000", "internal-error", "kerasshape failed while analysing this file")
KS001 = _code("KS001", "syntax-error", "the file could not be parsed as Python")
KS002 = _code("KS002", "unreadable-file", "the file could not be read or decoded")
# KS1xx: a layer's input is incompatible with the layer
KS101 = _code("KS101", "input-rank", "layer input has the wrong number of dimensions")
KS102 = _code(
    "KS102", "input-axis", "layer reused on an input whose size differs from the one it was built on")
KS103 = _code("KS103", "undefined-axis", "layer needs a defined size on an axis that is None")
KS104 = _code("KS104", "model-input", "model called on a tensor whose shape does not match its input")
KS105 = _code("KS105", "reused-layer-size",
              "a layer Keras does not check on reuse is called on inputs of another size: the "
              "graph builds, the first batch fails", "warning")
# KS2xx: a layer's arguments do not fit its input
KS201 = _code("KS201", "reshape-size", "Reshape target holds a different number of elements")
KS202 = _code("KS202", "empty-output", "a spatial size becomes zero or negative")
KS203 = _code("KS203", "bad-argument", "a layer argument cannot work with this input")
KS204 = _code("KS204", "missing-shape", "an input is declared without a shape Keras accepts")
# KS3xx: wiring between tensors
KS301 = _code("KS301", "merge-shapes", "merged tensors have incompatible shapes")
KS302 = _code("KS302", "disconnected-graph", "model outputs do not depend on the model inputs")
KS303 = _code("KS303", "unpack-count", "unpacking the outputs of a layer into the wrong number of names")
# KS4xx: data given to a model
KS401 = _code("KS401", "data-shape", "data given to a model does not fit its input")
KS402 = _code("KS402", "sample-count", "x and y hold different numbers of samples")
KS403 = _code("KS403", "target-shape", "the target cannot be compared with the model output by the loss")
KS404 = _code("KS404", "target-broadcast",
              "the loss silently broadcasts a target whose shape differs from the output", "warning")
KS405 = _code("KS405", "bad-data", "NumPy or TensorFlow refuses to build this data")


@dataclass(frozen=True)
class Diagnostic:
    path: str
    line: int            # 1-based
    col: int             # 0-based, as libcst gives it
    code: str
    message: str
    end_line: int | None = None
    end_col: int | None = None
    expected: str | None = None
    found: str | None = None
    hint: str | None = None
    via: tuple = field(default=())   # call chain that led here: ("build_model() at line 40", ...)
    call_site: tuple | None = None   # (line, col) in the analysed file of the call that led
                                     # into another module, for a diagnostic in that module

    @property
    def severity(self) -> str:
        c = CODES.get(self.code)
        return c.severity if c else "error"

    def sort_key(self):
        return (self.path, self.line, self.col, self.code)

    def to_dict(self) -> dict:
        return {
            "path": self.path, "line": self.line, "column": self.col + 1,
            "end_line": self.end_line or self.line,
            "end_column": (self.end_col if self.end_col is not None else self.col) + 1,
            "code": self.code, "severity": self.severity, "message": self.message,
            "expected": self.expected, "found": self.found, "hint": self.hint,
            "via": list(self.via),
        }


_NOQA = re.compile(r"#\s*noqa(?::\s*(?P<codes>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*))?", re.I)


def noqa_codes(line: str):
    """None if the line has no noqa; an empty set for a bare ``# noqa`` (all codes)."""
    m = _NOQA.search(line)
    if not m:
        return None
    codes = m.group("codes")
    if not codes:
        return set()
    return {c.upper() for c in re.split(r"[,\s]+", codes) if c}


def suppressed(diag: Diagnostic, lines: list[str]) -> bool:
    if not 1 <= diag.line <= len(lines):
        return False
    codes = noqa_codes(lines[diag.line - 1])
    if codes is None:
        return False
    return not codes or diag.code in codes or any(diag.code.startswith(c) for c in codes)


def matches(code: str, prefixes) -> bool:
    return any(code.startswith(p) for p in prefixes)
