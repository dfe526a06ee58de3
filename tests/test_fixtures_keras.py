"""Real Keras is the judge of the fixture corpus.

Every fixture runs with real Keras (one subprocess for all of them, see
``keras_fixture_runner.py``):

- a fixture that expects an error must really make Keras raise, and the raise must
  come from the statement holding the first expected error line (a ``# noqa`` that
  silences a diagnostic also marks a line where Keras raises);
- a fixture that expects nothing must run, and every shape ``kerasshape show`` knows
  (an int dim) must be the one Keras gives: each model's outputs and each layer's
  output, layers matched by their (automatic) Keras name.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import os
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import pytest

from kerasshape import check_file
from kerasshape.diagnostics import noqa_codes
from kerasshape.verify import _is_expression, named_value

from .fixtures_lib import FIXTURES, expectations, expected_severity, fixture_files

pytestmark = [
    pytest.mark.tf,
    pytest.mark.skipif(importlib.util.find_spec("keras") is None, reason="keras is not installed"),
]

RUNNER = Path(__file__).resolve().parent / "keras_fixture_runner.py"
MARKER = "KERAS_FIXTURES_JSON "
FILES = fixture_files()


@pytest.fixture(scope="module")
def keras_results():
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", CUDA_VISIBLE_DEVICES="")
    proc = subprocess.run([sys.executable, str(RUNNER), *map(str, FILES)], capture_output=True,
                          text=True, env=env, timeout=600)
    lines = [line for line in proc.stdout.splitlines() if line.startswith(MARKER)]
    assert lines, f"runner printed no result (rc={proc.returncode}):\n{proc.stderr[-3000:]}"
    data = json.loads(lines[-1][len(MARKER):])
    if "import_error" in data:
        pytest.skip(f"keras does not import: {data['import_error']}")
    return data["files"]


@lru_cache(maxsize=None)
def _statements(path: Path) -> tuple:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return tuple((n.lineno, n.end_lineno) for n in ast.walk(tree) if isinstance(n, ast.stmt))


def statement_at(path: Path, line: int) -> tuple[int, int]:
    """(first, last) line of the innermost statement that contains ``line``."""
    spans = [s for s in _statements(path) if s[0] <= line <= s[1]]
    assert spans, f"no statement contains line {line}"
    return min(spans, key=lambda s: s[1] - s[0])


def keras_error_lines(path: Path) -> list[int]:
    """Lines where Keras must raise: expected errors, and diagnostics silenced by noqa. An
    expected warning marks code Keras runs (a loss that trains while broadcasting)."""
    severities = expected_severity(path)
    lines = {line for line, code in expectations(path) if severities.get((line, code)) == "error"}
    for lineno, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if text.lstrip().startswith("#"):
            continue
        codes = noqa_codes(text)
        if codes is not None and (not codes or any(c.startswith("KS") for c in codes)):
            lines.add(lineno)
    return sorted(lines)


@lru_cache(maxsize=None)
def conditional_lines(path: Path) -> frozenset:
    """Lines inside if/for/while/try/match statements: kerasshape follows every branch
    there, while a run of Keras takes only one."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    kinds = (ast.If, ast.For, ast.While, ast.Try, getattr(ast, "Match", ast.If))
    return frozenset(line for node in ast.walk(tree) if isinstance(node, kinds)
                     for line in range(node.lineno, node.end_lineno + 1))


