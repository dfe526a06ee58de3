"""keras.applications models: the table in kerasshape/applications.py against Keras 3.

The rows below are what Keras 3.15 builds (weights=None); sizes are odd on purpose: the
padding of each family rounds differently (ResNet50 maps 225 to 8, VGG16 to 7, a
MobileNetV2 built on an undefined size and then called on 225 to 7). The ``tf``-marked
tests replay a sample of them, and the validation rules, with real Keras; the rest runs
without TensorFlow.
"""

from __future__ import annotations

import textwrap

import pytest

from kerasshape.applications import APPLICATIONS, bind, instantiate, lookup, names_taken, output_shape
from kerasshape.engine import analyze_source
from kerasshape.shapes import UNK

N = None

# (model, arguments besides weights=None, output shape); True in the last column: replayed
# with real Keras by test_rows_match_keras (one or two per family, odd sizes)
ROWS = [
    ("ResNet50", dict(include_top=False, input_shape=(225, 231, 3)), (N, 8, 8, 2048), True),
    ("ResNet50", dict(include_top=False, input_shape=(32, 38, 3)), (N, 1, 2, 2048), False),
    ("ResNet50", dict(include_top=False, input_shape=(33, 39, 3)), (N, 2, 2, 2048), False),
    ("ResNet50", dict(include_top=False, input_shape=(64, 64, 1)), (N, 2, 2, 2048), False),
    ("ResNet50", dict(include_top=False), (N, N, N, 2048), False),
    ("ResNet50", dict(include_top=False, pooling="avg", input_shape=(N, N, 3)), (N, 2048), False),
    ("ResNet50", dict(), (N, 1000), False),
    ("ResNet101", dict(include_top=False, input_shape=(99, 101, 3)), (N, 4, 4, 2048), False),
    ("ResNet152", dict(include_top=False, input_shape=(99, 101, 3)), (N, 4, 4, 2048), False),
    ("ResNet50V2", dict(include_top=False, input_shape=(97, 103, 3)), (N, 4, 4, 2048), True),
    ("ResNet101V2", dict(include_top=False, input_shape=(99, 101, 3)), (N, 4, 4, 2048), False),
    ("ResNet152V2", dict(include_top=False, input_shape=(99, 101, 3)), (N, 4, 4, 2048), False),
    ("VGG16", dict(include_top=False, input_shape=(225, 231, 3)), (N, 7, 7, 512), True),
    ("VGG16", dict(include_top=True, input_shape=(100, 100, 3), classes=5), (N, 5), True),
    ("VGG16", dict(include_top=False, input_shape=(33, 39, 3)), (N, 1, 1, 512), False),
    ("VGG19", dict(include_top=False, input_shape=(99, 101, 3)), (N, 3, 3, 512), False),
    ("MobileNet", dict(include_top=False, input_shape=(225, 231, 3)), (N, 7, 7, 1024), False),
    ("MobileNet", dict(include_top=False, input_shape=(97, 97, 3), alpha=0.25), (N, 3, 3, 256), True),
    ("MobileNet", dict(input_shape=(97, 97, 3), alpha=0.75, classes=7), (N, 7), False),
    ("MobileNetV2", dict(include_top=False, input_shape=(225, 231, 3)), (N, 8, 8, 1280), True),
    ("MobileNetV2", dict(include_top=False, input_shape=(N, 97, 3), alpha=1.4), (N, N, 3, 1792), True),
    ("MobileNetV2", dict(include_top=False, input_shape=(99, 101, 3), alpha=0.35), (N, 4, 4, 1280), False),
    ("MobileNetV3Small", dict(include_top=False, input_shape=(97, 103, 3)), (N, 4, 4, 576), True),
    ("MobileNetV3Small", dict(include_top=False, input_shape=(N, 97, 3), alpha=0.75), (N, N, 3, 432), False),
    ("MobileNetV3Small", dict(input_shape=(99, 101, 3), classes=3), (N, 3), False),
    ("MobileNetV3Small", dict(include_top=False), (N, N, N, 576), False),
    ("MobileNetV3Large", dict(include_top=False, input_shape=(97, 97, 3), minimalistic=True),
     (N, 4, 4, 960), True),
    ("MobileNetV3Large", dict(include_top=False, input_shape=(99, 101, 3), alpha=1.3),
     (N, 4, 4, 1248), False),
    ("EfficientNetB0", dict(include_top=False, input_shape=(225, 231, 3)), (N, 8, 8, 1280), True),
    ("EfficientNetB0", dict(include_top=False, input_shape=(N, 97, 3)), (N, N, 3, 1280), True),
    ("EfficientNetB0", dict(include_top=False, input_shape=(33, 39, 3)), (N, 2, 2, 1280), False),
    *[(f"EfficientNetB{i}", dict(include_top=False, input_shape=(99, 101, 3)), (N, 4, 4, ch), False)
      for i, ch in enumerate((1280, 1280, 1408, 1536, 1792, 2048, 2304, 2560))],
    ("EfficientNetV2B0", dict(include_top=False, input_shape=(97, 103, 3)), (N, 4, 4, 1280), True),
    ("EfficientNetV2B0", dict(include_top=False, input_shape=(99, 101, 3), pooling="max"), (N, 1280), False),
    *[(f"EfficientNetV2{v}", dict(include_top=False, input_shape=(99, 101, 3)), (N, 4, 4, ch), False)
      for v, ch in (("B1", 1280), ("B2", 1408), ("B3", 1536), ("S", 1280), ("M", 1280), ("L", 1280))],
    ("DenseNet121", dict(include_top=False, input_shape=(97, 103, 3)), (N, 3, 3, 1024), True),
    ("DenseNet121", dict(include_top=False, input_shape=(225, 231, 3)), (N, 7, 7, 1024), False),
    ("DenseNet169", dict(include_top=False, input_shape=(99, 101, 3)), (N, 3, 3, 1664), False),
    ("DenseNet201", dict(include_top=False, input_shape=(99, 101, 3)), (N, 3, 3, 1920), False),
    ("InceptionV3", dict(include_top=False, input_shape=(225, 231, 3)), (N, 5, 5, 2048), True),
    ("InceptionV3", dict(include_top=False, input_shape=(75, 81, 3)), (N, 1, 1, 2048), False),
    ("InceptionV3", dict(), (N, 1000), False),
    ("InceptionResNetV2", dict(include_top=False, input_shape=(75, 81, 3)), (N, 1, 1, 1536), True),
    ("Xception", dict(include_top=False, input_shape=(97, 103, 3)), (N, 3, 4, 2048), True),
    ("Xception", dict(include_top=False, input_shape=(71, 77, 3)), (N, 3, 3, 2048), False),
    ("Xception", dict(include_top=False, input_shape=(225, 231, 3)), (N, 7, 8, 2048), False),
    ("ConvNeXtTiny", dict(include_top=False, input_shape=(225, 231, 3)), (N, 7, 7, 768), True),
    ("ConvNeXtTiny", dict(input_shape=(99, 101, 3), classes=3), (N, 3), False),
    *[(f"ConvNeXt{v}", dict(include_top=False, input_shape=(99, 101, 3)), (N, 3, 3, ch), False)
      for v, ch in (("Small", 768), ("Base", 1024), ("Large", 1536), ("XLarge", 2048))],
    ("NASNetMobile", dict(include_top=False, input_shape=(97, 103, 3)), (N, 3, 4, 1056), True),
    ("NASNetMobile", dict(include_top=False), (N, 7, 7, 1056), False),
    ("NASNetLarge", dict(include_top=False, input_shape=(99, 101, 3)), (N, 4, 4, 4032), False),
]

