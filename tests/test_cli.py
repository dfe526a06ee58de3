"""CLI plumbing: exit codes, formats, file walking, selection, config.

The engine is replaced by a fake that reads ``# fake: KS101 message`` comments, so
these tests pin the command line, not the analysis (noqa is the engine's job).
"""

from __future__ import annotations

import json
import multiprocessing
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kerasshape import __version__, cli
from kerasshape.analysis import Analysis, LayerSummary, ModelSummary
from kerasshape.diagnostics import Diagnostic
from kerasshape.shapes import UNK

ROOT = Path(__file__).resolve().parent.parent


def fake_analyze(path: str, models: bool = False) -> Analysis:
    """``# fake: KS101 message`` on a line -> a diagnostic there; ``# fake: crash`` raises."""
    diags = []
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, start=1):
            if "# fake:" not in line:
                continue
            spec = line.split("# fake:", 1)[1].strip()
            if spec == "crash":
                raise RuntimeError("engine exploded\nwith detail")
            code, _, message = spec.partition(" ")
            hint = None
            if " | hint: " in message:
                message, hint = message.split(" | hint: ", 1)
            col = len(line) - len(line.lstrip())
            diags.append(Diagnostic(path, lineno, col, code, message, end_line=lineno,
                                    end_col=col + 3, hint=hint))
    return Analysis(path=path, diagnostics=sorted(diags, key=Diagnostic.sort_key))


@pytest.fixture(autouse=True)
def fake_engine(monkeypatch):
    monkeypatch.setattr(cli, "analyze_path", fake_analyze)


@pytest.fixture
def run(capsys):
    def _run(*argv):
        code = cli.main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err
    return _run


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A folder to lint, made the current directory."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# ------------------------------------------------------------------ basics

def test_version(run):
    code, out, _ = run("--version")
    assert code == 0
    assert out.strip() == f"kerasshape {__version__}"


def test_no_command_is_a_usage_error(run):
    code, _, err = run()
    assert code == 2
    assert "lint" in err


def test_unknown_option_is_a_usage_error(run, project):
    code, out, err = run("lint", "--bogus")
    assert code == 2
    assert out == ""
    assert "--bogus" in err


def test_unknown_format_is_a_usage_error(run, project):
    code, _, err = run("lint", "--format", "xml")
    assert code == 2
    assert "xml" in err


# ------------------------------------------------------------------ lint: exit codes and text

def test_clean_file_exits_0_and_prints_nothing(run, project):
    write(project / "ok.py", "import keras\n")
    assert run("lint", "ok.py") == (0, "", "")


def test_diagnostics_exit_1_in_contract_text_format(run, project):
    write(project / "model.py", "import keras\n\n    x = 1  # fake: KS101 LSTM expects a 3D input\n")
    code, out, err = run("lint", "model.py")
    assert code == 1
    assert out == "model.py:3:5: KS101 LSTM expects a 3D input\n"
    assert err == ""


def test_hint_printed_under_the_line_unless_no_hints(run, project):
    write(project / "m.py", "x = 1  # fake: KS201 bad reshape | hint: use (3, 10)\n")
    code, out, _ = run("lint", "m.py")
    assert code == 1
    assert out.splitlines() == ["m.py:1:1: KS201 bad reshape", "    hint: use (3, 10)"]
    assert run("lint", "--no-hints", "m.py")[1] == "m.py:1:1: KS201 bad reshape\n"


def test_output_sorted_by_path_line_col(run, project):
    write(project / "b.py", "x = 1  # fake: KS301 b1\n")
    write(project / "a.py", "x = 1\ny = 2  # fake: KS101 a2\n  z = 3  # fake: KS102 a3\n"
                            "q = 1  # fake: KS103 a4\n")
    code, out, _ = run("lint", "b.py", "a.py")
    assert code == 1
    assert [line.split(" ")[0] for line in out.splitlines()] == [
        "a.py:2:1:", "a.py:3:3:", "a.py:4:1:", "b.py:1:1:"]


