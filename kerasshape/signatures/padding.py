"""Layers that pad, crop or repeat spatial axes: ZeroPadding, Cropping, UpSampling."""

from __future__ import annotations

from ..shapes import UNK, Shape, ShapeError, add, fmt, is_int, mul
from . import Sizes, signature
from .conv import _data_format, _join, _sizes, _split

ORDINAL = ("1st", "2nd", "3rd")


def _pairs(layer: str, name: str, value, n: int) -> tuple:
    """((before, after), ...) for n axes from an int, n ints or n pairs (Keras 2D/3D forms)."""
    if is_int(value):
        if value < 0:
            raise ShapeError("KS203", f"{layer} needs {name} >= 0, got {name}={value}",
                             found=f"{name}={value}", hint=f"pass {name} >= 0")
        return ((value, value),) * n
    if not isinstance(value, (tuple, list)):
        return ((UNK, UNK),) * n
    if len(value) != n:
        raise ShapeError("KS203", f"{layer} needs {name} as an int, {n} ints or {n} pairs of "
                         f"ints, got {name}={fmt(tuple(value))}")
    return tuple(_sizes(layer, f"the {ORDINAL[i]} entry of {name}", v, 2, allow_zero=True)
                 for i, v in enumerate(value))


def _resize(layer: str, x: Shape, pairs: tuple, data_format: str, sign: int) -> Shape:
    """Grow (sign=1) or shrink (sign=-1) each spatial axis by its pair."""
    batch, spatial, channels = _split(x, data_format)
    out = []
    for size, pair in zip(spatial, pairs):
        total = add(*pair)
        got = add(size, total if sign > 0 else mul(total, -1))
        if sign < 0 and is_int(got) and got <= 0:
            raise ShapeError("KS202", f"{layer} crops {fmt(pair)} from an axis of size {size} "
                             f"in {fmt(x)}, leaving {got}: cropping must be smaller than the "
                             "input", found=fmt(x), hint="crop less, or check the input size")
        out.append(got)
    return _join(batch, tuple(out), channels, data_format)


# ---------------------------------------------------------------- zero padding

@signature("ZeroPadding1D", ndim=3, positional="padding data_format")
def zero_padding1d(x: Shape, padding: Sizes = 1, data_format: str | None = None) -> Shape:
    """(batch, steps, c) -> (batch, steps + left + right, c)"""
    pairs = (_sizes("ZeroPadding1D", "padding", padding, 2, allow_zero=True),)
    data_format = _data_format("ZeroPadding1D", data_format)
    return None if data_format is None else _resize("ZeroPadding1D", x, pairs, data_format, 1)


@signature("ZeroPadding2D", ndim=4, positional="padding data_format")
def zero_padding2d(x: Shape, padding: Sizes = (1, 1), data_format: str | None = None) -> Shape:
    """(batch, h, w, c) -> (batch, h + top + bottom, w + left + right, c)"""
    # Keras's constructor does not check a single int: ZeroPadding2D(-1) builds on symbolic
    # inputs, one size smaller each side, and then fails on data (negative paddings): KS203.
    pairs = _pairs("ZeroPadding2D", "padding", padding, 2)
    data_format = _data_format("ZeroPadding2D", data_format)
    return None if data_format is None else _resize("ZeroPadding2D", x, pairs, data_format, 1)


@signature("ZeroPadding3D", ndim=5, positional="padding data_format")
def zero_padding3d(x: Shape, padding: Sizes = ((1, 1), (1, 1), (1, 1)),
                   data_format: str | None = None) -> Shape:
    """(batch, d, h, w, c) -> (batch, d + pads, h + pads, w + pads, c)"""
    pairs = _pairs("ZeroPadding3D", "padding", padding, 3)  # a negative int as in 2D
    data_format = _data_format("ZeroPadding3D", data_format)
    return None if data_format is None else _resize("ZeroPadding3D", x, pairs, data_format, 1)


# -------------------------------------------------------------------- cropping

@signature("Cropping1D", ndim=3, positional="cropping")
def cropping1d(x: Shape, cropping: Sizes = (1, 1)) -> Shape:
    """(batch, steps, c) -> (batch, steps - start - end, c), at least 1 left"""
    pairs = (_sizes("Cropping1D", "cropping", cropping, 2, allow_zero=True),)
    return _resize("Cropping1D", x, pairs, "channels_last", -1)


@signature("Cropping2D", ndim=4, positional="cropping data_format")
def cropping2d(x: Shape, cropping: Sizes = ((0, 0), (0, 0)),
               data_format: str | None = None) -> Shape:
    """(batch, h, w, c) -> (batch, h - top - bottom, w - left - right, c), at least 1 left"""
    pairs = _pairs("Cropping2D", "cropping", cropping, 2)
    data_format = _data_format("Cropping2D", data_format)
    return None if data_format is None else _resize("Cropping2D", x, pairs, data_format, -1)


@signature("Cropping3D", ndim=5, positional="cropping data_format")
def cropping3d(x: Shape, cropping: Sizes = ((1, 1), (1, 1), (1, 1)),
               data_format: str | None = None) -> Shape:
    """(batch, d, h, w, c) -> (batch, d - crops, h - crops, w - crops, c), at least 1 left"""
    pairs = _pairs("Cropping3D", "cropping", cropping, 3)
    data_format = _data_format("Cropping3D", data_format)
    return None if data_format is None else _resize("Cropping3D", x, pairs, data_format, -1)


# ------------------------------------------------------------------ upsampling

def _upsample(layer: str, n: int, x: Shape, size, data_format) -> Shape:
    factors = _sizes(layer, "size", size, n)
    data_format = _data_format(layer, data_format)
    if data_format is None:
        return None
    batch, spatial, channels = _split(x, data_format)
    return _join(batch, tuple(mul(s, f) for s, f in zip(spatial, factors)), channels, data_format)


@signature("UpSampling1D", ndim=3, positional="size")
def up_sampling1d(x: Shape, size: Sizes = 2) -> Shape:
    """(batch, steps, c) -> (batch, steps * size, c); size is one int"""
    if isinstance(size, (tuple, list, bool)):
        raise ShapeError("KS203", f"UpSampling1D needs size as one int, got size={size!r}")
    return _upsample("UpSampling1D", 1, x, size, None)


@signature("UpSampling2D", ndim=4, positional="size data_format")
def up_sampling2d(x: Shape, size: Sizes = 2, data_format: str | None = None) -> Shape:
    """(batch, h, w, c) -> (batch, h * size[0], w * size[1], c)"""
    return _upsample("UpSampling2D", 2, x, size, data_format)


@signature("UpSampling3D", ndim=5, positional="size data_format")
def up_sampling3d(x: Shape, size: Sizes = 2, data_format: str | None = None) -> Shape:
    """(batch, d, h, w, c) -> (batch, d * size[0], h * size[1], w * size[2], c)"""
    return _upsample("UpSampling3D", 3, x, size, data_format)