# what Keras raises, and the check's words in its message; weights as given
ERRORS = [
    ("ResNet50", dict(input_shape=(128, 128, 3)), "KS204", "should be (224, 224, 3)"),
    ("ResNet50", dict(input_shape=[224, 224, 3]), "KS204", "should be (224, 224, 3)"),  # a list
    ("MobileNet", dict(input_shape=(150, 150, 3)), "KS204", "should be (224, 224, 3)"),
    ("EfficientNetB0", dict(input_shape=(240, 240, 3)), "KS204", "should be (224, 224, 3)"),
    ("ResNet50", dict(include_top=False, input_shape=(128, 128, 1)), "KS204", "must have 3 channels"),
    ("ResNet50", dict(include_top=False, input_shape=(20, 20, 3), weights=None), "KS204", "at least 32x32"),
    ("InceptionV3", dict(include_top=False, input_shape=(74, 80, 3), weights=None), "KS204",
     "at least 75x75"),
    ("Xception", dict(include_top=False, input_shape=(70, 80, 3), weights=None), "KS204", "at least 71x71"),
    ("MobileNetV3Small", dict(input_shape=(20, 20, 3), weights=None), "KS204", "at least 32x32"),
    ("ResNet50", dict(include_top=False, input_shape=(64, 64), weights=None), "KS204", "tuple of three"),
    ("VGG16", dict(input_shape=(N, N, 3), weights=None), "KS204", "static `input_shape`"),
    ("NASNetMobile", dict(include_top=False, input_shape=(N, N, 3)), "KS204", "must be static"),
    ("ResNet50", dict(classes=10), "KS203", "`classes` should be 1000"),
    ("MobileNetV3Small", dict(input_shape=(200, 200, 3), classes=10), "KS203", "should be 1000"),
    ("MobileNetV2", dict(classifier_activation="sigmoid"), "KS203", "activations are allowed"),
    ("MobileNet", dict(alpha=0.3), "KS203", "alpha can be one of"),
    ("MobileNet", dict(depth_multiplier=2), "KS203", "depth multiplier must be 1"),
    ("MobileNetV2", dict(alpha=0.6), "KS203", "alpha must be one of"),
    ("MobileNetV3Small", dict(alpha=0.75, minimalistic=True), "KS203", "alpha can be one of"),
    ("ConvNeXtTiny", dict(name="backbone"), "KS203", "does not match weights variant"),
]