def test_exit_zero(run, project):
    write(project / "m.py", "x = 1  # fake: KS101 boom\n")
    code, out, _ = run("lint", "--exit-zero", "m.py")
    assert code == 0
    assert "KS101 boom" in out


def test_no_cache_is_accepted(run, project):
    write(project / "m.py", "x = 1\n")
    assert run("lint", "--no-cache", "m.py")[0] == 0


def test_missing_path_exits_2_with_message(run, project):
    write(project / "m.py", "x = 1  # fake: KS101 boom\n")
    code, out, err = run("lint", "m.py", "nope.py")
    assert code == 2
    assert out == ""
    assert "nope.py" in err


# ------------------------------------------------------------------ lint: files

def test_folder_walk_finds_py_files_and_skips_tool_folders(run, project):
    for rel in ["pkg/a.py", "pkg/sub/b.py", "top.py"]:
        write(project / rel, "x = 1  # fake: KS101 found\n")
    for rel in [".hidden/h.py", "pkg/__pycache__/c.py", "venv/v.py", ".venv/v.py", "env/e.py",
                "node_modules/n.py", "build/b.py", "dist/d.py", "lib/site-packages/s.py",
                ".git/g.py", "pkg/notes.txt", "pkg/script.pyi"]:
        write(project / rel, "x = 1  # fake: KS101 should be skipped\n")
    code, out, _ = run("lint")
    assert code == 1
    paths = [line.split(":")[0] for line in out.splitlines()]
    assert paths == ["pkg/a.py", "pkg/sub/b.py", "top.py"]


def test_paths_stay_as_given(run, project):
    write(project / "pkg/a.py", "x = 1  # fake: KS101 found\n")
    assert run("lint", "pkg")[1].startswith("pkg/a.py:1:1:")
    assert run("lint", "./pkg")[1].startswith("./pkg/a.py:1:1:")
    assert run("lint", ".")[1].startswith("pkg/a.py:1:1:")
    absolute = str(project / "pkg")
    assert run("lint", absolute)[1].startswith(str(project / "pkg" / "a.py") + ":1:1:")


def test_a_file_given_twice_is_checked_once(run, project):
    write(project / "m.py", "x = 1  # fake: KS101 once\n")
    assert run("lint", "m.py", ".", "./m.py")[1].count("KS101") == 1


def test_explicit_file_is_checked_even_if_not_py(run, project):
    write(project / "script", "x = 1  # fake: KS101 found\n")
    assert run("lint", "script")[1] == "script:1:1: KS101 found\n"


# ------------------------------------------------------------------ lint: errors in the engine

def test_engine_exception_becomes_ks000_and_run_goes_on(run, project):
    write(project / "a.py", "x = 1  # fake: crash\n")
    write(project / "b.py", "x = 1  # fake: KS101 still checked\n")
    code, out, err = run("lint", ".")
    lines = out.splitlines()
    assert lines[0].startswith("a.py:1:1: KS000 ")
    assert "RuntimeError: engine exploded with detail" in lines[0]
    assert "b.py:1:1: KS101 still checked" in lines
    assert code == 2
    assert "internal error" in err and "a.py" in err


def test_ks000_can_be_ignored(run, project):
    write(project / "a.py", "x = 1  # fake: crash\n")
    assert run("lint", "--ignore", "KS000", "a.py") == (0, "", "")


@pytest.mark.skipif(multiprocessing.get_start_method(allow_none=False) != "fork",
                    reason="the fake engine reaches worker processes only when they fork")
