"""Convolution, pooling and upsampling layers (2D)."""

from __future__ import annotations

from ..shapes import Shape, ShapeError, as_tuple, conv_length, deconv_length, fmt, is_int, mul
from . import Sizes, channel_axis, positive, signature

CONV_ARGS = "filters kernel_size strides padding data_format dilation_rate groups"
CONV_T_ARGS = "filters kernel_size strides padding output_padding data_format dilation_rate"
POOL_ARGS = "pool_size strides padding data_format"


def _channels_axes(args: dict) -> tuple:
    if args.get("data_format") is not None and not isinstance(args.get("data_format"), str):
        return ()  # not evaluated: the channels could be either end
    return (channel_axis(args),)


def _sizes(layer: str, name: str, value, n: int = 2, allow_zero: bool = False) -> tuple:
    """Keras's standardize_tuple: an int or n ints, each > 0 (>= 0 with allow_zero)."""
    if isinstance(value, (tuple, list)) and len(value) != n:
        raise ShapeError("KS203", f"{layer} needs {name} as an int or a tuple of {n} ints, "
                         f"got {name}={fmt(tuple(value))}")
    out = as_tuple(value, n)
    if any(is_int(v) and (v < 0 if allow_zero else v <= 0) for v in out):
        raise ShapeError("KS203", f"{layer} needs {name} > 0, got {name}={fmt(out)}")
    return out


def _data_format(layer: str, data_format) -> str | None:
    """"channels_last" or "channels_first" (case-insensitive, as Keras reads it); None if unknown"""
    if data_format is None:
        return "channels_last"
    if not isinstance(data_format, str):
        return None
    if data_format.lower() not in ("channels_last", "channels_first"):
        raise ShapeError("KS203", f"{layer} needs data_format \"channels_last\" or "
                         f"\"channels_first\", got data_format={data_format!r}")
    return data_format.lower()


def _padding(layer: str, padding, fold_case: bool = True) -> str | None:
    """"valid" or "same"; the conv layers lower-case it, the pooling layers do not"""
    if not isinstance(padding, str):
        return None
    value = padding.lower() if fold_case else padding
    if value not in ("valid", "same"):
        raise ShapeError("KS203", f"{layer} needs padding \"valid\" or \"same\", "
                         f"got padding={padding!r}")
    return value


def _split(x: Shape, data_format: str):
    """(batch, spatial, channels) whichever the data_format"""
    if data_format == "channels_first":
        return x[0], x[2:], x[1]
    return x[0], x[1:-1], x[-1]


def _join(batch, spatial, channels, data_format: str) -> Shape:
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


def _conv_args(name: str, filters, kernel_size, strides, dilation_rate, groups=1):
    """What Keras's conv constructors reject; returns (kernel, stride, dilation) tuples."""
    positive(name, "filters", filters)
    positive(name, "groups", groups)
    kernel = _sizes(name, "kernel_size", kernel_size)
    stride = _sizes(name, "strides", strides)
    dilation = _sizes(name, "dilation_rate", dilation_rate)
    if any(is_int(s) and s > 1 for s in stride) and any(is_int(d) and d > 1 for d in dilation):
        raise ShapeError("KS203", f"{name} cannot combine strides={fmt(stride)} > 1 with "
                         f"dilation_rate={fmt(dilation)} > 1", hint="set one of them to 1")
    if is_int(filters) and is_int(groups) and groups > 0 and filters % groups:
        raise ShapeError("KS203", f"{name} needs filters divisible by groups, got "
                         f"filters={filters}, groups={groups}")
    return kernel, stride, dilation


@signature("Conv2D", ndim=4, defined=_channels_axes, weights=_channels_axes, positional=CONV_ARGS,
           aliases=("Convolution2D",))
