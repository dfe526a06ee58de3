"""lint/show never execute or import the checked code, never import TensorFlow, never crash."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
from pathlib import Path

from kerasshape import check_source
from kerasshape.engine import analyze_source

ROOT = Path(__file__).resolve().parent.parent


def run_cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "kerasshape", *args], capture_output=True, text=True,
                          cwd=cwd or ROOT, timeout=300)


def test_lint_never_executes_the_checked_code(tmp_path):
    marker = tmp_path / "executed"
    src = tmp_path / "model.py"
    src.write_text(
        "import keras\n"
        f"open({str(marker)!r}, 'w').write('ran')\n"
        "import module_that_does_not_exist\n"
        "import os\n"
        "if os.environ.get('KERASSHAPE_TEST_EXIT'):\n"
        "    raise SystemExit(3)\n"
        "model = keras.Sequential([keras.Input((4,)), keras.layers.LSTM(3)])\n"
    )
    result = run_cli("lint", str(src))
    assert not marker.exists()
    assert result.returncode == 1, result.stderr
    assert "KS101" in result.stdout
    show = run_cli("show", str(src), "--format", "json")
    assert not marker.exists()
    assert show.returncode in (0, 1), show.stderr


def test_analysis_imports_no_framework():
    fixture = ROOT / "fixtures"
    code = (
        "import sys, pathlib\n"
        "from kerasshape import check_file\n"
        f"for p in sorted(pathlib.Path({str(fixture)!r}).rglob('*.py')): check_file(str(p))\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('tensorflow', 'keras', 'torch', 'jax', 'numpy'))\n"
        "assert not heavy, heavy\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr


def test_syntax_error_is_a_diagnostic_and_other_files_are_checked(tmp_path):
    (tmp_path / "a_broken.py").write_text("import keras\ndef f(:\n")
    (tmp_path / "b_model.py").write_text(
        "import keras\nm = keras.Sequential([keras.Input((4,)), keras.layers.LSTM(3)])\n")
    (tmp_path / "c_latin1.py").write_bytes(b"import keras\nx = '\xe9\xff'\n")
    result = run_cli("lint", str(tmp_path))
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    out = result.stdout
    assert "a_broken.py:2:" in out and "KS001" in out
    assert "b_model.py:2:" in out and "KS101" in out
    assert "c_latin1.py:1:1: KS002" in out


def test_weird_inputs_never_raise():
    weird = [
        b"", b"\x00\x01\x02keras", b"keras" * 10_000, b"import keras\n" + b"(" * 500 + b")" * 500,
        b"import keras\nx = " + b"1 + " * 3000 + b"1\n",
        b"# -*- coding: latin-1 -*-\nimport keras\ns = '\xe9'\n",
        b"\xef\xbb\xbfimport keras\nm = keras.Input((3,))\n",
        b"import keras\nwhile True:\n    x = keras.layers.Dense(3)(x)\n",
        b"import keras\ndef f(n):\n    return f(n - 1)\nf(3)\n",
        b"import keras\nfor i in range(10**9):\n    pass\n",
        b"import keras\nx = 2 ** 10 ** 10\n",
        b"import keras\nx = 'a' * 10**12\n",
    ]
    for data in weird:
        analysis = analyze_source(data, "weird.py")
        for d in analysis.diagnostics:
            assert d.code in ("KS000", "KS001", "KS002"), d


def test_stdlib_sample_has_no_internal_error():
    root = Path(sysconfig.get_paths()["stdlib"])
    files = sorted(root.rglob("*.py"))[::40]
    for path in files:
        analysis = analyze_source(path.read_bytes(), str(path), force=True)
        internal = [d for d in analysis.diagnostics if d.code == "KS000"]
        assert not internal, internal


def test_source_without_keras_is_skipped_unparsed():
    assert check_source("def f(:\n").skipped
