"""Each output format against a golden file rendered from the seed fixtures.

`pytest --update-golden` rewrites the files; the diff gets reviewed like code.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
FORMATS = {"txt": "text", "json": "json", "github": "github", "sarif": "sarif"}


@pytest.mark.parametrize("ext", sorted(FORMATS))
def test_report_matches_golden(ext, request):
    result = subprocess.run(
        [sys.executable, "-m", "kerasshape", "lint", "fixtures/seeds", "--format", FORMATS[ext], "-j", "1"],
        cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 1, result.stderr
    golden = GOLDEN / f"report.{ext}"
    if request.config.getoption("--update-golden"):
        golden.write_text(result.stdout, encoding="utf-8")
    assert golden.exists(), "run `pytest --update-golden` to create it"
    assert result.stdout == golden.read_text(encoding="utf-8")


def test_show_matches_golden(request):
    result = subprocess.run(
        [sys.executable, "-m", "kerasshape", "show", "fixtures/seeds/conv_autoencoder_28x28.py"],
        cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    golden = GOLDEN / "show.txt"
    if request.config.getoption("--update-golden"):
        golden.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == golden.read_text(encoding="utf-8")
