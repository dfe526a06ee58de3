"""[tool.kerasshape] in pyproject.toml -> Settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from kerasshape.config import (DEFAULT_EXCLUDE, ConfigError, Settings, find_pyproject,
                               load_settings, split_codes)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_a_table(tmp_path):
    write(tmp_path / "pyproject.toml", "[tool.other]\nx = 1\n")
    s = load_settings(tmp_path)
    assert s.select is None and s.ignore == [] and s.root is None
    assert s.exclude == list(DEFAULT_EXCLUDE)
    assert s.wants("KS101", "a.py")


def test_nearest_table_upward_skips_pyprojects_without_one(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.kerasshape]\nignore = "KS3"\n')
    write(tmp_path / "sub" / "pyproject.toml", "[project]\nname = 'x'\n")
    file = write(tmp_path / "sub" / "deep" / "m.py", "")
    path, table = find_pyproject(file)
    assert path == tmp_path / "pyproject.toml"
    assert table == {"ignore": "KS3"}
    s = load_settings(file)
    assert s.ignore == ["KS3"] and s.root == tmp_path


def test_keys_with_dashes_or_underscores(tmp_path):
    write(tmp_path / "pyproject.toml",
          '[tool.kerasshape]\nselect = ["ks1", "KS201"]\nextend_exclude = ["gen"]\n'
          'per-file-ignores = {"tests/*" = "KS1,KS2"}\nformat = "github"\n')
    s = load_settings(tmp_path)
    assert s.select == ["KS1", "KS201"]
    assert s.extend_exclude == ["gen"]
    assert s.per_file_ignores == {"tests/*": ["KS1", "KS2"]}
    assert s.format == "github"


@pytest.mark.parametrize("body", [
    'select = ["KS9"]', 'ignore = 3', 'format = "xml"', 'per-file-ignores = ["x"]',
    'exclude = [1]', 'select = [[]]',
])
def test_invalid_values(tmp_path, body):
    write(tmp_path / "pyproject.toml", f"[tool.kerasshape]\n{body}\n")
    with pytest.raises(ConfigError):
        load_settings(tmp_path)


def test_split_codes():
    assert split_codes("KS1, ks201,,") == ["KS1", "KS201"]
    assert split_codes(["KS1,KS2", "KS3"]) == ["KS1", "KS2", "KS3"]
    assert split_codes("ALL") == ["KS"]
    assert split_codes("") == []
    with pytest.raises(ConfigError):
        split_codes("F401")


def test_selection():
    s = Settings(select=["KS1", "KS3"], ignore=["KS103"],
                 per_file_ignores={"tests/*": ["KS3"], "conftest.py": ["KS1"]})
    assert s.wants("KS101", "m.py")
    assert not s.wants("KS201", "m.py")
    assert not s.wants("KS103", "m.py")
    assert s.wants("KS301", "m.py") and not s.wants("KS301", "tests/m.py")
    assert not s.wants("KS101", "pkg/conftest.py")


def test_exclusion_patterns(tmp_path):
    s = Settings(exclude=["build", "*_pb2.py", "legacy/"], extend_exclude=["src/gen/*"],
                 root=tmp_path)
    assert s.excluded("build") and s.excluded("pkg/build")
    assert s.excluded("x/msg_pb2.py")
    assert s.excluded("legacy") and s.excluded(str(tmp_path / "legacy" / "old.py"))
    assert s.excluded(str(tmp_path / "src" / "gen" / "a.py"))
    assert not s.excluded("src/model.py")
    assert not s.excluded("building.py")
