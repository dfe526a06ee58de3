"""Merge layers, which take a list of tensors, and their lowercase functions."""

from __future__ import annotations

from ..shapes import UNK, Shape, ShapeError, add, fmt, is_int
from . import signature


def _fmt_all(shapes) -> str:
    return ", ".join(fmt(s) for s in shapes)


@signature("Concatenate", many=True, positional="axis", function="concatenate")
def concatenate(xs: list, axis: int = -1) -> Shape:
    """[(batch, ..., a_i, ...)] -> (batch, ..., sum(a_i), ...), other axes equal (xs[0]'s)"""
    if not is_int(axis):
        return None
    if not xs:
        raise ShapeError("KS301", "Concatenate needs at least one input, got an empty list")
    ranks = {len(s) for s in xs}
    if len(ranks) != 1:
        raise ShapeError("KS301", f"Concatenate needs inputs of the same rank, got {_fmt_all(xs)}",
                         found=_fmt_all(xs))
    (rank,) = ranks
    if axis < -rank or (axis >= rank and len(xs) > 1):
        raise ShapeError("KS203", f"Concatenate axis={axis} is out of range for {rank}D inputs "
                         f"{_fmt_all(xs)}", found=_fmt_all(xs))
    if axis >= rank:  # Keras never reads a too-large axis of a single input
        return xs[0]
    ax = axis % rank
    for i in range(rank):  # the batch axis too; a None matches anything
        if i != ax and len({s[i] for s in xs if is_int(s[i])}) > 1:
            raise ShapeError(
                "KS301",
                f"Concatenate(axis={axis}) needs equal sizes on every other axis, "
                f"got {_fmt_all(xs)} (axis {i} differs)",
                found=_fmt_all(xs),
                hint="concatenate along the axis whose sizes differ, or reshape first")
    total = xs[0][ax]
    for s in xs[1:]:
        total = add(total, s[ax])
    # Keras keeps the first input's other sizes, even a None where a later input has a size.
    return (*xs[0][:ax], total, *xs[0][ax + 1:])


def _broadcast(a: Shape, b: Shape, name: str, xs) -> Shape:
    if len(a) < len(b):
        a, b = b, a
    if not b:
        return a
    out = list(a[: len(a) - len(b)])
    for i, j in zip(a[len(a) - len(b):], b):
        if i is None or j is None:
            out.append(None)
        elif i == 1:
            out.append(j)
        elif j == 1:
            out.append(i)
        elif is_int(i) and is_int(j):
            if i != j:
                raise ShapeError(
                    "KS301",
                    f"{name} needs shapes that broadcast, got {_fmt_all(xs)}",
                    found=_fmt_all(xs),
                    hint="make the last axes equal (or 1), e.g. with a Dense of the same units")
            out.append(i)
        elif i == j:
            out.append(i)
        else:
            out.append(UNK)
    return tuple(out)


def _elementwise(name: str, exactly: int | None = None):
    def merge(xs: list) -> Shape:
        if exactly is not None and len(xs) != exactly:
            raise ShapeError("KS301", f"{name} takes exactly {exactly} inputs, got {len(xs)}")
        if not xs:
            raise ShapeError("KS301", f"{name} needs at least one input, got an empty list")
        batch = {s[0] for s in xs if s and is_int(s[0])}
        if len(batch) > 1:  # the batch axis does not broadcast, not even from 1
            raise ShapeError("KS301", f"{name} needs equal batch sizes, got {_fmt_all(xs)}",
                             found=_fmt_all(xs))
        out = xs[0][1:]
        for s in xs[1:]:
            out = _broadcast(out, s[1:], name, xs)
        return ((batch.pop() if batch else None), *out)

    merge.__doc__ = "[(batch, *a), (batch, *b)] -> (batch, *broadcast(a, b)), a and b right-aligned"
    merge.__name__ = name.lower()
    return merge


for _name, _exactly in (("Add", None), ("Subtract", 2), ("Multiply", None), ("Average", None),
                        ("Maximum", None), ("Minimum", None)):
    signature(_name, many=True, function=_name.lower())(_elementwise(_name, _exactly))
