"""A JSON array of diagnostics, every field of each (``Diagnostic.to_dict``)."""

from __future__ import annotations

import json

from ..diagnostics import Diagnostic


def render(diagnostics: list[Diagnostic], show_hints: bool = True) -> str:
    items = [d.to_dict() for d in sorted(diagnostics, key=Diagnostic.sort_key)]
    return json.dumps(items, indent=2, ensure_ascii=False) + "\n"
