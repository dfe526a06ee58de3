"""Layers that rearrange axes: Flatten, Reshape, RepeatVector."""

from __future__ import annotations

from ..shapes import UNK, Shape, ShapeError, exact_div, fmt, is_int, prod
from . import Size, Sizes, positive, signature


@signature("Flatten", min_ndim=1)
def flatten(x: Shape) -> Shape:
    """(batch, *rest) -> (batch, product of rest), None if any is None; (batch,) -> (batch, 1)"""
    return (x[0], prod(x[1:]))


@signature("Reshape", positional="target_shape")
def reshape(x: Shape, target_shape: Sizes) -> Shape:
    """(batch, *rest) -> (batch, *target_shape); one -1 takes what is left"""
    if is_int(target_shape):
        raise ShapeError("KS203", f"Reshape needs a tuple for target_shape, got {target_shape}",
                         hint=f"write Reshape(({target_shape},))")
    if not isinstance(target_shape, (tuple, list)):
        return None
    # a named size stays (Reshape((k, k)) in a function of k); anything else is unknown
    target = tuple(d if (is_int(d) or d is None or isinstance(d, str)) else UNK
                   for d in target_shape)
    if any(is_int(d) and d < -1 for d in target) or target.count(-1) > 1:
        raise ShapeError("KS203", f"Reshape target_shape={fmt(target)} needs sizes >= 0 "
                         "and at most one -1", hint="let at most one axis be inferred with -1")
    # Keras checks nothing, and leaves -1 as None, once either side has a None.
    size = prod(x[1:])
    if size is None or None in target:
        return (x[0], *(None if d == -1 else d for d in target))
    if -1 in target:
        rest = prod(d for d in target if d != -1)
        if is_int(size) and is_int(rest):
            if rest == 0 or size % rest:
                raise ShapeError(
                    "KS201",
                    f"Reshape cannot turn {fmt(x)} into target_shape={fmt(target)}: "
                    f"{size} elements do not divide into parts of {rest}",
                    expected=f"a multiple of {rest} elements", found=f"{size} elements")
            fill = size // rest
        else:
            fill = exact_div(size, rest)  # 8 * h * w into parts of 8: h * w
        return (x[0], *(fill if d == -1 else d for d in target))
    want = prod(target)
    if is_int(size) and is_int(want) and want != size:
        raise ShapeError(
            "KS201",
            f"Reshape cannot turn {fmt(x)} into target_shape={fmt(target)}: "
            f"{size} elements vs {want}",
            expected=f"{want} elements", found=f"{size} elements")
    return (x[0], *target)


@signature("RepeatVector", ndim=2, positional="n")
def repeat_vector(x: Shape, n: Size) -> Shape:
    """(batch, features) -> (batch, n, features)"""
    positive("RepeatVector", "n", n)
    return (x[0], n, x[1])
