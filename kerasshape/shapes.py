"""The shape domain: dims, shapes and the arithmetic Keras does on them.

A dim is one of:

* an ``int``: a known size;
* ``None``: a size Keras itself leaves undefined (the batch axis, ``None`` in an
  ``Input`` shape); Keras raises when a layer needs it defined (a ``Dense`` kernel);
* a ``str``: a named symbolic size (a function parameter such as ``n_features``):
  defined at run time, but its value is not known statically;
* ``UNK``: kerasshape does not know the size. Never the cause of a diagnostic.

This module imports neither libcst nor TensorFlow.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Union


class _Unk:
    """The dim kerasshape could not compute (not Keras's ``None``)."""

    _instance: "_Unk | None" = None

    def __new__(cls) -> "_Unk":
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "?"

    def __reduce__(self):
        return (_Unk, ())


UNK = _Unk()

Dim = Union[int, None, str, _Unk]
Shape = tuple  # tuple[Dim, ...]


@dataclass
class ShapeError(Exception):
    """Arithmetic Keras cannot do: the layer would raise.

    ``code`` is the diagnostic code, ``message`` says what and why in Keras's terms;
    ``expected``/``found`` are rendered shapes or values; ``hint`` an imperative fix.
    """

    code: str
    message: str
    expected: str | None = None
    found: str | None = None
    hint: str | None = None
    extra: dict = field(default_factory=dict)

    def __str__(self) -> str:
        return self.message


# --------------------------------------------------------------------- dims

def is_int(d: Dim) -> bool:
    return isinstance(d, int) and not isinstance(d, bool)


def known(d: Dim) -> bool:
    """True for a size that is known exactly."""
    return is_int(d)


def defined(d: Dim) -> bool:
    """False only for Keras's own ``None`` (certainly undefined at build time)."""
    return d is not None


def differs(a: Dim, b: Dim) -> bool:
    """True only when two dims are certainly different sizes."""
    return is_int(a) and is_int(b) and a != b


def same(a: Dim, b: Dim) -> bool:
    """True only when two dims are certainly the same size."""
    if is_int(a) and is_int(b):
        return a == b
    return isinstance(a, str) and a == b


def join_dim(a: Dim, b: Dim) -> Dim:
    """The dim that covers both (after two branches of an ``if``)."""
    if a == b and type(a) is type(b):
        return a
    if a is None and b is None:
        return None
    return UNK


def join_shape(a: Shape | None, b: Shape | None) -> Shape | None:
    if a is None or b is None or len(a) != len(b):
        return None
    return tuple(join_dim(x, y) for x, y in zip(a, b))


def _combine(a: Dim, b: Dim, op) -> Dim:
    # Keras's None dominates: the result of arithmetic on a None size is None.
    if a is None or b is None:
        return None
    if is_int(a) and is_int(b):
        return op(a, b)
    return UNK


def add(a: Dim, b: Dim) -> Dim:
    return _combine(a, b, lambda x, y: x + y)


def mul(a: Dim, b: Dim) -> Dim:
    return _combine(a, b, lambda x, y: x * y)


def prod(dims: Iterable[Dim]) -> Dim:
    """Product of sizes, as Keras computes it: None if any is None."""
    out: Dim = 1
    dims = list(dims)
    if any(d is None for d in dims):
        return None
    for d in dims:
        out = mul(out, d)
    return out


# ------------------------------------------------------------ conv arithmetic

def conv_length(length: Dim, kernel: Dim, padding: str, stride: Dim, dilation: Dim = 1) -> Dim:
    """Output length of a convolution/pooling window along one axis (Keras's rule)."""
    if length is None:
        return None
    if not (is_int(length) and is_int(kernel) and is_int(stride) and is_int(dilation)):
        return UNK
    effective = (kernel - 1) * dilation + 1
    if padding == "same":
        return (length + stride - 1) // stride
    if padding == "causal":
        return (length + stride - 1) // stride
    return (length - effective) // stride + 1  # "valid"


def deconv_length(length: Dim, kernel: Dim, padding: str, stride: Dim,
                  output_padding: Dim | None = None, dilation: Dim = 1) -> Dim:
    """Output length of a transposed convolution along one axis (Keras 3's rule)."""
    if length is None:
        return None
    if not (is_int(length) and is_int(kernel) and is_int(stride) and is_int(dilation)):
        return UNK
    if output_padding is not None and not is_int(output_padding):
        return UNK
    kernel = (kernel - 1) * dilation + 1
    if padding == "same":
        if output_padding is None:
            return length * stride
        return (length - 1) * stride + kernel % 2 + output_padding
    if output_padding is None:  # "valid": the window never overlaps less than a stride
        output_padding = max(kernel, stride) - kernel
    return (length - 1) * stride + kernel + output_padding


def as_tuple(value, n: int) -> tuple:
    """``3`` -> ``(3, 3)``; an unknown value -> ``(UNK, UNK)``; a tuple stays."""
    if value is UNK or value is None:
        return (UNK,) * n
    if isinstance(value, (tuple, list)):
        if len(value) != n:
            return (UNK,) * n
        return tuple(v if is_int(v) else UNK for v in value)
    if is_int(value):
        return (value,) * n
    return (UNK,) * n


# ---------------------------------------------------------------- rendering

def fmt_dim(d: Dim) -> str:
    if d is None:
        return "None"
    if d is UNK:
        return "?"
    return str(d)


def fmt(shape: Shape | None) -> str:
    """Shapes read the way Keras prints them: ``(None, 10, 32)``."""
    if shape is None:
        return "unknown"
    inner = ", ".join(fmt_dim(d) for d in shape)
    if len(shape) == 1:
        inner += ","
    return f"({inner})"


def to_json(shape: Shape | None):
    if shape is None:
        return None
    return [d if (is_int(d) or isinstance(d, str)) else None for d in shape]


def fully_known(shape: Shape | None) -> bool:
    """Every non-batch dim is an int, None (Keras-undefined) or a named size."""
    return shape is not None and all(d is not UNK for d in shape)


def num_elements(shape: Shape) -> Dim:
    return prod(shape)


__all__ = [
    "UNK", "Dim", "Shape", "ShapeError", "is_int", "known", "defined", "differs", "same",
    "join_dim", "join_shape", "add", "mul", "prod", "conv_length", "deconv_length",
    "as_tuple", "fmt", "fmt_dim", "to_json", "fully_known", "num_elements",
]
