"""Operations that join, split and repeat tensors: concatenate, stack, split, tile, repeat, pad."""

from __future__ import annotations

from ..shapes import UNK, Shape, ShapeError, fmt, is_int, prod
from . import Shapes, axis_of, bad, int_tuple, nonneg, op


# ------------------------------------------------------------- join, split

def _merged(xs: list, skip: int | None = None) -> tuple:
    """TensorFlow merges the tensors' shapes: a size known in any of them is the size."""
    out = list(xs[0])
    for s in xs[1:]:
        for i, d in enumerate(s):
            if i != skip and out[i] is None and d is not None:
                out[i] = d if is_int(d) else UNK
    return tuple(out)


def _concat(xs: list, axis, merge: bool = False) -> Shape | None:
    if not is_int(axis):
        return None
    if not xs:
        raise bad("needs at least one tensor, got an empty list")
    if merge and len(xs) == 1:
        return xs[0]      # TensorFlow returns a single tensor as it is, whatever the axis
    first = xs[0]
    ax = axis_of(axis, len(first))
    total = 0
    for s in xs:
        if len(s) != len(first) or any(
                i != ax and is_int(a) and is_int(b) and a != b for i, (a, b) in enumerate(zip(s, first))):
            raise ShapeError(
                "KS301", f"with axis={axis}, every other axis needs equal sizes, got "
                f"{', '.join(fmt(t) for t in xs)}", found=", ".join(fmt(t) for t in xs),
                hint="concatenate along the axis whose sizes differ, or reshape first")
        d = s[ax]
        total = None if total is None or d is None else (
            total + d if is_int(total) and is_int(d) else UNK)
    # Keras keeps the first tensor's other sizes, even a None where a later one has a size.
    if merge:
        first = _merged(xs, ax)
    return (*first[:ax], total, *first[ax + 1:])


@op("keras.ops.concatenate")
def concatenate(xs: Shapes, axis=0) -> Shape | None:
    """[(..., a_i, ...)] -> (..., sum(a_i), ...); the other axes must match"""
    return _concat(xs, axis)


@op("keras.backend.concatenate")
def backend_concatenate(tensors: Shapes, axis=-1) -> Shape | None:
    """[(..., a_i)] -> (..., sum(a_i)) by default; the other axes must match"""
    return _concat(tensors, axis)


@op("tensorflow.concat")
def tf_concat(values: Shapes, axis, name="concat") -> Shape | None:
    """[(..., a_i, ...)] -> (..., sum(a_i), ...); the other axes must match"""
    return _concat(values, axis, merge=True)


def _stack(xs: list, axis, merge: bool = False) -> Shape | None:
    if not is_int(axis):
        return None
    if not xs:
        raise bad("needs at least one tensor, got an empty list")
    first = xs[0]
    ax = axis_of(axis, len(first) + 1)
    for s in xs:
        if len(s) != len(first) or any(is_int(a) and is_int(b) and a != b for a, b in zip(s, first)):
            raise ShapeError(
                "KS301", f"needs tensors of one shape, got {', '.join(fmt(t) for t in xs)}",
                found=", ".join(fmt(t) for t in xs))
    if merge:
        first = _merged(xs)
    return (*first[:ax], len(xs), *first[ax:])


@op("keras.ops.stack", "keras.backend.stack")
def stack(x: Shapes, axis=0) -> Shape | None:
    """[(*s)] * n -> (*s) with n inserted at axis"""
    return _stack(x, axis)


@op("tensorflow.stack")
def tf_stack(values: Shapes, axis=0, name="stack") -> Shape | None:
    """[(*s)] * n -> (*s) with n inserted at axis"""
    return _stack(values, axis, merge=True)