# accepted by Keras (with imagenet weights it then downloads them: not replayed)
ACCEPTED = [
    ("MobileNet", dict(input_shape=(160, 160, 3))),
    ("MobileNetV2", dict(input_shape=(96, 96, 3))),
    ("MobileNetV2", dict(classifier_activation="linear")),
    ("MobileNet", dict(classifier_activation=None)),
    ("NASNetMobile", dict(include_top=False, input_shape=[N, N, 3])),   # a list is not checked
    ("ConvNeXtTiny", dict(name="my_convnext_tiny")),
    ("MobileNetV3Small", dict(input_shape=(200, 200, 3))),               # a warning only
    ("ResNet50", dict(include_top=False, input_shape=(64, 64, 4), weights=None)),
]


def build(name, kwargs, tensor_shape=None):
    kwargs = dict(kwargs)
    kwargs.setdefault("weights", None)
    is_list = isinstance(kwargs.get("input_shape"), list)
    if is_list:
        kwargs["input_shape"] = tuple(kwargs["input_shape"])
    app = APPLICATIONS[name]
    return instantiate(app, bind(app, [], kwargs), tensor_shape, is_list)


def test_table_covers_every_keras_3_application():
    assert len(APPLICATIONS) == 40
    for name, app in APPLICATIONS.items():
        assert app.minimum <= app.default
        assert lookup(f"keras.applications.{name}") is app
        for module in app.modules:
            assert lookup(f"keras.applications.{module}.{name}") is app
    assert lookup("keras.applications.vgg16.ResNet50") is None
    assert lookup("keras.applications.RegNetX002") is None


@pytest.mark.parametrize("name,kwargs,expected,_", ROWS, ids=[f"{r[0]}-{i}" for i, r in enumerate(ROWS)])
def test_rows(name, kwargs, expected, _):
    built = build(name, kwargs)
    assert built.problem is None
    assert built.output_shape == expected


@pytest.mark.parametrize("name,kwargs,code,_", ERRORS, ids=[f"{e[0]}-{i}" for i, e in enumerate(ERRORS)])
def test_errors(name, kwargs, code, _):
    kwargs = dict(kwargs)
    kwargs.setdefault("weights", "imagenet")
    built = build(name, kwargs)
    assert built.problem is not None and built.problem.code == code


@pytest.mark.parametrize("name,kwargs", ACCEPTED, ids=[f"{a[0]}-{i}" for i, a in enumerate(ACCEPTED)])
def test_accepted(name, kwargs):
    kwargs = dict(kwargs)
    kwargs.setdefault("weights", "imagenet")
    assert build(name, kwargs).problem is None


def test_input_tensor_and_calls_on_other_sizes():
    # built on the tensor's shape
    assert build("MobileNetV2", dict(include_top=False, input_tensor=object()),
                 (N, 97, 103, 3)).output_shape == (N, 4, 4, 1280)
    assert build("VGG16", dict(input_tensor=object()), (N, 97, 103, 3)).output_shape == (N, 1000)
    assert build("VGG16", dict(input_tensor=object()), (N, N, N, 3)).output_shape is None
    # built on an undefined size, called on 225: correct_pad's paddings were fixed at build
    app = APPLICATIONS["MobileNetV2"]
    bound = bind(app, [], dict(include_top=False, weights=None))
    assert output_shape(app, bound, (N, 225, 231, 3), floor=True) == (N, 7, 7, 1280)
    assert output_shape(app, bound, (N, 225, 231, 3)) == (N, 8, 8, 1280)
    resnet = APPLICATIONS["ResNet50"]
    assert output_shape(resnet, bind(resnet, [], dict(include_top=False)), (N, 97, 96, 3),
                        floor=True) == (N, 4, 3, 2048)


