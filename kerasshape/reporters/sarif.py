"""A SARIF 2.1.0 log that GitHub code scanning accepts.

Every code in ``CODES`` is a rule of ``tool.driver``, with its rule page as help
text and a ``helpUri`` pointing at the page in the repository.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import quote

from .. import __version__
from ..diagnostics import CODES, Diagnostic
from ..rulepages import HOMEPAGE, first_paragraph, help_uri, read_page, sections

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
VERSION = "2.1.0"


def rule_descriptor(code: str) -> dict:
    c = CODES[code]
    page = read_page(code) or ""
    parts = sections(page)
    full = first_paragraph(parts.get("What it reports", "")) or c.summary
    help_text = page.strip() or c.summary
    return {
        "id": c.code,
        "name": _pascal(c.name),
        "shortDescription": {"text": c.summary},
        "fullDescription": {"text": full},
        "help": {"text": help_text, "markdown": help_text},
        "helpUri": help_uri(c.code),
        "defaultConfiguration": {"level": _level(c.severity)},
        "properties": {"tags": ["keras", "shape"], "precision": "very-high"},
    }


def _pascal(name: str) -> str:
    # SARIF suggests rule names that read as identifiers: "input-rank" -> "InputRank"
    return "".join(part.capitalize() for part in name.replace("_", "-").split("-"))


def _level(severity: str) -> str:
    return "warning" if severity == "warning" else "error"


def artifact_uri(path: str) -> dict:
    """Relative paths stay relative (resolved by the consumer against the checkout)."""
    if os.path.isabs(path):
        return {"uri": Path(path).as_uri()}
    posix = path.replace(os.sep, "/")
    if posix.startswith("./"):
        posix = posix[2:]
    return {"uri": quote(posix, safe="/"), "uriBaseId": "%SRCROOT%"}


def result(d: Diagnostic, index: dict[str, int], show_hints: bool = True) -> dict:
    region = {"startLine": d.line, "startColumn": d.col + 1}
    if d.end_line is not None:
        region["endLine"] = d.end_line
    if d.end_col is not None:
        region["endLine"] = d.end_line or d.line
        region["endColumn"] = d.end_col + 1
    text = d.message
    if show_hints and d.hint:
        text += f"\nhint: {d.hint}"
    out = {
        "ruleId": d.code,
        "level": _level(d.severity),
        "message": {"text": text},
        "locations": [{
            "physicalLocation": {
                "artifactLocation": artifact_uri(d.path),
                "region": region,
            },
        }],
    }
    if d.code in index:
        out["ruleIndex"] = index[d.code]
    return out


def document(diagnostics: list[Diagnostic], show_hints: bool = True) -> dict:
    codes = list(CODES)
    index = {code: i for i, code in enumerate(codes)}
    return {
        "$schema": SCHEMA,
        "version": VERSION,
        "runs": [{
            "tool": {
                "driver": {
                    "name": "kerasshape",
                    "version": __version__,
                    "semanticVersion": __version__,
                    "informationUri": HOMEPAGE,
                    "rules": [rule_descriptor(code) for code in codes],
                },
            },
            "results": [result(d, index, show_hints)
                        for d in sorted(diagnostics, key=Diagnostic.sort_key)],
        }],
    }


def render(diagnostics: list[Diagnostic], show_hints: bool = True) -> str:
    return json.dumps(document(diagnostics, show_hints), indent=2, ensure_ascii=False) + "\n"
