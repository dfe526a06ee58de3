"""What the language server shows on hover: the shape bound to each name.

The engine records ``(Name node, value)`` for every assignment to a name while
``analyze_source(..., hovers=True)`` runs; this module turns them into
``(line, col, end_line, end_col, text)`` once the run is over (a layer's output is
known only after it has been called). Lines are 1-based, columns 0-based and the end
is exclusive, as libcst gives them.
"""

from __future__ import annotations

from .shapes import fmt
from .values import Array, DatasetV, DictV, LayerV, ModelV, SequentialV, Tensor


def _shapes(items) -> str:
    shapes = [fmt(t.shape) if isinstance(t, Tensor) else "unknown" for t in items or []]
    if not shapes:
        return "unknown"
    return shapes[0] if len(shapes) == 1 else "[" + ", ".join(shapes) + "]"


def describe(value) -> str | None:
    """The shape part of a hover (after ``name: ``), or None for a value that has none."""
    if isinstance(value, Tensor):
        return fmt(value.shape)
    if isinstance(value, LayerV):
        out = value.output_tensor
        if isinstance(out, Tensor) and value.calls:
            return f"{value.cls} -> {fmt(out.shape)}"
        if value.cls == "InputLayer" and isinstance(out, Tensor):
            return f"{value.cls} -> {fmt(out.shape)}"
        return f"{value.cls} (not called on a tensor)"
    if isinstance(value, SequentialV):
        inp = _shapes([value.input]) if value.input is not None else "unknown"
        out = _shapes([value.output]) if value.output is not None else "unknown"
        return f"Sequential {inp} -> {out}"
    if isinstance(value, ModelV):
        return f"Model {_shapes(value.inputs)} -> {_shapes(value.outputs)}"
    if isinstance(value, Array):
        return f"array {fmt(value.shape)}" + (f" {value.kind}" if value.kind else "")
    if isinstance(value, DatasetV):
        return f"Dataset of {_element(value.element)}"
    return None


def _element(el) -> str:
    if isinstance(el, Array):
        return fmt(el.shape)
    if isinstance(el, tuple):
        return "(" + ", ".join(_element(e) for e in el) + ")"
    if isinstance(el, DictV):
        return "{" + ", ".join(f"{k!r}: {_element(v)}" for k, v in el.items.items()) + "}"
    return "unknown"


def hover_entries(interp, records) -> list[tuple]:
    """One entry per bound name position; a name bound several times (a loop, a function
    called with different arguments) lists each distinct shape."""
    by_pos: dict[tuple, tuple[str, list[str]]] = {}
    for node, value in records:
        shape = describe(value)
        if shape is None:
            continue
        pos = interp.pos(node)
        if pos == (1, 0, 1, 0) and node not in interp.main.positions():
            continue
        name, shapes = by_pos.setdefault(pos, (node.value, []))
        if shape not in shapes:
            shapes.append(shape)
    return [(*pos, f"{name}: {' or '.join(shapes)}") for pos, (name, shapes) in sorted(by_pos.items())]


__all__ = ["describe", "hover_entries"]
