"""Convolution layers, 1D to 3D: plain, transposed, separable and depthwise.

The helpers here are rank-generic (``n`` spatial axes); ``pooling`` and ``padding`` use them too.
"""

from __future__ import annotations

from ..shapes import Shape, ShapeError, as_tuple, conv_length, deconv_length, fmt, is_int, mul
from . import Sizes, channel_axis, positive, signature

CONV_ARGS = "filters kernel_size strides padding data_format dilation_rate groups"
CONV_T_ARGS = "filters kernel_size strides padding output_padding data_format dilation_rate"
CONV3D_T_ARGS = "filters kernel_size strides padding data_format output_padding dilation_rate"
SEPARABLE_ARGS = "filters kernel_size strides padding data_format dilation_rate depth_multiplier"
DEPTHWISE_ARGS = "kernel_size strides padding depth_multiplier data_format dilation_rate"


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
        raise ShapeError("KS203", f"{layer} needs {name} {'>= 0' if allow_zero else '> 0'}, "
                         f"got {name}={fmt(out)}")
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


def _padding(layer: str, padding, fold_case: bool = True, causal: bool = False) -> str | None:
    """"valid" or "same" ("causal" too for Conv1D); conv layers lower-case it, pooling does not"""
    if not isinstance(padding, str):
        return None
    value = padding.lower() if fold_case else padding
    allowed = ("valid", "same", "causal") if causal else ("valid", "same")
    if value not in allowed:
        names = " or ".join(f'"{a}"' for a in allowed)
        raise ShapeError("KS203", f"{layer} needs padding {names}, got padding={padding!r}")
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


def _check_not_negative(name: str, x: Shape, out: tuple, what: str) -> None:
    """Keras cannot make a tensor with a negative size (a size of 0 it accepts)."""
    for size in out:
        if is_int(size) and size < 0:
            raise ShapeError("KS202", f"{name} on {fmt(x)} with {what} gives a spatial size of "
                             f"{size}: a shape cannot have a negative size", found=fmt(x))


def _conv_args(name: str, n: int, filters, kernel_size, strides, dilation_rate, groups=1,
               exclusive: bool = True):
    """What Keras's conv constructors reject; returns (kernel, stride, dilation) tuples.

    ``exclusive``: strides > 1 with dilation_rate > 1 is refused (not by the depthwise and
    separable layers, which accept it).
    """
    positive(name, "filters", filters)
    positive(name, "groups", groups)
    kernel = _sizes(name, "kernel_size", kernel_size, n)
    stride = _sizes(name, "strides", strides, n)
    dilation = _sizes(name, "dilation_rate", dilation_rate, n)
    if exclusive and any(is_int(s) and s > 1 for s in stride) \
            and any(is_int(d) and d > 1 for d in dilation):
        raise ShapeError("KS203", f"{name} cannot combine strides={fmt(stride)} > 1 with "
                         f"dilation_rate={fmt(dilation)} > 1", hint="set one of them to 1")
    if is_int(filters) and is_int(groups) and groups > 0 and filters % groups:
        raise ShapeError("KS203", f"{name} needs filters divisible by groups, got "
                         f"filters={filters}, groups={groups}")
    return kernel, stride, dilation


def _conv(name: str, n: int, x: Shape, filters, kernel_size, strides, padding, data_format,
          dilation_rate, groups=1, depth_multiplier=None, exclusive: bool = True,
          causal: bool = False) -> Shape:
    """Conv1D/2D/3D, SeparableConv and (``filters=None``, a depth_multiplier) DepthwiseConv."""
    kernel, stride, dilation = _conv_args(name, n, filters, kernel_size, strides,
                                          dilation_rate, groups, exclusive)
    if depth_multiplier is not None:
        positive(name, "depth_multiplier", depth_multiplier)
    data_format = _data_format(name, data_format)
    padding = _padding(name, padding, causal=causal)
    if data_format is None or padding is None:
        return None
    batch, spatial, channels = _split(x, data_format)
    if is_int(groups) and is_int(channels) and groups > 0 and channels % groups:
        raise ShapeError("KS203", f"{name} with groups={groups} needs input channels divisible "
                         f"by {groups}, got {channels}", found=fmt(x))
    if padding != "valid":  # "same" and "causal" sizes do not depend on the window
        kernel, dilation = (1,) * n, (1,) * n
    out = tuple(conv_length(size, k, padding, s, d)
                for size, k, s, d in zip(spatial, kernel, stride, dilation))
    if padding == "valid":  # Keras checks only there: "same" on an empty axis stays empty
        _check_positive(name, x, out, kernel, "kernel_size")
    if filters is None:  # depthwise: each input channel gives depth_multiplier outputs
        filters = mul(channels, depth_multiplier)
    return _join(batch, out, filters, data_format)


