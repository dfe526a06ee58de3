"""Which files ``lint`` checks when it is given a folder.

A walk skips hidden folders, the folders of ``exclude``/``extend-exclude``, virtual
environments (a folder with ``pyvenv.cfg``, a conda environment's ``conda-meta``) and
whatever the ``.gitignore`` files say (those of the repository above the folder too),
unless ``respect-gitignore = false``. What is named on the command line is always
checked: ``kerasshape lint build`` walks ``build`` although a walk of ``.`` skips it.
"""

from __future__ import annotations

import os
import re
from typing import Iterator


def is_environment(folder: str) -> bool:
    """A Python environment: a venv/virtualenv, or a conda environment."""
    return (os.path.isfile(os.path.join(folder, "pyvenv.cfg"))
            or os.path.isdir(os.path.join(folder, "conda-meta")))


# ---------------------------------------------------------------- .gitignore

def _translate(pattern: str) -> str:
    """A gitignore glob -> a regular expression over a '/'-separated relative path."""
    out, i, n = [], 0, len(pattern)
    while i < n:
        if pattern.startswith("**/", i) and (i == 0 or pattern[i - 1] == "/"):
            out.append("(?:.*/)?")
            i += 3
            continue
        if pattern.startswith("/**", i) and i + 3 == n:
            out.append("/.*")
            i += 3
            continue
        c = pattern[i]
        if c == "*":
            while i < n and pattern[i] == "*":
                i += 1
            out.append("[^/]*")
            continue
        if c == "?":
            out.append("[^/]")
        elif c == "[":
            j = pattern.find("]", i + 2)
            if j == -1:
                out.append(re.escape(c))
            else:
                body = pattern[i + 1:j].replace("\\", "\\\\")
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append(f"[{body}]")
                i = j + 1
                continue
        elif c == "\\" and i + 1 < n:
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        else:
            out.append(re.escape(c))
        i += 1
    return "".join(out)


def parse_gitignore(text: str) -> list[tuple]:
    """Lines of a .gitignore -> rules ``(regex, negate, dir_only, anchored)``, in order."""
    rules = []
    for raw in text.splitlines():
        line = raw.rstrip("\r")
        if not line or line.startswith("#"):
            continue
        if not line.endswith("\\ "):
            line = line.rstrip(" ")
        negate = line.startswith("!")
        if negate:
            line = line[1:]
        dir_only = line.endswith("/")
        line = line.rstrip("/")
        if not line:
            continue
        anchored = "/" in line
        line = line.lstrip("/")
        try:
            regex = re.compile(_translate(line) + r"\Z", re.S)
        except re.error:
            continue
        rules.append((regex, negate, dir_only, anchored))
    return rules


class GitIgnore:
    """The .gitignore rules that apply below a walk's root, read as the walk goes down."""

    def __init__(self, root: str) -> None:
        self.rules: dict[str, list] = {}        # folder (absolute) -> its rules
        root = os.path.abspath(root)
        top = _repository_top(root)
        if top is not None:
            exclude = os.path.join(top, ".git", "info", "exclude")
            self._read(top, exclude)
            # the .gitignore files between the repository's top and the root
            folder, chain = root, []
            while True:
                folder = os.path.dirname(folder)
                if len(folder) < len(top) or not folder.startswith(top):
                    break
                chain.append(folder)
                if folder == top:
                    break
            for folder in reversed(chain):
                self.enter(folder)

    def _read(self, folder: str, path: str) -> None:
        try:
            with open(path, encoding="utf-8", errors="replace") as fh:
                rules = parse_gitignore(fh.read())
        except OSError:
            return
        if rules:
            self.rules.setdefault(folder, []).extend(rules)

    def enter(self, folder: str) -> None:
        """Read the folder's .gitignore, if any (called for each folder the walk enters)."""
        self._read(os.path.abspath(folder), os.path.join(folder, ".gitignore"))

    def ignored(self, path: str, is_dir: bool) -> bool:
        path = os.path.abspath(path)
        decision = False
        # shallower files first: a deeper .gitignore has the last word
        for base in sorted(self.rules, key=len):
            if not path.startswith(base.rstrip(os.sep) + os.sep):
                continue
            rel = os.path.relpath(path, base).replace(os.sep, "/")
            name = rel.rsplit("/", 1)[-1]
            for regex, negate, dir_only, anchored in self.rules[base]:
                if dir_only and not is_dir:
                    continue
                if regex.match(rel if anchored else name):
                    decision = not negate
        return decision


def _repository_top(folder: str) -> str | None:
    for candidate in (folder, *_parents(folder)):
        if os.path.exists(os.path.join(candidate, ".git")):
            return candidate
    return None


def _parents(folder: str):
    while True:
        parent = os.path.dirname(folder)
        if parent == folder:
            return
        yield parent
        folder = parent


# ---------------------------------------------------------------- the walk

def walk(root: str, settings) -> Iterator[str]:
    """The Python files below ``root`` that lint checks, sorted, paths as given."""
    strip_dot = os.path.normpath(root) == "."
    gitignore = GitIgnore(root) if getattr(settings, "respect_gitignore", True) else None
    for dirpath, dirnames, filenames in os.walk(root):
        if gitignore is not None:
            gitignore.enter(dirpath)
        keep = []
        for d in sorted(dirnames):
            full = os.path.join(dirpath, d)
            if d.startswith(".") or settings.excluded(full, inside=root) or is_environment(full):
                continue
            if gitignore is not None and gitignore.ignored(full, is_dir=True):
                continue
            keep.append(d)
        dirnames[:] = keep
        for name in sorted(filenames):
            if not name.endswith(".py"):
                continue
            path = os.path.join(dirpath, name)
            if settings.excluded(path, inside=root):
                continue
            if gitignore is not None and gitignore.ignored(path, is_dir=False):
                continue
            if strip_dot and path.startswith("." + os.sep):
                path = path[2:]
            yield path


__all__ = ["walk", "is_environment", "GitIgnore", "parse_gitignore"]
