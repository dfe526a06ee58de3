"""Other shape-bearing layers: Permute, Masking, Dot, normalization and image preprocessing."""

from __future__ import annotations

from ..shapes import Shape, ShapeError, differs, fmt, is_int
from . import Size, signature


def _identity(x: Shape) -> Shape:
    """any shape -> the same shape"""
    return x


for _name in ("Masking", "Rescaling"):
    signature(_name)(_identity)


def _image(x: Shape) -> Shape:
    """(batch, h, w, c) or unbatched (h, w, c) -> the same shape"""
    return x


# The image layers take a batch (4D) or one image (3D). Keras builds them on symbolic inputs
# of any rank (compute_output_shape returns the input shape, no InputSpec), but the first
# call on data of another rank raises, in training and in inference alike.
for _name in ("RandomFlip", "RandomRotation", "RandomZoom", "RandomTranslation",
              "RandomContrast", "RandomBrightness"):
    signature(_name, min_ndim=3, max_ndim=4)(_image)

for _rank, _name in ((3, "SpatialDropout1D"), (4, "SpatialDropout2D"), (5, "SpatialDropout3D")):
    signature(_name, ndim=_rank)(_identity)


@signature("Permute", positional="dims")
def permute(x: Shape, dims) -> Shape:
    """(batch, d_1, ..., d_n) -> (batch, d_dims[0], ..., d_dims[n-1])"""
    if not isinstance(dims, (tuple, list)):
        return None
    dims = tuple(dims)
    if sorted(dims) != list(range(1, len(dims) + 1)):
        raise ShapeError("KS203", f"Permute needs a permutation of 1..{len(dims)}, got "
                         f"dims={dims}", found=f"dims={dims}",
                         hint="number the non-batch axes from 1 (the batch axis stays first)")
    if len(x) != len(dims) + 1:  # Keras's InputSpec(ndim=len(dims) + 1)
        raise ShapeError("KS101", f"Permute(dims={dims}) expects a {len(dims) + 1}D input, "
                         f"got {len(x)}D {fmt(x)}", expected=f"{len(dims) + 1}D", found=fmt(x))
    return (x[0], *(x[d] for d in dims))


def _norm_axes(layer: str, x: Shape, axis) -> None:
    axes = tuple(axis) if isinstance(axis, (tuple, list)) else (axis,)
    for a in axes:
        if is_int(a) and not -len(x) <= a < len(x):
            raise ShapeError("KS203", f"{layer} axis={axis} is out of range for the "
                             f"{len(x)}D input {fmt(x)}", found=fmt(x),
                             hint=f"pick axes between {-len(x)} and {len(x) - 1}")


@signature("UnitNormalization", positional="axis")
def unit_normalization(x: Shape, axis=-1) -> Shape:
    """any shape -> the same shape (L2-normalized along `axis`)"""
    _norm_axes("UnitNormalization", x, axis)
    return x


def _gn_axis(args: dict) -> tuple:
    axis = args.get("axis", -1)
    return (axis,) if is_int(axis) else ()


@signature("GroupNormalization", defined=_gn_axis, weights=_gn_axis, positional="groups axis")
def group_normalization(x: Shape, groups: int = 32, axis: int = -1) -> Shape:
    """any shape -> the same shape; groups must divide the size of `axis` (groups=-1: one each)"""
    if not is_int(groups) or (groups <= 0 and groups != -1):
        raise ShapeError("KS203", f"GroupNormalization needs a positive `groups` (or -1), "
                         f"got groups={groups}", found=f"groups={groups}")
    if not is_int(axis):
        raise ShapeError("KS203", f"GroupNormalization takes one int axis, got axis={axis}",
                         found=f"axis={axis}")
    if not -len(x) <= axis < len(x):
        raise ShapeError("KS203", f"GroupNormalization axis={axis} is out of range for the "
                         f"{len(x)}D input {fmt(x)}", found=fmt(x))
    channels = x[axis]
    if is_int(channels):
        g = channels if groups == -1 else groups
        if channels < g or g == 0 or channels % g:
            raise ShapeError(
                "KS203",
                f"GroupNormalization(groups={groups}) needs a number of groups that divides the "
                f"{channels} channels on axis {axis} of {fmt(x)}",
                expected=f"groups dividing {channels}", found=f"groups={groups}",
                hint="pick groups among the divisors of the channel count")
    return x


def _sized(d) -> bool:
    """Certainly not None: an int or a named size."""
    return is_int(d) or isinstance(d, str)


@signature("Dot", many=True, min_ndim=2, positional="axes normalize", function="dot",
           function_defaults={"axes": -1})  # keras.layers.dot(inputs, axes=-1)
