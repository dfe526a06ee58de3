"""Core layers: Input, Dense, Embedding and the shape-preserving layers."""

from __future__ import annotations

from ..shapes import UNK, Shape, ShapeError, is_int
from . import Size, signature, source


@source("Input", aliases=("InputLayer",))
def input_layer(shape=None, batch_size: Size = None, batch_shape=None,
                batch_input_shape=None, input_shape=None) -> Shape | None:
    """shape excludes the batch axis: Input((32,)) -> (None, 32)"""
    if batch_shape is None and batch_input_shape is not None:
        batch_shape = batch_input_shape
    if shape is None and input_shape is not None:
        shape = input_shape
    if batch_shape is not None:
        if not isinstance(batch_shape, tuple):
            return None
        return tuple(batch_shape)
    if shape is None:
        raise ShapeError("KS204", "Input needs a `shape` (or `batch_shape`) argument",
                         hint="pass shape=(...) without the batch axis")
    if is_int(shape):
        shape = (shape,)
    if not isinstance(shape, tuple):
        return None
    return (batch_size, *shape)


@signature("Dense", min_ndim=2, defined=(-1,), weights=(-1,), positional="units")
def dense(x: Shape, units: Size) -> Shape:
    """(batch, ..., features) -> (batch, ..., units)"""
    return (*x[:-1], units)


@signature("Embedding", positional="input_dim output_dim")
def embedding(x: Shape, output_dim: Size) -> Shape:
    """(batch, ...) of integer ids -> (batch, ..., output_dim)"""
    return (*x, output_dim)


def _identity(x: Shape) -> Shape:
    """any shape -> the same shape"""
    return x


for _name in ("Dropout", "Activation", "ReLU", "LeakyReLU", "ELU", "Softmax", "PReLU",
              "GaussianNoise", "GaussianDropout", "AlphaDropout", "ActivityRegularization",
              "Identity"):
    signature(_name)(_identity)


def _norm_axes(args: dict) -> tuple:
    axis = args.get("axis", -1)
    if isinstance(axis, int):
        return (axis,)
    if isinstance(axis, (tuple, list)) and all(isinstance(a, int) for a in axis):
        return tuple(axis)
    return ()


@signature("BatchNormalization", defined=_norm_axes, weights=_norm_axes, positional="axis")
def batch_normalization(x: Shape, axis=-1) -> Shape:
    """any shape -> the same shape (one scale per `axis` entry)"""
    for a in _norm_axes({"axis": axis}):
        if not -len(x) <= a < len(x):
            raise ShapeError("KS101", f"axis={a} is out of range for a {len(x)}D input",
                             found=str(len(x)))
    return x


@signature("LayerNormalization", defined=_norm_axes, weights=_norm_axes, positional="axis")
def layer_normalization(x: Shape, axis=-1) -> Shape:
    """any shape -> the same shape"""
    return batch_normalization(x, axis)


_ = UNK
