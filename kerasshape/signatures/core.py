"""Core layers: Input, Dense, Embedding, normalization and the shape-preserving layers."""

from __future__ import annotations

from ..shapes import Shape, ShapeError, fmt, is_int
from . import Size, positive, signature, source


@source("Input", aliases=("InputLayer",))
def input_layer(shape=None, batch_size: Size = None, batch_shape=None,
                batch_input_shape=None, input_shape=None) -> Shape | None:
    """shape excludes the batch axis: Input((32,)) -> (None, 32)"""
    if batch_shape is None:
        batch_shape = batch_input_shape
    if shape is None:
        shape = input_shape
    if shape is not None and batch_shape is not None:
        raise ShapeError("KS204", "Input takes `shape` or `batch_shape`, not both",
                         hint="pass only shape=(...) without the batch axis")
    if batch_shape is not None:
        return tuple(batch_shape) if isinstance(batch_shape, (tuple, list)) else None
    if shape is None:
        raise ShapeError("KS204", "Input needs a `shape` (or `batch_shape`) argument",
                         hint="pass shape=(...) without the batch axis")
    if is_int(shape):
        # Keras 3 no longer turns an int into a 1-tuple: "Cannot convert '32' to a shape"
        raise ShapeError("KS204", f"Input needs a tuple for `shape`, got shape={shape}",
                         found=f"shape={shape}", hint=f"write shape=({shape},)")
    if not isinstance(shape, (tuple, list)):
        return None
    return (batch_size, *shape)


@signature("Dense", min_ndim=2, defined=(-1,), weights=(-1,), positional="units")
def dense(x: Shape, units: Size) -> Shape:
    """(batch, ..., features) -> (batch, ..., units)"""
    positive("Dense", "units", units)
    return (*x[:-1], units)


@signature("Embedding", positional="input_dim output_dim")
def embedding(x: Shape, input_dim: Size, output_dim: Size) -> Shape:
    """(batch, ...) of integer ids -> (batch, ..., output_dim), any rank"""
    positive("Embedding", "input_dim", input_dim)
    positive("Embedding", "output_dim", output_dim)
    return (*x, output_dim)


def _identity(x: Shape) -> Shape:
    """any shape -> the same shape"""
    return x


for _name in ("Dropout", "Activation", "ReLU", "LeakyReLU", "ELU", "Softmax",
              "GaussianNoise", "GaussianDropout", "AlphaDropout", "ActivityRegularization",
              "Identity"):
    signature(_name)(_identity)


@signature("PReLU", positional="alpha_initializer alpha_regularizer alpha_constraint shared_axes")
def prelu(x: Shape, shared_axes=None) -> Shape:
    """any shape -> the same shape; alpha has shape x[1:] with shared_axes set to 1"""
    alpha = list(x[1:])
    shared = [shared_axes] if is_int(shared_axes) else list(shared_axes or ())
    if not all(is_int(a) for a in shared):
        return x
    for a in shared:  # Keras indexes alpha with axis - 1, so -1 shares x[1]
        if not -len(alpha) <= a - 1 < len(alpha):
            raise ShapeError("KS203", f"PReLU shared_axes={shared_axes} is out of range "
                             f"for a {len(x)}D input {fmt(x)}", found=fmt(x))
        alpha[a - 1] = 1
    if None in alpha:
        # The axis depends on the rank, so it cannot be a `defined` rule.
        axis = alpha.index(None) + 1
        raise ShapeError("KS103", f"PReLU needs a defined size on axis {axis} of {fmt(x)} "
                         "for its alpha weights", found=fmt(x),
                         hint=f"give axis {axis} a size, or list it in shared_axes")
    return x


def _check_axes(name: str, x: Shape, axes: tuple, axis) -> None:
    for a in axes:
        if not -len(x) <= a < len(x):
            raise ShapeError("KS203", f"{name} axis={axis} is out of range for a {len(x)}D "
                             f"input {fmt(x)}", found=fmt(x))


def _bn_axis(args: dict) -> tuple:
    axis = args.get("axis", -1)
    return (axis,) if is_int(axis) else ()


@signature("BatchNormalization", defined=_bn_axis, weights=_bn_axis, positional="axis")
def batch_normalization(x: Shape, axis=-1) -> Shape:
    """any shape -> the same shape (one mean and variance along `axis`, always built)"""
    if not is_int(axis):  # Keras 3 does int(axis): a list of axes is LayerNormalization's
        raise ShapeError("KS203", f"BatchNormalization takes one int axis, got axis={axis}",
                         hint="pass a single axis, or use LayerNormalization for several")
    _check_axes("BatchNormalization", x, (axis,), axis)
    return x


def _ln_axes(args: dict) -> tuple:
    if args.get("center", True) is not True and args.get("scale", True) is not True:
        return ()  # no gamma nor beta: nothing is built on the axes
    axis = args.get("axis", -1)
    if is_int(axis):
        return (axis,)
    if isinstance(axis, (tuple, list)) and all(is_int(a) for a in axis):
        return tuple(axis)
    return ()


@signature("LayerNormalization", defined=_ln_axes, weights=_ln_axes,
           positional="axis epsilon center scale", reuse_checked=False)
def layer_normalization(x: Shape, axis=-1, center: bool = True, scale: bool = True) -> Shape:
    """any shape -> the same shape (gamma and beta span the `axis` entries)"""
    if is_int(axis):
        axes = (axis,)
    elif isinstance(axis, (tuple, list)):
        axes = tuple(a for a in axis if is_int(a))
    else:
        raise ShapeError("KS203", f"LayerNormalization needs an int or a tuple of ints for "
                         f"axis, got axis={axis}")
    _check_axes("LayerNormalization", x, axes, axis)
    return x
