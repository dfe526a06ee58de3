"""``x[key]`` on a tensor: ints, slices, None (a new axis of 1) and ``...``."""

from __future__ import annotations

from ..shapes import UNK, Shape, fmt, is_int
from . import axis_of, bad, op


# ---------------------------------------------------------------- indexing

def _slice_length(d, part: slice):
    if d is None:
        return None                    # Keras keeps an undefined size undefined
    if part.start is None and part.stop is None and part.step in (None, 1):
        return d
    bounds = (part.start, part.stop, part.step)
    if not is_int(d) or not all(b is None or is_int(b) for b in bounds):
        return UNK
    if part.step == 0:
        raise bad("slice step cannot be zero")
    return len(range(*part.indices(d)))


def getitem_shape(x: Shape, key) -> Shape | None:
    """``x[key]``: ints drop an axis, slices keep it (shortened), None adds an axis of 1,
    ``...`` stands for the axes not named. ``key`` is one part or a tuple of parts; a part
    kerasshape does not know (a tensor, a list) makes the output unknown."""
    parts = list(key) if isinstance(key, tuple) else [key]
    for p in parts:
        if p is UNK or isinstance(p, (bool, list)) or not (
                p is None or p is Ellipsis or is_int(p) or isinstance(p, slice)):
            return None
    if parts.count(Ellipsis) > 1:
        raise bad("an index can hold only one `...`")
    if Ellipsis not in parts:
        parts.append(Ellipsis)
    used = sum(1 for p in parts if p is not None and p is not Ellipsis)
    if used > len(x):
        raise bad(f"{used} indices for a {len(x)}D tensor {fmt(x)}",
                  expected=f"at most {len(x)} indices", found=f"{used} indices")
    out, i = [], 0
    for p in parts:
        if p is Ellipsis:
            n = len(x) - used
            out += x[i:i + n]
            i += n
        elif p is None:
            out.append(1)
        elif isinstance(p, slice):
            out.append(_slice_length(x[i], p))
            i += 1
        else:
            d = x[i]
            if is_int(d) and not -d <= p < d:
                raise bad(f"index {p} is out of range for axis {i} of {fmt(x)} (size {d})",
                          expected=f"an index in [{-d}, {d})", found=f"index {p}")
            i += 1
    return tuple(out)


# ---------------------------------------------------------------- selecting

@op("keras.ops.take")
def take(x: Shape, indices: Shape, axis=None) -> Shape | None:
    """(..., a, ...), (*i) -> (..., *i, ...) at axis; axis=None takes from the flattened x: (*i)"""
    if axis is None:
        return indices
    ax = axis_of(axis, len(x))
    return (*x[:ax], *indices, *x[ax + 1:])


@op("tensorflow.gather:params")
def gather(params: Shape, indices: Shape, validate_indices=None, axis=None, batch_dims=0,
           name=None) -> Shape | None:
    """(..., a, ...), (*i) -> (..., *i, ...) at axis (default 0)"""
    if batch_dims != 0:
        return None
    return take(params, indices, 0 if axis is None else axis)


@op("tensorflow.gather_nd:params")
def gather_nd(params: Shape, indices: Shape, batch_dims=0, name=None) -> Shape | None:
    """(*p), (..., k) -> (..., *p[batch_dims + k:]): each index row picks a slice of params"""
    if not indices or not is_int(indices[-1]) or not is_int(batch_dims) or batch_dims < 0:
        return None
    start = batch_dims + indices[-1]
    if start > len(params) or batch_dims >= len(indices):
        return None     # TensorFlow raises; left silent
    return (*indices[:-1], *params[start:])


@op("keras.ops.top_k", returns="shapes")
def top_k(x: Shape, k, sorted=True) -> list | None:
    """(..., n) -> [(..., k) values, (..., k) indices]"""
    if not x or not is_int(k):
        return None
    return [(*x[:-1], k)] * 2


@op("tensorflow.top_k:input", returns="shapes")
def tf_top_k(x: Shape, k=1, sorted=True, index_type=None, name=None) -> list | None:
    """(..., n) -> [(..., k) values, (..., k) indices]; n must be at least k"""
    if x and is_int(x[-1]) and is_int(k) and x[-1] < k:
        raise bad(f"top_k needs at least k={k} entries on the last axis, got {fmt(x)}",
                  found=fmt(x))
    return top_k(x, k)
