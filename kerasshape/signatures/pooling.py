"""Pooling layers: 1D/2D/3D windows and global pooling."""

from __future__ import annotations

from ..shapes import Shape, conv_length
from . import Sizes, signature
from .conv import _check_positive, _data_format, _join, _padding, _sizes, _split

POOL_ARGS = "pool_size strides padding data_format"
GLOBAL_ARGS = "data_format keepdims"


def _pool(name: str, n: int, x: Shape, pool_size, strides, padding, data_format) -> Shape:
    window = _sizes(name, "pool_size", pool_size, n)
    # Keras lets strides=0 through its constructor; the output size then divides by zero.
    stride = window if strides is None else _sizes(name, "strides", strides, n)
    data_format = _data_format(name, data_format)
    padding = _padding(name, padding, fold_case=False)
    if data_format is None or padding is None:
        return None
    batch, spatial, channels = _split(x, data_format)
    out = tuple(conv_length(size, k, padding, s) for size, k, s in zip(spatial, window, stride))
    if padding == "valid":
        _check_positive(name, x, out, window, "pool_size")
    return _join(batch, out, channels, data_format)


def _global(name: str, x: Shape, data_format, keepdims) -> Shape:
    data_format = _data_format(name, data_format)
    if data_format is None:
        return None
    batch, spatial, channels = _split(x, data_format)
    if keepdims:
        return _join(batch, (1,) * len(spatial), channels, data_format)
    return (batch, channels)


# ---------------------------------------------------------------- max pooling

@signature("MaxPooling1D", ndim=3, positional=POOL_ARGS, aliases=("MaxPool1D",))
def max_pooling1d(x: Shape, pool_size: Sizes = 2, strides: Sizes | None = None,
                  padding: str = "valid", data_format: str | None = None) -> Shape:
    """(batch, steps, c) -> (batch, (steps - p) // s + 1, c); strides default to pool_size"""
    return _pool("MaxPooling1D", 1, x, pool_size, strides, padding, data_format)


@signature("MaxPooling2D", ndim=4, positional=POOL_ARGS, aliases=("MaxPool2D",))
def max_pooling2d(x: Shape, pool_size: Sizes = 2, strides: Sizes | None = None,
                  padding: str = "valid", data_format: str | None = None) -> Shape:
    """(batch, h, w, c) -> (batch, (h - p) // s + 1, ..., c); strides default to pool_size"""
    return _pool("MaxPooling2D", 2, x, pool_size, strides, padding, data_format)


@signature("MaxPooling3D", ndim=5, positional=POOL_ARGS, aliases=("MaxPool3D",))
def max_pooling3d(x: Shape, pool_size: Sizes = 2, strides: Sizes | None = None,
                  padding: str = "valid", data_format: str | None = None) -> Shape:
    """(batch, d, h, w, c) -> (batch, (d - p) // s + 1, ..., c); strides default to pool_size"""
    return _pool("MaxPooling3D", 3, x, pool_size, strides, padding, data_format)


# ------------------------------------------------------------ average pooling

@signature("AveragePooling1D", ndim=3, positional=POOL_ARGS, aliases=("AvgPool1D",))
def average_pooling1d(x: Shape, pool_size: Sizes, strides: Sizes | None = None,
                      padding: str = "valid", data_format: str | None = None) -> Shape:
    """(batch, steps, c) -> (batch, (steps - p) // s + 1, c); pool_size has no default here"""
    return _pool("AveragePooling1D", 1, x, pool_size, strides, padding, data_format)


@signature("AveragePooling2D", ndim=4, positional=POOL_ARGS, aliases=("AvgPool2D",))
def average_pooling2d(x: Shape, pool_size: Sizes, strides: Sizes | None = None,
                      padding: str = "valid", data_format: str | None = None) -> Shape:
    """(batch, h, w, c) -> (batch, (h - p) // s + 1, ..., c); pool_size has no default here"""
    return _pool("AveragePooling2D", 2, x, pool_size, strides, padding, data_format)


@signature("AveragePooling3D", ndim=5, positional=POOL_ARGS, aliases=("AvgPool3D",))
def average_pooling3d(x: Shape, pool_size: Sizes, strides: Sizes | None = None,
                      padding: str = "valid", data_format: str | None = None) -> Shape:
    """(batch, d, h, w, c) -> (batch, (d - p) // s + 1, ..., c); pool_size has no default here"""
    return _pool("AveragePooling3D", 3, x, pool_size, strides, padding, data_format)


# ------------------------------------------------------------- global pooling

@signature("GlobalMaxPooling1D", ndim=3, positional=GLOBAL_ARGS, aliases=("GlobalMaxPool1D",))
def global_max_pooling1d(x: Shape, data_format: str | None = None,
                         keepdims: bool = False) -> Shape:
    """(batch, steps, c) -> (batch, c), or (batch, 1, c) with keepdims"""
    return _global("GlobalMaxPooling1D", x, data_format, keepdims)


@signature("GlobalMaxPooling2D", ndim=4, positional=GLOBAL_ARGS, aliases=("GlobalMaxPool2D",))
def global_max_pooling2d(x: Shape, data_format: str | None = None,
                         keepdims: bool = False) -> Shape:
    """(batch, h, w, c) -> (batch, c), or (batch, 1, 1, c) with keepdims"""
    return _global("GlobalMaxPooling2D", x, data_format, keepdims)


@signature("GlobalMaxPooling3D", ndim=5, positional=GLOBAL_ARGS, aliases=("GlobalMaxPool3D",))
def global_max_pooling3d(x: Shape, data_format: str | None = None,
                         keepdims: bool = False) -> Shape:
    """(batch, d, h, w, c) -> (batch, c), or (batch, 1, 1, 1, c) with keepdims"""
    return _global("GlobalMaxPooling3D", x, data_format, keepdims)


@signature("GlobalAveragePooling1D", ndim=3, positional=GLOBAL_ARGS,
           aliases=("GlobalAvgPool1D",))
def global_average_pooling1d(x: Shape, data_format: str | None = None,
                             keepdims: bool = False) -> Shape:
    """(batch, steps, c) -> (batch, c), or (batch, 1, c) with keepdims"""
    return _global("GlobalAveragePooling1D", x, data_format, keepdims)


@signature("GlobalAveragePooling2D", ndim=4, positional=GLOBAL_ARGS,
           aliases=("GlobalAvgPool2D",))
def global_average_pooling2d(x: Shape, data_format: str | None = None,
                             keepdims: bool = False) -> Shape:
    """(batch, h, w, c) -> (batch, c), or (batch, 1, 1, c) with keepdims"""
    return _global("GlobalAveragePooling2D", x, data_format, keepdims)


@signature("GlobalAveragePooling3D", ndim=5, positional=GLOBAL_ARGS,
           aliases=("GlobalAvgPool3D",))
def global_average_pooling3d(x: Shape, data_format: str | None = None,
                             keepdims: bool = False) -> Shape:
    """(batch, d, h, w, c) -> (batch, c), or (batch, 1, 1, 1, c) with keepdims"""
    return _global("GlobalAveragePooling3D", x, data_format, keepdims)
