"""The ops table: what tensor operations do to shapes.

One small decorated function per operation, in one module per family (``elementwise``,
``arrange``, ``join``, ``products``, ``make``, ``indexing``; this module holds the registry and the
shared arithmetic), registered under the canonical paths that name it
(``keras.ops.concatenate``, ``keras.backend.concatenate``, ``tensorflow.concat``).
The function's own Python signature is the operation's: parameters annotated ``Shape``
receive the shape of a tensor argument (a Python number is a scalar, ``()``), ``Shapes``
a list of them, ``Dims`` a shape-like tuple whose entries may be unknown (``UNK``); any
other parameter receives its plain value, and an unknown value there makes the output
unknown without calling the function. ``MaybeShape`` is a ``Shape`` whose function still
runs when the tensor's shape is not known (it receives None): ``reshape``'s output is its
target whatever the input. ``Operand`` is a ``Shape`` where a named size (``len(vocab) //
50``, an int at run time) is a scalar: the operands of the broadcasting operations. A function returns a shape, a list of shapes
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
This package imports neither libcst nor TensorFlow.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Callable

from ..shapes import UNK, Shape, ShapeError, fmt, is_int

Shapes = list   # a list of shapes (concatenate's tensors)
Dims = tuple    # a shape-like tuple whose entries may be unknown (reshape's target)
MaybeShape = object   # a tensor's shape, or None when it is not known (reshape's input)
Operand = tuple       # a tensor's shape; a named size is a scalar, () (broadcasting operands)


@dataclass(frozen=True)
class Op:
    name: str                      # the short name, for messages: "concatenate"
    fn: Callable
    signature: inspect.Signature   # with the namespace's own name for the first parameter
    kinds: dict                    # parameter -> "shape" | "maybe_shape" | "operand" | "shapes" |
    #                                "dims" | "value"
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
    ("tensorflow.experimental.numpy.", "keras.ops."),   # NumPy's rules, as keras.ops follows them
)


def op(*paths: str, returns: str = "shape"):
    """Register a shape function under canonical paths (``path:first`` renames ``x``)."""

    def register(fn: Callable) -> Callable:
        sig = inspect.signature(fn)
        kinds = {name: {"Shape": "shape", "Shapes": "shapes", "Dims": "dims",
                        "MaybeShape": "maybe_shape", "Operand": "operand"}.get(
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

def bad(message: str, **kw) -> ShapeError:
    return ShapeError("KS203", message, **kw)


def axis_of(axis, rank: int, what: str = "axis") -> int:
    """Keras's canonicalize_axis: -rank <= axis < rank, else it raises."""
    if not -rank <= axis < rank:
        raise bad(f"{what}={axis} is out of range for a {rank}D tensor",
                  expected=f"{what} in [{-rank}, {rank})", found=f"{what}={axis}")
    return axis % rank


def axes_of(axis, rank: int) -> tuple | None:
    axes = (axis,) if is_int(axis) else axis
    if not isinstance(axes, (tuple, list)) or not all(is_int(a) for a in axes):
        return None
    return tuple(axis_of(a, rank) for a in axes)


def int_tuple(value) -> tuple | None:
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


def nonneg(shape: Shape) -> Shape:
    if any(is_int(d) and d < 0 for d in shape):
        raise bad(f"would give a negative size {fmt(shape)}", found=fmt(shape))
    return shape


def load() -> None:
    """Import every family module so their entries register."""
    from . import arrange, elementwise, image, indexing, join, make, products  # noqa: F401


load()

from .indexing import getitem_shape  # noqa: E402

__all__ = ["OPS", "Op", "lookup", "call", "op", "broadcast", "reduce_shape", "getitem_shape",
           "Shapes", "Dims", "MaybeShape", "Operand"]
