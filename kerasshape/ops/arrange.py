"""Operations that rearrange axes: reshape, expand and squeeze, transpose, moveaxis, one_hot."""

from __future__ import annotations

from ..shapes import UNK, Shape, ShapeError, fmt, is_int, prod
from . import Dims, MaybeShape, axis_of, bad, broadcast, int_tuple, op


# ------------------------------------------------------------------ reshape

@op("keras.ops.reshape")
def reshape(x: MaybeShape, newshape: Dims) -> Shape | None:
    """(*x) -> newshape; one -1 takes what is left, the sizes must hold the same elements
    (an input of unknown shape still gives the target, its -1 unknown)"""
    target = newshape if isinstance(newshape, tuple) else None
    if is_int(newshape):
        target = (newshape,)
    if target is None:
        return None
    if any(is_int(d) and d < -1 for d in target) or target.count(-1) > 1:
        raise bad(f"the target {fmt(target)} needs sizes >= 0 and at most one -1",
                  found=fmt(target), hint="let at most one axis be inferred with -1")
    if x is None:
        return tuple(UNK if d == -1 else d for d in target)
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
def tf_reshape(tensor: MaybeShape, shape: Dims, name=None) -> Shape | None:
    """(*x) -> shape; one -1 takes what is left"""
    return reshape(tensor, shape)


@op("keras.backend.reshape")
def backend_reshape(x: MaybeShape, shape: Dims) -> Shape | None:
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


def _scaled(d, factor: int, divide: bool):
    if not is_int(d):
        return d if d is None else UNK
    return d // factor if divide else d * factor


@op("tensorflow.depth_to_space:input")
def depth_to_space(x: Shape, block_size, data_format="NHWC", name=None) -> Shape | None:
    """(batch, h, w, c) -> (batch, h * b, w * b, c / b**2)"""
    if data_format != "NHWC" or not is_int(block_size) or block_size < 2 or len(x) != 4:
        return None
    b2 = block_size * block_size
    if is_int(x[3]) and x[3] % b2:
        raise bad(f"depth_to_space(block_size={block_size}) needs channels divisible by {b2}, "
                  f"got {fmt(x)}", found=fmt(x))
    return (x[0], _scaled(x[1], block_size, False), _scaled(x[2], block_size, False),
            _scaled(x[3], b2, True))


@op("tensorflow.space_to_depth:input")
def space_to_depth(x: Shape, block_size, data_format="NHWC", name=None) -> Shape | None:
    """(batch, h, w, c) -> (batch, h / b, w / b, c * b**2)"""
    if data_format != "NHWC" or not is_int(block_size) or block_size < 2 or len(x) != 4:
        return None
    for d in x[1:3]:
        if is_int(d) and d % block_size:
            raise bad(f"space_to_depth(block_size={block_size}) needs a height and width "
                      f"divisible by {block_size}, got {fmt(x)}", found=fmt(x))
    return (x[0], _scaled(x[1], block_size, True), _scaled(x[2], block_size, True),
            _scaled(x[3], block_size * block_size, False))


@op("keras.ops.moveaxis")
def moveaxis(x: Shape, source, destination) -> Shape | None:
    """(*x) -> x with the source axes moved to the destinations, the others in order"""
    src, dst = int_tuple(source), int_tuple(destination)
    if src is None or dst is None or len(src) != len(dst):
        return None
    src = [axis_of(a, len(x), "source") for a in src]
    dst = [axis_of(a, len(x), "destination") for a in dst]
    if len(set(src)) != len(src) or len(set(dst)) != len(dst):
        return None
    rest = iter(d for i, d in enumerate(x) if i not in src)
    placed = dict(zip(dst, (x[a] for a in src)))
    return tuple(placed[i] if i in placed else next(rest) for i in range(len(x)))


@op("keras.ops.broadcast_to", "tensorflow.broadcast_to:x")
def broadcast_to(x: Shape, shape: Dims, name=None) -> Shape | None:
    """(*x) -> shape; x must broadcast to it"""
    target = (shape,) if is_int(shape) else shape
    if not isinstance(target, tuple):
        return None
    broadcast(x, target)
    return target


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


@op("keras.ops.roll", "tensorflow.roll:input")
def roll(x: Shape, shift, axis=None, name=None) -> Shape:
    """(*x), shift -> the same shape, its items rolled along axis (the flattened tensor
    when axis is None)"""
    return x