def test_many_files_use_a_process_pool_with_the_same_result(run, project, monkeypatch):
    for i in range(20):
        body = "x = 1  # fake: crash\n" if i == 7 else f"x = 1\ny = {i}  # fake: KS101 file {i}\n"
        write(project / f"m{i:02d}.py", body)
    calls = []
    real = cli._check_parallel
    monkeypatch.setattr(cli, "_check_parallel", lambda files, workers: calls.append(workers)
                        or real(files, workers))
    parallel = run("lint", "-j", "2", ".")
    assert calls == [2]
    serial = run("lint", "-j", "1", ".")
    assert calls == [2]
    assert parallel == serial
    code, out, _ = parallel
    assert code == 2
    assert codes_of(out).count("KS101") == 19 and codes_of(out).count("KS000") == 1


# ------------------------------------------------------------------ lint: selection

@pytest.fixture
def three_codes(project):
    write(project / "m.py", "a = 1  # fake: KS101 one\nb = 2  # fake: KS201 two\n"
                            "c = 3  # fake: KS301 three\n")
    return project


def codes_of(out: str) -> list[str]:
    return [line.split()[1] for line in out.splitlines() if not line.startswith(" ")]


def test_select_and_ignore_prefixes(run, three_codes):
    assert codes_of(run("lint", "--select", "KS1,KS3", "m.py")[1]) == ["KS101", "KS301"]
    assert codes_of(run("lint", "--select", "ks201", "m.py")[1]) == ["KS201"]
    assert codes_of(run("lint", "--ignore", "KS1, KS30", "m.py")[1]) == ["KS201"]
    code, out, _ = run("lint", "--select", "KS1", "--ignore", "KS101", "m.py")
    assert (code, out) == (0, "")


def test_unknown_code_prefix_is_a_usage_error(run, three_codes):
    code, out, err = run("lint", "--select", "KS9", "m.py")
    assert code == 2 and out == "" and "KS9" in err
    assert run("lint", "--ignore", "E501", "m.py")[0] == 2


def test_config_from_nearest_pyproject(run, three_codes):
    write(three_codes / "pyproject.toml", '[tool.kerasshape]\nignore = ["KS2"]\n')
    assert codes_of(run("lint", "m.py")[1]) == ["KS101", "KS301"]
    # from a subfolder too: the nearest pyproject.toml upward from the first path
    write(three_codes / "sub" / "n.py", "a = 1  # fake: KS201 two\n")
    assert run("lint", "sub/n.py") == (0, "", "")


def test_flags_win_over_config(run, three_codes):
    write(three_codes / "pyproject.toml",
          '[tool.kerasshape]\nselect = ["KS1"]\nignore = ["KS3"]\nformat = "json"\n')
    code, out, _ = run("lint", "m.py")
    assert [d["code"] for d in json.loads(out)] == ["KS101"]
    code, out, _ = run("lint", "--select", "KS3", "--ignore", "", "--format", "text", "m.py")
    assert codes_of(out) == ["KS301"]


def test_per_file_ignores_and_excludes(run, project):
    write(project / "pyproject.toml",
          '[tool.kerasshape]\n'
          'extend-exclude = ["generated"]\n'
          'per-file-ignores = {"tests/*" = ["KS1"], "special.py" = "KS3"}\n')
    write(project / "tests" / "t.py", "a = 1  # fake: KS101 x\nb = 1  # fake: KS201 y\n")
    write(project / "special.py", "a = 1  # fake: KS301 x\nb = 1  # fake: KS101 y\n")
    write(project / "generated" / "g.py", "a = 1  # fake: KS101 x\n")
    write(project / "build" / "b.py", "a = 1  # fake: KS101 x\n")
    code, out, _ = run("lint", ".")
    assert [line.split(": ")[0] + " " + line.split()[1] for line in out.splitlines()] == [
        "special.py:2:1 KS101", "tests/t.py:2:1 KS201"]


def test_exclude_replaces_the_default_folders(run, project):
    write(project / "pyproject.toml", '[tool.kerasshape]\nexclude = ["skipme"]\n')
    write(project / "build" / "b.py", "a = 1  # fake: KS101 x\n")
    write(project / "skipme" / "s.py", "a = 1  # fake: KS101 x\n")
    assert [line.split(":")[0] for line in run("lint", ".")[1].splitlines()] == ["build/b.py"]


