"""Operations that make a tensor from sizes, and the sizes of a tensor."""

from __future__ import annotations

from ..shapes import UNK, Shape, is_int
from . import Dims, op


# ---------------------------------------------------------------- creation

@op("keras.ops.zeros", "keras.ops.ones", "keras.ops.empty", "tensorflow.zeros",
    "tensorflow.ones", "keras.backend.zeros", "keras.backend.ones")
def zeros(shape: Dims, dtype=None, name=None) -> Shape | None:
    """shape -> a tensor of that shape"""
    dims = (shape,) if is_int(shape) else shape
    if not isinstance(dims, tuple) or any(is_int(d) and d < 0 for d in dims):
        return None
    return dims


@op("keras.random.normal", "keras.random.uniform", "keras.random.truncated_normal",
    "tensorflow.random.normal", "tensorflow.random.uniform", "tensorflow.random.truncated_normal",
    "tensorflow.random.stateless_normal", "tensorflow.random.stateless_uniform",
    "keras.backend.random_normal", "keras.backend.random_uniform")
def random_tensor(shape: Dims, *args, **kwargs) -> Shape | None:
    """shape -> a random tensor of that shape (``keras.random.normal((batch, dim))``)"""
    return zeros(shape)


def _length(start, stop, step) -> object:
    if not all(is_int(v) for v in (start, stop, step)) or step == 0:
        return UNK
    return max(0, -(-(stop - start) // step))


@op("keras.ops.arange", "tensorflow.range:start")
def arange(start, stop=None, step=1, dtype=None, name=None) -> Shape:
    """start, stop, step -> (n,): ``ops.arange(0, maxlen)``"""
    if stop is None:
        start, stop = 0, start
    return (_length(start, stop, step),)


@op("keras.ops.full", "tensorflow.fill:dims")
def full(shape: Dims, fill_value=None, dtype=None, name=None) -> Shape | None:
    """shape -> a tensor of that shape"""
    return zeros(shape)


# -------------------------------------------------------------- shape of

@op("keras.ops.shape", "tensorflow.shape:input", "keras.backend.shape:x",
    "keras.backend.int_shape:x", returns="dims")
def shape(x: Shape, out_type=None, name=None) -> Shape:
    """(*x) -> the sizes as a tuple; a None size is a value known only at run time"""
    return tuple(x)
