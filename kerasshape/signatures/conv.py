"""Convolution, pooling and upsampling layers (2D)."""

from __future__ import annotations

from ..shapes import UNK, Shape, ShapeError, as_tuple, conv_length, deconv_length, fmt, is_int, mul
from . import Sizes, channel_axis, signature

CONV_ARGS = "filters kernel_size strides padding data_format dilation_rate groups"
CONV_T_ARGS = "filters kernel_size strides padding output_padding data_format dilation_rate"
POOL_ARGS = "pool_size strides padding data_format"


def _channels_axes(args: dict) -> tuple:
    return (channel_axis(args),)


def _split(x: Shape, data_format: str | None):
    """(batch, spatial..., channels) whichever the data_format"""
    if data_format == "channels_first":
        return x[0], x[2:], x[1]
    return x[0], x[1:-1], x[-1]


def _join(batch, spatial, channels, data_format: str | None) -> Shape:
    if data_format == "channels_first":
        return (batch, channels, *spatial)
    return (batch, *spatial, channels)


def _check_positive(name: str, x: Shape, out: tuple, window, what: str) -> None:
    for size in out:
        if is_int(size) and size <= 0:
            raise ShapeError(
                "KS202",
                f"{name} on {fmt(x)} with {what}={fmt(window)} leaves a spatial size of "
                f"{size}: computed output size would be zero or negative",
                found=fmt(x),
                hint="use padding=\"same\", a smaller window, or a larger input")


def _conv(name: str, x: Shape, rank: int, filters, kernel_size, strides, padding,
          data_format, dilation_rate, groups=1) -> Shape:
    if not isinstance(padding, str) or data_format not in (None, "channels_last", "channels_first"):
        return None
    batch, spatial, channels = _split(x, data_format)
    kernel = as_tuple(kernel_size, rank)
    stride = as_tuple(strides, rank)
    dilation = as_tuple(dilation_rate, rank)
    if is_int(groups) and is_int(channels) and groups > 0 and channels % groups:
        raise ShapeError("KS203", f"{name} with groups={groups} needs input channels divisible "
                         f"by {groups}, got {channels}", found=fmt(x))
    out = tuple(conv_length(n, k, padding.lower(), s, d)
                for n, k, s, d in zip(spatial, kernel, stride, dilation))
    _check_positive(name, x, out, kernel, "kernel_size")
    return _join(batch, out, filters, data_format)


@signature("Conv2D", ndim=4, defined=_channels_axes, weights=_channels_axes, positional=CONV_ARGS,
           aliases=("Convolution2D",))
def conv2d(x: Shape, filters: Sizes, kernel_size: Sizes, strides: Sizes = 1, padding: str = "valid",
           data_format: str | None = None, dilation_rate: Sizes = 1, groups: Sizes = 1) -> Shape:
    """(batch, h, w, c) -> (batch, h', w', filters), h' = (h - (k-1)*d - 1) // s + 1 ("valid")"""
    return _conv("Conv2D", x, 2, filters, kernel_size, strides, padding, data_format,
                 dilation_rate, groups)


@signature("Conv2DTranspose", ndim=4, defined=_channels_axes, weights=_channels_axes,
           positional=CONV_T_ARGS, aliases=("Convolution2DTranspose",))
def conv2d_transpose(x: Shape, filters: Sizes, kernel_size: Sizes, strides: Sizes = 1,
                     padding: str = "valid", output_padding: Sizes | None = None,
                     data_format: str | None = None, dilation_rate: Sizes = 1) -> Shape:
    """(batch, h, w, c) -> (batch, h*s (+ max(k - s, 0) if "valid"), ..., filters)"""
    if not isinstance(padding, str) or data_format not in (None, "channels_last", "channels_first"):
        return None
    batch, spatial, _ = _split(x, data_format)
    kernel = as_tuple(kernel_size, 2)
    stride = as_tuple(strides, 2)
    dilation = as_tuple(dilation_rate, 2)
    pads = (None, None) if output_padding is None else as_tuple(output_padding, 2)
    for p, s in zip(pads, stride):
        if is_int(p) and is_int(s) and p >= s:
            raise ShapeError("KS203", f"Conv2DTranspose needs output_padding smaller than strides, "
                             f"got output_padding={fmt(pads)} with strides={fmt(stride)}")
    out = tuple(deconv_length(n, k, padding.lower(), s, p, d)
                for n, k, s, p, d in zip(spatial, kernel, stride, pads, dilation))
    return _join(batch, out, filters, data_format)


def _pool(name: str, x: Shape, pool_size, strides, padding, data_format) -> Shape:
    if not isinstance(padding, str) or data_format not in (None, "channels_last", "channels_first"):
        return None
    batch, spatial, channels = _split(x, data_format)
    window = as_tuple(pool_size, 2)
    stride = window if strides is None else as_tuple(strides, 2)
    out = tuple(conv_length(n, k, padding.lower(), s) for n, k, s in zip(spatial, window, stride))
    _check_positive(name, x, out, window, "pool_size")
    return _join(batch, out, channels, data_format)


@signature("MaxPooling2D", ndim=4, positional=POOL_ARGS, aliases=("MaxPool2D",))
def max_pooling2d(x: Shape, pool_size: Sizes = 2, strides: Sizes | None = None,
                  padding: str = "valid", data_format: str | None = None) -> Shape:
    """(batch, h, w, c) -> (batch, (h - p) // s + 1, ..., c); strides default to pool_size"""
    return _pool("MaxPooling2D", x, pool_size, strides, padding, data_format)


@signature("AveragePooling2D", ndim=4, positional=POOL_ARGS, aliases=("AvgPool2D",))
def average_pooling2d(x: Shape, pool_size: Sizes = 2, strides: Sizes | None = None,
                      padding: str = "valid", data_format: str | None = None) -> Shape:
    """(batch, h, w, c) -> (batch, (h - p) // s + 1, ..., c); strides default to pool_size"""
    return _pool("AveragePooling2D", x, pool_size, strides, padding, data_format)


@signature("UpSampling2D", ndim=4, positional="size data_format")
def up_sampling2d(x: Shape, size: Sizes = 2, data_format: str | None = None) -> Shape:
    """(batch, h, w, c) -> (batch, h * size[0], w * size[1], c)"""
    if data_format not in (None, "channels_last", "channels_first"):
        return None
    batch, spatial, channels = _split(x, data_format)
    factors = as_tuple(size, 2)
    return _join(batch, tuple(mul(n, f) for n, f in zip(spatial, factors)), channels, data_format)


_ = UNK
