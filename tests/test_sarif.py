"""The SARIF report: a 2.1.0 log with every code as a rule, as GitHub code scanning wants."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kerasshape import __version__
from kerasshape.diagnostics import CODES, Diagnostic
from kerasshape.reporters import render

SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"

DIAGS = [
    Diagnostic("pkg/model.py", 12, 4, "KS101", "LSTM expects a 3D input", end_line=12, end_col=29,
               hint="put RepeatVector(n) before it"),
    Diagnostic("a b.py", 3, 0, "KS201", "Reshape cannot turn (None, 6, 5) into (4, 8)"),
    Diagnostic("/abs/x.py", 1, 0, "KS001", "syntax error"),
]


@pytest.fixture(scope="module")
def log():
    return json.loads(render("sarif", DIAGS))


def validator():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def test_schema(log):
    validator().validate(log)


def test_schema_rejects_a_broken_log(log):
    # the schema is really applied: a result without a message is not SARIF
    broken = json.loads(json.dumps(log))
    del broken["runs"][0]["results"][0]["message"]
    assert list(validator().iter_errors(broken))


def test_lint_output_on_the_fixtures_validates():
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    proc = subprocess.run([sys.executable, "-m", "kerasshape", "lint", "--format", "sarif", "-j", "1",
                           "fixtures"], cwd=root, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 1, proc.stderr
    out = json.loads(proc.stdout)
    validator().validate(out)
    results = out["runs"][0]["results"]
    assert len(results) > 50
    assert {r["ruleId"] for r in results} >= {"KS101", "KS201", "KS301"}


def test_rule_help_is_the_rule_page(log):
    from kerasshape.rulepages import read_page

    for rule in log["runs"][0]["tool"]["driver"]["rules"]:
        page = read_page(rule["id"])
        assert page, rule["id"]
        assert rule["help"]["markdown"] == page.strip()
        assert rule["help"]["text"] == page.strip()


def test_log_structure(log):
    assert log["version"] == "2.1.0"
    assert "sarif" in log["$schema"]
    [run] = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "kerasshape"
    assert driver["version"] == __version__
    assert driver["informationUri"].startswith("https://")


def test_every_code_is_a_rule_with_help(log):
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == list(CODES)
    for rule in rules:
        code = CODES[rule["id"]]
        assert rule["name"] and " " not in rule["name"]
        assert rule["shortDescription"]["text"] == code.summary
        assert rule["fullDescription"]["text"]
        assert rule["help"]["text"].startswith(f"# {code.code}")
        assert "## Fix" in rule["help"]["markdown"]
        assert rule["helpUri"].startswith("https://")
        assert rule["helpUri"].endswith(f"/rules/{code.code}.md")
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")


def test_results(log):
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    results = run["results"]
    assert [r["ruleId"] for r in results] == ["KS001", "KS201", "KS101"]  # sorted by path
    for r in results:
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
        assert r["level"] == "error"
        assert r["message"]["text"]
        [loc] = r["locations"]
        assert loc["physicalLocation"]["artifactLocation"]["uri"]
        assert loc["physicalLocation"]["region"]["startLine"] >= 1
    ks101 = results[2]
    assert ks101["message"]["text"] == "LSTM expects a 3D input\nhint: put RepeatVector(n) before it"
    phys = ks101["locations"][0]["physicalLocation"]
    assert phys["artifactLocation"] == {"uri": "pkg/model.py", "uriBaseId": "%SRCROOT%"}
    assert phys["region"] == {"startLine": 12, "startColumn": 5, "endLine": 12, "endColumn": 30}
    assert results[1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "a%20b.py"
    assert results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "file:///abs/x.py"


def test_empty_log_still_lists_the_rules():
    log = json.loads(render("sarif", []))
    assert log["runs"][0]["results"] == []
    assert len(log["runs"][0]["tool"]["driver"]["rules"]) == len(CODES)
