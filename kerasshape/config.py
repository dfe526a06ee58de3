"""``[tool.kerasshape]`` in the nearest pyproject.toml -> Settings.

Keys (dash or underscore spelling)::

    [tool.kerasshape]
    select = ["KS1", "KS2"]          # code prefixes to report (default: every code)
    ignore = ["KS303"]               # code prefixes never to report
    exclude = ["build", "*_pb2.py"]  # replaces the default folder exclusions
    extend-exclude = ["legacy/"]     # adds to them
    per-file-ignores = {"tests/*" = ["KS1"]}
    format = "text"                  # default output format of lint
    respect-gitignore = true         # a folder walk skips what .gitignore files ignore

The nearest pyproject.toml that has a ``[tool.kerasshape]`` table, looking upward
from the first path on the command line, is the one read. Flags win over it.
"""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass, field
from pathlib import Path

# Folders a walk never enters unless `exclude` replaces this list; hidden folders
# (".git", ".tox", ...), virtual environments (a folder with pyvenv.cfg) and what
# .gitignore ignores are skipped by the walk in any case (files.py).
DEFAULT_EXCLUDE = (
    ".git", "__pycache__", "venv", ".venv", "env", "node_modules",
    "build", "dist", "site-packages", ".tox", ".nox", "__pypackages__", "*.egg-info",
)

FORMATS = ("text", "json", "github", "sarif")


class ConfigError(Exception):
    """The configuration cannot be used (a usage error: exit status 2)."""


@dataclass
class Settings:
    select: list[str] | None = None          # None: every code
    ignore: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=lambda: list(DEFAULT_EXCLUDE))
    extend_exclude: list[str] = field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    format: str | None = None
    respect_gitignore: bool = True
    root: Path | None = None                 # folder of the pyproject.toml read
    source: Path | None = None               # the pyproject.toml read

    # ------------------------------------------------------------ selection

    def wants(self, code: str, path: str) -> bool:
        """Whether a diagnostic with this code is reported for this file."""
        if self.select is not None and not _matches(code, self.select):
            return False
        if _matches(code, self.ignore):
            return False
        for pattern, codes in self.per_file_ignores.items():
            if _matches(code, codes) and self._path_matches(path, pattern):
                return False
        return True

    # ------------------------------------------------------------ exclusion

    def excluded(self, path: str, inside: str | None = None) -> bool:
        """A file or folder met while walking a folder that the walk skips. With ``inside``
        (the folder named on the command line), a pattern that the named folder itself
        matches is not applied: ``kerasshape lint build`` checks what is in ``build``."""
        for pattern in (*self.exclude, *self.extend_exclude):
            if self._path_matches(path, pattern):
                if inside is not None and self._path_matches(inside, pattern):
                    continue
                return True
        return False

    def _path_matches(self, path: str, pattern: str) -> bool:
        pattern = pattern.replace("\\", "/").rstrip("/")
        if not pattern:
            return False
        candidates = {os.path.basename(os.path.normpath(path)), _posix(path)}
        if self.root is not None:
            try:
                rel = os.path.relpath(os.path.abspath(path), self.root)
            except ValueError:  # another drive on Windows
                rel = None
            if rel is not None and not rel.startswith(".."):
                candidates.add(_posix(rel))
        for cand in candidates:
            if fnmatch.fnmatchcase(cand, pattern):
                return True
            # "legacy" or "legacy/*" also covers everything below legacy/
            if "/" in cand and (cand.startswith(pattern + "/")
                                or fnmatch.fnmatchcase(cand, pattern + "/*")):
                return True
        return False


def _posix(path: str) -> str:
    return Path(path).as_posix() if path else path


def _matches(code: str, prefixes) -> bool:
    return any(code.startswith(p) for p in prefixes)


# ---------------------------------------------------------------- parsing

def split_codes(value, where: str = "--select") -> list[str]:
    """``"KS1, KS201"`` or ``["KS1", "KS201"]`` -> ``["KS1", "KS201"]``, checked."""
    from .diagnostics import CODES

    if isinstance(value, str):
        items = value.split(",")
    elif isinstance(value, (list, tuple)):
        items = []
        for item in value:
            if not isinstance(item, str):
                raise ConfigError(f"{where}: expected code prefixes as strings, got {item!r}")
            items.extend(item.split(","))
    else:
        raise ConfigError(f"{where}: expected a list of code prefixes, got {value!r}")
    out = []
    for item in items:
        prefix = item.strip().upper()
        if not prefix:
            continue
        if prefix == "ALL":
            prefix = "KS"
        if not any(code.startswith(prefix) for code in CODES):
            known = ", ".join(CODES)
            raise ConfigError(f"{where}: {item.strip()!r} matches no code (known: {known})")
        out.append(prefix)
    return out


def _str_list(value, where: str) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return list(value)
    raise ConfigError(f"{where}: expected a list of strings, got {value!r}")


def find_pyproject(start: str | os.PathLike) -> tuple[Path, dict] | None:
    """The nearest pyproject.toml upward from ``start`` with a [tool.kerasshape] table."""
    here = Path(os.path.abspath(start))
    if not here.is_dir():
        here = here.parent
    for folder in (here, *here.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            table = _read_table(candidate)
            if table is not None:
                return candidate, table
    return None


def _read_table(path: Path) -> dict | None:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        try:
            import tomli as tomllib  # type: ignore[no-redef]
        except ModuleNotFoundError:
            return None
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read configuration: {exc}") from exc
    table = data.get("tool", {}).get("kerasshape")
    if table is None:
        return None
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.kerasshape] must be a table")
    return table


_KNOWN_KEYS = {"select", "ignore", "exclude", "extend-exclude", "per-file-ignores", "format",
               "respect-gitignore"}


def load_settings(start: str | os.PathLike | None = None, warn=None) -> Settings:
    """Settings from the nearest ``[tool.kerasshape]``; defaults when there is none."""
    found = find_pyproject(start if start is not None else os.getcwd())
    if found is None:
        return Settings()
    path, table = found
    return settings_from_table(table, path, warn=warn)


def settings_from_table(table: dict, path: Path, warn=None) -> Settings:
    where = f"{path} [tool.kerasshape]"
    s = Settings(root=path.parent, source=path)
    for raw_key, value in table.items():
        key = raw_key.replace("_", "-")
        if key not in _KNOWN_KEYS:
            if warn is not None:
                warn(f"{where}: unknown key {raw_key!r} ignored")
            continue
        if key == "select":
            s.select = split_codes(value, f"{where} select")
        elif key == "ignore":
            s.ignore = split_codes(value, f"{where} ignore")
        elif key == "exclude":
            s.exclude = _str_list(value, f"{where} exclude")
        elif key == "extend-exclude":
            s.extend_exclude = _str_list(value, f"{where} extend-exclude")
        elif key == "per-file-ignores":
            if not isinstance(value, dict):
                raise ConfigError(f"{where} per-file-ignores: expected a table of pattern = codes")
            s.per_file_ignores = {
                str(pattern): split_codes(codes, f"{where} per-file-ignores {pattern!r}")
                for pattern, codes in value.items()
            }
        elif key == "format":
            if value not in FORMATS:
                raise ConfigError(f"{where} format: expected one of {', '.join(FORMATS)}, got {value!r}")
            s.format = value
        elif key == "respect-gitignore":
            if not isinstance(value, bool):
                raise ConfigError(f"{where} respect-gitignore: expected true or false, got {value!r}")
            s.respect_gitignore = value
    return s
