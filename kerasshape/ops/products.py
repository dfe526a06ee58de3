"""Products: matmul, dot, einsum."""

from __future__ import annotations

from ..shapes import UNK, Shape, ShapeError, fmt, is_int
from . import Shapes, broadcast, op


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


def _merge(dims: set):
    """TensorFlow's merge of the sizes one letter has: a known size wins over None."""
    known = {d for d in dims if is_int(d)}
    if known:
        return known.pop()
    return None if dims == {None} else (dims.pop() if len(dims) == 1 else UNK)


def _einsum(subscripts, operands: tuple, tf: bool) -> Shape | None:
    """Keras's rule: each operand's letters that the output names are broadcast together;
    letters summed over are not checked. No ``...`` (unknown), explicit ``->`` only."""
    if not isinstance(subscripts, str) or "." in subscripts or subscripts.count("->") != 1:
        return None
    inputs, output = subscripts.replace(" ", "").split("->")
    specs = inputs.split(",")
    if len(specs) != len(operands) or not all(s.isalpha() for s in (*specs, output) if s):
        return None
    if any(len(spec) != len(x) or len(set(spec)) != len(spec) for spec, x in zip(specs, operands)):
        return None
    if len(set(output)) != len(output) or any(c not in inputs for c in output):
        return None
    if tf:   # TensorFlow wants one size per letter (no broadcasting of a 1): checked when it runs
        sizes = {c: {x[spec.index(c)] for spec, x in zip(specs, operands) if c in spec}
                 for c in set(inputs) - {","}}
        if any(len({d for d in v if is_int(d)}) > 1 for v in sizes.values()):
            return None
        return tuple(_merge(sizes[c]) for c in output)
    mapped = [tuple(x[spec.index(c)] if c in spec else 1 for c in output)
              for spec, x in zip(specs, operands)]
    return broadcast(*mapped)


@op("keras.ops.einsum")
def einsum(subscripts, *operands: Shape) -> Shape | None:
    """"ij,jk->ik", (i, j), (j, k) -> (i, k); the output's letters broadcast across operands"""
    return _einsum(subscripts, operands, tf=False)


@op("tensorflow.einsum:equation")
def tf_einsum(equation, *inputs: Shape, **kwargs) -> Shape | None:
    """"ij,jk->ik", (i, j), (j, k) -> (i, k)"""
    try:
        return _einsum(equation, inputs, tf=True)
    except ShapeError:
        return None   # TensorFlow checks the sizes when it runs


def _complex_pair(x, rank: int, what: str) -> Shape | None:
    """Keras's FFT ops: x is (real, imag), two tensors of one shape, of rank >= ``rank``,
    whose transformed axes are defined."""
    if len(x) != 2:
        raise ShapeError("KS203", f"{what} takes (real, imag), two tensors; got {len(x)}",
                         expected="2 tensors", found=f"{len(x)} tensors")
    real, imag = x
    if len(real) != len(imag) or any(is_int(a) and is_int(b) and a != b for a, b in zip(real, imag)):
        raise ShapeError("KS203", f"{what} needs the real and imaginary parts of one shape, got "
                         f"{fmt(real)} and {fmt(imag)}", found=f"{fmt(real)} and {fmt(imag)}")
    if real != imag:
        return None     # Keras compares the shapes exactly: None against a size raises too
    if len(real) < rank:
        raise ShapeError("KS101", f"{what} needs a rank of {rank} or more, got {fmt(real)}",
                         expected=f"rank >= {rank}", found=fmt(real))
    if any(d is None for d in real[-rank:]):
        return None     # Keras asks for defined axes there (left silent)
    return real


@op("keras.ops.fft", returns="shapes")
def fft(x: Shapes) -> list | None:
    """(real, imag) of one shape -> (real, imag) of that shape (last axis defined)"""
    shape = _complex_pair(x, 1, "fft")
    return None if shape is None else [shape, shape]


@op("keras.ops.fft2", "keras.ops.ifft2", returns="shapes")
def fft2(x: Shapes) -> list | None:
    """(real, imag) of one shape -> (real, imag) of that shape (last two axes defined)"""
    shape = _complex_pair(x, 2, "fft2")
    return None if shape is None else [shape, shape]


@op("keras.ops.rfft", returns="shapes")
def rfft(x: Shape, fft_length=None) -> list | None:
    """(..., n) -> (real, imag), each (..., fft_length // 2 + 1) (n // 2 + 1 by default)"""
    if not x:
        raise ShapeError("KS101", f"rfft needs a rank of 1 or more, got {fmt(x)}",
                         expected="rank >= 1", found=fmt(x))
    if fft_length is not None and not is_int(fft_length):
        return None
    n = fft_length if fft_length is not None else x[-1]
    last = None if n is None else (n // 2 + 1 if is_int(n) else UNK)
    shape = (*x[:-1], last)
    return [shape, shape]


@op("keras.ops.tensordot", "tensorflow.tensordot:a")
def tensordot(x1: Shape, x2: Shape, axes=2, name=None) -> Shape | None:
    """x1, x2, axes=n -> x1[:-n] + x2[n:]; axes=(a1, a2) contracts those axes (their sizes
    must agree)"""
    if is_int(axes):
        if axes <= 0:
            return (*x1, *x2)
        if axes > len(x1) or axes > len(x2):
            return None
        return (*x1[:-axes], *x2[axes:])
    if not isinstance(axes, tuple) or len(axes) != 2:
        return None
    a1, a2 = ((a,) if is_int(a) else a for a in axes)
    if not (isinstance(a1, tuple) and isinstance(a2, tuple)) or len(a1) != len(a2) or \
            not all(is_int(a) and -len(x1) <= a < len(x1) for a in a1) or \
            not all(is_int(a) and -len(x2) <= a < len(x2) for a in a2):
        return None
    for i, j in zip(a1, a2):
        if is_int(x1[i]) and is_int(x2[j]) and x1[i] != x2[j]:
            raise ShapeError("KS203", f"tensordot contracts axis {i} of {fmt(x1)} with axis {j} "
                             f"of {fmt(x2)}: {x1[i]} vs {x2[j]}",
                             expected=f"{x1[i]} on axis {j}", found=fmt(x2))
    keep1 = [d for k, d in enumerate(x1) if k % len(x1) not in {a % len(x1) for a in a1}]
    keep2 = [d for k, d in enumerate(x2) if k % len(x2) not in {a % len(x2) for a in a2}]
    return (*keep1, *keep2)
