"""``keras.applications`` models as a table: what each one accepts and what it outputs.

A pretrained model is one call in the user's code (``keras.applications.ResNet50(...)``);
kerasshape never builds it and never downloads weights. Instead each model is a row:

* ``default``/``minimum``: the image size Keras uses when ``input_shape`` is not given
  (and demands with ``weights="imagenet", include_top=True``) and the smallest it accepts;
* ``features``: the channels of the last feature map (``include_top=False``), a number or a
  rule for the width multiplier ``alpha`` of the MobileNets;
* ``steps``: how one spatial axis shrinks on its way through the network, written as the
  strided layers that change it (the layers that keep the size are left out):

  - ``("same", s)``: a stride-``s`` layer with ``padding="same"``: ``ceil(n / s)``;
  - ``("valid", k, s)``: a ``k``-wide window, stride ``s``, ``padding="valid"``:
    ``(n - k) // s + 1``;
  - ``("pad", p)``: ``ZeroPadding2D`` adding ``p`` in all (both sides together);
  - ``("correct_pad",)``: ``ZeroPadding2D(correct_pad(x, k))`` then a stride-2 ``valid``
    layer. ``correct_pad`` pads by the parity of each axis, which gives ``ceil(n / 2)``;
    but it reads the parity of the height only to decide, so with an undefined height
    the width gets ``n // 2`` (and with a defined height but an undefined width Keras
    itself fails computing ``None % 2``).

  So a size is not always ``size // 32``: ResNet50 maps 225 to 8 (ceil at each stride),
  VGG16 maps 225 to 7 (floor), InceptionV3 maps 299 to 8.

Validation follows ``imagenet_utils.obtain_input_shape`` and each model's own checks,
and only where Keras raises before any weights are downloaded. The data come from
reading the Keras 3 sources; tests/test_applications.py replays rows against real Keras.
This module imports neither libcst nor TensorFlow.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .shapes import UNK, fmt, is_int
from .values import UNKNOWN, ListV, ModelV, Sym, Tensor, is_const

# ------------------------------------------------------------------ width rules


def _round8(v: float) -> int:
    """MobileNetV2/V3's ``_make_divisible(v, 8)``: nearest multiple of 8, not 10% below v."""
    new = max(8, int(v + 4) // 8 * 8)
    return new + 8 if new < 0.9 * v else new


def _mobilenet(alpha):
    return int(1024 * alpha)


def _mobilenet_v2(alpha):
    return _round8(1280 * alpha) if alpha > 1.0 else 1280


def _mobilenet_v3_small(alpha):
    return _round8(_round8(96 * alpha) * 6)


def _mobilenet_v3_large(alpha):
    return _round8(_round8(160 * alpha) * 6)


# ------------------------------------------------------------------ spatial programs

_RESNET_STEM = (("pad", 6), ("valid", 7, 2), ("pad", 2), ("valid", 3, 2))
RESNET = _RESNET_STEM + (("valid", 1, 2),) * 3                    # 1x1 stride-2 convs
RESNET_V2 = _RESNET_STEM + (("pad", 2), ("valid", 3, 2)) * 3      # padded 3x3 stride 2
VGG = (("valid", 2, 2),) * 5                                       # five MaxPooling2D(2)
MOBILENET = (("same", 2),) + (("pad", 1), ("valid", 3, 2)) * 4    # pad ((0,1),(0,1))
MOBILENET_V2 = (("same", 2),) + (("correct_pad",),) * 4
EFFICIENTNET = (("correct_pad",),) * 5
EFFICIENTNET_V2 = (("same", 2),) * 5
DENSENET = _RESNET_STEM + (("valid", 2, 2),) * 3                   # AveragePooling2D(2)
INCEPTION = (("valid", 3, 2), ("valid", 3, 1), ("valid", 3, 2), ("valid", 3, 1),
             ("valid", 3, 2), ("valid", 3, 2), ("valid", 3, 2))
XCEPTION = (("valid", 3, 2), ("valid", 3, 1)) + (("same", 2),) * 4
CONVNEXT = (("valid", 4, 4),) + (("valid", 2, 2),) * 3
NASNET = (("valid", 3, 2),) + (("correct_pad",),) * 4

# the positional parameters of each family, in Keras's order
_STD = ("include_top", "weights", "input_tensor", "input_shape", "pooling", "classes",
        "classifier_activation", "name")
_EFFV2 = ("include_top", "weights", "input_tensor", "input_shape", "pooling", "classes",
          "classifier_activation", "include_preprocessing", "name")
_CONVNEXT = ("include_top", "include_preprocessing", "weights", "input_tensor", "input_shape",
             "pooling", "classes", "classifier_activation", "name")
_MOBILENET = ("input_shape", "alpha", "depth_multiplier", "dropout", "include_top", "weights",
              "input_tensor", "pooling", "classes", "classifier_activation", "name")
_MOBILENET_V2 = ("input_shape", "alpha", "include_top", "weights", "input_tensor", "pooling",
                 "classes", "classifier_activation", "name")
_MOBILENET_V3 = ("input_shape", "alpha", "minimalistic", "include_top", "weights", "input_tensor",
                 "classes", "pooling", "dropout_rate", "classifier_activation",
                 "include_preprocessing", "name")
_NASNET = ("input_shape", "include_top", "weights", "input_tensor", "pooling", "classes",
           "classifier_activation", "name")


@dataclass(frozen=True)
class Application:
    name: str                 # ResNet50
    modules: tuple            # submodules of keras.applications that export it (MobileNetV3:
    #                           none, it is keras.applications.MobileNetV3Small only)
    default: int              # default image size
    minimum: int              # smallest image size obtain_input_shape accepts
    features: object          # channels of the last feature map: int, or alpha -> int
    steps: tuple              # the spatial program (see the module docstring)
    params: tuple = _STD      # positional parameters, in order
    keras_name: str = ""      # the model's default name= ("" derives it, like MobileNet)
    flatten_top: bool = False     # VGG: Flatten + Dense, needs defined sizes
    rules: str = "standard"   # "standard" (obtain_input_shape), "mobilenet", "mobilenet_v2",
    #                           "mobilenet_v3", "nasnet", "convnext"
    alphas: tuple = ()        # alphas with imagenet weights (MobileNets)
    sizes: tuple = ()         # square sizes with imagenet weights (MobileNet, MobileNetV2)
    notop_shape: tuple | None = None   # NASNetMobile: input_shape when include_top=False


def _row(name, modules, default, minimum, features, steps, **kw):
    kw.setdefault("keras_name", name.lower())
    return Application(name, tuple(modules.split()), default, minimum, features, steps, **kw)


_EFF = (("B0", 224, 1280), ("B1", 240, 1280), ("B2", 260, 1408), ("B3", 300, 1536),
        ("B4", 380, 1792), ("B5", 456, 2048), ("B6", 528, 2304), ("B7", 600, 2560))
_EFF_V2 = (("B0", 224, 1280), ("B1", 240, 1280), ("B2", 260, 1408), ("B3", 300, 1536),
           ("S", 384, 1280), ("M", 480, 1280), ("L", 480, 1280))
_CONVNEXTS = (("Tiny", 768), ("Small", 768), ("Base", 1024), ("Large", 1536), ("XLarge", 2048))

APPLICATIONS: dict[str, Application] = {a.name: a for a in [
    _row("ResNet50", "resnet50 resnet", 224, 32, 2048, RESNET),
    _row("ResNet101", "resnet", 224, 32, 2048, RESNET),
    _row("ResNet152", "resnet", 224, 32, 2048, RESNET),
    _row("ResNet50V2", "resnet_v2", 224, 32, 2048, RESNET_V2),
    _row("ResNet101V2", "resnet_v2", 224, 32, 2048, RESNET_V2),
    _row("ResNet152V2", "resnet_v2", 224, 32, 2048, RESNET_V2),
    _row("VGG16", "vgg16", 224, 32, 512, VGG, flatten_top=True),
    _row("VGG19", "vgg19", 224, 32, 512, VGG, flatten_top=True),
    _row("MobileNet", "mobilenet", 224, 32, _mobilenet, MOBILENET, params=_MOBILENET,
         keras_name="", rules="mobilenet", alphas=(0.25, 0.5, 0.75, 1.0),
         sizes=(128, 160, 192, 224)),
    _row("MobileNetV2", "mobilenet_v2", 224, 32, _mobilenet_v2, MOBILENET_V2,
         params=_MOBILENET_V2, keras_name="", rules="mobilenet_v2",
         alphas=(0.35, 0.5, 0.75, 1.0, 1.3, 1.4), sizes=(96, 128, 160, 192, 224)),
    _row("MobileNetV3Small", "", 224, 32, _mobilenet_v3_small, MOBILENET_V2,
         params=_MOBILENET_V3, keras_name="MobileNetV3Small", rules="mobilenet_v3"),
    _row("MobileNetV3Large", "", 224, 32, _mobilenet_v3_large, MOBILENET_V2,
         params=_MOBILENET_V3, keras_name="MobileNetV3Large", rules="mobilenet_v3"),
    *[_row(f"EfficientNet{v}", "efficientnet", size, 32, ch, EFFICIENTNET)
      for v, size, ch in _EFF],
    *[_row(f"EfficientNetV2{v}", "efficientnet_v2", size, 32, ch, EFFICIENTNET_V2, params=_EFFV2,
           keras_name=f"efficientnetv2-{v.lower()}") for v, size, ch in _EFF_V2],
    _row("DenseNet121", "densenet", 224, 32, 1024, DENSENET),
    _row("DenseNet169", "densenet", 224, 32, 1664, DENSENET),
    _row("DenseNet201", "densenet", 224, 32, 1920, DENSENET),
    _row("InceptionV3", "inception_v3", 299, 75, 2048, INCEPTION, keras_name="inception_v3"),
    _row("InceptionResNetV2", "inception_resnet_v2", 299, 75, 1536, INCEPTION,
         keras_name="inception_resnet_v2"),
    _row("Xception", "xception", 299, 71, 2048, XCEPTION),
    *[_row(f"ConvNeXt{v}", "convnext", 224, 32, ch, CONVNEXT, params=_CONVNEXT,
           keras_name=f"convnext_{v.lower()}", rules="convnext") for v, ch in _CONVNEXTS],
    _row("NASNetMobile", "nasnet", 224, 32, 1056, NASNET, params=_NASNET,
         keras_name="nasnet_mobile", rules="nasnet", notop_shape=(224, 224, 3)),
    _row("NASNetLarge", "nasnet", 331, 32, 4032, NASNET, params=_NASNET,
         keras_name="nasnet_large", rules="nasnet"),
]}

# Keras 2 names that are not in Keras 3 (RegNet*, ResNeXt*) are not here: unknown calls.


def lookup(path: str) -> Application | None:
    """The row for a canonical path: keras.applications.ResNet50,
    keras.applications.resnet.ResNet50 (submodules as Keras exports them)."""
    parts = path.split(".")
    if len(parts) < 3 or parts[:2] != ["keras", "applications"]:
        return None
    app = APPLICATIONS.get(parts[-1])
    if app is None:
        return None
    if len(parts) == 3 or (len(parts) == 4 and parts[2] in app.modules):
        return app
    return None


# the submodules with a preprocess_input: the same shape back for an image tensor
PREPROCESS_MODULES = {m for a in APPLICATIONS.values() for m in a.modules} | \
    {"imagenet_utils", "mobilenet_v3"}


def kind(path: str) -> str | None:
    """What a canonical keras.applications path names: a model of the table (its name),
    "preprocess_input", or None."""
    app = lookup(path)
    if app is not None:
        return app.name
    parts = path.split(".")
    if len(parts) == 4 and parts[3] == "preprocess_input" and parts[2] in PREPROCESS_MODULES:
        return "preprocess_input"
    return None


# ------------------------------------------------------------------ arithmetic


def _step(step, n, height_known: bool):
    """One axis through one step; None stays None, UNK for what is not computable."""
    if n is None:
        return None
    if not is_int(n):
        return UNK
    kind = step[0]
    if kind == "same":
        return -(-n // step[1])
    if kind == "valid":
        return (n - step[1]) // step[2] + 1
    if kind == "pad":
        return n + step[1]
    return -(-n // 2) if height_known else n // 2   # correct_pad


def spatial(app: Application, height, width, floor: bool = False):
    """(height, width) of the last feature map, or None when Keras fails on the way
    (a defined height with an undefined width in correct_pad) or when it is not followed.
    ``floor``: the model was built on an undefined height and is now called on another
    tensor: its correct_pad paddings were fixed at build time, ((0, 1), (0, 1))."""
    h, w = height, width
    for step in app.steps:
        if step[0] == "correct_pad":
            if h is UNK or (h is not None and w is None and not floor):
                return None
            if app.rules == "nasnet" and (floor or (h is None and w is not None)):
                return None   # its cells add tensors padded both ways: not followed
        h, w = _step(step, h, is_int(h) and not floor), _step(step, w, h is not None and not floor)
        if any(is_int(d) and d <= 0 for d in (h, w)):
            return None   # a size that vanishes: Keras fails on the way, not followed
    return h, w


def features(app: Application, alpha=1.0):
    if callable(app.features):
        if isinstance(alpha, bool) or not isinstance(alpha, (int, float)) or alpha <= 0:
            return UNK
        return app.features(alpha)
    return app.features


# ------------------------------------------------------------------ the call


@dataclass
class Problem:
    code: str
    message: str
    found: str | None = None
    expected: str | None = None
    hint: str | None = None


@dataclass
class Built:
    """What a call makes: the model input (no batch axis) and output (with it), either
    None when not known; or the problem Keras raises."""

    name: str | None = None
    input_shape: tuple | None = None
    output_shape: tuple | None = None
    problem: Problem | None = None


def known(v) -> bool:
    return v is not UNK


def _fmt(shape, is_list=False) -> str:
    inner = ", ".join("?" if d is UNK else repr(d) for d in shape)
    if is_list:
        return f"[{inner}]"
    return f"({inner},)" if len(shape) == 1 else f"({inner})"


def bind(app: Application, args: list, kwargs: dict) -> dict | None:
    """Arguments by name, with Keras's defaults; None when the call is not one Keras
    accepts (it raises a TypeError kerasshape does not report)."""
    if len(args) > len(app.params):
        return None
    bound = dict(zip(app.params, args))
    for key, value in kwargs.items():
        if key not in app.params or key in bound:
            return None
        bound[key] = value
    defaults = {"include_top": True, "weights": "imagenet", "input_tensor": None,
                "input_shape": None, "pooling": None, "classes": 1000,
                "classifier_activation": "softmax", "name": app.keras_name or None,
                "alpha": 1.0, "depth_multiplier": 1, "minimalistic": False,
                "include_preprocessing": True, "dropout_rate": 0.2, "dropout": 0.001}
    for key in app.params:
        bound.setdefault(key, defaults.get(key))
    return bound


def _obtain_input_shape(app, shape, is_list, default_size, weights, include_top):
    """imagenet_utils.obtain_input_shape: (input_shape, problem). ``shape`` is None (not
    given), UNK (not known) or a tuple of dims (int, None or UNK)."""
    imagenet = weights == "imagenet"   # not known: the checks that need imagenet are skipped
    if shape is UNK:
        return UNK, None
    if not imagenet and shape and len(shape) == 3:
        default_shape = (default_size, default_size, shape[-1])
    else:
        default_shape = (default_size, default_size, 3)
    if imagenet and include_top:
        if shape is not None:
            if any(d is UNK for d in shape):
                return default_shape, None
            if tuple(shape) != default_shape:
                return None, Problem(
                    "KS204", f"with include_top=True and weights='imagenet', input_shape must be "
                    f"{_fmt(default_shape)} (the size of the pretrained classifier), "
                    f"got input_shape={_fmt(shape, is_list)}",
                    found=f"input_shape={_fmt(shape, is_list)}", expected=_fmt(default_shape),
                    hint="pass include_top=False to use another size (and add your own classifier), "
                    "or resize the images")
            if is_list:
                return None, Problem(
                    "KS204", f"input_shape={_fmt(shape, True)} is a list: with include_top=True and "
                    f"weights='imagenet' Keras compares it with the tuple {_fmt(default_shape)} "
                    "and refuses it", found=f"input_shape={_fmt(shape, True)}",
                    expected=_fmt(default_shape), hint=f"write input_shape={_fmt(default_shape)}")
        return default_shape, None
    if shape:
        if len(shape) != 3:
            return None, Problem("KS204", f"input_shape={_fmt(shape, is_list)} must have three "
                                 "sizes (height, width, channels)",
                                 found=f"input_shape={_fmt(shape, is_list)}", expected="3 sizes")
        if imagenet and (shape[-1] is None or is_int(shape[-1])) and shape[-1] != 3:
            return None, Problem(
                "KS204", f"weights='imagenet' needs 3 input channels, got "
                f"input_shape={_fmt(shape, is_list)}", found=f"{shape[-1]} channels", expected="3",
                hint="repeat a grayscale channel 3 times (e.g. keras.layers.Concatenate()([x, x, x])), "
                "or pass weights=None")
        small = [d for d in shape[:2] if is_int(d) and d < app.minimum]
        if small:
            return None, _too_small(app, shape, is_list)
    elif include_top:
        shape = default_shape
    else:
        shape = (None, None, 3)
    if include_top and None in shape:
        return None, Problem(
            "KS204", f"include_top=True needs a static input_shape, got {_fmt(shape, is_list)}",
            found=f"input_shape={_fmt(shape, is_list)}", expected="defined sizes",
            hint="give the sizes, or pass include_top=False")
    return tuple(shape), None


def _too_small(app, shape, is_list) -> Problem:
    m = app.minimum
    return Problem("KS204", f"input_shape={_fmt(shape, is_list)} is smaller than the {m}x{m} "
                   f"minimum of {app.name}", found=f"input_shape={_fmt(shape, is_list)}",
                   expected=f"at least {m}x{m}",
                   hint=f"resize the images to at least {m}x{m} (keras.layers.Resizing)")


def _shape_arg(value):
    """input_shape as given: None, UNK, or a tuple of dims."""
    if value is None or value is UNK:
        return value
    if isinstance(value, tuple):
        return tuple(d if d is None or is_int(d) else UNK for d in value)
    return UNK


def instantiate(app: Application, bound: dict, tensor_shape=UNK, is_list: bool = False,
                data_format: str = "channels_last") -> Built:
    """What ``app(**bound)`` builds. ``bound`` holds constants, or UNK for arguments not
    known statically; ``tensor_shape`` is the shape of ``input_tensor`` when one is given
    (None or UNK when it is not known); ``is_list``: input_shape was written as a list."""
    if data_format != "channels_last":
        return Built()   # channels_first: several of them refuse it; not followed
    weights = bound["weights"]
    include_top = bound["include_top"]
    classes = bound["classes"]
    shape = _shape_arg(bound["input_shape"])
    name = bound["name"] if isinstance(bound["name"], str) or bound["name"] is None else UNK
    alpha = bound.get("alpha", 1.0)
    if weights not in ("imagenet", None):
        weights = UNK if not isinstance(weights, str) else "file"   # a weights file: as None
    has_tensor = bound["input_tensor"] is not None
    top = bool(include_top) if known(include_top) else UNK
    imagenet = weights == "imagenet"

    if imagenet and top is True and is_int(classes) and classes != 1000:
        return Built(problem=Problem(
            "KS203", f"weights='imagenet' with include_top=True needs classes=1000 (the ImageNet "
            f"classifier), got classes={classes}", found=f"classes={classes}", expected="classes=1000",
            hint="pass include_top=False and add your own classifier, or weights=None"))
    if not known(top):
        return Built(name=name if known(name) else None)

    # the input shape each model settles on, and the checks on the way
    problem = None
    if app.rules == "mobilenet_v3":
        if has_tensor:
            shape = UNK
        elif shape is None:
            shape = (None, None, 3)
        elif shape is not UNK and len(shape) >= 2:
            rows, cols = shape[0], shape[1]
            if is_int(rows) and is_int(cols) and rows and cols and (rows < 32 or cols < 32):
                problem = _too_small(app, shape, is_list)
        else:
            shape = UNK
        if problem is None and imagenet and known(alpha) and known(bound["minimalistic"]):
            minimal = bool(bound["minimalistic"])
            if (not minimal and alpha not in (0.75, 1.0)) or (minimal and alpha != 1.0):
                allowed = "1.0" if minimal else "0.75 or 1.0"
                problem = Problem("KS203", f"weights='imagenet' has {app.name} weights for alpha="
                                  f"{allowed} only, got alpha={alpha!r}",
                                  found=f"alpha={alpha!r}", expected=f"alpha={allowed}",
                                  hint="pass weights=None to train this width from scratch")
    else:
        default_size = app.default
        if app.rules == "nasnet" and imagenet and isinstance(shape, tuple) and not is_list \
                and None in shape:
            problem = Problem("KS204", f"{app.name} with weights='imagenet' needs a static "
                              f"input_shape, got {_fmt(shape)}", found=f"input_shape={_fmt(shape)}",
                              expected="defined sizes", hint="give the sizes, or pass weights=None")
        if app.notop_shape is not None and top is False and shape is None:
            shape = app.notop_shape
        if app.rules in ("mobilenet", "mobilenet_v2") and shape is not None:
            if has_tensor and app.rules == "mobilenet_v2":
                shape = UNK   # checked against the tensor: not followed
            elif shape is not UNK and len(shape) >= 2:
                if shape[0] == shape[1] and shape[0] in app.sizes:
                    default_size = shape[0]
                elif UNK in shape[:2]:
                    shape = UNK
            else:
                shape = UNK   # Keras indexes it first: not followed
        if app.rules == "mobilenet_v2" and has_tensor and bound["input_shape"] is None:
            shape = UNK   # the default size comes from the tensor: not followed
        if problem is None:
            shape, problem = _obtain_input_shape(app, shape, is_list, default_size, weights, top)
        if problem is None and app.rules in ("mobilenet", "mobilenet_v2") and imagenet:
            if app.rules == "mobilenet" and is_int(bound["depth_multiplier"]) and \
                    bound["depth_multiplier"] != 1:
                problem = Problem("KS203", "weights='imagenet' needs depth_multiplier=1, got "
                                  f"depth_multiplier={bound['depth_multiplier']}",
                                  found=f"depth_multiplier={bound['depth_multiplier']}",
                                  expected="depth_multiplier=1", hint="pass weights=None")
            elif isinstance(alpha, (int, float)) and alpha not in app.alphas:
                allowed = ", ".join(map(str, app.alphas))
                problem = Problem("KS203", f"weights='imagenet' has {app.name} weights for alpha in "
                                  f"({allowed}) only, got alpha={alpha!r}", found=f"alpha={alpha!r}",
                                  expected=f"alpha in ({allowed})",
                                  hint="pass weights=None to train this width from scratch")
    activation = bound["classifier_activation"]
    if problem is None and top and imagenet and isinstance(activation, str) \
            and activation not in ("softmax", "linear"):
        problem = Problem(
            "KS203", f"pretrained weights allow classifier_activation None or 'softmax' only, "
            f"got classifier_activation={activation!r}",
            found=f"classifier_activation={activation!r}", expected="None or 'softmax'",
            hint="pass classifier_activation=None and apply the activation after the model")
    if problem is None and app.rules == "convnext" and imagenet and isinstance(name, str) \
            and app.keras_name not in name:
        problem = Problem("KS203", f"with weights='imagenet' the model name must contain "
                          f"{app.keras_name!r}, got name={name!r}", found=f"name={name!r}",
                          expected=f"a name containing {app.keras_name!r}",
                          hint=f"drop name=, or use a name like '{app.keras_name}_backbone'")
    if problem is not None:
        return Built(problem=problem)

    if name is None:   # MobileNet, MobileNetV2: mobilenet_1.00_224 from alpha and the size
        rows = shape[0] if isinstance(shape, tuple) and len(shape) == 3 else UNK
        if imagenet and rows is not UNK and not (rows == shape[1] and rows in app.sizes):
            rows = 224
        prefix = "mobilenet" if app.rules == "mobilenet" else "mobilenetv2"
        ok = isinstance(alpha, (int, float)) and not isinstance(alpha, bool) and rows is not UNK
        name = f"{prefix}_{alpha:0.2f}_{rows}" if ok else UNK
    name = name if known(name) else None
    if has_tensor:
        if not isinstance(tensor_shape, tuple) or len(tensor_shape) != 4:
            return Built(name=name)
        return Built(name=name, output_shape=output_shape(app, bound, tensor_shape))
    if not isinstance(shape, tuple) or len(shape) != 3:
        return Built(name=name)
    return Built(name=name, input_shape=shape, output_shape=output_shape(app, bound, (None, *shape)))


def output_shape(app: Application, bound: dict, x: tuple, floor: bool = False):
    """The output of the model built by ``bound`` on an input of shape ``x`` (with the batch
    axis): at construction (its Input, or input_tensor) and when a built model is called on
    another tensor (Keras runs the layers again on the new shape). None when not known."""
    if len(x) != 4 or x[3] is None:
        return None   # Keras fails building the first convolution: not followed
    batch, height, width = x[0], x[1], x[2]
    height = UNK if isinstance(height, str) else height
    width = UNK if isinstance(width, str) else width
    include_top, pooling, classes = bound["include_top"], bound["pooling"], bound["classes"]
    if include_top is UNK:
        return None
    if include_top:
        if app.flatten_top and (height is None or width is None):
            return None   # Dense after Flatten needs defined sizes: Keras fails, not followed
        if app.flatten_top and spatial(app, height, width, floor) is None:
            return None
        return (batch, classes if is_int(classes) or isinstance(classes, str) else UNK)
    if pooling is UNK:
        return None
    channels = features(app, bound.get("alpha", 1.0))
    if pooling in ("avg", "max"):
        return (batch, channels)
    hw = spatial(app, height, width, floor)
    return None if hw is None else (batch, *hw, channels)


# ------------------------------------------------------------------ Keras's automatic names

# The layers (and ops) a model makes without a name= take Keras's automatic names, so the
# user's layers made after it get later ones: a Conv2D after an InceptionV3 is conv2d_94.
# Counted on Keras 3.15 builds (tests/test_applications.py checks them); the model's Input
# ("input_layer") and its pooling/top layers are added by the rules in ``names_taken``.
_INCEPTION_BN = ("conv2d", "batch_normalization", "activation")
_NASNET_CELLS = {"add": 4, "zero_padding2d": 4, "cropping2d": 4, "concatenate": 4}
NAMES_TAKEN: dict[str, dict] = {
    **{f"DenseNet{n}": {"zero_padding2d": 2} for n in (121, 169, 201)},
    **{f"ResNet{n}V2": {"max_pooling2d": 3} for n in (50, 101, 152)},
    **{f"EfficientNet{v}": {"rescaling": 1, "normalization": 1} for v, _, _ in _EFF},
    "InceptionV3": {**dict.fromkeys(_INCEPTION_BN, 94), "max_pooling2d": 4, "average_pooling2d": 9,
                    "concatenate": 2},
    "InceptionResNetV2": {**dict.fromkeys(_INCEPTION_BN, 203), "max_pooling2d": 4,
                          "average_pooling2d": 1, "custom_scale_layer": 40},
    "Xception": {"conv2d": 4, "batch_normalization": 4, "add": 12},
    "MobileNetV3Small": {"activation": 18, "re_lu": 14, "add": 9, "multiply": 9},
    "MobileNetV3Large": {"activation": 20, "re_lu": 19, "add": 8, "multiply": 8},
    "NASNetMobile": {"activation": 188, **_NASNET_CELLS},
    "NASNetLarge": {"activation": 260, **_NASNET_CELLS},
    **{f"ConvNeXt{v}": {"input_layer": 4, "functional": 4, "add": 18 if v == "Tiny" else 36}
       for v, _ in _CONVNEXTS},
}
# minimalistic MobileNetV3s use ReLU layers everywhere, without squeeze-excite ops
_MINIMALISTIC = {"MobileNetV3Small": {"re_lu": 23}, "MobileNetV3Large": {"re_lu": 31}}
# NASNet on an undefined width: its cells never see two widths to adjust
_NASNET_UNDEFINED = {"NASNetMobile": {"activation": 191, "add": 4},
                     "NASNetLarge": {"activation": 263, "add": 4}}
# families whose pooling= layer (include_top=False) has no name
_UNNAMED_POOLING = ("VGG", "MobileNet", "MobileNetV2", "Inception", "Xception", "ConvNeXt", "NASNet")


def names_taken(app: Application, bound: dict, input_shape) -> dict | None:
    """{automatic-name prefix: how many} the call takes; None when not known (then the
    names of the user's later layers may be off; their shapes are not affected)."""
    top, pooling = bound["include_top"], bound["pooling"]
    if top is UNK or pooling is UNK:
        return None
    counts = dict(NAMES_TAKEN.get(app.name, {}))
    if bound["input_tensor"] is None:
        counts["input_layer"] = counts.get("input_layer", 0) + 1
    if app.rules == "mobilenet_v3":
        if not isinstance(bound["minimalistic"], bool) or \
                bound["include_preprocessing"] is UNK or bound["dropout_rate"] is UNK:
            return None
        if bound["minimalistic"]:
            counts = dict(_MINIMALISTIC[app.name], input_layer=counts.get("input_layer", 0))
        if bound["include_preprocessing"]:
            counts["rescaling"] = 1
        if top:
            act = "re_lu" if bound["minimalistic"] else "activation"
            counts[act] = counts.get(act, 0) + 1
            counts.update(global_average_pooling2d=1, flatten=1)
            if is_int(bound["dropout_rate"]) or isinstance(bound["dropout_rate"], float):
                if bound["dropout_rate"] > 0:
                    counts["dropout"] = 1
    if app.rules == "nasnet":   # its cells compare widths to decide to adjust
        width = input_shape[1] if isinstance(input_shape, tuple) else UNK
        if not is_int(width) and width is not None:
            return None
        if width is None:
            counts = dict(_NASNET_UNDEFINED[app.name], input_layer=counts.get("input_layer", 0))
    if app.name.startswith("EfficientNetV2"):
        prep = bound["include_preprocessing"]
        channels = input_shape[2] if isinstance(input_shape, tuple) else UNK
        if prep is UNK or (prep and channels is UNK and app.name[-2] == "B"):
            return None
        if prep:
            counts["rescaling"] = 1
            if app.name[-2] == "B" and channels == 3:
                counts["normalization"] = 1
    elif app.name.startswith("EfficientNet") and bound["weights"] == "imagenet":
        counts["rescaling"] = 2
    if app.rules == "convnext" and not top:
        counts["layer_normalization"] = 1
    if not top and pooling in ("avg", "max") and app.name.startswith(_UNNAMED_POOLING) and \
            not app.name.startswith("MobileNetV3"):
        key = "global_average_pooling2d" if pooling == "avg" else "global_max_pooling2d"
        counts[key] = counts.get(key, 0) + 1
    if top and app.rules in ("mobilenet", "mobilenet_v2", "nasnet"):
        counts["global_average_pooling2d"] = 1
    return counts


# ------------------------------------------------------------------ the interpreter's side


@dataclass(eq=False)
class ApplicationModel(ModelV):
    """A keras.applications model: a functional model whose layers kerasshape does not list;
    calling it on another tensor runs the table again on that tensor's shape."""

    app: Application | None = None
    bound: dict | None = None
    built_on: tuple | None = None   # the shape its layers were built on; None when layers
    #                                 of the user's come first (input_tensor from a Resizing...)


def _plain(value, dims: bool = False):
    """An abstract value -> a constant for the table, or UNK."""
    if isinstance(value, Sym):
        return value.name if dims else UNK
    if value is None or (is_const(value) and not isinstance(value, tuple)):
        return value
    if isinstance(value, tuple):
        return tuple(_plain(v, True) for v in value)
    return UNK


def make_application(calls, cls: str, args: list, kwargs: dict, node):
    """``keras.applications.ResNet50(...)``: check the arguments like Keras and return the
    model value (UNKNOWN when Keras raises or the call is not followed)."""
    calls.events += 1
    if cls == "preprocess_input":
        return _preprocess(calls, args, kwargs, node)
    app = APPLICATIONS[cls]
    is_list = False
    shape_value = kwargs.get("input_shape")
    if "input_shape" not in kwargs and "input_shape" in app.params[:len(args)]:
        shape_value = args[app.params.index("input_shape")]
    if isinstance(shape_value, ListV) and not shape_value.uncertain:
        is_list, shape_value = True, tuple(shape_value.items)
    bound = bind(app, [_plain(a) for a in args], {k: _plain(v) for k, v in kwargs.items()})
    if bound is None:
        return UNKNOWN
    bound["input_shape"] = _plain(shape_value) if shape_value is not None else None
    raw_classes = kwargs.get("classes")
    if "classes" not in kwargs and "classes" in app.params[:len(args)]:
        raw_classes = args[app.params.index("classes")]
    if isinstance(raw_classes, Sym):
        bound["classes"] = raw_classes.name     # classes=num_classes read from the data
    tensor = kwargs.get("input_tensor")
    if "input_tensor" not in kwargs and "input_tensor" in app.params[:len(args)]:
        tensor = args[app.params.index("input_tensor")]
    if tensor is not None and not isinstance(tensor, Tensor):
        return UNKNOWN   # not a tensor kerasshape follows (or maybe None)
    bound["input_tensor"] = tensor
    disp = calls.interp.code(node.func)
    built = instantiate(app, bound, tensor.shape if tensor is not None else UNK, is_list,
                        calls.data_format)
    if built.problem is not None:
        p = built.problem
        calls.report(node, p.code, f"{disp}: {p.message}", expected=p.expected, found=p.found,
                     hint=p.hint)
        return UNKNOWN
    name = built.name or app.keras_name or app.name.lower()
    if tensor is None:
        source = Tensor((None, *built.input_shape) if built.input_shape is not None else None,
                        origin=f"the input of {app.name}", node=node)
        source.input_id = source.id
        source.deps = frozenset({source.id})
        calls.input_tensors[source.id] = source
        inputs, deps, parents = [source], source.deps, (source,)
    else:
        deps, parents = tensor.deps, (tensor,)
        if tensor.input_id is not None:
            inputs = [tensor]
        elif deps is not None and len(deps) == 1 and next(iter(deps)) in calls.input_tensors:
            inputs = [calls.input_tensors[next(iter(deps))]]
        else:
            inputs = []
    shape_seen = built.input_shape if tensor is None else \
        (tensor.shape[1:] if tensor.shape is not None else UNK)
    taken = names_taken(app, bound, shape_seen)
    if taken is None:
        taken = {"input_layer": 1} if tensor is None else {}
    for prefix, n in taken.items():
        calls.counters[prefix] = calls.counters.get(prefix, 0) + n
    out = Tensor(built.output_shape, origin=disp, node=node, deps=deps, parents=parents)
    struct = inputs[0] if inputs else UNKNOWN
    if tensor is not None and inputs and app.rules != "convnext":
        struct = ListV(list(inputs))   # Functional(get_source_inputs(input_tensor), ...): a list
    model = ApplicationModel(node=node, name=name, inputs=inputs, outputs=[out],
                             input_struct=struct, output_struct=out,
                             app=app, bound=bound,
                             built_on=source.shape if tensor is None else
                             tensor.shape if tensor.input_id is not None else None)
    calls.models.append(model)
    return model


# ------------------------------------------------------------------ inner layers

# ResNet (v1): the blocks of stages conv2..conv5, and the layers of each block (resnet.py's
# residual_block_v1; the 0_* shortcut only in a stage's first block)
_RESNET_BLOCKS = {"ResNet50": (3, 4, 6, 3), "ResNet101": (3, 4, 23, 3),
                  "ResNet152": (3, 8, 36, 3)}
_RESNET_LAYER = re.compile(r"conv([2-5])_block([1-9][0-9]*)_"
                           r"(0_conv|0_bn|1_conv|1_bn|1_relu|2_conv|2_bn|2_relu|3_conv|3_bn|add|out)")
# the stem: layer -> (how many spatial steps it comes after, its channels; None: the input's)
_RESNET_STEM = {"conv1_pad": (1, None), "conv1_conv": (2, 64), "conv1_bn": (2, 64),
                "conv1_relu": (2, 64), "pool1_pad": (3, 64), "pool1_pool": (4, 64)}
_LAYER_CLASSES = {"pad": "ZeroPadding2D", "conv": "Conv2D", "bn": "BatchNormalization",
                  "relu": "Activation", "out": "Activation", "add": "Add", "pool": "MaxPooling2D"}


# ResNet V2 (resnet.py's residual_block_v2): a stage's last block has the stride (conv2..4),
# and each block ends in an Add named convN_blockM_out
_RESNET_V2_BLOCKS = {"ResNet50V2": (3, 4, 6, 3), "ResNet101V2": (3, 4, 23, 3),
                     "ResNet152V2": (3, 8, 36, 3)}
_RESNET_V2_OUT = re.compile(r"conv([2-5])_block([1-9][0-9]*)_out")


def _resnet_v2_out(app: Application, input_shape, layer: str):
    """``convN_blockM_out`` of a ResNet V2 model: (Add, its output shape); None for any other
    layer name or an input that is not 4-D."""
    m = _RESNET_V2_OUT.fullmatch(layer) if isinstance(layer, str) else None
    if m is None or not isinstance(input_shape, tuple) or len(input_shape) != 4:
        return None
    blocks = _RESNET_V2_BLOCKS[app.name]
    stage, block = int(m.group(1)), int(m.group(2))
    if block > blocks[stage - 2]:
        return None
    halvings = (stage - 2) + (1 if stage <= 4 and block == blocks[stage - 2] else 0)
    batch, h, w, _ = input_shape
    for step in app.steps[:4 + 2 * halvings]:
        h, w = _step(step, h, True), _step(step, w, True)
    if any(is_int(d) and d <= 0 for d in (h, w)):
        return None
    return "Add", (batch, h, w, 4 * 64 * 2 ** (stage - 2))


_VGG_CONVS = {"VGG16": (2, 2, 3, 3, 3), "VGG19": (2, 2, 4, 4, 4)}
_VGG_CHANNELS = (64, 128, 256, 512, 512)


def vgg_layers(app: Application, input_shape, include_top: bool, classes):
    """The layers of a VGG model in Keras's order: [(name, class, output shape)], after
    the InputLayer (3x3 'same' convolutions, 2x2 pools, then flatten, fc1, fc2,
    predictions with include_top); None for another model."""
    convs = _VGG_CONVS.get(app.name)
    if convs is None or not isinstance(input_shape, tuple) or len(input_shape) != 4:
        return None
    batch, h, w, _ = input_shape
    out = []
    for b, (n, ch) in enumerate(zip(convs, _VGG_CHANNELS), start=1):
        out += [(f"block{b}_conv{i}", "Conv2D", (batch, h, w, ch)) for i in range(1, n + 1)]
        h, w = _step(("valid", 2, 2), h, True), _step(("valid", 2, 2), w, True)
        if any(is_int(d) and d <= 0 for d in (h, w)):
            return None
        out.append((f"block{b}_pool", "MaxPooling2D", (batch, h, w, 512 if b > 3 else ch)))
    if include_top:
        if not (is_int(h) and is_int(w)):
            return None
        out += [("flatten", "Flatten", (batch, h * w * 512)), ("fc1", "Dense", (batch, 4096)),
                ("fc2", "Dense", (batch, 4096)),
                ("predictions", "Dense", (batch, classes if is_int(classes) or
                                          isinstance(classes, str) else UNK))]
    return out


def inner_layer(app: Application, input_shape, layer: str):
    """``model.get_layer(layer)`` of a model of the table built on ``input_shape`` (channels
    last): (its class, its output shape), or None when kerasshape does not know that layer
    (the ResNet v1 and VGG models' layers are listed)."""
    vgg = vgg_layers(app, input_shape, False, None)
    if vgg is not None:
        return next(((cls, shape) for name, cls, shape in vgg if name == layer), None)
    if app.name in _RESNET_V2_BLOCKS:
        return _resnet_v2_out(app, input_shape, layer)
    blocks = _RESNET_BLOCKS.get(app.name)
    if blocks is None or not isinstance(layer, str) or not isinstance(input_shape, tuple) or \
            len(input_shape) != 4:
        return None
    batch, h, w, c = input_shape
    if layer in _RESNET_STEM:
        n, ch = _RESNET_STEM[layer]
        ch = c if ch is None else ch
    else:
        m = _RESNET_LAYER.fullmatch(layer)
        if m is None:
            return None
        stage, block, part = int(m.group(1)), int(m.group(2)), m.group(3)
        if block > blocks[stage - 2] or part.startswith("0") and block != 1:
            return None
        filters = 64 * 2 ** (stage - 2)
        ch = filters if part[0] in "12" else 4 * filters
        n = 4 + stage - 2
    for step in app.steps[:n]:
        h, w = _step(step, h, True), _step(step, w, True)
    if any(is_int(d) and d <= 0 for d in (h, w)):
        return None
    return _LAYER_CLASSES[layer.rsplit("_", 1)[1]], (batch, h, w, ch)


def _preprocess(calls, args, kwargs, node):
    """``preprocess_input(x)``: the same shape for images (channels last, 3 of them); other
    shapes depend on the model's mode (caffe keeps 3 channels): not followed."""
    x = args[0] if args else kwargs.get("x")
    if not isinstance(x, Tensor):
        return UNKNOWN
    shape = x.shape if x.shape is not None and x.shape[-1:] == (3,) and \
        calls.data_format == "channels_last" else None
    return Tensor(shape, origin=calls.interp.code(node.func), node=node, deps=x.deps, parents=(x,))


def call_application(calls, model: ApplicationModel, x, node, disp):
    """A built application model called on a tensor: Keras checks it against the model's
    Input, then runs the layers again, so the output follows the new spatial size."""
    calls.events += 1
    if not isinstance(x, Tensor) or not model.inputs:
        return UNKNOWN
    name = disp or model.display or model.name
    expected = model.inputs[0].shape
    if x.shape is not None and expected is not None and len(x.shape) == len(expected) \
            and calls.incompatible(x.shape, expected):
        calls.report(node, "KS104",
                     f"{name} expects input {fmt(expected)}, got {fmt(x.shape)} from {calls.origin(x)}",
                     expected=fmt(expected), found=fmt(x.shape))
        return Tensor(None, origin=name, node=node, deps=x.deps, parents=(x,))
    shape, built = None, model.built_on
    if x.shape is not None and len(x.shape) == 4 and built is not None and len(built) == 4:
        if built[1] is not None and built[2] is None and ("correct_pad",) in model.app.steps:
            return Tensor(None, origin=name, node=node, deps=x.deps, parents=(x,))  # never built
        shape = output_shape(model.app, model.bound, x.shape, floor=built[1] is None)
    return Tensor(shape, origin=name, node=node, deps=x.deps, parents=(x,))


# ------------------------------------------------------------------ docs/layers.md


def _describe(steps) -> str:
    words = {"same": lambda s: f"same/{s[1]}", "valid": lambda s: f"{s[1]}/{s[2]}",
             "pad": lambda s: f"pad+{s[1]}", "correct_pad": lambda s: "correct_pad/2"}
    out, i = [], 0
    while i < len(steps):
        j = i
        while j < len(steps) and steps[j] == steps[i]:
            j += 1
        if j - i == 1 and i + 1 < len(steps) and steps[i][0] == "pad":   # a pad and its window
            k = i + 2
            while k + 1 < len(steps) and steps[k:k + 2] == steps[i:i + 2]:
                k += 2
            pair = f"{words['pad'](steps[i])} {words[steps[i + 1][0]](steps[i + 1])}"
            out.append(f"({pair})×{(k - i) // 2}" if k - i > 2 else pair)
            i = k
            continue
        text = words[steps[i][0]](steps[i])
        out.append(f"{text}×{j - i}" if j - i > 1 else text)
        i = j
    return ", ".join(out)


def markdown_lines() -> list:
    lines = [f"## Applications ({len(APPLICATIONS)} models)", "",
             "`keras.applications.X(...)` (also `keras.applications.<module>.X`, `tf.keras...`) "
             "is a model value: `show` lists it, calling it on a tensor checks the tensor against "
             "its input (KS104) and follows the new size, `.input`/`.output` join functional "
             "models, and it can open a `Sequential`. Arguments: `include_top`, `weights`, "
             "`input_shape`, `input_tensor`, `pooling`, `classes`, `classifier_activation`, "
             "`alpha` (MobileNets), `name`. Checked like Keras, before any download: with "
             "`weights='imagenet'` and `include_top=True` the input must be the default size and "
             "`classes` 1000 (KS204, KS203), imagenet weights need 3 channels, sizes under the "
             "minimum and `include_top=True` without a static size are refused (KS204); the "
             "MobileNet alphas and the ConvNeXt names that have weights (KS203). Nothing is "
             "downloaded: `weights` only changes the checks. The layers a model makes without a "
             "name take Keras's automatic names, so the user's later layers are named as in "
             "Keras (`conv2d_94` after an InceptionV3). `keras.applications.<module>."
             "preprocess_input(x)` keeps the shape of an image tensor (3 channels, last).", "",
             "Spatial sizes go through the strided layers: `k/s` a k-wide window with stride s "
             "and no padding, `same/s` ceil(n/s), `pad+p` zero padding, `correct_pad/2` "
             "ceil(n/2) (n//2 on the width when the height is undefined).", "",
             "| Model | Default | Minimum | Features | Spatial |",
             "|---|---|---|---|---|"]
    for app in APPLICATIONS.values():
        feats = app.features if not callable(app.features) else \
            f"{app.features(1.0)} at alpha=1"
        lines.append(f"| `{app.name}` | {app.default} | {app.minimum} | {feats} | "
                     f"{_describe(app.steps)} |")
    lines += ["", "Not in the table: RegNet*, ResNeXt* and ResNetRS* (not in Keras 3), "
              "`channels_first` (not followed)."]
    return lines
