"""Merge layers, which take a list of tensors, and their lowercase functions."""

from __future__ import annotations

from ..shapes import UNK, Shape, ShapeError, add, fmt, is_int
from . import signature


def _fmt_all(shapes) -> str:
    return ", ".join(fmt(s) for s in shapes)


@signature("Concatenate", many=True, positional="axis", function="concatenate")
def concatenate(xs: list, axis: int = -1) -> Shape:
    """[(batch, ..., a_i, ...)] -> (batch, ..., sum(a_i), ...): all other axes equal"""
    if not is_int(axis):
        return None
    ranks = {len(s) for s in xs}
    if len(ranks) != 1:
        raise ShapeError("KS301", f"Concatenate needs inputs of the same rank, got {_fmt_all(xs)}",
                         found=_fmt_all(xs))
    (rank,) = ranks
    if not -rank <= axis < rank:
        raise ShapeError("KS301", f"Concatenate axis={axis} is out of range for {rank}D inputs")
    ax = axis % rank
    out = list(xs[0])
    for i in range(rank):
        if i == ax:
            total = xs[0][i]
            for s in xs[1:]:
                total = add(total, s[i])
            out[i] = total
            continue
        sizes = {s[i] for s in xs if is_int(s[i])}
        if len(sizes) > 1:
            raise ShapeError(
                "KS301",
                f"Concatenate(axis={axis}) needs equal sizes on every other axis, "
                f"got {_fmt_all(xs)} (axis {i} differs)",
                found=_fmt_all(xs),
                hint="concatenate along the axis whose sizes differ, or reshape first")
        known = [s[i] for s in xs if s[i] is not None]
        if sizes:
            out[i] = sizes.pop()
        elif known and all(k == known[0] for k in known):
            out[i] = known[0]
        elif known:
            out[i] = UNK
        else:
            out[i] = None
    return tuple(out)


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
        out = xs[0][1:]
        for s in xs[1:]:
            out = _broadcast(out, s[1:], name, xs)
        batch = {s[0] for s in xs if is_int(s[0])}
        return ((batch.pop() if len(batch) == 1 else None), *out)

    merge.__doc__ = "[(batch, *a), (batch, *b)] -> (batch, *broadcast(a, b))"
    merge.__name__ = name.lower()
    return merge


for _name, _exactly in (("Add", None), ("Subtract", 2), ("Multiply", None), ("Average", None),
                        ("Maximum", None), ("Minimum", None)):
    signature(_name, many=True, function=_name.lower())(_elementwise(_name, _exactly))
