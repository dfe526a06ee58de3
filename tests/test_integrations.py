"""The GitHub Action (action.yml) and the pre-commit hook (.pre-commit-hooks.yaml).

Both files are parsed and checked; the action's lint step is also run with bash here,
the way the runner runs it, on a file with a shape error.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

yaml = pytest.importorskip("yaml")

ROOT = Path(__file__).resolve().parent.parent
BAD = ("import keras\n"
       "x = keras.layers.LSTM(3)(keras.Input((4,)))\n")


def load(name: str):
    return yaml.safe_load((ROOT / name).read_text(encoding="utf-8"))


# ---------------------------------------------------------------- action.yml

@pytest.fixture(scope="module")
def action():
    return load("action.yml")


def test_action_inputs(action):
    assert action["name"] == "kerasshape" and action["description"]
    inputs = action["inputs"]
    assert inputs["path"]["default"] == "."
    assert inputs["args"]["default"] == ""
    assert re.fullmatch(r"3\.\d+", inputs["python-version"]["default"])
    for name, spec in inputs.items():
        assert spec["description"], name
        assert spec.get("required") is False, name


def test_action_steps(action):
    runs = action["runs"]
    assert runs["using"] == "composite"
    steps = runs["steps"]
    setup = steps[0]
    assert setup["uses"].startswith("actions/setup-python@v")
    assert setup["with"]["python-version"] == "${{ inputs.python-version }}"
    for step in steps[1:]:
        # a composite action's run step must name its shell
        assert step["shell"] == "bash" and step["run"].strip()
    install = steps[1]
    assert install["env"]["KS_ACTION_PATH"] == "${{ github.action_path }}"
    assert 'pip install' in install["run"] and '"$KS_ACTION_PATH"' in install["run"]
    lint = steps[-1]
    assert "kerasshape lint $KS_PATH $KS_ARGS --format github" in lint["run"]
    assert lint["env"] == {"KS_PATH": "${{ inputs.path }}", "KS_ARGS": "${{ inputs.args }}"}
    sarif = next(s for s in steps if "sarif" in s["name"].lower())
    assert sarif["if"] == "${{ inputs.sarif-file != '' }}"
    assert "--format sarif --exit-zero" in sarif["run"]


def test_action_inputs_never_expand_inside_scripts(action):
    # ${{ inputs.* }} inside `run:` would be pasted into the script (script injection);
    # every input reaches a script through env
    for step in action["runs"]["steps"]:
        assert "${{" not in step.get("run", "")


def run_step(step: dict, cwd: Path, inputs: dict) -> subprocess.CompletedProcess:
    env = dict(os.environ, KERASSHAPE_PYTHON=sys.executable,
               PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    for key, expr in step.get("env", {}).items():
        name = re.fullmatch(r"\$\{\{ inputs\.([\w-]+) \}\}", expr).group(1)
        env[key] = inputs[name]
    return subprocess.run(["bash", "-e", "-c", step["run"]], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.skipif(shutil.which("bash") is None, reason="no bash")
def test_action_lint_step_runs(action, tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "model.py").write_text(BAD)
    (tmp_path / "clean.py").write_text("import keras\n")
    steps = action["runs"]["steps"]
    lint = steps[-1]
    proc = run_step(lint, tmp_path, {"path": "src clean.py", "args": "--no-hints"})
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.startswith("::error file=src/model.py,line=2,col=5,")
    assert "title=KS101::" in proc.stdout and "hint" not in proc.stdout
    assert run_step(lint, tmp_path, {"path": ".", "args": "--exit-zero"}).returncode == 0
    sarif = next(s for s in steps if "sarif" in s["name"].lower())
    proc = run_step(sarif, tmp_path, {"path": ".", "args": "", "sarif-file": "out.sarif"})
    assert proc.returncode == 0, proc.stderr
    assert '"ruleId": "KS101"' in (tmp_path / "out.sarif").read_text()


# ---------------------------------------------------------------- pre-commit

def test_pre_commit_hook():
    [hook] = load(".pre-commit-hooks.yaml")
    assert hook["id"] == "kerasshape" and hook["name"]
    assert hook["language"] == "python"
    assert hook["entry"] == "kerasshape lint"
    assert hook["types"] == ["python"]
    # the entry is the console script the package installs
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'^kerasshape = "kerasshape\.cli:main"$', pyproject, re.M)


def test_pre_commit_entry_takes_the_file_names(tmp_path):
    # pre-commit runs `entry file1 file2 ...` with the staged Python files
    (tmp_path / "a.py").write_text(BAD)
    (tmp_path / "b.py").write_text("x = 1\n")
    [hook] = load(".pre-commit-hooks.yaml")
    argv = hook["entry"].split()[1:]
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.run([sys.executable, "-m", "kerasshape", *argv, "a.py", "b.py"], cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert proc.stdout.startswith("a.py:2:5: KS101 ")
