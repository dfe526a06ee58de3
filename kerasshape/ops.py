"""The ops table: what tensor operations do to shapes.

One small decorated function per operation, registered under the canonical paths that
name it (``keras.ops.concatenate``, ``keras.backend.concatenate``, ``tensorflow.concat``).
The function's own Python signature is the operation's: parameters annotated ``Shape``
receive the shape of a tensor argument (a Python number is a scalar, ``()``), ``Shapes``
a list of them, ``Dims`` a shape-like tuple whose entries may be unknown (``UNK``); any
other parameter receives its plain value, and an unknown value there makes the output
unknown without calling the function. A function returns a shape, a list of shapes
(``split``), or None when the output cannot be known; it raises ``ShapeError`` where
Keras (or TensorFlow) raises on the symbolic call.

Adding an operation is one entry::

    @op("keras.ops.expand_dims", "tensorflow.expand_dims:input")
    def expand_dims(x: Shape, axis) -> Shape:
        \"\"\"(*x) -> x with a 1 inserted at each axis\"\"\"

A path may rename the first parameter for that namespace (``:input``), so
``tf.expand_dims(input=x, axis=1)`` binds too. ``keras.ops.numpy.X``, ``keras.ops.nn.X``,
``tensorflow.math.X``, ``tensorflow.nn.X`` and ``tensorflow.linalg.X`` fall back to the
short names; a later ``numpy.X`` namespace for data arrays registers the same way.

Shapes follow Keras's symbolic rules (``keras/src/ops/*.py``, ``compute_output_spec``),
which TensorFlow's static shapes agree with; where they may not, the dim is ``UNK``.
This module imports neither libcst nor TensorFlow.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Callable

from .shapes import UNK, Shape, ShapeError, fmt, is_int, prod

Shapes = list   # a list of shapes (concatenate's tensors)
Dims = tuple    # a shape-like tuple whose entries may be unknown (reshape's target)


@dataclass(frozen=True)
class Op:
    name: str                      # the short name, for messages: "concatenate"
    fn: Callable
    signature: inspect.Signature   # with the namespace's own name for the first parameter
    kinds: dict                    # parameter -> "shape" | "shapes" | "dims" | "value"
    returns: str = "shape"         # "shape", "shapes" (a list) or "dims" (a tuple of sizes)
    doc: str = ""


OPS: dict[str, Op] = {}

# Submodules whose functions are the same as the namespace's top-level ones.
_FALLBACK = (
    ("keras.ops.numpy.", "keras.ops."), ("keras.ops.nn.", "keras.ops."),
    ("keras.ops.core.", "keras.ops."), ("keras.ops.math.", "keras.ops."),
    ("keras.ops.linalg.", "keras.ops."), ("keras.activations.", "keras.ops."),
    ("tensorflow.math.", "tensorflow."), ("tensorflow.nn.", "tensorflow."),
    ("tensorflow.linalg.", "tensorflow."), ("tensorflow.compat.v1.", "tensorflow."),
)


def op(*paths: str, returns: str = "shape"):
    """Register a shape function under canonical paths (``path:first`` renames ``x``)."""

    def register(fn: Callable) -> Callable:
        sig = inspect.signature(fn)
        kinds = {name: {"Shape": "shape", "Shapes": "shapes", "Dims": "dims"}.get(
            str(p.annotation), "value") for name, p in sig.parameters.items()}
        doc = fn.__doc__.strip().splitlines()[0] if fn.__doc__ else ""
        for path in paths:
            path, _, first = path.partition(":")
            s, k = sig, kinds
            if first:
                params = list(sig.parameters.values())
                s = sig.replace(parameters=[params[0].replace(name=first), *params[1:]])
                k = {first if n == params[0].name else n: v for n, v in kinds.items()}
            OPS[path] = Op(path.rsplit(".", 1)[1], fn, s, k, returns, doc)
        return fn

    return register


def lookup(path: str) -> Op | None:
    found = OPS.get(path)
    if found is None:
        for prefix, repl in _FALLBACK:
            if path.startswith(prefix):
                found = OPS.get(repl + path[len(prefix):])
                break
    return found


def call(entry: Op, bound: inspect.BoundArguments):
    """Run an op on arguments bound to ``entry.signature`` (values already converted:
    shapes for tensors). The first parameter is always positional, whatever its name."""
    return entry.fn(*bound.args, **bound.kwargs)


# ------------------------------------------------------------------ helpers

def _bad(message: str, **kw) -> ShapeError:
    return ShapeError("KS203", message, **kw)


def axis_of(axis, rank: int, what: str = "axis") -> int:
    """Keras's canonicalize_axis: -rank <= axis < rank, else it raises."""
    if not -rank <= axis < rank:
        raise _bad(f"{what}={axis} is out of range for a {rank}D tensor",
                   expected=f"{what} in [{-rank}, {rank})", found=f"{what}={axis}")
    return axis % rank