def test_unknown_arguments_are_silent():
    for kwargs in (dict(input_shape=(UNK, UNK, 3)), dict(weights=UNK), dict(classes=UNK),
                   dict(include_top=UNK, input_shape=(20, 20, 3)), dict(input_shape=UNK)):
        assert build("ResNet50", kwargs).problem is None


# ---------------------------------------------------------------- the interpreter


def analyse(src):
    return analyze_source(textwrap.dedent(src), "m.py")


def codes(src):
    return [(d.line, d.code) for d in analyse(src).diagnostics]


def models(src):
    return {m["name"]: m["outputs"] for m in analyse(src).to_dict()["models"]}


def test_base_model_called_like_a_layer():
    src = """
        import keras
        from keras import layers

        base = keras.applications.ResNet50(include_top=False, weights="imagenet",
                                           input_shape=(225, 225, 3))
        base.trainable = False
        inputs = keras.Input(shape=(225, 225, 3))
        x = base(inputs, training=False)
        x = layers.GlobalAveragePooling2D()(x)
        outputs = layers.Dense(10)(x)
        model = keras.Model(inputs, outputs)
        model.compile(optimizer="adam", loss="mse")
    """
    assert codes(src) == []
    assert models(src) == {"base": [[N, 8, 8, 2048]], "model": [[N, 10]]}


def test_base_model_in_sequential_and_its_output():
    src = """
        import tensorflow as tf
        from keras.applications import MobileNetV2
        from tensorflow.keras import layers

        base = MobileNetV2(input_shape=(97, 97, 3), include_top=False, weights=None)
        head = tf.keras.Sequential([base, layers.GlobalAveragePooling2D(), layers.Dense(10)])

        vgg = tf.keras.applications.vgg16.VGG16(weights=None, include_top=False, input_shape=(225, 225, 3))
        y = layers.Flatten()(vgg.output)
        y = layers.Dense(3)(y)
        clf = tf.keras.Model(vgg.input, y)
    """
    assert codes(src) == []
    assert models(src) == {"base": [[N, 4, 4, 1280]], "head": [[N, 10]],
                           "vgg": [[N, 7, 7, 512]], "clf": [[N, 3]]}
    flatten = analyse(src).to_dict()["models"][3]["layers"][0]
    assert flatten["output_shape"] == [N, 7 * 7 * 512]


def test_base_built_without_a_size_follows_the_tensor_it_is_called_on():
    src = """
        import keras
        from keras import layers

        base = keras.applications.efficientnet.EfficientNetB0(include_top=False, weights=None)
        inputs = keras.Input(shape=(225, 225, 3))
        features = base(inputs)
        model = keras.Model(inputs, layers.Conv2D(8, 7)(features))
    """
    assert codes(src) == []
    assert models(src)["model"] == [[N, 1, 1, 8]]   # 7x7 features: correct_pad fixed at build


def test_input_tensor():
    src = """
        import keras
        from keras import layers

        inputs = keras.Input(shape=(97, 103, 3))
        base = keras.applications.MobileNetV2(input_tensor=inputs, include_top=False, weights=None)
        x = layers.GlobalAveragePooling2D()(base.output)
        model = keras.Model(inputs, layers.Dense(2)(x))
    """
    assert codes(src) == []
    assert models(src) == {"base": [[N, 4, 4, 1280]], "model": [[N, 2]]}


def test_input_tensor_after_user_layers():
    src = """
        import keras
        from keras import layers

        inputs = keras.Input(shape=(32, 32, 3))
        x = layers.Resizing(96, 96)(inputs)
        base = keras.applications.ResNet50(include_top=False, weights="imagenet", input_tensor=x)
        for layer in base.layers[-20:]:
            layer.trainable = True
        y = layers.GlobalAveragePooling2D()(base.output)
        model = keras.Model(inputs, layers.Dense(3)(y))
        again = base(keras.Input(shape=(32, 32, 3)))
        wrong = base(keras.Input(shape=(64, 64, 3)))
    """
    assert codes(src) == [(13, "KS104")]   # its input is the (32, 32, 3) one, Resizing inside
    found = models(src)
    assert found["base"] == [[N, 3, 3, 2048]] and found["model"] == [[N, 3]]