def test_bad_config_is_a_usage_error(run, project):
    write(project / "m.py", "x = 1\n")
    write(project / "pyproject.toml", '[tool.kerasshape]\nselect = ["XX1"]\n')
    code, _, err = run("lint", "m.py")
    assert code == 2 and "XX1" in err
    write(project / "pyproject.toml", '[tool.kerasshape\n')
    assert run("lint", "m.py")[0] == 2


def test_unknown_config_key_warns(run, project):
    write(project / "m.py", "x = 1\n")
    write(project / "pyproject.toml", '[tool.kerasshape]\nselct = ["KS1"]\n')
    code, _, err = run("lint", "m.py")
    assert code == 0 and "selct" in err


# ------------------------------------------------------------------ lint: other formats

def test_json_format_is_only_a_json_array(run, project):
    write(project / "m.py", "\n  x = 1  # fake: KS101 msg\n")
    code, out, _ = run("lint", "--format", "json", "m.py")
    assert code == 1
    [item] = json.loads(out)
    assert {k: item[k] for k in ("path", "line", "column", "end_line", "end_column", "code",
                                 "severity", "message")} == {
        "path": "m.py", "line": 2, "column": 3, "end_line": 2, "end_column": 6,
        "code": "KS101", "severity": "error", "message": "msg"}
    assert run("lint", "--format", "json", "--select", "KS2", "m.py")[:2] == (0, "[]\n")


def test_github_and_sarif_formats(run, project):
    write(project / "m.py", "x = 1  # fake: KS101 msg\n")
    code, out, _ = run("lint", "--format", "github", "m.py")
    assert code == 1
    assert out == "::error file=m.py,line=1,col=1,endLine=1,endColumn=4,title=KS101::msg\n"
    code, out, _ = run("lint", "--format", "sarif", "m.py")
    assert code == 1
    assert json.loads(out)["runs"][0]["results"][0]["ruleId"] == "KS101"


# ------------------------------------------------------------------ show

def summary_analysis(path: str, models: bool = True) -> Analysis:
    layers = [
        LayerSummary(3, "input_layer", "InputLayer", (None, 28, 28, 1)),
        LayerSummary(4, "conv2d", "Conv2D", (None, 26, 26, 8)),
        LayerSummary(5, "reshape", "Reshape", (None, UNK, 8), source="L.Reshape"),
        LayerSummary(6, "mystery", "Lambda", None, why_unknown="Lambda body not analysed"),
        LayerSummary(7, "lstm", "LSTM", [(None, 4), (None, 4), (None, 4)]),
    ]
    model = ModelSummary("classifier", 2, "Sequential", inputs=[(None, 28, 28, 1)],
                         outputs=[(None, 4)], layers=layers)
    return Analysis(path=path, models=[model])


def test_show_text_is_a_summary_table(run, project, monkeypatch):
    write(project / "m.py", "import keras\n")
    monkeypatch.setattr(cli, "analyze_path", summary_analysis)
    code, out, _ = run("show", "m.py")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == 'Model: "classifier" (Sequential, line 2)'
    assert lines[2].split() == ["Layer", "(type)", "Line", "Output", "Shape"]
    assert lines[4].split() == ["input_layer", "(InputLayer)", "3", "(None,", "28,", "28,", "1)"]
    assert "(None, ?, 8)" in lines[6]
    assert "unknown (Lambda body not analysed)" in lines[7]
    assert "[(None, 4), (None, 4), (None, 4)]" in lines[8]
    assert " Inputs:  (None, 28, 28, 1)" in lines
    assert " Outputs: (None, 4)" in lines