def axes_of(axis, rank: int) -> tuple | None:
    axes = (axis,) if is_int(axis) else axis
    if not isinstance(axes, (tuple, list)) or not all(is_int(a) for a in axes):
        return None
    return tuple(axis_of(a, rank) for a in axes)


def _ints(value) -> tuple | None:
    """An int or a sequence of ints -> tuple of ints; None otherwise."""
    if is_int(value):
        return (value,)
    if isinstance(value, (tuple, list)) and all(is_int(v) for v in value):
        return tuple(value)
    return None


def broadcast_dim(a, b, shapes):
    """One axis of Keras's broadcast_shapes: a 1 takes the other size, None takes any
    other size; two different sizes raise."""
    if a == 1 and is_int(a):
        return b
    if b == 1 and is_int(b):
        return a
    if is_int(a) and is_int(b):
        if a != b:
            raise ShapeError(
                "KS301", f"cannot broadcast {' and '.join(fmt(s) for s in shapes)}: "
                f"sizes {a} and {b} differ and neither is 1",
                found=", ".join(fmt(s) for s in shapes),
                hint="make the sizes equal (or 1), e.g. with a Dense of the same units")
        return a
    if is_int(a) or is_int(b):     # a size other than 1 wins over None and named sizes
        return a if is_int(a) else b
    if a is None and b is None:
        return None
    if isinstance(a, str) and a == b:
        return a
    return UNK                     # a named size might be 1 (then the other wins)


def broadcast(*shapes: Shape) -> Shape:
    rank = max((len(s) for s in shapes), default=0)
    out = []
    for i in range(1, rank + 1):
        dims = [s[-i] for s in shapes if len(s) >= i]
        d = dims[0]
        for e in dims[1:]:
            d = broadcast_dim(d, e, shapes)
        out.append(d)
    return tuple(reversed(out))


def reduce_shape(x: Shape, axis, keepdims) -> Shape | None:
    """Keras's reduce_shape: axis None reduces everything."""
    if keepdims not in (True, False):
        return None
    if axis is None:
        return (1,) * len(x) if keepdims else ()
    axes = axes_of(axis, len(x))
    if axes is None or len(set(axes)) != len(axes):
        return None
    if keepdims:
        return tuple(1 if i in axes else d for i, d in enumerate(x))
    return tuple(d for i, d in enumerate(x) if i not in axes)


def _nonneg(shape: Shape) -> Shape:
    if any(is_int(d) and d < 0 for d in shape):
        raise _bad(f"would give a negative size {fmt(shape)}", found=fmt(shape))
    return shape


# --------------------------------------------------------- shape-preserving

_UNARY = """abs absolute negative sign exp expm1 log log1p log2 log10 sqrt rsqrt square
    sin cos tan arcsin arccos arctan sinh cosh tanh arcsinh arccosh arctanh floor ceil round
    trunc reciprocal erf erfinv sigmoid relu relu6 elu selu gelu silu swish hard_swish hard_silu
    softplus softsign leaky_relu hard_sigmoid log_sigmoid softmax log_softmax celu
    squareplus sparse_plus sparsemax hard_tanh tanh_shrink soft_shrink hard_shrink threshold
    clip cast stop_gradient nan_to_num isnan isinf isfinite logical_not conj real imag
    zeros_like ones_like full_like copy convert_to_tensor normalize sort""".split()