def test_later_layers_get_the_names_keras_gives_them():
    src = """
        import keras
        from keras import layers

        base = keras.applications.InceptionV3(include_top=False, weights=None, input_shape=(75, 75, 3))
        inputs = keras.Input(shape=(75, 75, 3))
        x = layers.Conv2D(3, 1)(inputs)
        x = base(x)
        model = keras.Model(inputs, layers.GlobalAveragePooling2D()(x))
    """
    found = analyse(src).to_dict()["models"][1]["layers"]
    assert [(layer["name"], layer["output_shape"]) for layer in found] == [
        ("conv2d_94", [N, 75, 75, 3]), ("inception_v3", [N, 1, 1, 2048]),
        ("global_average_pooling2d", [N, 2048])]


def test_the_transfer_learning_tutorial():
    src = """
        import tensorflow as tf

        IMG_SHAPE = (160, 160) + (3,)
        preprocess_input = tf.keras.applications.mobilenet_v2.preprocess_input
        base_model = tf.keras.applications.MobileNetV2(input_shape=IMG_SHAPE, include_top=False,
                                                       weights="imagenet")
        base_model.trainable = False
        inputs = tf.keras.Input(shape=(160, 160, 3))
        x = tf.keras.layers.RandomFlip("horizontal")(inputs)
        x = preprocess_input(x)
        x = base_model(x, training=False)
        x = tf.keras.layers.GlobalAveragePooling2D()(x)
        outputs = tf.keras.layers.Dense(1)(tf.keras.layers.Dropout(0.2)(x))
        model = tf.keras.Model(inputs, outputs)
        gray = tf.keras.applications.resnet50.preprocess_input(tf.keras.Input(shape=(8, 8, 1)))
    """
    assert codes(src) == []
    layers = analyse(src).to_dict()["models"][1]["layers"]
    assert [(layer["name"], layer["output_shape"]) for layer in layers] == [
        ("random_flip", [N, 160, 160, 3]), ("mobilenetv2_1.00_160", [N, 5, 5, 1280]),
        ("global_average_pooling2d", [N, 1280]), ("dropout", [N, 1280]), ("dense", [N, 1])]


def test_wrong_channels_and_too_small_inputs_at_their_lines():
    src = """
        import keras

        base = keras.applications.ResNet50(include_top=False, weights=None, input_shape=(96, 96, 3))
        gray = keras.Input(shape=(96, 96, 4))
        x = base(gray)
        small = keras.applications.InceptionV3(include_top=False, weights=None, input_shape=(32, 32, 3))
        pretrained = keras.applications.ResNet50(weights="imagenet", include_top=False,
                                                 input_shape=(224, 224, 1))
        top = keras.applications.ResNet50(input_shape=(128, 128, 3))
        other = keras.Input(shape=(96, 96, 3))
        loose = keras.Model(other, base.output)
    """
    assert codes(src) == [(6, "KS104"), (7, "KS204"), (8, "KS204"), (10, "KS204"), (12, "KS302")]
    messages = [d.message for d in analyse(src).diagnostics]
    assert "smaller than the 75x75 minimum of InceptionV3" in messages[1]
    assert "3 input channels" in messages[2]


def test_unknown_sizes_and_other_names_are_silent():
    src = """
        import sys
        import keras
        from keras import applications

        def backbone(size, weights):
            return keras.applications.ResNet50(include_top=False, weights=weights,
                                               input_shape=(size, size, 3))

        base = backbone(int(sys.argv[1]), sys.argv[2])
        other = applications.vgg16.ResNet50(input_shape=(5, 5, 3))
        regnet = applications.RegNetX002(input_shape=(5, 5, 3))
        pretrained = keras.applications.MobileNet(input_shape=(160, 160, 3))
    """
    assert codes(src) == []
    assert models(src) == {"pretrained": [[N, 1000]]} or models(src)["pretrained"] == [[N, 1000]]


# ---------------------------------------------------------------- real Keras


@pytest.mark.tf
def test_table_lists_the_models_keras_exports(keras):
    exported = {n for n in dir(keras.applications) if n[:1].isupper()}
    assert exported == set(APPLICATIONS)
    for name, app in APPLICATIONS.items():
        for module in app.modules:
            assert getattr(getattr(keras.applications, module), name, None) is not None, (module, name)


