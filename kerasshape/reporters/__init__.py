"""One output format per module; each sees only ``Diagnostic`` values.

``render(name, diagnostics, show_hints=True) -> str`` picks the module by name.
"""

from __future__ import annotations

import importlib

FORMATS = ("text", "json", "github", "sarif")


def render(name: str, diagnostics, show_hints: bool = True) -> str:
    if name not in FORMATS:
        raise ValueError(f"unknown format {name!r}; expected one of {', '.join(FORMATS)}")
    module = importlib.import_module(f"{__name__}.{name}")
    return module.render(list(diagnostics), show_hints=show_hints)


__all__ = ["FORMATS", "render"]