_TF_UNARY = """abs negative sign exp expm1 log log1p sqrt rsqrt square sin cos tan asin acos atan
    sinh cosh tanh asinh acosh atanh floor ceil round reciprocal erf sigmoid relu relu6 elu selu
    gelu silu swish softplus softsign leaky_relu log_sigmoid softmax log_softmax clip_by_value
    cast stop_gradient identity is_nan is_inf is_finite logical_not zeros_like ones_like
    l2_normalize dropout cumsum cumprod sort erfinv""".split()
_BACKEND_UNARY = """abs exp log sqrt square sign round sin cos tanh sigmoid hard_sigmoid relu elu
    softmax softplus softsign clip cast stop_gradient l2_normalize zeros_like ones_like
    dropout cumsum cumprod""".split()


@op(*(f"keras.ops.{n}" for n in _UNARY), *(f"tensorflow.{n}:x" for n in _TF_UNARY),
    *(f"keras.backend.{n}" for n in _BACKEND_UNARY))
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

_BINARY = """add subtract multiply divide true_divide floor_divide divide_no_nan maximum minimum
    power mod fmod equal not_equal greater greater_equal less less_equal logical_and logical_or
    logical_xor arctan2 hypot heaviside nextafter""".split()
_TF_BINARY = """add subtract multiply divide truediv floordiv floormod divide_no_nan maximum
    minimum pow mod equal not_equal greater greater_equal less less_equal logical_and logical_or
    logical_xor atan2 squared_difference""".split()


@op(*(f"keras.ops.{n}" for n in _BINARY), *(f"tensorflow.{n}:x" for n in _TF_BINARY),
    *(f"keras.backend.{n}" for n in ("maximum", "minimum", "pow", "equal", "not_equal",
                                     "greater", "greater_equal", "less", "less_equal")))
def binary(x1: Shape, x2: Shape, *args, **kwargs) -> Shape:
    """(*a), (*b) -> broadcast(a, b), right-aligned; a 1 stretches, other sizes must match"""
    return broadcast(x1, x2)


@op("keras.ops.where", "tensorflow.where:condition")
def where(condition: Shape, x1: Shape = None, x2: Shape = None, **kwargs) -> Shape | None:
    """(*c), (*a), (*b) -> broadcast(c, a, b); with the condition alone, the indices (unknown)"""
    if x1 is None or x2 is None:
        return None
    return broadcast(condition, x1, x2)


# -------------------------------------------------------------- reductions

_REDUCE = "sum mean max min prod std var any all amax amin logsumexp median".split()
_TF_REDUCE = "sum mean max min prod std variance any all logsumexp euclidean_norm".split()


@op(*(f"keras.ops.{n}" for n in _REDUCE), *(f"keras.backend.{n}" for n in _REDUCE[:7] + ["any", "all"]),
    "keras.backend.var")
def reduce(x: Shape, axis=None, keepdims=False, **kwargs) -> Shape | None:
    """(*x) -> x without the reduced axes (1 with keepdims); axis=None reduces all"""
    return reduce_shape(x, axis, keepdims)