def _conv_transpose(name: str, n: int, x: Shape, filters, kernel_size, strides, padding,
                    output_padding, data_format, dilation_rate) -> Shape:
    kernel, stride, dilation = _conv_args(name, n, filters, kernel_size, strides, dilation_rate)
    pads = (None,) * n if output_padding is None else _sizes(
        name, "output_padding", output_padding, n, allow_zero=True)
    if any(is_int(p) and is_int(s) and p >= s for p, s in zip(pads, stride)):
        raise ShapeError("KS203", f"{name} needs output_padding smaller than strides, "
                         f"got output_padding={fmt(pads)} with strides={fmt(stride)}")
    data_format = _data_format(name, data_format)
    padding = _padding(name, padding)
    if data_format is None or padding is None:
        return None
    batch, spatial, _ = _split(x, data_format)
    out = tuple(deconv_length(size, k, padding, s, p, d)
                for size, k, s, p, d in zip(spatial, kernel, stride, pads, dilation))
    _check_not_negative(name, x, out, f"kernel_size={fmt(kernel)}, strides={fmt(stride)}")
    return _join(batch, out, filters, data_format)


# ------------------------------------------------------------------ Conv1D/2D/3D

@signature("Conv1D", ndim=3, defined=_channels_axes, weights=_channels_axes, positional=CONV_ARGS,
           aliases=("Convolution1D",))
def conv1d(x: Shape, filters: Sizes, kernel_size: Sizes, strides: Sizes = 1, padding: str = "valid",
           data_format: str | None = None, dilation_rate: Sizes = 1, groups: Sizes = 1) -> Shape:
    """(batch, steps, c) -> (batch, steps', filters); padding="causal" sizes steps' as "same" does"""
    return _conv("Conv1D", 1, x, filters, kernel_size, strides, padding, data_format,
                 dilation_rate, groups, causal=True)


@signature("Conv2D", ndim=4, defined=_channels_axes, weights=_channels_axes, positional=CONV_ARGS,
           aliases=("Convolution2D",))
def conv2d(x: Shape, filters: Sizes, kernel_size: Sizes, strides: Sizes = 1, padding: str = "valid",
           data_format: str | None = None, dilation_rate: Sizes = 1, groups: Sizes = 1) -> Shape:
    """(batch, h, w, c) -> (batch, h', w', filters), h' = (h - (k-1)*d - 1) // s + 1 ("valid")"""
    # Keras's InputSpec says min_ndim=4, but a 5D input fails on the kernel rank: ndim=4.
    return _conv("Conv2D", 2, x, filters, kernel_size, strides, padding, data_format,
                 dilation_rate, groups)


@signature("Conv3D", ndim=5, defined=_channels_axes, weights=_channels_axes, positional=CONV_ARGS,
           aliases=("Convolution3D",))
def conv3d(x: Shape, filters: Sizes, kernel_size: Sizes, strides: Sizes = 1, padding: str = "valid",
           data_format: str | None = None, dilation_rate: Sizes = 1, groups: Sizes = 1) -> Shape:
    """(batch, d, h, w, c) -> (batch, d', h', w', filters), each as Conv2D's"""
    return _conv("Conv3D", 3, x, filters, kernel_size, strides, padding, data_format,
                 dilation_rate, groups)


# ------------------------------------------------------------------ transposed

@signature("Conv1DTranspose", ndim=3, defined=_channels_axes, weights=_channels_axes,
           positional=CONV_T_ARGS, aliases=("Convolution1DTranspose",))
def conv1d_transpose(x: Shape, filters: Sizes, kernel_size: Sizes, strides: Sizes = 1,
                     padding: str = "valid", output_padding: Sizes | None = None,
                     data_format: str | None = None, dilation_rate: Sizes = 1) -> Shape:
    """(batch, steps, c) -> (batch, (steps-1)*s + max(k', s) ("valid") or steps*s, filters)"""
    return _conv_transpose("Conv1DTranspose", 1, x, filters, kernel_size, strides, padding,
                           output_padding, data_format, dilation_rate)


@signature("Conv2DTranspose", ndim=4, defined=_channels_axes, weights=_channels_axes,
           positional=CONV_T_ARGS, aliases=("Convolution2DTranspose",))
