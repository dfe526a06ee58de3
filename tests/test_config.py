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


# ---------------------------------------------------------------- walk: gitignore, environments

def test_respect_gitignore_key(tmp_path):
    assert load_settings(tmp_path).respect_gitignore is True
    write(tmp_path / "pyproject.toml", "[tool.kerasshape]\nrespect-gitignore = false\n")
    assert load_settings(tmp_path).respect_gitignore is False
    write(tmp_path / "pyproject.toml", '[tool.kerasshape]\nrespect_gitignore = "no"\n')
    with pytest.raises(ConfigError):
        load_settings(tmp_path)


def test_default_exclusions_cover_tool_folders():
    s = Settings()
    for folder in ["venv", ".venv", "site-packages", ".tox", ".nox", "node_modules", "build",
                   "dist", "__pypackages__", "pkg.egg-info"]:
        assert s.excluded(f"proj/{folder}"), folder


def test_a_named_folder_is_not_excluded_by_the_pattern_it_matches(tmp_path):
    s = Settings(extend_exclude=["gen"], root=tmp_path)
    assert s.excluded("build/m.py")
    assert not s.excluded("build/m.py", inside="build")
    assert s.excluded("build/gen", inside="build")      # other patterns still apply inside
    assert not s.excluded(str(tmp_path / "gen" / "a.py"), inside=str(tmp_path / "gen"))


def test_gitignore_rules():
    from kerasshape.files import GitIgnore, parse_gitignore

    rules = parse_gitignore("# comment\n\n*.gen.py\n!keep.gen.py\nout/\n/top_only\n"
                            "docs/**/tmp\nlogs/*.py\n\\#hash.py\n")
    assert len(rules) == 7
    ig = GitIgnore.__new__(GitIgnore)
    ig.rules = {"/r": rules}
    assert ig.ignored("/r/a.gen.py", False) and ig.ignored("/r/x/y/b.gen.py", False)
    assert not ig.ignored("/r/keep.gen.py", False)
    assert ig.ignored("/r/out", True) and ig.ignored("/r/pkg/out", True)
    assert not ig.ignored("/r/out", False)                 # "out/" matches folders only
    assert ig.ignored("/r/top_only", True) and not ig.ignored("/r/pkg/top_only", True)
    assert ig.ignored("/r/docs/tmp", True) and ig.ignored("/r/docs/a/b/tmp", True)
    assert ig.ignored("/r/logs/x.py", False) and not ig.ignored("/r/logs/sub/x.py", False)
    assert ig.ignored("/r/#hash.py", False)
    assert not ig.ignored("/elsewhere/a.gen.py", False)


def test_walk_skips_environments_and_ignored_files(tmp_path):
    from kerasshape.files import walk

    for rel in ["pkg/a.py", "pkg/keep.gen.py", "myenv/pyvenv.cfg", "myenv/lib/x.py",
                "conda/conda-meta/history", "conda/lib/y.py", "pkg/b.gen.py", "pkg/out/o.py",
                "pkg/sub/.gitignore", "pkg/sub/c.py", "pkg/sub/local.py"]:
        write(tmp_path / rel, "")
    write(tmp_path / ".gitignore", "*.gen.py\n!keep.gen.py\nout/\n")
    write(tmp_path / "pkg" / "sub" / ".gitignore", "local.py\n")
    rel = lambda paths: sorted(Path(p).relative_to(tmp_path).as_posix() for p in paths)  # noqa: E731
    assert rel(walk(str(tmp_path), Settings())) == ["pkg/a.py", "pkg/keep.gen.py", "pkg/sub/c.py"]
    everything = rel(walk(str(tmp_path), Settings(respect_gitignore=False)))
    assert "pkg/b.gen.py" in everything and "pkg/sub/local.py" in everything
    assert not any(p.startswith(("myenv/", "conda/")) for p in everything)
    # named explicitly, an environment or an ignored folder is walked
    assert rel(walk(str(tmp_path / "myenv"), Settings())) == ["myenv/lib/x.py"]
    assert rel(walk(str(tmp_path / "pkg" / "out"), Settings())) == ["pkg/out/o.py"]


def test_walk_reads_the_gitignore_of_the_repository_above(tmp_path):
    from kerasshape.files import walk

    (tmp_path / ".git").mkdir()
    write(tmp_path / ".git" / "info" / "exclude", "scratch.py\n")
    write(tmp_path / ".gitignore", "src/generated/\n")
    for rel in ["src/m.py", "src/generated/g.py", "src/scratch.py"]:
        write(tmp_path / rel, "")
    assert [Path(p).name for p in walk(str(tmp_path / "src"), Settings())] == ["m.py"]
