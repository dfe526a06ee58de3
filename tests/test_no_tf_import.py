"""The command line never imports a deep-learning framework (nor numpy) to start."""

from __future__ import annotations

import subprocess
import sys


def _run(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)


def test_cli_imports_no_framework():
    result = _run("import kerasshape.cli, sys; assert not any(m.split('.')[0] in "
                  "('tensorflow','keras','torch','jax') for m in sys.modules)")
    assert result.returncode == 0, result.stderr


def test_cli_imports_no_numpy():
    result = _run("import kerasshape.cli, sys; heavy = sorted(m for m in sys.modules "
                  "if m.split('.')[0] in ('numpy', 'pandas', 'scipy')); assert not heavy, heavy")
    assert result.returncode == 0, result.stderr


def test_rule_and_version_import_no_framework():
    result = _run(
        "import sys, contextlib, io\n"
        "from kerasshape.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert main(['rule', 'KS101']) == 0\n"
        "    assert main(['--version']) == 0\n"
        "heavy = [m for m in sys.modules if m.split('.')[0] in ('tensorflow', 'keras', 'numpy')]\n"
        "assert not heavy, heavy\n")
    assert result.returncode == 0, result.stderr