def conv2d_transpose(x: Shape, filters: Sizes, kernel_size: Sizes, strides: Sizes = 1,
                     padding: str = "valid", output_padding: Sizes | None = None,
                     data_format: str | None = None, dilation_rate: Sizes = 1) -> Shape:
    """(batch, h, w, c) -> (batch, h', w', filters), h' = (h-1)*s + max(k', s) ("valid") or h*s"""
    return _conv_transpose("Conv2DTranspose", 2, x, filters, kernel_size, strides, padding,
                           output_padding, data_format, dilation_rate)


@signature("Conv3DTranspose", ndim=5, defined=_channels_axes, weights=_channels_axes,
           positional=CONV3D_T_ARGS, aliases=("Convolution3DTranspose",))
def conv3d_transpose(x: Shape, filters: Sizes, kernel_size: Sizes, strides: Sizes = 1,
                     padding: str = "valid", data_format: str | None = None,
                     output_padding: Sizes | None = None, dilation_rate: Sizes = 1) -> Shape:
    """(batch, d, h, w, c) -> (batch, d', h', w', filters), each as Conv2DTranspose's"""
    # Keras's own order: data_format comes before output_padding here (not in 1D/2D).
    return _conv_transpose("Conv3DTranspose", 3, x, filters, kernel_size, strides, padding,
                           output_padding, data_format, dilation_rate)


# ------------------------------------------------------------ separable, depthwise

@signature("SeparableConv1D", ndim=3, defined=_channels_axes, weights=_channels_axes,
           positional=SEPARABLE_ARGS, aliases=("SeparableConvolution1D",))
def separable_conv1d(x: Shape, filters: Sizes, kernel_size: Sizes, strides: Sizes = 1,
                     padding: str = "valid", data_format: str | None = None,
                     dilation_rate: Sizes = 1, depth_multiplier: Sizes = 1) -> Shape:
    """(batch, steps, c) -> (batch, steps', filters), steps' as Conv1D's (no "causal")"""
    # Unlike Conv1D, strides > 1 with dilation_rate > 1 passes the constructor.
    return _conv("SeparableConv1D", 1, x, filters, kernel_size, strides, padding, data_format,
                 dilation_rate, depth_multiplier=depth_multiplier, exclusive=False)


@signature("SeparableConv2D", ndim=4, defined=_channels_axes, weights=_channels_axes,
           positional=SEPARABLE_ARGS, aliases=("SeparableConvolution2D",))
def separable_conv2d(x: Shape, filters: Sizes, kernel_size: Sizes, strides: Sizes = 1,
                     padding: str = "valid", data_format: str | None = None,
                     dilation_rate: Sizes = 1, depth_multiplier: Sizes = 1) -> Shape:
    """(batch, h, w, c) -> (batch, h', w', filters), h', w' as Conv2D's"""
    return _conv("SeparableConv2D", 2, x, filters, kernel_size, strides, padding, data_format,
                 dilation_rate, depth_multiplier=depth_multiplier, exclusive=False)


@signature("DepthwiseConv1D", ndim=3, defined=_channels_axes, weights=_channels_axes,
           positional=DEPTHWISE_ARGS)
def depthwise_conv1d(x: Shape, kernel_size: Sizes, strides: Sizes = 1, padding: str = "valid",
                     depth_multiplier: Sizes = 1, data_format: str | None = None,
                     dilation_rate: Sizes = 1) -> Shape:
    """(batch, steps, c) -> (batch, steps', c * depth_multiplier), steps' as Conv1D's"""
    return _conv("DepthwiseConv1D", 1, x, None, kernel_size, strides, padding, data_format,
                 dilation_rate, depth_multiplier=depth_multiplier, exclusive=False)


@signature("DepthwiseConv2D", ndim=4, defined=_channels_axes, weights=_channels_axes,
           positional=DEPTHWISE_ARGS)
def depthwise_conv2d(x: Shape, kernel_size: Sizes, strides: Sizes = 1, padding: str = "valid",
                     depth_multiplier: Sizes = 1, data_format: str | None = None,
                     dilation_rate: Sizes = 1) -> Shape:
    """(batch, h, w, c) -> (batch, h', w', c * depth_multiplier), h', w' as Conv2D's"""
    return _conv("DepthwiseConv2D", 2, x, None, kernel_size, strides, padding, data_format,
                 dilation_rate, depth_multiplier=depth_multiplier, exclusive=False)