@op("keras.ops.split")
def split(x: Shape, indices_or_sections, axis=0) -> list | None:
    """(..., a, ...) -> n tensors (..., a/n, ...), or cut at the given indices"""
    if not is_int(axis) or not x:
        return None
    ax = axis_of(axis, len(x))
    size = x[ax]
    if is_int(indices_or_sections):
        n = indices_or_sections
        if n <= 0:
            return None
        if size is None or not is_int(size):
            return [(*x[:ax], None if size is None else UNK, *x[ax + 1:])] * n
        if size % n:
            raise bad(f"axis {axis} of {fmt(x)} has {size} entries, which do not split into {n} "
                      "equal parts", found=fmt(x),
                      hint="pass the indices at which to cut instead")
        return [(*x[:ax], size // n, *x[ax + 1:])] * n
    cuts = int_tuple(indices_or_sections)
    if cuts is None or not is_int(size) and size is not None:
        return None
    bounds = [0, *cuts, size]
    out = []
    for start, end in zip(bounds, bounds[1:]):
        part = None if start is None or end is None else end - start
        out.append(nonneg((*x[:ax], part, *x[ax + 1:])))
    return out


@op("tensorflow.split")
def tf_split(value: Shape, num_or_size_splits, axis=0, num=None, name="split") -> list | None:
    """(..., a, ...) -> n tensors (..., a/n, ...), or pieces of the given sizes"""
    if not is_int(axis) or not value:
        return None
    ax = axis_of(axis, len(value))
    size = value[ax]
    if is_int(num_or_size_splits):
        n = num_or_size_splits
        if n <= 0:
            return None
        if is_int(size) and size % n:
            raise bad(f"axis {axis} of {fmt(value)} has {size} entries, which do not split into "
                      f"{n} equal parts", found=fmt(value))
        part = size // n if is_int(size) else (None if size is None else UNK)
        return [(*value[:ax], part, *value[ax + 1:])] * n
    sizes = int_tuple(num_or_size_splits)
    if sizes is None or sizes.count(-1) > 1:
        return None
    if any(s < -1 for s in sizes):
        raise bad(f"the sizes {list(sizes)} must be >= 0 (one may be -1)", found=fmt(value))
    if not is_int(size):
        return [(*value[:ax], UNK if s == -1 else s, *value[ax + 1:]) for s in sizes]
    if -1 in sizes:
        rest = sum(s for s in sizes if s != -1)
        if rest > size:
            raise bad(f"the sizes {list(sizes)} need more than the {size} entries of axis "
                      f"{axis} of {fmt(value)}", found=fmt(value))
        sizes = tuple(size - rest if s == -1 else s for s in sizes)
    if sum(sizes) != size:
        raise bad(f"the sizes {list(sizes)} add up to {sum(sizes)}, but axis {axis} of "
                  f"{fmt(value)} has {size}", found=fmt(value))
    return [(*value[:ax], s, *value[ax + 1:]) for s in sizes]


def _unstack(x: Shape, num, axis) -> list | None:
    if not x or not is_int(axis) or not (num is None or is_int(num)):
        return None
    ax = axis_of(axis, len(x))
    n = x[ax] if num is None else num
    if not is_int(n) or n < 0 or n > _MAX_PIECES:
        return None     # a None size: Keras and TensorFlow raise, kerasshape stays silent
    return [(*x[:ax], *x[ax + 1:])] * n


_MAX_PIECES = 1024


@op("keras.ops.unstack")
def unstack(x: Shape, num=None, axis=0) -> list | None:
    """(..., a, ...) -> a tensors (..., ...) without axis (num of them when given)"""
    return _unstack(x, num, axis)


@op("tensorflow.unstack:value")
def tf_unstack(x: Shape, num=None, axis=0, name="unstack") -> list | None:
    """(..., a, ...) -> a tensors (..., ...) without axis; num, when given, must be a"""
    if x and is_int(axis) and is_int(num) and -len(x) <= axis < len(x) and \
            is_int(x[axis]) and x[axis] != num:
        return None     # TensorFlow raises; left silent
    return _unstack(x, num, axis)


# ------------------------------------------------------------------ repeat

@op("keras.ops.tile")
def tile(x: Shape, repeats) -> Shape | None:
    """(*x) -> x times repeats, axis by axis, right-aligned"""
    reps = int_tuple(repeats)
    if reps is None:
        return None
    if len(x) > len(reps):
        reps = (1,) * (len(x) - len(reps)) + reps
    else:
        x = (1,) * (len(reps) - len(x)) + tuple(x)
    return nonneg(tuple(d * r if is_int(d) else (None if d is None else UNK)
                        for d, r in zip(x, reps)))


@op("tensorflow.tile:input", "keras.backend.tile:x")
def tf_tile(x: Shape, multiples, name=None) -> Shape | None:
    """(*x) -> x times multiples, one per axis"""
    reps = int_tuple(multiples)
    if reps is None:
        return None
    if len(reps) != len(x):
        raise bad(f"needs one multiple per axis of {fmt(x)}, got {list(reps)}",
                  found=fmt(x))
    return tile(x, reps)


@op("keras.ops.repeat")
def repeat(x: Shape, repeats, axis=None) -> Shape | None:
    """(..., a, ...) -> (..., a * repeats, ...); axis=None flattens first"""
    reps = int_tuple(repeats)
    if reps is None:
        return None
    if axis is None:
        if any(not is_int(d) for d in x):
            return (None,) if None in x else None
        size = prod(x)
        if len(reps) == 1:
            return (size * reps[0],)
        if len(reps) != size:
            raise bad(f"needs one count per element: {len(reps)} counts for "
                      f"{size} elements of {fmt(x)}", found=fmt(x))
        return (sum(reps),)
    if not is_int(axis):
        return None
    ax = axis_of(axis, len(x))
    d = x[ax]
    if not is_int(d):
        return tuple(x) if d is None else None
    if len(reps) == 1:
        new = d * reps[0]
    elif len(reps) != d:
        raise bad(f"needs one count per entry of axis {axis}: {len(reps)} counts "
                  f"for size {d}", found=fmt(x))
    else:
        new = sum(reps)
    return nonneg((*x[:ax], new, *x[ax + 1:]))


@op("tensorflow.repeat:input")
def tf_repeat(x: Shape, repeats, axis=None, name=None) -> Shape | None:
    """(..., a, ...) -> (..., a * repeats, ...); axis=None flattens first"""
    out = repeat(x, repeats, axis)
    return out and tuple(UNK if d is None else d for d in out)


@op("keras.backend.repeat_elements")
def repeat_elements(x: Shape, rep, axis) -> Shape | None:
    """(..., a, ...) -> (..., a * rep, ...)"""
    return repeat(x, rep, axis)


def _pad(x: Shape, widths, per_axis_only: bool) -> Shape | None:
    pairs = widths
    if is_int(pairs):
        pairs = ((pairs, pairs),)
    if not isinstance(pairs, tuple) or not all(
            isinstance(p, tuple) and len(p) == 2 and all(is_int(v) for v in p) for p in pairs):
        return None
    if len(pairs) == 1 and len(x) != 1 and not per_axis_only:
        pairs = pairs * len(x)
    if len(pairs) != len(x):
        raise bad(f"needs one (before, after) pair per axis of {fmt(x)}, got {len(pairs)}",
                  found=fmt(x), hint="give a pair for every axis, (0, 0) where nothing is added")
    return nonneg(tuple(None if d is None else (d + a + b if is_int(d) else UNK)
                        for d, (a, b) in zip(x, pairs)))


@op("keras.ops.pad")
def pad(x: Shape, pad_width, mode="constant", constant_values=None) -> Shape | None:
    """(..., a, ...) -> (..., before + a + after, ...); one pair stands for every axis"""
    return _pad(x, pad_width, per_axis_only=False)


@op("tensorflow.pad")
def tf_pad(tensor: Shape, paddings, mode="CONSTANT", constant_values=0, name=None) -> Shape | None:
    """(..., a, ...) -> (..., before + a + after, ...); one pair per axis"""
    return _pad(tensor, paddings, per_axis_only=True)
