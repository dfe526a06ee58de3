"""`kerasshape verify`: real Keras judges kerasshape's shapes, file by file.

One run of ``verify_files`` (one child process) covers every fixture and a few probe
files: a ``fit`` on a large array, dataset downloads, network access, file writes and a
missing module. Every fixture must come out with 0 ``differ``; the totals are printed in
the terminal summary. A second backend (JAX on the CPU) runs a few fixtures and must
give the same shapes as TensorFlow.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kerasshape.analysis import Analysis
from kerasshape.diagnostics import Diagnostic
from kerasshape.verify import Report, compare_file, compare_shapes, fmt_keras, verify_files

from .fixtures_lib import FIXTURES, fixture_files

HAS_KERAS = importlib.util.find_spec("keras") is not None
needs_keras = [pytest.mark.tf, pytest.mark.skipif(not HAS_KERAS, reason="keras is not installed")]

PROBES = {
    # fit on 100000 samples for 50 epochs: one step on 2 samples instead
    "big_fit.py": """
        import numpy as np
        import keras
        from keras import layers

        x = np.zeros((100000, 784), dtype="float32")
        y = np.zeros((100000,), dtype="int64")
        model = keras.Sequential([keras.Input(shape=(784,)), layers.Dense(64, activation="relu"),
                                  layers.Dense(10, activation="softmax")])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        history = model.fit(x, y, epochs=50, batch_size=32, validation_split=0.1)
        assert len(history.history["loss"]) == 1
        assert model.predict(x).shape == (2, 10)
        model.evaluate(x, y)
        model.train_on_batch(x, y)
        """,
    # keras.datasets: zero arrays of the real shapes; get_file: blocked, reported
    "datasets.py": """
        import keras
        from keras import layers

        (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
        assert x_train.shape == (60000, 28, 28) and x_train.dtype == "uint8", x_train.shape
        assert y_test.shape == (10000,)
        (c_train, _), _ = keras.datasets.cifar10.load_data()
        assert c_train.shape == (50000, 32, 32, 3)
        model = keras.Sequential([keras.Input(shape=x_train.shape[1:] + (1,)),
                                  layers.Conv2D(8, 3), layers.Flatten(), layers.Dense(10)])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        model.fit(x_train[..., None] / 255.0, y_train, epochs=10)
        path = keras.utils.get_file("flowers.tgz", origin="https://example.com/flowers.tgz")
        """,
    # pretrained weights: the model is built, the weights are not downloaded; argparse
    # sees no arguments
    "pretrained.py": """
        import argparse
        import keras
        from keras import layers

        parser = argparse.ArgumentParser()
        parser.add_argument("--units", type=int, default=5)
        args = parser.parse_args()
        base = keras.applications.MobileNetV2(include_top=False, weights="imagenet",
                                              input_shape=(96, 96, 3))
        x = layers.GlobalAveragePooling2D()(base.output)
        model = keras.Model(base.input, layers.Dense(args.units)(x))
        """,
    "network.py": """
        import urllib.request
        import keras

        model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(2)])
        urllib.request.urlopen("http://example.com/weights.h5", timeout=5)
        """,
    # writes land in a temporary folder; removing a file outside it is blocked
    "writes.py": """
        import os
        import keras

        model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(2)])
        os.makedirs("kerasshape_verify_probe_dir/sub", exist_ok=True)
        os.makedirs("kerasshape_verify_probe_dir/sub", exist_ok=True)
        with open("kerasshape_verify_probe_dir/sub/out.txt", "w") as fh:
            fh.write("written")
        with open("kerasshape_verify_probe_dir/sub/out.txt") as fh:
            assert fh.read() == "written"
        model.save("kerasshape_verify_probe.keras")
        model.save_weights("kerasshape_verify_probe.weights.h5")
        os.remove(os.path.join(os.path.dirname(os.path.abspath(__file__)), "victim.txt"))
        """,
    "missing_module.py": """
        import keras
        import kerasshape_no_such_module_xyz

        model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(2)])
        """,
    # the input shape comes from data kerasshape cannot see: Keras's raise is a missed bug
    "missed_bug.py": """
        import json
        import keras

        shape = tuple(json.loads("[5]"))
        model = keras.Sequential([keras.Input(shape=shape), keras.layers.LSTM(4)])
        """,
}


def _write_probes(folder: Path) -> dict:
    out = {}
    (folder / "victim.txt").write_text("keep me", encoding="utf-8")
    for name, text in PROBES.items():
        path = folder / name
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
        out[name] = str(path)
    return out


# ------------------------------------------------------------------ without Keras

def test_compare_shapes():
    assert compare_shapes([None, 10], [None, 10]) == "agree"
    assert compare_shapes([None, None], [None, 10]) == "agree"      # a size kerasshape lacks
    assert compare_shapes([None, 10], [None, 11]) == "differ"
    assert compare_shapes([None, 10], [None, 2, 5]) == "differ"
    assert compare_shapes(None, [None, 10]) == "unknown"
    assert compare_shapes([[None, 8], [None, 8]], [[None, 8], [None, 8]]) == "agree"
    assert compare_shapes([[None, 8], [None, 8]], [None, 8]) == "differ"
    assert fmt_keras([None, 10]) == "(None, 10)" and fmt_keras([None]) == "(None,)"
    assert fmt_keras([[None, 8], [None, 4]]) == "[(None, 8), (None, 4)]"


def _analysis(path: str, *lines: int) -> Analysis:
    return Analysis(path, [Diagnostic(path, line, 0, "KS101", "bad rank") for line in lines])


def test_static_error_judged_by_what_ran(tmp_path):
    path = tmp_path / "m.py"
    path.write_text("import keras\nx = 1\ny = 2\nif False:\n    z = 3\n", encoding="utf-8")
    # line 3 ran without a raise: the error is not real; line 5 never ran: not checked
    report = compare_file(str(path), _analysis(str(path), 3, 5),
                          {"models": [], "called": {}, "error": None, "executed": [1, 2, 3, 4]})
    verdicts = {e.line: (e.verdict, e.status) for e in report.errors}
    assert verdicts == {3: ("not raised", "differ"), 5: ("not reached", "unknown")}
    # Keras raises in the statement kerasshape reported: agreement
    error = {"type": "ValueError", "message": "expected ndim=3", "kind": "keras", "line": 3, "lines": [3]}
    report = compare_file(str(path), _analysis(str(path), 3),
                          {"models": [], "called": {}, "error": error, "executed": [1, 2, 3]})
    assert [(e.verdict, e.status) for e in report.errors] == [("confirmed", "agree")]
    # Keras raises where kerasshape said nothing: a missed bug
    report = compare_file(str(path), _analysis(str(path)),
                          {"models": [], "called": {}, "error": error, "executed": [1, 2, 3]})
    assert [(e.verdict, e.status) for e in report.errors] == [("missed bug", "differ")]
    assert Report({}, 60, [report]).exit_code() == 1


def test_help_says_it_runs_the_code():
    from typer.testing import CliRunner

    from kerasshape.cli import app

    result = CliRunner().invoke(app, ["verify", "--help"])
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    assert "RUNS EACH FILE'S OWN CODE" in text and "--timeout" in text and "--backend" in text


def test_missing_file_is_a_usage_error(tmp_path):
    from kerasshape.cli import main

    assert main(["verify", str(tmp_path / "nope.py")]) == 2


# ------------------------------------------------------------------ with Keras

@pytest.fixture(scope="module")
def probes(tmp_path_factory):
    return _write_probes(tmp_path_factory.mktemp("verify_probes"))


@pytest.fixture(scope="module")
def full_run(probes):
    """Every fixture and the probes, in one child process (TensorFlow backend, CPU)."""
    fixtures = [str(p) for p in fixture_files()]
    report = verify_files(fixtures + list(probes.values()), timeout=120, backend="tensorflow", cpu=True)
    if report.setup_error:
        pytest.skip(f"keras does not run: {report.setup_error}")
    report.fixtures = fixtures
    return {f.path: f for f in report.files}, report


def _fixture_totals(by_path: dict, fixtures: list) -> dict:
    totals = {"agree": 0, "differ": 0, "unknown": 0}
    for path in fixtures:
        for k, v in by_path[path].counts().items():
            totals[k] += v
    return totals


@pytest.mark.tf
@pytest.mark.skipif(not HAS_KERAS, reason="keras is not installed")
def test_every_fixture_agrees_with_keras(full_run, conformance):
    by_path, report = full_run
    problems = []
    for path in report.fixtures:
        f = by_path[path]
        rel = os.path.relpath(path, FIXTURES)
        if f.problem:
            problems.append(f"{rel}: the file {f.problem}")
        for _, rows in f.models:
            problems += [f"{rel}: {r.model}/{r.name} (line {r.line}): kerasshape {r.static} vs Keras "
                         f"{r.keras}" for r in rows if r.status == "differ"]
        problems += [f"{rel}: line {e.line} {e.code or ''} {e.verdict}: {e.keras or e.message}"
                     for e in f.errors if e.status == "differ"]
    totals = _fixture_totals(by_path, report.fixtures)
    line = (f"verify over {len(report.fixtures)} fixtures ({report.device.get('backend')}, "
            f"{report.device.get('device')}): agree: {totals['agree']}, differ: {totals['differ']}, "
            f"unknown: {totals['unknown']}")
    print(line)
    conformance.append(line)
    assert not problems, "\n".join(problems)
    assert totals["differ"] == 0 and totals["agree"] > 400


@pytest.mark.tf
@pytest.mark.skipif(not HAS_KERAS, reason="keras is not installed")
def test_json_format(full_run):
    import json

    from kerasshape.verify import render_json

    data = json.loads(render_json(full_run[1]))
    assert {"device", "timeout", "agree", "differ", "unknown", "files"} <= set(data)
    assert data["device"]["backend"] == "tensorflow" and data["device"]["keras"]
    first = next(f for f in data["files"] if f["models"])
    assert {"path", "agree", "differ", "unknown", "problem", "verified", "models", "errors"} <= set(first)
    layer = first["models"][0]["layers"][0]
    assert {"layer", "class", "line", "static", "keras", "status"} <= set(layer)


@pytest.mark.tf
@pytest.mark.skipif(not HAS_KERAS, reason="keras is not installed")
def test_bug_fixtures_are_confirmed_by_keras(full_run):
    by_path, _ = full_run
    confirmed = [p for p, f in by_path.items()
                 if any(e.verdict in ("confirmed", "silenced") for e in f.errors)]
    assert len(confirmed) >= 50


@pytest.mark.tf
@pytest.mark.skipif(not HAS_KERAS, reason="keras is not installed")
def test_fit_on_a_large_array_is_one_step(full_run, probes):
    f = full_run[0][probes["big_fit.py"]]
    assert f.problem is None, f.problem           # the file's own asserts held
    assert f.counts()["agree"] >= 3 and f.counts()["differ"] == 0
    assert f.seconds < 10


@pytest.mark.tf
@pytest.mark.skipif(not HAS_KERAS, reason="keras is not installed")
def test_datasets_are_zero_arrays_and_downloads_are_blocked(full_run, probes):
    f = full_run[0][probes["datasets.py"]]
    assert f.problem and "does not download" in f.problem and "flowers.tgz" in f.problem
    assert not f.not_verified and f.counts()["agree"] >= 3 and f.seconds < 10


@pytest.mark.tf
@pytest.mark.skipif(not HAS_KERAS, reason="keras is not installed")
def test_pretrained_applications_build_without_download(full_run, probes):
    f = full_run[0][probes["pretrained.py"]]
    assert f.problem is None, f.problem
    assert f.counts()["agree"] >= 2 and f.counts()["differ"] == 0


@pytest.mark.tf
@pytest.mark.skipif(not HAS_KERAS, reason="keras is not installed")
def test_network_is_blocked(full_run, probes):
    f = full_run[0][probes["network.py"]]
    assert f.problem and "network" in f.problem and "example.com" in f.problem
    assert f.counts()["agree"] >= 1


@pytest.mark.tf
@pytest.mark.skipif(not HAS_KERAS, reason="keras is not installed")
def test_writes_go_to_a_temporary_folder(full_run, probes):
    f = full_run[0][probes["writes.py"]]
    assert f.problem and "blocks os.remove" in f.problem and "line 13" in f.problem, f.problem
    folder = Path(probes["writes.py"]).parent
    assert (folder / "victim.txt").read_text(encoding="utf-8") == "keep me"
    for where in (Path.cwd(), folder):
        assert not list(where.glob("kerasshape_verify_probe*"))


@pytest.mark.tf
@pytest.mark.skipif(not HAS_KERAS, reason="keras is not installed")
def test_missing_module_is_reported_not_a_crash(full_run, probes):
    f = full_run[0][probes["missing_module.py"]]
    assert f.not_verified and "kerasshape_no_such_module_xyz" in f.problem


@pytest.mark.tf
@pytest.mark.skipif(not HAS_KERAS, reason="keras is not installed")
def test_keras_raising_alone_is_a_missed_bug(full_run, probes):
    f = full_run[0][probes["missed_bug.py"]]
    assert [(e.verdict, e.line) for e in f.errors] == [("missed bug", 5)]
    assert "ndim=3" in f.errors[0].keras


@pytest.mark.tf
@pytest.mark.skipif(not HAS_KERAS, reason="keras is not installed")
def test_cli_a_hanging_file_hits_the_time_limit(tmp_path):
    hang = tmp_path / "hang.py"
    hang.write_text("import time\nimport keras\ntime.sleep(3600)\n", encoding="utf-8")
    bug = FIXTURES / "sequential" / "lstm_after_dense.py"
    proc = subprocess.run([sys.executable, "-m", "kerasshape", "verify", "--cpu", "--timeout", "3",
                           str(hang), str(bug)], capture_output=True, text=True, timeout=300)
    out = proc.stdout
    assert out.startswith("verify: Keras ") and "device CPU" in out, out + proc.stderr
    assert "did not finish within the time limit of 3 s" in out
    assert "Keras raises there too" in out   # the next file ran, in a new process
    assert out.rstrip().splitlines()[-1].startswith("agree: ")
    assert "hang.py: not verified" in proc.stderr and "Traceback" not in proc.stderr
    assert proc.returncode == 2


# ------------------------------------------------------------------ a second backend

JAX_FIXTURES = ["sequential/lstm_after_dense.py", "reshape/flatten_repeat_vector.py",
                "subclass/custom_layer_compute_output_shape.py", "sequential/nested_sequential_blocks.py",
                "functional/siamese_shared_encoder.py", "preprocessing/lookup_vocabulary_fits.py",
                "functional/submodel_called_on_wrong_size.py"]   # quick to build under JAX too


@pytest.mark.tf
@pytest.mark.skipif(not HAS_KERAS, reason="keras is not installed")
@pytest.mark.skipif(importlib.util.find_spec("jax") is None,
                    reason="jax is not installed (pip install jax) to run verify on a second backend")
def test_jax_backend_gives_the_same_shapes(full_run):
    by_path, _ = full_run
    files = [str(FIXTURES / name) for name in JAX_FIXTURES]
    report = verify_files(files, timeout=120, backend="jax", cpu=True)
    assert report.device.get("backend") == "jax", report.setup_error
    for f in report.files:
        tf_run = by_path[f.path]
        assert f.counts() == tf_run.counts(), f.path
        shapes = {(r.model, r.name): r.keras for r in f.rows()}
        assert shapes == {(r.model, r.name): r.keras for r in tf_run.rows()}, f.path


def test_named_sizes_are_checked_through_the_values_keras_gives_the_names():
    from kerasshape.verify import compare_shapes, named_value

    names: dict = {}
    assert compare_shapes([None, "maxlen", 16], [None, 6, 16], names) == "agree"
    assert names == {"maxlen": 6}
    assert compare_shapes([None, "maxlen // 2 - 1", 32], [None, 2, 32], names) == "agree"
    assert compare_shapes([None, "maxlen // 2 - 1", 32], [None, 3, 32], names) == "differ"
    assert compare_shapes([None, "2 * n + 1"], [None, 9], names) == "agree"   # n not known yet
    assert named_value("len(chars) + 1", {"len(chars)": 40}) == 41
    assert named_value("x.shape[1] - 2", {"x.shape[1]": 6}) == 4
    assert named_value("maxlen - n", {"maxlen": 6}) is None
