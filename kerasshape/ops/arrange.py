"""Operations that rearrange axes: reshape, join and split, expand and squeeze, transpose, tile."""

from __future__ import annotations

from ..shapes import UNK, Shape, ShapeError, fmt, is_int, prod
from . import Dims, Shapes, axis_of, bad, int_tuple, nonneg, op


# ------------------------------------------------------------------ reshape

@op("keras.ops.reshape")
def reshape(x: Shape, newshape: Dims) -> Shape | None:
    """(*x) -> newshape; one -1 takes what is left, the sizes must hold the same elements"""
    target = newshape if isinstance(newshape, tuple) else None
    if is_int(newshape):
        target = (newshape,)
    if target is None:
        return None
    if any(is_int(d) and d < -1 for d in target) or target.count(-1) > 1:
        raise bad(f"the target {fmt(target)} needs sizes >= 0 and at most one -1",
                  found=fmt(target), hint="let at most one axis be inferred with -1")
    # Keras infers nothing, and checks nothing, once either side has a None.
    if None in x or None in target:
        return tuple(None if d == -1 else d for d in target)
    if not all(is_int(d) for d in (*x, *target)):
        if -1 in target:
            return tuple(UNK if d == -1 else d for d in target)
        return target
    size, rest = prod(x), prod(d for d in target if d != -1)
    if -1 in target:
        if rest == 0 or size % rest:
            raise ShapeError(
                "KS201", f"cannot reshape {fmt(x)} into {fmt(target)}: "
                f"{size} elements do not divide into parts of {rest}",
                expected=f"a multiple of {rest} elements", found=f"{size} elements")
        return tuple(size // rest if d == -1 else d for d in target)
    if size != rest:
        raise ShapeError(
            "KS201", f"cannot reshape {fmt(x)} into {fmt(target)}: {size} elements vs {rest}",
            expected=f"{rest} elements", found=f"{size} elements",
            hint="the batch axis counts too: keep it with -1 or x.shape[0]")
    return target


@op("tensorflow.reshape")
def tf_reshape(tensor: Shape, shape: Dims, name=None) -> Shape | None:
    """(*x) -> shape; one -1 takes what is left"""
    return reshape(tensor, shape)


@op("keras.backend.reshape")
def backend_reshape(x: Shape, shape: Dims) -> Shape | None:
    """(*x) -> shape; one -1 takes what is left"""
    return reshape(x, shape)


@op("keras.ops.ravel", "keras.backend.flatten")
def ravel(x: Shape) -> Shape:
    """(*x) -> (product of x,), None if any is None"""
    return (prod(x),)


@op("keras.backend.batch_flatten")
def batch_flatten(x: Shape) -> Shape:
    """(batch, *rest) -> (batch, product of rest)"""
    # tf.keras reshapes to a stacked tensor: TensorFlow may leave the size undefined
    return (x[0], UNK) if x else None


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


# ------------------------------------------------------------- rearranging

@op("keras.ops.expand_dims", "tensorflow.expand_dims:input")
def expand_dims(x: Shape, axis, name=None) -> Shape | None:
    """(*x) -> x with a 1 inserted at each axis"""
    axes = int_tuple(axis)
    if axes is None:
        return None
    rank = len(x) + len(axes)
    axes = [axis_of(a, rank) for a in axes]
    if len(set(axes)) != len(axes):
        return None
    rest = iter(x)
    return tuple(1 if i in axes else next(rest, UNK) for i in range(rank))


@op("keras.backend.expand_dims")
def backend_expand_dims(x: Shape, axis=-1) -> Shape | None:
    """(*x) -> x with a 1 inserted at axis (default: last)"""
    return expand_dims(x, axis)


def _squeeze(x: Shape, axis) -> Shape | None:
    if axis is None:
        if any(not is_int(d) for d in x):
            return None       # a None or unknown size might be 1
        return tuple(d for d in x if d != 1)
    axes = int_tuple(axis)
    if axes is None:
        return None
    axes = [axis_of(a, len(x)) for a in axes]
    for a in axes:
        if is_int(x[a]) and x[a] != 1:
            raise bad(f"cannot remove axis {a} of {fmt(x)}: its size is {x[a]}, not 1",
                      found=fmt(x), hint="squeeze only axes of size 1, or reshape")
        if not is_int(x[a]):
            return None       # Keras raises for a None axis, TensorFlow checks when it runs
    return tuple(d for i, d in enumerate(x) if i not in axes)


@op("keras.ops.squeeze")
def squeeze(x: Shape, axis=None) -> Shape | None:
    """(*x) -> x without the given axes of size 1 (all of them by default)"""
    return _squeeze(x, axis)


@op("tensorflow.squeeze:input")
def tf_squeeze(x: Shape, axis=None, name=None) -> Shape | None:
    """(*x) -> x without the given axes of size 1 (all of them by default)"""
    return _squeeze(x, axis)


@op("keras.backend.squeeze")
def backend_squeeze(x: Shape, axis) -> Shape | None:
    """(*x) -> x without axis, which must have size 1"""
    return _squeeze(x, axis)


@op("keras.ops.transpose")
def transpose(x: Shape, axes=None) -> Shape | None:
    """(*x) -> x's axes in the order of axes (reversed by default)"""
    if axes is None:
        return tuple(reversed(x))
    axes = int_tuple(axes)
    if axes is None:
        return None
    rank = len(x)
    if len(axes) != rank or any(not -rank <= a < rank for a in axes) or \
            len({a % rank for a in axes}) != rank:
        raise bad(f"axes {list(axes)} are not a permutation of the {rank} axes of "
                  f"{fmt(x)}", found=fmt(x), hint=f"list each of 0..{rank - 1} once")
    return tuple(x[a % rank] for a in axes)


@op("tensorflow.transpose")
def tf_transpose(a: Shape, perm=None, conjugate=False, name="transpose") -> Shape | None:
    """(*x) -> x's axes in the order of perm (reversed by default)"""
    return transpose(a, perm)


@op("keras.backend.permute_dimensions")
def permute_dimensions(x: Shape, pattern) -> Shape | None:
    """(*x) -> x's axes in the order of pattern"""
    return transpose(x, pattern)


@op("keras.ops.swapaxes")
def swapaxes(x: Shape, axis1, axis2) -> Shape | None:
    """(*x) -> x with two axes exchanged"""
    a, b = axis_of(axis1, len(x), "axis1"), axis_of(axis2, len(x), "axis2")
    out = list(x)
    out[a], out[b] = out[b], out[a]
    return tuple(out)


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


@op("keras.ops.one_hot", "keras.ops.nn.one_hot")
def one_hot(x: Shape, num_classes, axis=-1, dtype=None, sparse=False) -> Shape | None:
    """(*x) -> x with num_classes inserted at axis (default: last)"""
    if not is_int(axis) or not is_int(num_classes):
        return None
    if axis == -1:
        return (*x, num_classes)
    if not 0 <= axis < len(x):
        raise bad(f"axis={axis} must be -1 or in [0, {len(x)}) for {fmt(x)}",
                  found=fmt(x))
    return (*x[:axis], num_classes, *x[axis:])


@op("tensorflow.one_hot:indices")
def tf_one_hot(x: Shape, depth, on_value=None, off_value=None, axis=None, dtype=None,
               name=None) -> Shape | None:
    """(*x) -> x with depth inserted at axis (default: last)"""
    if axis is None or axis == -1:
        return (*x, depth) if is_int(depth) else None
    if not is_int(axis) or not is_int(depth) or not 0 <= axis <= len(x):
        return None
    return (*x[:axis], depth, *x[axis:])


@op("keras.backend.one_hot")
def backend_one_hot(indices: Shape, num_classes) -> Shape | None:
    """(*x) -> (*x, num_classes)"""
    return (*indices, num_classes) if is_int(num_classes) else None
