"""``kerasshape show``'s text view: a table per model, like ``model.summary()``.

It reads an ``Analysis`` only; shapes print the way Keras prints them,
``(None, 28, 28, 1)``, with ``?`` for a size kerasshape could not infer and
``unknown`` for a shape it could not infer at all.
"""

from __future__ import annotations

import textwrap

from .analysis import Analysis, LayerSummary, ModelSummary
from .shapes import fmt


def format_shape(shape) -> str:
    if isinstance(shape, list):
        return "[" + ", ".join(fmt(s) for s in shape) + "]"
    return fmt(shape)


def _shape_cell(layer: LayerSummary) -> str:
    cell = format_shape(layer.output_shape)
    if layer.output_shape is None and layer.why_unknown:
        cell += f" ({layer.why_unknown})"
    return cell


def _shapes(shapes: list) -> str:
    return ", ".join(format_shape(s) for s in shapes) if shapes else "unknown"


def render_model(model: ModelSummary) -> str:
    header = ("Layer (type)", "Line", "Output Shape")
    rows = [(f"{layer.name} ({layer.cls})", str(layer.line), _shape_cell(layer))
            for layer in model.layers]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(2)]
    width = max([sum(widths) + 8 + max(len(r[2]) for r in [header, *rows]), 60])

    def row(cells) -> str:
        return (f" {cells[0]:<{widths[0]}}   {cells[1]:<{widths[1]}}   {cells[2]}").rstrip()

    note = f"{model.kind}, line {model.line}"
    if not model.built:
        note += ", not built"
    lines = [f'Model: "{model.name}" ({note})', "_" * width, row(header), "=" * width]
    lines += [row(r) for r in rows] or [" (no layers)"]
    lines.append("=" * width)
    if not (model.note and not model.inputs and not model.outputs):   # (a trainer has none)
        lines += [f" Inputs:  {_shapes(model.inputs)}", f" Outputs: {_shapes(model.outputs)}"]
    if model.note:
        lines += textwrap.wrap(model.note, width, initial_indent=" Note: ", subsequent_indent="       ")
    lines.append("_" * width)
    return "\n".join(lines) + "\n"


def render_text(analysis: Analysis) -> str:
    if not analysis.models:
        text = f"No models found in {analysis.path}\n"
    else:
        text = "\n".join(render_model(m) for m in analysis.models)
    n = len(analysis.diagnostics)
    if n:
        codes = ", ".join(sorted({d.code for d in analysis.diagnostics}))
        plural = "s" if n > 1 else ""
        text += f"\n{n} diagnostic{plural} ({codes}): run `kerasshape lint {analysis.path}`\n"
    return text
