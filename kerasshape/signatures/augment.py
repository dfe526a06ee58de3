"""Image augmentation layers (AugMix, CutMix, RandomHue, ...) and RMSNormalization.

Keras builds every augmentation layer on a symbolic input of any rank (its
compute_output_shape returns the input shape), but the first call on data of another rank
than 3 (one image) or 4 (a batch) raises. Some of them also need 3 channels on data
(RandomHue, RandomSaturation, RandomGrayscale, ...): where the channel count is not a
certain 3, kerasshape says nothing (unknown) rather than guess.
"""

from __future__ import annotations

from ..shapes import Shape, is_int
from . import signature
from .misc import _image_axes


def _image(x: Shape) -> Shape:
    """(batch, h, w, c) or unbatched (h, w, c) -> the same shape"""
    return x


SHAPE_PRESERVING = (
    "AutoContrast", "CutMix", "Equalization", "MixUp", "RandomColorJitter",
    "RandomElasticTransform", "RandomErasing", "RandomGaussianBlur", "RandomInvert",
    "RandomPosterization", "RandomSharpness", "RandomShear", "Solarization",
)

for _name in SHAPE_PRESERVING:
    signature(_name, min_ndim=3, max_ndim=4)(_image)


def _rgb(x: Shape, data_format=None) -> Shape:
    """(batch, h, w, 3) or unbatched (h, w, 3) -> the same shape (RGB images only)"""
    if data_format not in (None, "channels_last") or not (is_int(x[-1]) and x[-1] == 3):
        return None  # other channel counts pass or fail depending on the layer and data
    return x


# These convert to HSV or grayscale (or compare channels), so they need 3 channels.
RGB_ONLY = ("AugMix", "RandAugment",
            "RandomColorDegeneration", "RandomGrayscale", "RandomHue", "RandomSaturation")

for _name in RGB_ONLY:
    signature(_name, min_ndim=3, max_ndim=4, positional="")(_rgb)


@signature("RandomPerspective", min_ndim=3, max_ndim=4, positional="")
def random_perspective(x: Shape, data_format=None) -> Shape:
    """(batch, h, w, c) or unbatched (h, w, c) -> the same shape"""
    if len(x) in (3, 4) and any(x[a] == 1 for a in _image_axes(x, data_format)):
        return None  # a height or width of 1 fails on data: not reported, not guessed
    return x


@signature("ContrastLimitedAdaptiveHistogramEqualization", min_ndim=3, max_ndim=4, positional="")
def clahe(x: Shape, data_format=None, tile_grid_size=(8, 8)) -> Shape:
    """(batch, h, w, 3) or unbatched (h, w, 3) -> the same shape"""
    if (_rgb(x, data_format) is None or tile_grid_size != (8, 8)
            or not all(is_int(x[a]) and x[a] % 8 == 0 and x[a] > 0 for a in _image_axes(x, None))):
        return None  # small or uneven images fail on data: only the plain case is certain
    return x


# ------------------------------------------------------------------ RMSNormalization

def _rms_axes(args: dict) -> tuple:
    axis = args.get("axis", -1)
    axes = tuple(axis) if isinstance(axis, (tuple, list)) else (axis,)
    return axes if all(is_int(a) for a in axes) else ()


@signature("RMSNormalization", defined=_rms_axes, weights=_rms_axes, positional="axis epsilon",
           reuse_checked=False)
def rms_normalization(x: Shape, axis=-1) -> Shape:
    """any shape -> the same shape (scaled by the root mean square along `axis`)"""
    from .misc import _norm_axes
    _norm_axes("RMSNormalization", x, axis)
    return x


# ---------------------------------------------------------------- adaptive pooling

def _adaptive(n: int, x: Shape, output_size, data_format) -> Shape:
    sizes = (output_size,) * n if is_int(output_size) else output_size
    if (not isinstance(sizes, (tuple, list)) or len(sizes) != n
            or not all(is_int(s) and s > 0 for s in sizes) or len(x) != n + 2):
        return None  # Keras builds any rank symbolically; only the plain case is certain
    if data_format == "channels_first":
        return (x[0], x[1], *sizes)
    if data_format not in (None, "channels_last"):
        return None
    return (x[0], *sizes, x[-1])


for _n in (1, 2, 3):
    for _kind in ("Average", "Max"):
        def _make(n):
            def adaptive_pooling(x: Shape, output_size, data_format=None) -> Shape:
                return _adaptive(n, x, output_size, data_format)
            adaptive_pooling.__doc__ = (f"(batch, {n} spatial dims, c) -> (batch, *output_size, c)")
            return adaptive_pooling
        signature(f"Adaptive{_kind}Pooling{_n}D", positional="output_size data_format")(_make(_n))


# ------------------------------------------------------------- SpectralNormalization

@signature("SpectralNormalization", wrapper="layer", positional="layer power_iterations")
def spectral_normalization(x: Shape, layer) -> Shape:
    """x -> layer(x): the wrapped layer's output (it must have a kernel or embeddings)"""
    out = layer(x)
    return None if isinstance(out, list) else out
