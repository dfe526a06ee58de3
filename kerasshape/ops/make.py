"""Operations that make a tensor from sizes, and the sizes of a tensor."""

from __future__ import annotations

from ..shapes import UNK, Shape, ShapeError, conv_length, fmt, is_int, mul
from . import Dims, axis_of, broadcast, int_tuple, op


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


@op("keras.ops.arange")
def arange(start, stop=None, step=1, dtype=None) -> Shape:
    """start, stop, step -> (n,): ``ops.arange(0, maxlen)``"""
    if stop is None:
        start, stop = 0, start
    return (_length(start, stop, step),)


_NO_LIMIT = object()


@op("tensorflow.range")
def tf_range(start, limit=_NO_LIMIT, delta=1, dtype=None, name="range") -> Shape:
    """start, limit, delta -> (n,): ``tf.range(start=0, limit=maxlen, delta=1)``; a bound
    known only at run time (``tf.shape(x)[0]``, None) gives (None,), as TensorFlow traces it"""
    given = (start, delta) if limit is _NO_LIMIT else (start, limit, delta)
    if any(v is None for v in given):
        return (None,)
    return arange(start, None if limit is _NO_LIMIT else limit, delta)


@op("keras.ops.linspace")
def linspace(start: Shape, stop: Shape, num=50, endpoint=True, retstep=False, dtype=None,
             axis=0) -> Shape | None:
    """start, stop, num -> (num,) for scalars; num inserted at axis of broadcast(start, stop)"""
    if retstep is not False or not is_int(num) or not is_int(axis):
        return None
    out = list(broadcast(start, stop))
    out.insert(axis_of(axis, len(out) + 1), num)
    return tuple(out)


@op("keras.ops.logspace")
def logspace(start: Shape, stop: Shape, num=50, endpoint=True, base=10, dtype=None,
             axis=0) -> Shape | None:
    """start, stop, num -> (num,) for scalars; num inserted at axis of broadcast(start, stop)"""
    return linspace(start, stop, num, axis=axis)


@op("tensorflow.linspace:start")
def tf_linspace(start: Shape, stop: Shape, num, name=None, axis=0) -> Shape | None:
    """start, stop, num -> (num,) for scalars; num inserted at axis of broadcast(start, stop)"""
    return linspace(start, stop, num, axis=axis)


@op("tensorflow.Variable:initial_value")
def variable(initial_value: Shape, *args, **kwargs) -> Shape:
    """initial_value -> a variable of the same shape"""
    return initial_value


@op("keras.ops.image.extract_patches")
def extract_patches(images: Shape, size, strides=None, dilation_rate=1, padding="valid",
                    data_format=None) -> Shape | None:
    """(batch, h, w, c) -> (batch, h', w', size * size * c): one patch per window"""
    size = (size, size) if is_int(size) else size
    if not isinstance(size, tuple) or len(size) != 2 or len(images) not in (3, 4) or \
            data_format not in (None, "channels_last") or padding not in ("valid", "same"):
        return None     # 3D patches and channels_first are left unknown
    strides = size if strides is None else ((strides, strides) if is_int(strides) else strides)
    dilation = (dilation_rate, dilation_rate) if is_int(dilation_rate) else dilation_rate
    if not isinstance(strides, tuple) or not isinstance(dilation, tuple) or \
            not all(is_int(v) and v > 0 for v in (*size, *strides, *dilation)):
        return None
    h, w, c = images[-3:]
    out_h = conv_length(h, size[0], padding, strides[0], dilation[0])
    out_w = conv_length(w, size[1], padding, strides[1], dilation[1])
    if any(is_int(d) and d <= 0 for d in (out_h, out_w)):
        raise ShapeError("KS202", f"extract_patches with size={size} leaves no patch of "
                         f"{fmt(images)}: computed output size would be zero or negative",
                         found=fmt(images), hint="use smaller patches, or padding='same'")
    return (*images[:-3], out_h, out_w, mul(mul(c, size[0]), size[1]))


@op("tensorflow.image.extract_patches")
def tf_extract_patches(images: Shape, sizes, strides, rates, padding, name=None) -> Shape | None:
    """(batch, h, w, c) -> (batch, h', w', kh * kw * c); sizes/strides/rates are [1, a, b, 1]"""
    quads = [int_tuple(v) for v in (sizes, strides, rates)]
    if len(images) != 4 or not isinstance(padding, str) or \
            padding.upper() not in ("VALID", "SAME") or \
            any(q is None or len(q) != 4 or q[0] != 1 or q[3] != 1 for q in quads):
        return None     # TensorFlow raises on most of these; left silent
    (_, kh, kw, _), (_, sh, sw, _), (_, rh, rw, _) = quads
    if not all(v > 0 for v in (kh, kw, sh, sw, rh, rw)):
        return None
    h, w, c = images[1:]
    out_h = conv_length(h, kh, padding.lower(), sh, rh)
    out_w = conv_length(w, kw, padding.lower(), sw, rw)
    if any(is_int(d) and d <= 0 for d in (out_h, out_w)):
        return None
    if h is None or w is None:
        out_h = out_w = None    # TensorFlow infers neither when one is undefined
    return (images[0], out_h, out_w, mul(mul(c, kh), kw))


@op("keras.ops.eye")
def eye(N, M=None, k=0, dtype=None) -> Shape | None:
    """N, M -> (N, M) (M defaults to N): ones on a diagonal; another diagonal (k != 0)
    is left unknown (the TensorFlow backend returns another shape for it)"""
    if k != 0:
        return None
    rows, cols = N, N if M is None else M
    if not all(is_int(d) and d >= 0 or isinstance(d, str) for d in (rows, cols)):
        return None
    return (rows, cols)


@op("keras.ops.identity")
def identity(n, dtype=None) -> Shape | None:
    """n -> (n, n)"""
    return eye(n)


@op("tensorflow.eye")
def tf_eye(num_rows, num_columns=None, batch_shape: Dims = None, dtype=None,
           name=None) -> Shape | None:
    """rows, columns, batch_shape -> (*batch_shape, rows, columns)"""
    base = eye(num_rows, num_columns)
    if base is None:
        return None
    batch = () if batch_shape is None else batch_shape
    if not isinstance(batch, tuple) or not all(d is None or is_int(d) and d >= 0 for d in batch):
        return None
    # [tf.shape(x)[0], 1]: a size known at run time is None in the traced shape
    return (*batch, *base)


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