@op(*(f"tensorflow.reduce_{n}:input_tensor" for n in _TF_REDUCE))
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
        raise _bad(f"the target {fmt(target)} needs sizes >= 0 and at most one -1",
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
        raise _bad("needs at least one tensor, got an empty list")
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
        raise _bad("needs at least one tensor, got an empty list")
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
            raise _bad(f"axis {axis} of {fmt(x)} has {size} entries, which do not split into {n} "
                       "equal parts", found=fmt(x),
                       hint="pass the indices at which to cut instead")
        return [(*x[:ax], size // n, *x[ax + 1:])] * n
    cuts = _ints(indices_or_sections)
    if cuts is None or not is_int(size) and size is not None:
        return None
    bounds = [0, *cuts, size]
    out = []
    for start, end in zip(bounds, bounds[1:]):
        part = None if start is None or end is None else end - start
        out.append(_nonneg((*x[:ax], part, *x[ax + 1:])))
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
            raise _bad(f"axis {axis} of {fmt(value)} has {size} entries, which do not split into "
                       f"{n} equal parts", found=fmt(value))
        part = size // n if is_int(size) else (None if size is None else UNK)
        return [(*value[:ax], part, *value[ax + 1:])] * n
    sizes = _ints(num_or_size_splits)
    if sizes is None or sizes.count(-1) > 1:
        return None
    if not is_int(size):
        return [(*value[:ax], UNK if s == -1 else s, *value[ax + 1:]) for s in sizes]
    if -1 in sizes:
        rest = sum(s for s in sizes if s != -1)
        if rest > size:
            raise _bad(f"the sizes {list(sizes)} need more than the {size} entries of axis "
                       f"{axis} of {fmt(value)}", found=fmt(value))
        sizes = tuple(size - rest if s == -1 else s for s in sizes)
    if sum(sizes) != size:
        raise _bad(f"the sizes {list(sizes)} add up to {sum(sizes)}, but axis {axis} of "
                   f"{fmt(value)} has {size}", found=fmt(value))
    return [(*value[:ax], s, *value[ax + 1:]) for s in sizes]


# ------------------------------------------------------------- rearranging

@op("keras.ops.expand_dims", "tensorflow.expand_dims:input")
def expand_dims(x: Shape, axis, name=None) -> Shape | None:
    """(*x) -> x with a 1 inserted at each axis"""
    axes = _ints(axis)
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
    axes = _ints(axis)
    if axes is None:
        return None
    axes = [axis_of(a, len(x)) for a in axes]
    for a in axes:
        if is_int(x[a]) and x[a] != 1:
            raise _bad(f"cannot remove axis {a} of {fmt(x)}: its size is {x[a]}, not 1",
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
    axes = _ints(axes)
    if axes is None:
        return None
    rank = len(x)
    if len(axes) != rank or any(not -rank <= a < rank for a in axes) or \
            len({a % rank for a in axes}) != rank:
        raise _bad(f"axes {list(axes)} are not a permutation of the {rank} axes of "
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
    reps = _ints(repeats)
    if reps is None:
        return None
    if len(x) > len(reps):
        reps = (1,) * (len(x) - len(reps)) + reps
    else:
        x = (1,) * (len(reps) - len(x)) + tuple(x)
    return _nonneg(tuple(d * r if is_int(d) else (None if d is None else UNK)
                         for d, r in zip(x, reps)))


@op("tensorflow.tile:input", "keras.backend.tile:x")
def tf_tile(x: Shape, multiples, name=None) -> Shape | None:
    """(*x) -> x times multiples, one per axis"""
    reps = _ints(multiples)
    if reps is None:
        return None
    if len(reps) != len(x):
        raise _bad(f"needs one multiple per axis of {fmt(x)}, got {list(reps)}",
                   found=fmt(x))
    return tile(x, reps)


@op("keras.ops.repeat")
def repeat(x: Shape, repeats, axis=None) -> Shape | None:
    """(..., a, ...) -> (..., a * repeats, ...); axis=None flattens first"""
    reps = _ints(repeats)
    if reps is None:
        return None
    if axis is None:
        if any(not is_int(d) for d in x):
            return (None,) if None in x else None
        size = prod(x)
        if len(reps) == 1:
            return (size * reps[0],)
        if len(reps) != size:
            raise _bad(f"needs one count per element: {len(reps)} counts for "
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
        raise _bad(f"needs one count per entry of axis {axis}: {len(reps)} counts "
                   f"for size {d}", found=fmt(x))
    else:
        new = sum(reps)
    return _nonneg((*x[:ax], new, *x[ax + 1:]))


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
        raise _bad(f"axis={axis} must be -1 or in [0, {len(x)}) for {fmt(x)}",
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


# ---------------------------------------------------------------- products

def _matmul(a: Shape, b: Shape) -> Shape | None:
    if not a or not b:
        return None   # Keras reads shape1[-1] of a scalar and fails with an IndexError
    a1, b1 = len(a) == 1, len(b) == 1
    a = (1, a[0]) if a1 else tuple(a)
    b = (b[0], 1) if b1 else tuple(b)
    if is_int(a[-1]) and is_int(b[-2]) and a[-1] != b[-2]:
        raise ShapeError(
            "KS301", f"the last axis of {fmt(a)} must match the second-to-last of {fmt(b)} "
            f"({a[-1]} vs {b[-2]})",
            found=f"{fmt(a)}, {fmt(b)}", hint="transpose one operand, or project it with Dense")
    out = [*broadcast(a[:-2], b[:-2]), a[-2], b[-1]]
    if a1:
        del out[-2]
    if b1:
        del out[-1]
    return tuple(out)


@op("keras.ops.matmul")
def matmul(x1: Shape, x2: Shape) -> Shape | None:
    """(*batch, n, k), (*batch, k, m) -> (*batch, n, m); batch axes broadcast, 1D promoted"""
    return _matmul(x1, x2)


@op("tensorflow.matmul")
def tf_matmul(a: Shape, b: Shape, transpose_a=False, transpose_b=False, adjoint_a=False,
              adjoint_b=False, a_is_sparse=False, b_is_sparse=False, output_type=None,
              grad_a=False, grad_b=False, name=None) -> Shape | None:
    """(*batch, n, k), (*batch, k, m) -> (*batch, n, m); batch axes broadcast"""
    if len(a) < 2 or len(b) < 2:
        raise ShapeError("KS101", f"matmul needs tensors of rank 2 or more, got {fmt(a)} and "
                         f"{fmt(b)}", expected="rank >= 2", found=f"{fmt(a)}, {fmt(b)}",
                         hint="add an axis with expand_dims, or use keras.ops.matmul")
    flags = (transpose_a, transpose_b, adjoint_a, adjoint_b)
    if any(f not in (True, False) for f in flags):
        return None
    if transpose_a or adjoint_a:
        a = (*a[:-2], a[-1], a[-2])
    if transpose_b or adjoint_b:
        b = (*b[:-2], b[-1], b[-2])
    return _matmul(a, b)


@op("keras.ops.dot")
def dot(x1: Shape, x2: Shape) -> Shape | None:
    """(*a, k), (*b, k, m) -> (*a, *b, m); a 1D second operand sums over k"""
    if not x1 or not x2:
        return broadcast(x1, x2)
    if len(x1) == 1 and len(x2) == 1:
        if is_int(x1[0]) and is_int(x2[0]) and x1[0] != x2[0]:
            return None   # Keras's symbolic dot checks nothing here
        return ()
    k, j = x1[-1], (x2[0] if len(x2) == 1 else x2[-2])
    if len(x2) == 1 and (k is None) != (j is None):
        return None       # Keras raises (None != 4), TensorFlow checks when it runs
    if k is not None and j is not None and k != j:
        if is_int(k) and is_int(j):
            raise ShapeError(
                "KS301", f"the last axis of {fmt(x1)} must match "
                f"{'the only' if len(x2) == 1 else 'the second-to-last'} axis of {fmt(x2)} "
                f"({k} vs {j})", found=f"{fmt(x1)}, {fmt(x2)}")
        return None
    if len(x2) == 1:
        return tuple(x1[:-1])
    return (*x1[:-1], *x2[:-2], x2[-1])


@op("keras.backend.dot")
def backend_dot(x: Shape, y: Shape) -> Shape | None:
    """(*a, k), (*b, k, m) -> (*a, *b, m)"""
    if len(x) < 2 or len(y) < 2:
        return None
    return dot(x, y)


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
        raise _bad("slice step cannot be zero")
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
        raise _bad("an index can hold only one `...`")
    if Ellipsis not in parts:
        parts.append(Ellipsis)
    used = sum(1 for p in parts if p is not None and p is not Ellipsis)
    if used > len(x):
        raise _bad(f"{used} indices for a {len(x)}D tensor {fmt(x)}",
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
                raise _bad(f"index {p} is out of range for axis {i} of {fmt(x)} (size {d})",
                           expected=f"an index in [{-d}, {d})", found=f"index {p}")
            i += 1
    return tuple(out)


def names() -> list:
    """Every registered path, sorted: for the generated docs."""
    return sorted(OPS)


__all__ = ["OPS", "Op", "lookup", "call", "op", "broadcast", "reduce_shape", "names", "getitem_shape",
           "Shapes", "Dims"]