@lru_cache(maxsize=None)
def if_lines(path: Path) -> frozenset:
    """Lines inside if statements and conditional expressions."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return frozenset(line for node in ast.walk(tree) if isinstance(node, (ast.If, ast.IfExp))
                     for line in range(node.lineno, node.end_lineno + 1))


def dims_disagree(ours, theirs, names: dict | None = None) -> str | None:
    """Why a kerasshape shape disagrees with Keras's, comparing the dims we know: ints
    exactly, and named sizes (``maxlen``, ``maxlen // 2 - 1``) through ``names``, the value
    Keras gave each name where it first appeared."""
    if ours is None or theirs is None:
        return None
    if any(isinstance(d, list) for d in ours):  # several outputs (return_state=True)
        if not any(isinstance(d, list) for d in theirs) or len(ours) != len(theirs):
            return f"{ours} vs Keras {theirs}"
        for a, b in zip(ours, theirs):
            why = dims_disagree(a, b, names)
            if why:
                return why
        return None
    if any(isinstance(d, list) for d in theirs):
        return f"{ours} vs Keras {theirs}"
    if len(ours) != len(theirs):
        return f"rank of {ours} vs Keras {theirs}"
    for a, b in zip(ours, theirs):
        if isinstance(a, int) and not isinstance(a, bool) and a != b:
            return f"{ours} vs Keras {theirs}"
        if isinstance(a, str) and names is not None and isinstance(b, int):
            value = named_value(a, names)
            if value is None and not _is_expression(a):
                names[a] = b          # a name: Keras tells its value
            elif value is not None and value != b:
                return f"{ours} vs Keras {theirs} ({a} = {value} here)"
    return None


def match_model(path: Path, ours: dict, recorded: list, used: set):
    first, last = statement_at(path, ours["line"])
    candidates = [i for i, m in enumerate(recorded)
                  if first <= m["line"] <= last and i not in used]
    if not candidates:
        return None
    best = min(candidates, key=lambda i: (abs(recorded[i]["line"] - ours["line"]), i))
    used.add(best)
    return recorded[best]


def compare(path: Path, result: dict) -> tuple[list[str], int]:
    """Problems found comparing kerasshape's models with Keras's, and how many shapes
    were compared."""
    problems, used, compared = [], set(), 0
    names: dict = {}   # named size -> the value Keras gave it
    pairs = []         # (where, our shape, Keras's shape), compared once the names are known
    for ours in check_file(str(path)).to_dict()["models"]:
        theirs = match_model(path, ours, result["models"], used)
        if theirs is None:
            if ours["line"] not in conditional_lines(path):
                problems.append(f"model {ours['name']} (line {ours['line']}): Keras made no model there")
            continue
        if any(o is not None for o in ours["outputs"]) and theirs["outputs"] is None:
            problems.append(f"model {ours['name']}: outputs {ours['outputs']} but Keras never built it")
        if ours["outputs"] and theirs["outputs"] is not None:
            if len(ours["outputs"]) != len(theirs["outputs"]):
                problems.append(f"model {ours['name']}: {len(ours['outputs'])} outputs vs Keras "
                                f"{len(theirs['outputs'])}")
            else:
                for a, b in zip(ours["outputs"], theirs["outputs"]):
                    compared += a is not None
                    pairs.append((f"model {ours['name']} output", a, b))
        for layer in ours["layers"]:
            if layer["output_shape"] is None:
                continue
            if layer["line"] in if_lines(path):
                # kerasshape makes the layers of both branches of an if, Keras those of the
                # branch it ran: the two branches' layers share their automatic names
                continue
            if theirs["layers"].get(layer["name"], 0) is None:
                problems.append(f"layer {layer['name']} (line {layer['line']}): {layer['output_shape']}"
                                " but Keras never built it")
                continue
            if layer["name"] not in theirs["layers"]:
                if layer["line"] not in conditional_lines(path):
                    problems.append(f"model {ours['name']}: Keras has no layer named "
                                    f"{layer['name']!r} (line {layer['line']}); it has "
                                    f"{sorted(theirs['layers'])}")
                continue
            compared += 1
            pairs.append((f"layer {layer['name']} (line {layer['line']})", layer["output_shape"],
                          theirs["layers"][layer["name"]]))
    for _ in range(2):   # first learn what Keras gave each name, then check every shape
        for where, a, b in pairs:
            why = dims_disagree(a, b, names)
            if why:
                problems.append(f"{where}: {why}")
        if problems:
            break
    return problems, compared


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(FIXTURES)) for p in FILES])
def test_keras_agrees(path, keras_results):
    result = keras_results[str(path)]
    error = result["error"]
    want = keras_error_lines(path)
    if want:
        assert error is not None, f"Keras builds this fixture, but it expects an error at line {want[0]}"
        first, last = statement_at(path, want[0])
        assert error["line"] is not None and first <= error["line"] <= last, (
            f"Keras raised at line {error['line']}, not in the statement of line {want[0]} "
            f"(lines {first}-{last}): {error['type']}: {error['message']}")
        return
    assert error is None, f"Keras fails at line {error['line']}: {error['type']}: {error['message']}"
    problems, _ = compare(path, result)
    assert not problems, "\n".join(problems)


def test_every_fixture_ran(keras_results):
    assert set(keras_results) == {str(p) for p in FILES}


def test_shapes_were_compared(keras_results):
    """The corpus really exercises the shape comparison (not only skipped nulls)."""
    clean = [p for p in FILES if not keras_error_lines(p)]
    total = sum(compare(p, keras_results[str(p)])[1] for p in clean)
    assert total >= 10 * len(clean) // 2, f"only {total} shapes compared over {len(clean)} fixtures"


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(FIXTURES)) for p in FILES])
def test_one_error_per_bug_fixture(path):
    """Keras stops at the first raise, so a bug fixture holds one error for it to confirm."""
    assert len(expectations(path)) <= 1, "split this fixture: one expected diagnostic per file"
