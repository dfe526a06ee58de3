"""kerasshape: static shape checking for Keras models."""

from __future__ import annotations

__version__ = "0.1.0"

from .analysis import Analysis, LayerSummary, ModelSummary  # noqa: E402
from .diagnostics import Diagnostic  # noqa: E402


def check_source(source, path: str = "<string>") -> Analysis:
    """Analyse one module's source (str or bytes) without executing it."""
    from .engine import analyze_source

    return analyze_source(source, path)


def check_file(path: str) -> Analysis:
    """Read and analyse one file; an unreadable or unparsable file gives KS00x."""
    from .engine import analyze_file

    return analyze_file(path)


__all__ = ["__version__", "check_source", "check_file", "Analysis", "ModelSummary",
           "LayerSummary", "Diagnostic"]
