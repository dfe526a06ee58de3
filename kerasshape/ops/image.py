"""Image operations: ``keras.ops.image.*`` and ``tf.image.*`` (resizing, cropping, colour).

Images are (h, w, c) or a batch (batch, h, w, c), channels last unless ``data_format`` says
otherwise; both libraries refuse any other rank.
"""

from __future__ import annotations

from ..shapes import Shape, ShapeError, fmt, is_int
from . import Dims, int_tuple, op


def _rank_3_or_4(images: Shape, what: str) -> None:
    if len(images) not in (3, 4):
        raise ShapeError("KS101", f"{what} takes an image (h, w, c) or a batch of them "
                         f"(batch, h, w, c), got {fmt(images)}",
                         expected="rank 3 or 4", found=fmt(images))


def _size_pair(size) -> tuple | None:
    pair = int_tuple(size) if not isinstance(size, tuple) else size
    if not isinstance(pair, tuple) or len(pair) != 2:
        return None
    return pair


@op("keras.ops.image.resize")
def resize(images: Shape, size, interpolation="bilinear", antialias=False,
           crop_to_aspect_ratio=False, pad_to_aspect_ratio=False, fill_mode="constant",
           fill_value=0.0, data_format=None) -> Shape | None:
    """(batch, h, w, c), (nh, nw) -> (batch, nh, nw, c)"""
    pair = _size_pair(size)
    if pair is None:
        if isinstance(size, tuple):
            raise ShapeError("KS203", f"resize takes size=(height, width), got size={size}",
                             expected="2 sizes", found=f"size={size}")
        return None
    if any(is_int(d) and d <= 0 for d in pair):
        raise ShapeError("KS203", f"resize needs a positive height and width, got size={size}",
                         found=f"size={size}")
    _rank_3_or_4(images, "resize")
    if data_format not in (None, "channels_last", "channels_first"):
        return None
    out = list(images)
    axes = (-2, -1) if data_format == "channels_first" else (-3, -2)
    for axis, d in zip(axes, pair):
        out[axis] = d if is_int(d) or isinstance(d, str) else None
    return tuple(out)


@op("tensorflow.image.resize")
def tf_resize(images: Shape, size, method="bilinear", preserve_aspect_ratio=False,
              antialias=False, name=None) -> Shape | None:
    """(batch, h, w, c), [nh, nw] -> (batch, nh, nw, c); preserve_aspect_ratio -> unknown"""
    pair = _size_pair(size)
    if pair is None or preserve_aspect_ratio is not False:
        return None
    _rank_3_or_4(images, "tf.image.resize")
    if not all(is_int(d) and d > 0 for d in pair):
        return None
    return (*images[:-3], pair[0], pair[1], images[-1])


def _to_target(image: Shape, height, width, what: str) -> Shape | None:
    _rank_3_or_4(image, what)
    if not (is_int(height) and is_int(width)) or height <= 0 or width <= 0:
        return None
    return (*image[:-3], height, width, image[-1])


@op("tensorflow.image.resize_with_pad")
def resize_with_pad(image: Shape, target_height, target_width, method="bilinear",
                    antialias=False) -> Shape | None:
    """(batch, h, w, c), th, tw -> (batch, th, tw, c)"""
    return _to_target(image, target_height, target_width, "tf.image.resize_with_pad")


@op("tensorflow.image.resize_with_crop_or_pad")
def resize_with_crop_or_pad(image: Shape, target_height, target_width) -> Shape | None:
    """(batch, h, w, c), th, tw -> (batch, th, tw, c)"""
    return _to_target(image, target_height, target_width, "tf.image.resize_with_crop_or_pad")


@op("tensorflow.image.pad_to_bounding_box", "tensorflow.image.crop_to_bounding_box")
def to_bounding_box(image: Shape, offset_height, offset_width, target_height,
                    target_width) -> Shape | None:
    """(batch, h, w, c), oh, ow, th, tw -> (batch, th, tw, c)"""
    return _to_target(image, target_height, target_width, "tf.image bounding box")


