"""Elementwise operations: shape-preserving, broadcasting, and the reductions."""

from __future__ import annotations

from ..shapes import Shape, is_int, prod
from . import Operand, axis_of, broadcast, op, reduce_shape


# --------------------------------------------------------- shape-preserving

UNARY = """abs absolute negative sign exp expm1 log log1p log2 log10 sqrt rsqrt square
    sin cos tan arcsin arccos arctan sinh cosh tanh arcsinh arccosh arctanh floor ceil round
    trunc reciprocal erf erfinv sigmoid relu relu6 elu selu gelu silu swish hard_swish hard_silu
    softplus softsign leaky_relu hard_sigmoid log_sigmoid softmax log_softmax celu
    squareplus sparse_plus sparsemax hard_tanh tanh_shrink soft_shrink hard_shrink threshold
    clip cast stop_gradient nan_to_num isnan isinf isfinite logical_not conj real imag
    zeros_like ones_like full_like copy convert_to_tensor normalize sort""".split()
TF_UNARY = """abs negative sign exp expm1 log log1p sqrt rsqrt square sin cos tan asin acos atan
    sinh cosh tanh asinh acosh atanh floor ceil round reciprocal erf sigmoid relu relu6 elu selu
    gelu silu swish softplus softsign leaky_relu log_sigmoid softmax log_softmax clip_by_value
    cast stop_gradient identity is_nan is_inf is_finite logical_not zeros_like ones_like
    l2_normalize dropout cumsum cumprod sort erfinv""".split()
BACKEND_UNARY = """abs exp log sqrt square sign round sin cos tanh sigmoid hard_sigmoid relu elu
    softmax softplus softsign clip cast stop_gradient l2_normalize zeros_like ones_like
    dropout cumsum cumprod""".split()

# jax.nn's activations (custom layers written for the JAX backend call them directly)
JAX_UNARY = """relu relu6 sigmoid softplus silu swish log_sigmoid elu celu selu gelu softmax
    log_softmax leaky_relu hard_tanh soft_sign""".split()


@op(*(f"keras.ops.{n}" for n in UNARY), *(f"tensorflow.{n}:x" for n in TF_UNARY),
    *(f"keras.backend.{n}" for n in BACKEND_UNARY), *(f"jax.nn.{n}" for n in JAX_UNARY),
    "keras.random.dropout:inputs", "keras.random.shuffle")
def unary(x: Shape, *args, **kwargs) -> Shape:
    """(*x) -> (*x): elementwise, the shape is kept"""
    return x


@op("keras.ops.cumsum", "keras.ops.cumprod")
def cumsum(x: Shape, axis=None, dtype=None) -> Shape | None:
    """(*x) -> (*x) along axis; axis=None runs over the flattened tensor: (product of x,)"""
    if axis is None:
        return (prod(x),)
    axis_of(axis, len(x))
    return x


# ------------------------------------------------------------- broadcasting

BINARY = """add subtract multiply divide true_divide floor_divide divide_no_nan maximum minimum
    power mod fmod equal not_equal greater greater_equal less less_equal logical_and logical_or
    logical_xor arctan2 hypot heaviside nextafter""".split()
TF_BINARY = """add subtract multiply divide truediv floordiv floormod divide_no_nan maximum
    minimum pow mod equal not_equal greater greater_equal less less_equal logical_and logical_or
    logical_xor atan2 squared_difference""".split()


@op(*(f"keras.ops.{n}" for n in BINARY), *(f"tensorflow.{n}:x" for n in TF_BINARY),
    *(f"keras.backend.{n}" for n in ("maximum", "minimum", "pow", "equal", "not_equal",
                                     "greater", "greater_equal", "less", "less_equal")))
def binary(x1: Operand, x2: Operand, *args, **kwargs) -> Shape:
    """(*a), (*b) -> broadcast(a, b), right-aligned; a 1 stretches, other sizes must match"""
    return broadcast(x1, x2)


@op("keras.ops.where", "tensorflow.where:condition")
def where(condition: Shape, x1: Shape = None, x2: Shape = None, **kwargs) -> Shape | None:
    """(*c), (*a), (*b) -> broadcast(c, a, b); with the condition alone, the indices (unknown)"""
    if x1 is None or x2 is None:
        return None
    return broadcast(condition, x1, x2)


# -------------------------------------------------------------- reductions

REDUCE = "sum mean max min prod std var any all amax amin logsumexp median".split()
TF_REDUCE = "sum mean max min prod std variance any all logsumexp euclidean_norm".split()


@op(*(f"keras.ops.{n}" for n in REDUCE), *(f"keras.backend.{n}" for n in REDUCE[:7] + ["any", "all"]),
    "keras.backend.var")
def reduce(x: Shape, axis=None, keepdims=False, **kwargs) -> Shape | None:
    """(*x) -> x without the reduced axes (1 with keepdims); axis=None reduces all"""
    return reduce_shape(x, axis, keepdims)


@op(*(f"tensorflow.reduce_{n}:input_tensor" for n in TF_REDUCE))
def tf_reduce(x: Shape, axis=None, keepdims=False, name=None) -> Shape | None:
    """(*x) -> x without the reduced axes (1 with keepdims); axis=None reduces all"""
    return reduce_shape(x, axis, keepdims)


@op("keras.ops.argmax", "keras.ops.argmin")
def argmax(x: Shape, axis=None, keepdims=False) -> Shape | None:
    """(*x) -> x without `axis`; axis=None indexes the flattened tensor: ()"""
    return reduce_shape(x, axis, keepdims)


@op("keras.backend.argmax", "keras.backend.argmin")
def backend_argmax(x: Shape, axis=-1) -> Shape | None:
    """(*x) -> x without `axis` (default: the last)"""
    return reduce_shape(x, axis, False)


@op("tensorflow.argmax:input", "tensorflow.argmin:input")
def tf_argmax(x: Shape, axis=None, output_type=None, name=None) -> Shape | None:
    """(*x) -> x without `axis` (default: the first)"""
    if len(x) == 1 and (axis is None or is_int(axis)):
        return ()         # TensorFlow does not check the axis of a vector
    return reduce_shape(x, 0 if axis is None else axis, False)


@op("tensorflow.lookup.StaticHashTable.lookup:keys",
    "tensorflow.lookup.StaticVocabularyTable.lookup:keys",
    "tensorflow.lookup.experimental.DenseHashTable.lookup:keys",
    "tensorflow.lookup.experimental.MutableHashTable.lookup:keys")
def table_lookup(x: Shape, dynamic_default_values=None, name=None) -> Shape:
    """keys -> one value per key, the keys' shape (a hash table's lookup)"""
    return x
