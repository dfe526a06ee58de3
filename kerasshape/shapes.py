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

import re

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
    if a is None or b is None:
        return None
    if is_int(a) and is_int(b):
        return a + b
    return sym_add(a, b)


def sub(a: Dim, b: Dim) -> Dim:
    return add(a, mul(b, -1))


def mul(a: Dim, b: Dim) -> Dim:
    if a is None or b is None:
        return None
    if is_int(a) and is_int(b):
        return a * b
    return sym_mul(a, b)


def floordiv(a: Dim, b: Dim) -> Dim:
    if a is None or b is None:
        return None
    if is_int(a) and is_int(b):
        return a // b if b else UNK
    return sym_floordiv(a, b)


def exact_div(a: Dim, b: Dim) -> Dim:
    """``a / b`` when it certainly divides (a ``-1`` filled by Reshape), else unknown."""
    if is_int(a) and is_int(b):
        return a // b if b and a % b == 0 else UNK
    la = _linear(a)
    if la is None or not is_int(b) or b <= 0 or \
            any(c % b for c in la[0].values()) or la[1] % b:
        return UNK
    return _render({t: c // b for t, c in la[0].items()}, la[1] // b)


def prod(dims: Iterable[Dim]) -> Dim:
    """Product of sizes, as Keras computes it: None if any is None."""
    out: Dim = 1
    dims = list(dims)
    if any(d is None for d in dims):
        return None
    for d in dims:
        out = mul(out, d)
    return out


# -------------------------------------------------------- named sizes (symbolic)
#
# A named size is a ``str`` dim. Arithmetic on named sizes gives a ``SymDim``: a ``str``
# (so it is a dim like any other named size) that keeps its linear form
# ``c1*t1 + c2*t2 + ... + k`` where each term ``t`` is a name, a product of names, or an
# opaque part such as ``(h + 1) // 2``. Equal sizes computed the same way render the
# same, so ``(None, h - 2)`` from two branches is the same size. A named size is never
# the cause of a diagnostic: nothing compares it with an int.

_MAX_SYM = 240  # longer expressions become unknown: nobody reads them


@dataclass(frozen=True)
class VocabSize:
    """A vocabulary whose number of terms is a named size (``len(vocabulary)`` of a list made
    from data): a lookup layer's encoded depth is that size plus its OOV indices."""

    terms: "Dim"


class SymDim(str):
    """A named size computed by arithmetic: ``h - 2``, ``2 * units``, ``h // 2``."""

    def __new__(cls, text: str, terms: dict | None = None, const: int = 0):
        obj = super().__new__(cls, text)
        obj.terms = dict(terms) if terms is not None else {str(text): 1}
        obj.const = const
        return obj

    def __reduce__(self):
        return (SymDim, (str(self), self.terms, self.const))


def _linear(d) -> tuple[dict, int] | None:
    if is_int(d):
        return {}, d
    if isinstance(d, SymDim):
        return d.terms, d.const
    if isinstance(d, str):
        return {str(d): 1}, 0
    return None


def _top_level(text: str, ops: tuple) -> bool:
    depth = 0
    for i, ch in enumerate(text):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif depth == 0 and any(text.startswith(op, i) for op in ops):
            return True
    return False


def _factor(key: str) -> str:
    """A term written as a factor of a product: parenthesized unless it is one."""
    return f"({key})" if _top_level(key, (" + ", " - ", " // ")) else key


def _natural(key: str) -> list:
    """Sort key: ``size#9`` before ``size#10``."""
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", key)]


def _render(terms: dict, const: int) -> Dim:
    terms = {k: c for k, c in terms.items() if c}
    if not terms:
        return const
    parts = []
    for key in sorted(terms, key=_natural):
        c = terms[key]
        body = key if abs(c) == 1 else f"{abs(c)} * {_factor(key)}"
        if not parts:
            parts.append(("-" + _factor(key) if abs(c) == 1 else f"-{body}") if c < 0 else body)
        else:
            parts.append(f"{'-' if c < 0 else '+'} {body}")
    if const:
        parts.append(f"{'-' if const < 0 else '+'} {abs(const)}")
    text = " ".join(parts)
    if len(text) > _MAX_SYM:
        return UNK
    if len(terms) == 1 and not const and next(iter(terms.values())) == 1:
        return SymDim(text, terms, 0) if isinstance(text, str) else text
    return SymDim(text, terms, const)


def sym_add(a: Dim, b: Dim) -> Dim:
    la, lb = _linear(a), _linear(b)
    if la is None or lb is None:
        return UNK
    terms = dict(la[0])
    for k, c in lb[0].items():
        terms[k] = terms.get(k, 0) + c
    return _render(terms, la[1] + lb[1])


def sym_mul(a: Dim, b: Dim) -> Dim:
    la, lb = _linear(a), _linear(b)
    if la is None or lb is None:
        return UNK
    if not lb[0] or not la[0]:  # one side is an int: scale
        (terms, const), k = (la, lb[1]) if not lb[0] else (lb, la[1])
        return _render({t: c * k for t, c in terms.items()}, const * k)
    if len(la[0]) == 1 and len(lb[0]) == 1 and not la[1] and not lb[1]:
        (ka, ca), (kb, cb) = next(iter(la[0].items())), next(iter(lb[0].items()))
        factors = sorted(ka.split(" * ") + kb.split(" * ")) \
            if not (_top_level(ka, (" + ", " - ", " // ")) or _top_level(kb, (" + ", " - ", " // "))) \
            else sorted([_factor(ka), _factor(kb)])
        return _render({" * ".join(factors): ca * cb}, 0)
    return _render({" * ".join(sorted([_factor(str(a)), _factor(str(b))])): 1}, 0)


def sym_floordiv(a: Dim, b: Dim) -> Dim:
    la = _linear(a)
    if la is None or not is_int(b) or b <= 0:
        return UNK
    terms, const = la
    if not terms:
        return const // b
    m, r = divmod(const, b)
    if not r and all(c % b == 0 for c in terms.values()):
        return _render({t: c // b for t, c in terms.items()}, m)
    inner = _render(terms, r)
    if inner is UNK:
        return UNK
    return _render({f"{_factor(str(inner))} // {b}": 1}, m)


# ------------------------------------------------------------ conv arithmetic

def conv_length(length: Dim, kernel: Dim, padding: str, stride: Dim, dilation: Dim = 1) -> Dim:
    """Output length of a convolution/pooling window along one axis (Keras's rule)."""
    if length is None:
        return None
    if not (is_int(kernel) and is_int(stride) and is_int(dilation)) or \
            not (is_int(length) or isinstance(length, str)) or stride <= 0:
        return UNK
    effective = (kernel - 1) * dilation + 1
    if padding in ("same", "causal"):
        return floordiv(add(length, stride - 1), stride)
    return add(floordiv(add(length, -effective), stride), 1)  # "valid"


def deconv_length(length: Dim, kernel: Dim, padding: str, stride: Dim,
                  output_padding: Dim | None = None, dilation: Dim = 1) -> Dim:
    """Output length of a transposed convolution along one axis (Keras 3's rule)."""
    if length is None:
        return None
    if not (is_int(kernel) and is_int(stride) and is_int(dilation)) or \
            not (is_int(length) or isinstance(length, str)):
        return UNK
    if output_padding is not None and not is_int(output_padding):
        return UNK
    kernel = (kernel - 1) * dilation + 1
    if padding == "same":
        if output_padding is None:
            return mul(length, stride)
        return add(mul(add(length, -1), stride), kernel % 2 + output_padding)
    if output_padding is None:  # "valid": the window never overlaps less than a stride
        output_padding = max(kernel, stride) - kernel
    return add(mul(add(length, -1), stride), kernel + output_padding)


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
    "join_dim", "join_shape", "add", "sub", "mul", "floordiv", "exact_div", "prod", "SymDim", "conv_length", "deconv_length",
    "as_tuple", "fmt", "fmt_dim", "to_json", "fully_known", "num_elements",
]
