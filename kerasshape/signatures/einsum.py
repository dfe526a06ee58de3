"""EinsumDense: a dense layer written as an einsum equation ``input,kernel->output``.

Keras reads the equation (``ab,bc->ac``, ``...b,bc->...c`` or ``ab...,bc->ac...``), fills the
partial ``output_shape`` with the batch axis and the elided axes, checks the axes the input
and the output share, and builds a kernel (and a bias on ``bias_axes``) whose sizes must all
be defined. Its symbolic output is that filled-in ``output_shape``.
"""

from __future__ import annotations

import re

from ..shapes import UNK, Shape, ShapeError, fmt, is_int
from . import Sizes, signature

_PLAIN = re.compile("([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)")
_LEFT = re.compile("0([a-zA-Z]+),([a-zA-Z]+)->0([a-zA-Z]+)")
_RIGHT = re.compile("([a-zA-Z]{2,})0,([a-zA-Z]+)->([a-zA-Z]+)0")


def _bad(message: str, found: str, hint: str | None = None) -> ShapeError:
    sep = "" if message.startswith("(") else " "
    return ShapeError("KS203", f"EinsumDense{sep}{message}", found=found, hint=hint)


def _parse(equation: str):
    """(input spec, kernel spec, output spec, where the ellipsis is: None, 'left', 'right')."""
    text = equation.replace("...", "0")
    for pattern, where in ((_PLAIN, None), (_LEFT, "left"), (_RIGHT, "right")):
        m = pattern.match(text)
        if m:
            return m.group(1), m.group(2), m.group(3), where
    raise _bad(f"cannot read the equation {equation!r}: it must look like 'ab,bc->ac', "
               "'...b,bc->...c' or 'ab...,bc->ac...'", f"equation={equation!r}")


def _same_size(out, inp) -> bool:
    """Keras's `out is None or out == inp` where kerasshape may not know a size."""
    if out is None or out is UNK or inp is UNK:
        return True
    if is_int(out) and is_int(inp):
        return out == inp
    if isinstance(out, str) or isinstance(inp, str):
        return out == inp if isinstance(out, str) and isinstance(inp, str) else True
    return False  # an int against Keras's None


@signature("EinsumDense", min_ndim=1,
           positional="equation output_shape activation bias_axes")
def einsum_dense(x: Shape, equation: str, output_shape: Sizes, bias_axes=None) -> Shape | None:
    """(batch, ...) -> (batch, *output_shape) with the elided axes of `...` kept"""
    if not isinstance(equation, str) or not (bias_axes is None or isinstance(bias_axes, str)):
        return None
    inp, ker, out, where = _parse(equation)
    if len(set(inp)) != len(inp) or len(set(out)) != len(out) or len(set(ker)) != len(ker):
        return None  # repeated letters: einsum traces or diagonals, not a dense projection
    if output_shape is UNK or isinstance(output_shape, str):
        return None  # a name may hold an int or a tuple
    if output_shape is None:
        raise _bad("needs an output_shape: an int or a tuple (None for a size taken from the "
                   "input)", "output_shape=None", "pass output_shape=(None, units), say")
    partial = list(output_shape) if isinstance(output_shape, (tuple, list)) else [output_shape]
    n = len(x)
    elided = n - len(inp)
    if where is None and elided != 0 or where is not None and elided < 0:
        raise ShapeError(
            "KS101", f"EinsumDense({equation!r}) expects a {len(inp)}D input"
                     f"{' or higher' if where else ''}, got {n}D {fmt(x)}",
            expected=f"{len(inp)}D", found=fmt(x),
            hint="write the equation with one letter per input axis, or use '...' for the rest")
    full = [x[0], *partial]
    if elided > 0 and where == "left":
        for i in range(1, elided):
            full.insert(1, x[i])  # Keras inserts each at position 1: the elided axes reverse
    elif elided > 0:
        full.extend(x[n - elided:])
    if where == "left":
        in_pos = {d: i + elided - n for i, d in enumerate(inp)}
        out_pos = {d: i + elided for i, d in enumerate(out)}
    else:
        in_pos = {d: i for i, d in enumerate(inp)}
        out_pos = {d: i for i, d in enumerate(out)}
    try:
        for d in inp:
            if d in out_pos and not _same_size(full[out_pos[d]], x[in_pos[d]]):
                raise _bad(f"({equation!r}): the input and the output share axis '{d}' but "
                           f"their sizes differ ({x[in_pos[d]]} in the input {fmt(x)}, "
                           f"{full[out_pos[d]]} in output_shape)", f"output_shape={output_shape}",
                           "give output_shape the input's size there, or None")
        for d in out:
            if d not in inp and d not in ker:
                raise _bad(f"({equation!r}): output axis '{d}' is in neither the input nor "
                           "the kernel", f"equation={equation!r}")
        kernel = []
        for d in ker:
            if d in out_pos:
                kernel.append(full[out_pos[d]])
            elif d in in_pos:
                kernel.append(x[in_pos[d]])
            else:
                raise _bad(f"({equation!r}): kernel axis '{d}' is in neither the input nor "
                           "the output", f"equation={equation!r}")
        bias = []
        if bias_axes is not None:
            skip = elided if where == "left" else 0
            sizes = {c: full[i + skip] for i, c in enumerate(out)}
            for c in bias_axes:
                if c not in out:
                    raise _bad(f"bias axis '{c}' is not in the output {out!r}",
                               f"bias_axes={bias_axes!r}")
            if not bias_axes:
                raise _bad("needs at least one bias axis (or bias_axes=None)", "bias_axes=''")
            bias = [sizes[c] for c in bias_axes]
    except IndexError:
        raise ShapeError("KS101", f"EinsumDense({equation!r}) cannot place its axes on the "
                                  f"{n}D input {fmt(x)} with output_shape={output_shape}",
                         found=fmt(x)) from None
    for what, sizes in (("kernel", kernel), ("bias", bias)):
        if any(s is None for s in sizes):
            raise ShapeError(
                "KS103", f"EinsumDense({equation!r}) builds a {what} on a size that is None "
                         f"(input {fmt(x)}, output_shape={output_shape})", found=fmt(x),
                hint="define that input axis, or give output_shape a size there")
        if any(is_int(s) and s < 0 for s in sizes):
            raise _bad(f"cannot build a {what} with a negative size (output_shape="
                       f"{output_shape})", f"output_shape={output_shape}")
    # Keras's symbolic output differs from what the einsum gives on data when output_shape
    # has too many or too few entries, or when several elided axes come back reversed:
    # kerasshape cannot tell which the model will see
    if len(full) != len(out) + max(elided, 0) or (
            where == "left" and elided > 2 and list(x[1:elided]) != list(x[1:elided])[::-1]):
        return None
    return tuple(full)
