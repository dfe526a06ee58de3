"""Real flake8 with the KS plugin reports what `kerasshape lint` reports."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def flake8_available() -> bool:
    probe = subprocess.run([sys.executable, "-m", "flake8", "--version"], capture_output=True, text=True)
    return probe.returncode == 0 and "kerasshape" in probe.stdout


pytestmark = pytest.mark.skipif(not flake8_available(), reason="flake8 with the kerasshape plugin not installed")


def run(*args):
    return subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_flake8_reports_the_same_diagnostics_as_lint():
    flake = run("-m", "flake8", "--isolated", "--select", "KS", "fixtures")
    lint = run("-m", "kerasshape", "lint", "--no-hints", "-j", "1", "fixtures")
    pattern = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<code>KS\d+) ")
    got = sorted(m.group("path", "line", "col", "code") for m in map(pattern.match, flake.stdout.splitlines()) if m)
    want = sorted(m.group("path", "line", "col", "code") for m in map(pattern.match, lint.stdout.splitlines()) if m)
    assert want and got == want


def test_flake8_noqa_and_per_file_ignores(tmp_path):
    src = tmp_path / "model.py"
    src.write_text("import keras\n"
                   "a = keras.layers.LSTM(3)(keras.Input((4,)))\n"
                   "b = keras.layers.LSTM(3)(keras.Input((4,)))  # noqa: KS101\n")
    out = run("-m", "flake8", "--isolated", "--select", "KS", str(src)).stdout
    assert f"{src}:2:5: KS101" in out and ":3:" not in out
    out = run("-m", "flake8", "--isolated", "--select", "KS", f"--per-file-ignores={src}:KS101", str(src)).stdout
    assert "KS101" not in out
