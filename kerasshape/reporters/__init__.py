"""One output format per module; each sees only ``Diagnostic`` values.

``render(name, diagnostics, show_hints=True) -> str`` picks the module by name;
``text.statistics(diagnostics)`` counts them per code (``lint --statistics``).
"""

from __future__ import annotations

import importlib

FORMATS = ("text", "json", "github", "sarif")


def render(name: str, diagnostics, show_hints: bool = True, **text_options) -> str:
    """``text_options`` (``show_source``, ``color``) apply to the text format only: the
    others are read by programs."""
    if name not in FORMATS:
        raise ValueError(f"unknown format {name!r}; expected one of {', '.join(FORMATS)}")
    module = importlib.import_module(f"{__name__}.{name}")
    if name == "text":
        return module.render(list(diagnostics), show_hints=show_hints, **text_options)
    return module.render(list(diagnostics), show_hints=show_hints)


__all__ = ["FORMATS", "render"]