def test_show_json_is_the_contract_document(run, project, monkeypatch):
    write(project / "m.py", "import keras\n")
    monkeypatch.setattr(cli, "analyze_path", summary_analysis)
    code, out, _ = run("show", "m.py", "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc == summary_analysis("m.py").to_dict()
    model = doc["models"][0]
    assert model["name"] == "classifier" and model["line"] == 2
    assert model["inputs"] == [[None, 28, 28, 1]]
    assert model["layers"][0] == {"line": 3, "name": "input_layer", "class": "InputLayer",
                                  "output_shape": [None, 28, 28, 1]}
    assert model["layers"][3]["output_shape"] is None


def test_show_without_models_and_with_diagnostics(run, project):
    write(project / "m.py", "x = 1  # fake: KS101 boom\n")
    code, out, _ = run("show", "m.py")
    assert code == 0
    assert "No models found in m.py" in out
    assert "1 diagnostic (KS101)" in out
    assert run("show", "m.py", "--format", "json")[1] == '{\n  "models": []\n}\n'


def test_show_bad_paths_and_engine_errors(run, project):
    assert run("show", "missing.py")[0] == 2
    (project / "folder").mkdir()
    assert run("show", "folder")[0] == 2
    write(project / "m.py", "x = 1  # fake: crash\n")
    code, out, err = run("show", "m.py")
    assert code == 2 and out == "" and "engine exploded" in err


# ------------------------------------------------------------------ rule, verify

def test_rule_prints_the_page(run):
    code, out, _ = run("rule", "KS101")
    assert code == 0
    assert out == (ROOT / "rules" / "KS101.md").read_text(encoding="utf-8")
    assert run("rule", "ks101")[1] == out
    assert run("rule", "101")[1] == out


def test_rule_unknown_code_exits_2(run):
    code, out, err = run("rule", "KS999")
    assert code == 2 and out == "" and "KS999" in err


def test_verify_needs_existing_files(run, project):
    # verify itself (it runs Keras) is tested in tests/test_verify.py
    code, out, err = run("verify", "missing.py")
    assert code == 2 and out == "" and "missing.py" in err


# ------------------------------------------------------------------ entry points

def test_python_dash_m():
    result = subprocess.run([sys.executable, "-m", "kerasshape", "--version"],
                            capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"kerasshape {__version__}"


@pytest.mark.skipif(shutil.which("kerasshape") is None, reason="console script not installed")
def test_console_script(tmp_path):
    result = subprocess.run(["kerasshape", "rule", "KS303"], capture_output=True, text=True,
                            cwd=tmp_path, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# KS303")


# ------------------------------------------------------------------ lint: walk, statistics, source, colour

def test_walk_skips_gitignored_and_environment_folders(run, project):
    write(project / ".gitignore", "generated/\n*_tmp.py\n")
    for rel in ["pkg/a.py", "generated/g.py", "pkg/x_tmp.py", "myenv/lib/v.py", "work/.tox/t.py"]:
        write(project / rel, "x = 1  # fake: KS101 found\n")
    write(project / "myenv" / "pyvenv.cfg", "home = /usr/bin\n")
    assert [line.split(":")[0] for line in run("lint", ".")[1].splitlines()] == ["pkg/a.py"]
    # named on the command line, an ignored folder or an environment is checked
    assert run("lint", "generated")[1].startswith("generated/g.py:1:1: KS101")
    assert run("lint", "myenv")[1].startswith("myenv/lib/v.py:1:1: KS101")
    assert run("lint", "pkg/x_tmp.py")[1].startswith("pkg/x_tmp.py:1:1: KS101")
    # and a default exclusion does not hide the folder it names
    write(project / "build" / "b.py", "x = 1  # fake: KS101 found\n")
    assert run("lint", "build")[1].startswith("build/b.py:1:1: KS101")
    write(project / "pyproject.toml", "[tool.kerasshape]\nrespect-gitignore = false\n")
    assert [line.split(":")[0] for line in run("lint", ".")[1].splitlines()] == [
        "generated/g.py", "pkg/a.py", "pkg/x_tmp.py"]


def test_statistics(run, three_codes):
    write(three_codes / "n.py", "a = 1  # fake: KS101 again\n")
    code, out, err = run("lint", "--statistics", "--no-hints", ".")
    assert code == 1 and err == ""
    assert out.splitlines()[-4:] == [
        "    2  KS101  input-rank",
        "    1  KS201  reshape-size",
        "    1  KS301  merge-shapes",
        "    4  diagnostics in 2 files",
    ]
    # a machine-read format keeps stdout clean: the counts go to stderr
    code, out, err = run("lint", "--statistics", "--format", "json", ".")
    assert len(json.loads(out)) == 4 and "    2  KS101  input-rank" in err
    assert run("lint", "--statistics", "--select", "KS9", ".")[0] == 2
    assert run("lint", "--statistics", "--ignore", "KS", ".") == (0, "", "")


def test_show_source(run, project):
    write(project / "m.py", "import keras\n\tx = dense(y)  # fake: KS101 msg | hint: fix it\n")
    code, out, _ = run("lint", "--show-source", "m.py")
    assert code == 1
    assert out.splitlines() == [
        "m.py:2:2: KS101 msg",
        "   |",
        " 2 | \tx = dense(y)  # fake: KS101 msg | hint: fix it",
        "   | \t^^^",
        "    hint: fix it",
    ]
    assert "|" not in run("lint", "m.py")[1]


def test_colour_only_when_asked(run, project, monkeypatch):
    write(project / "m.py", "x = 1  # fake: KS101 msg | hint: fix it\n")
    assert "\033[" not in run("lint", "--statistics", "m.py")[1]       # not a terminal
    out = run("lint", "--color", "always", "--statistics", "m.py")[1]
    assert "\033[31m" in out and out.count("\033[0m") >= 3
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\033[" not in run("lint", "m.py")[1]
    assert "\033[" in run("lint", "--color", "always", "m.py")[1]        # the flag wins
    assert "\033[" not in run("lint", "--color", "always", "--format", "json", "m.py")[1]


def test_use_color_rules():
    from kerasshape.reporters.text import use_color

    class Tty:
        def __init__(self, tty):
            self.tty = tty

        def isatty(self):
            return self.tty

    assert use_color(Tty(True), "auto", {}) is True
    assert use_color(Tty(False), "auto", {}) is False
    assert use_color(Tty(True), "auto", {"NO_COLOR": "1"}) is False
    assert use_color(Tty(True), "auto", {"NO_COLOR": ""}) is True       # empty: not set
    assert use_color(Tty(True), "auto", {"TERM": "dumb"}) is False
    assert use_color(Tty(False), "auto", {"FORCE_COLOR": "1"}) is True
    assert use_color(Tty(False), "always", {"NO_COLOR": "1"}) is True
    assert use_color(Tty(True), "never", {}) is False
    assert use_color(object(), "auto", {}) is False


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_colour_on_a_real_terminal(tmp_path):
    import os
    import pty

    (tmp_path / "m.py").write_text("import keras\nx = keras.layers.LSTM(3)(keras.Input((4,)))\n")

    def on_a_terminal(**extra):
        env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
        env.update(PYTHONPATH=str(ROOT), TERM="xterm", **extra)
        master, slave = pty.openpty()
        proc = subprocess.Popen([sys.executable, "-m", "kerasshape", "lint", "m.py"], cwd=tmp_path,
                                env=env, stdout=slave, stderr=subprocess.DEVNULL)
        os.close(slave)
        chunks = []
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        os.close(master)
        assert proc.wait(timeout=120) == 1
        return b"".join(chunks).decode()

    coloured = on_a_terminal()
    assert "\x1b[" in coloured and "KS101" in coloured
    plain = on_a_terminal(NO_COLOR="1")
    assert "\x1b[" not in plain and "m.py:2:5:" in plain and "KS101" in plain