def keras_names_taken():
    """Keras's automatic-name counters now (model/layer/op prefixes only)."""
    from keras.src.backend.common import global_state

    uids = dict(global_state.get_global_attribute("object_name_uids") or {})
    return {k: v for k, v in uids.items()
            if k not in ("keras_tensor", "variable", "scratch_graph", "seed_generator")}


def names_taken_by(name, kwargs):
    kwargs = dict(kwargs, weights=kwargs.get("weights"))
    app = APPLICATIONS[name]
    bound = bind(app, [], kwargs)
    return names_taken(app, bound, instantiate(app, bound).input_shape)


@pytest.mark.tf
def test_rows_match_keras(keras):
    replay = [r for r in ROWS if r[3]]
    for name, kwargs, expected, _ in replay:
        keras.backend.clear_session()
        model = getattr(keras.applications, name)(weights=None, **kwargs)
        assert tuple(model.output.shape) == expected, name
        assert keras_names_taken() == names_taken_by(name, kwargs), name
    keras.backend.clear_session()


# the automatic names the unnamed layers of a model take, beyond the rows above
NAMING = [
    ("VGG16", dict(include_top=False, pooling="max", input_shape=(64, 64, 3))),
    ("MobileNet", dict(input_shape=(97, 97, 3))),
    ("MobileNetV2", dict(include_top=False, pooling="avg", input_shape=(64, 64, 3))),
    ("MobileNetV3Small", dict(dropout_rate=0)),
    ("MobileNetV3Large", dict(include_top=False, include_preprocessing=False)),
    ("EfficientNetV2B0", dict(include_top=False, input_shape=(64, 64, 1))),
    ("EfficientNetV2B0", dict(include_top=False, include_preprocessing=False, input_shape=(64, 64, 3))),
    ("ConvNeXtTiny", dict(include_top=False, pooling="avg", input_shape=(64, 64, 3))),
    ("NASNetMobile", dict(include_top=False, input_shape=(N, N, 3))),
    ("Xception", dict(include_top=False, pooling="max", input_shape=(71, 71, 3))),
]


@pytest.mark.tf
def test_names_taken_match_keras(keras):
    for name, kwargs in NAMING:
        keras.backend.clear_session()
        getattr(keras.applications, name)(weights=None, **kwargs)
        assert keras_names_taken() == names_taken_by(name, kwargs), name
    keras.backend.clear_session()


@pytest.mark.tf
def test_errors_match_keras_before_any_download(keras, monkeypatch):
    from keras.src.utils import file_utils

    def no_download(*args, **kwargs):
        raise AssertionError("Keras tried to download weights")

    monkeypatch.setattr(file_utils, "get_file", no_download)
    for name, kwargs, _, words in ERRORS:
        kwargs = dict(kwargs)
        kwargs.setdefault("weights", "imagenet")
        with pytest.raises(ValueError, match=None) as info:
            getattr(keras.applications, name)(**kwargs)
        assert words in str(info.value), (name, kwargs, str(info.value))
        keras.backend.clear_session()
    for name, kwargs in ACCEPTED:   # these get as far as the download
        kwargs = dict(kwargs)
        kwargs.setdefault("weights", "imagenet")
        if kwargs["weights"] is None:
            getattr(keras.applications, name)(**kwargs)
        else:
            with pytest.raises(AssertionError, match="download"):
                getattr(keras.applications, name)(**kwargs)
        keras.backend.clear_session()


@pytest.mark.tf
def test_preprocess_input_keeps_image_shapes(keras):
    from kerasshape.applications import PREPROCESS_MODULES, kind

    for module in sorted(PREPROCESS_MODULES):
        assert kind(f"keras.applications.{module}.preprocess_input") == "preprocess_input"
        out = getattr(keras.applications, module).preprocess_input(keras.Input(shape=(97, 103, 3)))
        assert tuple(out.shape) == (N, 97, 103, 3), module


@pytest.mark.tf
def test_calls_and_input_tensor_match_keras(keras):
    base = keras.applications.MobileNetV2(include_top=False, weights=None)
    assert tuple(base(keras.Input(shape=(225, 231, 3))).shape) == (N, 7, 7, 1280)
    keras.backend.clear_session()
    tensor = keras.Input(shape=(97, 103, 3))
    model = keras.applications.MobileNetV2(include_top=False, weights=None, input_tensor=tensor)
    assert tuple(model.output.shape) == (N, 4, 4, 1280)
    keras.backend.clear_session()
