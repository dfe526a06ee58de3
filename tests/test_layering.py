"""Imports flow one way: cli -> engine -> keras_calls -> resolve, signatures -> shapes."""

from __future__ import annotations

import ast
from pathlib import Path

PKG = Path(__file__).resolve().parent.parent / "kerasshape"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = "." * node.level + (node.module or "")
            out.add(base)
            out.update(f"{base}.{alias.name}" if base.endswith(".") is False else base + alias.name
                       for alias in node.names)
    return out


def test_shapes_and_signatures_import_neither_libcst_nor_frameworks():
    files = [PKG / "shapes.py", *sorted((PKG / "signatures").glob("*.py")),
             *sorted((PKG / "ops").glob("*.py"))]
    for path in files:
        mods = imported_modules(path)
        bad = {m for m in mods if m.split(".")[0] in ("libcst", "tensorflow", "keras", "numpy", "torch", "jax")}
        assert not bad, f"{path.name} imports {bad}"
        assert not any("engine" in m or "keras_calls" in m or "cli" in m for m in mods), path


def test_reporters_see_only_diagnostics():
    for path in sorted((PKG / "reporters").glob("*.py")):
        mods = imported_modules(path)
        assert not any(m.split(".")[0] == "libcst" or "engine" in m or "signatures" in m for m in mods), \
            f"{path.name} imports {mods}"


def test_only_verify_may_import_tensorflow():
    for path in sorted(PKG.rglob("*.py")):
        if path.name == "verify.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            for name in names:
                assert name.split(".")[0] not in ("tensorflow", "keras"), f"{path} imports {name}"