@op("tensorflow.image.random_crop:value")
def random_crop(value: Shape, size: Dims, seed=None, name=None) -> Shape | None:
    """value, size -> a tensor of shape size (a size known only at run time is None)"""
    if not isinstance(size, tuple) or len(size) != len(value):
        return None
    return tuple(d if is_int(d) else None for d in size)


@op("keras.ops.image.rgb_to_grayscale", "tensorflow.image.rgb_to_grayscale")
def rgb_to_grayscale(images: Shape, data_format=None, name=None) -> Shape | None:
    """(batch, h, w, 3) -> (batch, h, w, 1)"""
    if data_format == "channels_first":
        if len(images) not in (3, 4):
            return None
        return (*images[:-3], 1, *images[-2:])
    if data_format not in (None, "channels_last") or not images:
        return None
    return (*images[:-1], 1)


@op("tensorflow.image.grayscale_to_rgb")
def grayscale_to_rgb(images: Shape, name=None) -> Shape | None:
    """(batch, h, w, 1) -> (batch, h, w, 3)"""
    if not images:
        return None
    return (*images[:-1], 3)


@op("tensorflow.image.flip_left_right", "tensorflow.image.flip_up_down",
    "tensorflow.image.random_flip_left_right", "tensorflow.image.random_flip_up_down",
    "tensorflow.image.random_brightness", "tensorflow.image.random_contrast",
    "tensorflow.image.random_saturation", "tensorflow.image.random_hue",
    "tensorflow.image.adjust_brightness", "tensorflow.image.adjust_contrast",
    "tensorflow.image.adjust_saturation", "tensorflow.image.adjust_hue",
    "tensorflow.image.adjust_gamma", "tensorflow.image.per_image_standardization",
    "tensorflow.image.convert_image_dtype", "tensorflow.image.rgb_to_hsv",
    "tensorflow.image.hsv_to_rgb", "tensorflow.image.rgb_to_yuv", "tensorflow.image.yuv_to_rgb",
    "keras.ops.image.rgb_to_hsv", "keras.ops.image.hsv_to_rgb")
def same_image(image: Shape, *args, **kwargs) -> Shape | None:
    """(batch, h, w, c) -> the same shape (flips, colour changes, dtype)"""
    return image


@op("tensorflow.image.rot90")
def rot90(image: Shape, k=1, name=None) -> Shape | None:
    """(batch, h, w, c), k -> (batch, None, None, c): TensorFlow picks the turn at run time
    (a case on k % 4), so its static height and width are undefined"""
    _rank_3_or_4(image, "tf.image.rot90")
    return (*image[:-3], None, None, image[-1])


@op("tensorflow.image.transpose")
def transpose_image(image: Shape, name=None) -> Shape | None:
    """(batch, h, w, c) -> (batch, w, h, c)"""
    _rank_3_or_4(image, "tf.image.transpose")
    return (*image[:-3], image[-2], image[-3], image[-1])


@op("tensorflow.io.decode_png", "tensorflow.image.decode_png", "tensorflow.io.decode_jpeg",
    "tensorflow.image.decode_jpeg", "tensorflow.io.decode_bmp", "tensorflow.image.decode_bmp")
def decode_image(contents: Shape, channels=0, *args, **kwargs) -> Shape | None:
    """a scalar string (the file's bytes) -> (h, w, channels); h and w known at run time"""
    if contents != () or not is_int(channels):
        return None
    return (None, None, channels if channels else None)


@op("tensorflow.io.decode_image", "tensorflow.image.decode_image")
def decode_any_image(contents: Shape, channels=None, dtype=None, name=None,
                     expand_animations=True) -> Shape | None:
    """a scalar string -> (h, w, channels), with expand_animations=False (else a GIF's frames
    make it 4D: the rank is not known)"""
    if contents != () or expand_animations is not False:
        return None
    return (None, None, channels if is_int(channels) and channels else None)


@op("tensorflow.io.read_file")
def read_file(filename: Shape, name=None) -> Shape | None:
    """a scalar string (a path) -> a scalar string (the bytes)"""
    return filename if filename == () else None