def dot(xs: list, axes) -> Shape:
    """[(batch, *a), (batch, *b)] -> (batch, *a without axes[0], *b without axes[1]), >= 2D"""
    if len(xs) != 2:
        raise ShapeError("KS301", f"Dot takes exactly 2 inputs, got {len(xs)}")
    a, b = xs
    if a and b and differs(a[0], b[0]):  # batch_dot raises on data; the symbolic call does not
        raise ShapeError("KS301", f"Dot needs equal batch sizes, got {fmt(a)}, {fmt(b)}",
                         found=f"{fmt(a)}, {fmt(b)}")
    if is_int(axes):
        pair = (axes % len(a), axes % len(b)) if axes < 0 and a and b else (axes, axes)
    elif (isinstance(axes, (tuple, list)) and len(axes) == 2
          and all(is_int(i) for i in axes)):
        pair = tuple(axes)
    else:
        raise ShapeError("KS203", f"Dot needs an int or a pair of ints for axes, got axes={axes}",
                         found=f"axes={axes}")
    found = f"{fmt(a)}, {fmt(b)}"
    if not (-len(a) <= pair[0] < len(a) and -len(b) <= pair[1] < len(b)):
        raise ShapeError("KS203", f"Dot axes={axes} is out of range for inputs {found}",
                         found=found)
    i, j = pair[0] % len(a), pair[1] % len(b)
    if i == 0 or j == 0:  # the symbolic call takes it; batch_dot raises on data
        raise ShapeError("KS203", f"Dot(axes={axes}) cannot take the dot product over the batch "
                         f"axis, got inputs {found}", found=found,
                         hint="dot along a non-batch axis (1 or more, or a negative one)")
    da, db = a[pair[0]], b[pair[1]]
    # Keras compares with !=: a None against a size is a mismatch too
    if (da is None and _sized(db)) or (db is None and _sized(da)) or differs(da, db):
        raise ShapeError(
            "KS301",
            f"Dot(axes={axes}) needs equal sizes on the dotted axes, got {found} "
            f"({da if da is not None else 'None'} != {db if db is not None else 'None'})",
            found=found, hint="dot along axes of the same size, or project one side first")
    out = [d for k, d in enumerate(a) if k != i] + [d for k, d in enumerate(b) if k != j][1:]
    if len(out) == 1:
        out.append(1)
    return tuple(out)


# ------------------------------------------------------------ image resizing and cropping

def _cf(data_format) -> bool:
    return isinstance(data_format, str) and data_format.lower() == "channels_first"


def _sizes(layer: str, height, width, x: Shape | None = None, axes: tuple = (),
           margin: int = 0) -> None:
    """The symbolic call takes 0 and None (and gives such a shape); the first batch fails.

    The crops (``x`` and ``axes`` given) take a 0 on data when they crop: CenterCrop when the
    input is at least the target, RandomCrop when it is larger (``margin=1``); otherwise they
    resize, and resizing to (or dividing by) 0 fails.
    """
    resize = x is None or any(is_int(x[a]) and is_int(t) and x[a] < t + margin
                              for a, t in zip(axes, (height, width)))
    for name, value in (("height", height), ("width", width)):
        if value is None or (is_int(value) and (value < 0 or (value == 0 and resize))):
            raise ShapeError("KS203", f"{layer} needs a positive `{name}`, got {name}={value}",
                             found=f"{name}={value}", hint=f"pass {name} >= 1")


def _image_axes(x: Shape, data_format) -> tuple:
    """(height axis, width axis) as Resizing and CenterCrop pick them: batched at rank 4."""
    if len(x) == 4:
        return (2, 3) if _cf(data_format) else (1, 2)
    return (1, 2) if _cf(data_format) else (0, 1)


def _replace(x: Shape, axes: tuple, height, width) -> Shape:
    out = list(x)
    out[axes[0]], out[axes[1]] = height, width
    return tuple(out)


@signature("Resizing", min_ndim=3, max_ndim=4,
           positional="height width interpolation crop_to_aspect_ratio pad_to_aspect_ratio "
                      "fill_mode fill_value antialias data_format")
def resizing(x: Shape, height: Size, width: Size, data_format=None) -> Shape:
    """(batch, h, w, c) -> (batch, height, width, c); 3D (h, w, c) unbatched"""
    _sizes("Resizing", height, width)
    return _replace(x, _image_axes(x, data_format), height, width)


@signature("CenterCrop", min_ndim=3, max_ndim=4, positional="height width data_format")
def center_crop(x: Shape, height: Size, width: Size, data_format=None) -> Shape:
    """(batch, h, w, c) -> (batch, height, width, c); 3D (h, w, c) unbatched"""
    axes = _image_axes(x, data_format)
    _sizes("CenterCrop", height, width, x, axes)
    return _replace(x, axes, height, width)


@signature("RandomCrop", min_ndim=3, max_ndim=4, positional="height width seed data_format")
def random_crop(x: Shape, height: Size, width: Size, data_format=None) -> Shape:
    """(batch, h, w, c) -> (batch, height, width, c); 3D (h, w, c) unbatched"""
    axes = _image_axes(x, data_format)
    _sizes("RandomCrop", height, width, x, axes, margin=1)
    return _replace(x, axes, height, width)