def conv2d(x: Shape, filters: Sizes, kernel_size: Sizes, strides: Sizes = 1, padding: str = "valid",
           data_format: str | None = None, dilation_rate: Sizes = 1, groups: Sizes = 1) -> Shape:
    """(batch, h, w, c) -> (batch, h', w', filters), h' = (h - (k-1)*d - 1) // s + 1 ("valid")"""
    # Keras's InputSpec says min_ndim=4, but a 5D input fails on the kernel rank: ndim=4.
    kernel, stride, dilation = _conv_args("Conv2D", filters, kernel_size, strides,
                                          dilation_rate, groups)
    data_format = _data_format("Conv2D", data_format)
    padding = _padding("Conv2D", padding)
    if data_format is None or padding is None:
        return None
    batch, spatial, channels = _split(x, data_format)
    if is_int(groups) and is_int(channels) and groups > 0 and channels % groups:
        raise ShapeError("KS203", f"Conv2D with groups={groups} needs input channels divisible "
                         f"by {groups}, got {channels}", found=fmt(x))
    out = tuple(conv_length(n, k, padding, s, d)
                for n, k, s, d in zip(spatial, kernel, stride, dilation))
    if padding == "valid":  # Keras checks only there: "same" on an empty axis stays empty
        _check_positive("Conv2D", x, out, kernel, "kernel_size")
    return _join(batch, out, filters, data_format)


@signature("Conv2DTranspose", ndim=4, defined=_channels_axes, weights=_channels_axes,
           positional=CONV_T_ARGS, aliases=("Convolution2DTranspose",))
def conv2d_transpose(x: Shape, filters: Sizes, kernel_size: Sizes, strides: Sizes = 1,
                     padding: str = "valid", output_padding: Sizes | None = None,
                     data_format: str | None = None, dilation_rate: Sizes = 1) -> Shape:
    """(batch, h, w, c) -> (batch, h', w', filters), h' = (h-1)*s + max(k', s) ("valid") or h*s"""
    kernel, stride, dilation = _conv_args("Conv2DTranspose", filters, kernel_size, strides,
                                          dilation_rate)
    pads = (None, None) if output_padding is None else _sizes(
        "Conv2DTranspose", "output_padding", output_padding, allow_zero=True)
    if any(is_int(p) and is_int(s) and p >= s for p, s in zip(pads, stride)):
        raise ShapeError("KS203", f"Conv2DTranspose needs output_padding smaller than strides, "
                         f"got output_padding={fmt(pads)} with strides={fmt(stride)}")
    data_format = _data_format("Conv2DTranspose", data_format)
    padding = _padding("Conv2DTranspose", padding)
    if data_format is None or padding is None:
        return None
    batch, spatial, _ = _split(x, data_format)
    out = tuple(deconv_length(n, k, padding, s, p, d)
                for n, k, s, p, d in zip(spatial, kernel, stride, pads, dilation))
    return _join(batch, out, filters, data_format)


def _pool(name: str, x: Shape, pool_size, strides, padding, data_format) -> Shape:
    window = _sizes(name, "pool_size", pool_size)
    stride = window if strides is None else _sizes(name, "strides", strides)
    data_format = _data_format(name, data_format)
    padding = _padding(name, padding, fold_case=False)
    if data_format is None or padding is None:
        return None
    batch, spatial, channels = _split(x, data_format)
    out = tuple(conv_length(n, k, padding, s) for n, k, s in zip(spatial, window, stride))
    if padding == "valid":
        _check_positive(name, x, out, window, "pool_size")
    return _join(batch, out, channels, data_format)


@signature("MaxPooling2D", ndim=4, positional=POOL_ARGS, aliases=("MaxPool2D",))
def max_pooling2d(x: Shape, pool_size: Sizes = 2, strides: Sizes | None = None,
                  padding: str = "valid", data_format: str | None = None) -> Shape:
    """(batch, h, w, c) -> (batch, (h - p) // s + 1, ..., c); strides default to pool_size"""
    return _pool("MaxPooling2D", x, pool_size, strides, padding, data_format)


@signature("AveragePooling2D", ndim=4, positional=POOL_ARGS, aliases=("AvgPool2D",))
def average_pooling2d(x: Shape, pool_size: Sizes, strides: Sizes | None = None,
                      padding: str = "valid", data_format: str | None = None) -> Shape:
    """(batch, h, w, c) -> (batch, (h - p) // s + 1, ..., c); pool_size has no default here"""
    return _pool("AveragePooling2D", x, pool_size, strides, padding, data_format)


@signature("UpSampling2D", ndim=4, positional="size data_format")
def up_sampling2d(x: Shape, size: Sizes = 2, data_format: str | None = None) -> Shape:
    """(batch, h, w, c) -> (batch, h * size[0], w * size[1], c)"""
    factors = _sizes("UpSampling2D", "size", size)
    data_format = _data_format("UpSampling2D", data_format)
    if data_format is None:
        return None
    batch, spatial, channels = _split(x, data_format)
    return _join(batch, tuple(mul(n, f) for n, f in zip(spatial, factors)), channels, data_format)
