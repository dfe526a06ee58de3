"""Patterns of real Keras code (keras-io examples) whose shapes kerasshape follows through the
ops and signature tables: a custom layer's causal mask built from ``tf.shape`` sizes, a reshape
back to ``tf.shape(x)`` of a tensor whose shape was lost, ``tf.unstack`` into a list of
experts, top-k experts picked with ``tf.gather_nd`` on ``tf.range(batch_size)``, ``tf.linspace`` in a Lambda, ``Reshape((k, k))`` in a function of ``k``, and the
tf.keras 2 ``layers.experimental.preprocessing`` paths. Each program states the shapes Keras
gives; the `tf`-marked tests build the same programs with Keras and compare.
"""

from __future__ import annotations

import pytest

from kerasshape.engine import analyze_source
from kerasshape.shapes import UNK

from .test_signatures import REJECTED, agree, ours


def models(src):
    analysis = analyze_source(src, "m.py")
    assert not analysis.diagnostics, analysis.diagnostics
    return {m.name: (m.inputs, m.outputs) for m in analysis.models}


HEAD = """\
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers
"""

CAUSAL = HEAD + '''
class SelfAttention(layers.Layer):
    def __init__(self, embed_dim, num_heads):
        super().__init__()
        self.num_heads = num_heads
        self.projection_dim = embed_dim // num_heads
        self.embed_dim = embed_dim
        self.query = layers.Dense(embed_dim)
        self.combine = layers.Dense(embed_dim)

    def call(self, inputs):
        batch_size = tf.shape(inputs)[0]
        q = self.query(inputs)
        q = tf.reshape(q, (batch_size, -1, self.num_heads, self.projection_dim))
        q = tf.transpose(q, perm=[0, 2, 1, 3])
        score = tf.matmul(q, q, transpose_b=True)
        shape = tf.shape(score)
        n_dest, n_src = shape[2], shape[3]
        i = tf.range(n_dest)[:, None]
        j = tf.range(n_src)
        m = tf.cast(i >= j - n_src + n_dest, score.dtype)
        m = tf.reshape(m, [1, 1, n_dest, n_src])
        score = score * m - 1e4 * (1 - m)
        out = tf.matmul(tf.nn.softmax(score, axis=-1), q)
        out = tf.transpose(out, perm=[0, 2, 1, 3])
        out = tf.reshape(out, (batch_size, -1, self.embed_dim))
        return self.combine(out)


inputs = layers.Input(shape=(10, 16))
x = SelfAttention(16, 2)(inputs)
model = keras.Model(inputs, inputs + x, name="causal")
'''

RESHAPE_BACK = HEAD + '''
class Quantizer(layers.Layer):
    def __init__(self, dim, **kwargs):
        super().__init__(**kwargs)
        self.dim = dim

    def call(self, x):
        input_shape = tf.shape(x)
        flat = tf.reshape(x, [-1, self.dim])
        lost = some_unknown_function(flat)
        q = tf.reshape(lost, input_shape)
        return x + tf.stop_gradient(q - x)


inputs = keras.Input(shape=(7, 7, 16))
model = keras.Model(inputs, Quantizer(16)(inputs), name="quantized")
'''

UNSTACK = HEAD + '''
def expert():
    return keras.Sequential([layers.Dense(8), layers.Dense(4)])


class Experts(layers.Layer):
    def __init__(self, n):
        super().__init__()
        self.n = n
        self.experts = [expert() for _ in range(n)]

    def call(self, inputs):
        parts = tf.unstack(inputs, axis=1)
        outs = [self.experts[i](p) for i, p in enumerate(parts)]
        return tf.stack(outs, axis=1)


inputs = keras.Input(shape=(3, 5))
model = keras.Model(inputs, Experts(3)(inputs), name="experts")
'''

LINSPACE = HEAD + '''
def embedding(x):
    freqs = tf.exp(tf.linspace(tf.math.log(1.0), tf.math.log(1000.0), 32 // 2))
    speeds = 6.28 * freqs
    return tf.concat([tf.sin(speeds * x), tf.cos(speeds * x)], axis=3)


variances = keras.Input(shape=(1, 1, 1))
e = layers.Lambda(embedding)(variances)
model = keras.Model(variances, layers.UpSampling2D(size=4)(e), name="sinusoidal")
'''

TOP_K_GATHER = HEAD + '''
class MoE(layers.Layer):
    def __init__(self, units, num_experts, top_k):
        super().__init__()
        self.top_k = top_k
        self.experts = [layers.Dense(units) for _ in range(num_experts)]
        self.gate = layers.Dense(num_experts)

    def call(self, x):
        top_k_weights, top_k_indices = tf.math.top_k(self.gate(x), k=self.top_k)
        expert_outputs = tf.stack([expert(x) for expert in self.experts], axis=1)
        batch_size = tf.shape(x)[0]
        batch_indices = tf.tile(tf.expand_dims(tf.range(batch_size), 1), [1, self.top_k])
        indices = tf.stack([batch_indices, top_k_indices], axis=2)
        chosen = tf.gather_nd(expert_outputs, indices)
        return tf.reduce_sum(chosen * tf.expand_dims(top_k_weights, axis=-1), axis=1)


inputs = keras.Input(shape=(12,))
model = keras.Model(inputs, MoE(10, 6, 4)(inputs), name="moe")
'''

EXPERIMENTAL = HEAD + '''
from tensorflow.keras.layers.experimental.preprocessing import StringLookup

lookup = StringLookup(vocabulary=["a", "b", "c"], mask_token=None)
inputs = layers.Input(shape=(), dtype="string")
x = lookup(inputs)
x = layers.Embedding(input_dim=4, output_dim=8)(x)
model = keras.Model(inputs, x, name="lookup")
augment = keras.Sequential([
    keras.Input(shape=(32, 32, 3)),
    layers.experimental.preprocessing.Rescaling(scale=1.0 / 255),
    layers.experimental.preprocessing.RandomCrop(24, 24),
], name="augment")
'''

TNET = HEAD + '''
def tnet(n_pts, k):
    inputs = keras.Input(shape=(n_pts, k))
    x = layers.GlobalMaxPooling1D()(inputs)
    x = layers.Dense(k * k)(x)
    feat = layers.Reshape((k, k))(x)
    return keras.Model(inputs, layers.Dot(axes=(2, 1))([inputs, feat]), name="tnet")


model = tnet(20, 3)
'''

PROGRAMS = [
    # id             source          variable    inputs                 outputs
    ("causal",       CAUSAL,         "model",    [(None, 10, 16)],      [(None, 10, 16)]),
    ("quantized",    RESHAPE_BACK,   "model",    [(None, 7, 7, 16)],    [(None, 7, 7, 16)]),
    ("experts",      UNSTACK,        "model",    [(None, 3, 5)],        [(None, 3, 4)]),
    ("moe",          TOP_K_GATHER,   "model",    [(None, 12)],          [(None, 10)]),
    ("sinusoidal",   LINSPACE,       "model",    [(None, 1, 1, 1)],     [(None, 4, 4, 32)]),
    ("lookup",       EXPERIMENTAL,   "model",    [(None,)],             [(None, 8)]),
    ("augment",      EXPERIMENTAL,   "augment",  [(None, 32, 32, 3)],   [(None, 24, 24, 3)]),
    ("tnet",         TNET,           "model",    [(None, 20, 3)],       [(None, 20, 3)]),
]


@pytest.mark.parametrize("src, name, inputs, outputs",
                         [pytest.param(*p[1:], id=p[0]) for p in PROGRAMS])
def test_program_shapes(src, name, inputs, outputs):
    assert models(src)[name] == (inputs, outputs)


def test_named_sizes_in_a_function_nobody_calls():
    """``Reshape((k, k))`` of a ``Dense(k * k)`` keeps the named size k."""
    src = TNET.replace("model = tnet(20, 3)\n", "")
    assert list(models(src).values()) == [([(None, "n_pts", "k")], [(None, "n_pts", "k")])]


NAMED_OPERAND = HEAD + '''
class Buckets(layers.Layer):
    def __init__(self, n):
        super().__init__()
        self.n = n
        self.q = layers.Embedding(100, 4)
        self.r = layers.Embedding(100, 4)

    def call(self, inputs):
        q = tf.math.floordiv(inputs, self.n)
        r = tf.math.floormod(inputs, self.n) + self.n
        return self.q(q) * self.r(r)


def buckets(vocab):
    n = len(vocab) // 50
    inputs = keras.Input(shape=(5,), dtype="int32")
    return keras.Model(inputs, Buckets(n)(inputs))
'''


def test_named_size_operand_is_a_scalar():
    """A named size that is surely a number (``len(vocab) // 50``, vocab a parameter nobody
    passed) in tensor arithmetic is a Python int at run time: a scalar operand. (A bare
    parameter may be a tensor: not taken as a scalar, see test_named_sizes.py.)"""
    assert list(models(NAMED_OPERAND).values()) == [([(None, 5)], [(None, 5, 4)])]


@pytest.mark.tf
def test_named_size_operand_matches_keras(keras):
    model = _keras_models(NAMED_OPERAND, keras)["buckets"](list(range(350)))   # n = 7
    real = ([tuple(t.shape) for t in model.inputs], [tuple(t.shape) for t in model.outputs])
    assert real == ([(None, 5)], [(None, 5, 4)])


# ------------------------------------------------------------------ Reshape, named sizes

# layer, kwargs, input, output; a named size takes the value in NAMES in the Keras replay
CASES = [
    ("Reshape",  {"target_shape": ("k", "k")},        (None, "k * k"),     (None, "k", "k")),
    ("Reshape",  {"target_shape": ("k", 4)},          (None, "k", 2, 2),   (None, "k", 4)),
    ("Reshape",  {"target_shape": (2, -1)},           (None, "k", 4),      (None, 2, "2 * k")),
    ("Reshape",  {"target_shape": ("k", -1, -1)},     (None, "k", 4),      "KS203"),
    ("Reshape",  {"target_shape": ("k", UNK)},        (None, 12),          (None, "k", UNK)),
]
NAMES = {"k": 3}


def _bind(value):
    """A named size replaced by its value in NAMES (``k * k`` -> 9)."""
    if isinstance(value, str):
        return eval(value, {}, dict(NAMES))  # noqa: S307 - names and * only, from the table
    if isinstance(value, tuple):
        return tuple(_bind(v) for v in value)
    if isinstance(value, dict):
        return {k: _bind(v) for k, v in value.items()}
    return value


@pytest.mark.parametrize("layer, kwargs, x, expected",
                         [pytest.param(*r, id=f"{i}-{r[0]}") for i, r in enumerate(CASES)])
def test_named_reshape(layer, kwargs, x, expected):
    assert ours(layer, (), kwargs, x) == expected


@pytest.mark.tf
@pytest.mark.parametrize("layer, kwargs, x, expected",
                         [pytest.param(*r, id=f"{i}-{r[0]}") for i, r in enumerate(CASES)])
def test_named_reshape_matches_keras(keras, layer, kwargs, x, expected):
    if UNK in kwargs.get("target_shape", ()):
        pytest.skip("an argument kerasshape cannot evaluate has no value to give Keras")
    try:
        out = getattr(keras.layers, layer)(**_bind(kwargs))(keras.Input(batch_shape=_bind(x)))
        real = tuple(out.shape)
    except Exception:  # noqa: BLE001 - Keras refusing the layer
        real = REJECTED
    want = expected if isinstance(expected, str) else _bind(expected)
    assert agree(want, real), f"{layer}({kwargs}) on {x}: Keras gives {real}"


# ------------------------------------------------------------------ against real Keras

def _keras_models(src, tf_keras):
    """Run a program with real Keras (``tf.keras`` is Keras 3 here): its models' shapes."""
    import tensorflow as tf

    namespace = {"some_unknown_function": lambda v: v}
    # Keras 3 has no layers.experimental: the tf.keras 2 paths name the same layers
    src = src.replace("from tensorflow.keras.layers.experimental.preprocessing import",
                      "from tensorflow.keras.layers import")
    src = src.replace("layers.experimental.preprocessing.", "layers.")
    exec(compile(src, "m.py", "exec"), namespace)  # noqa: S102 - our own test programs
    del tf, tf_keras
    return namespace


@pytest.mark.tf
@pytest.mark.parametrize("src, name, inputs, outputs",
                         [pytest.param(*p[1:], id=p[0]) for p in PROGRAMS])
def test_program_matches_keras(keras, src, name, inputs, outputs):
    model = _keras_models(src, keras)[name]
    real = ([tuple(t.shape) for t in model.inputs], [tuple(t.shape) for t in model.outputs])
    assert real == (inputs, outputs)


# ------------------------------------------------------------------ backbone feature maps

# model, input shape (channels last, batch first), layer name, (class, output) or None
INNER = [
    ("ResNet50",  (None, 512, 512, 3),   "conv4_block6_2_relu", ("Activation", (None, 32, 32, 256))),
    ("ResNet50",  (None, 512, 512, 3),   "conv2_block3_2_relu", ("Activation", (None, 128, 128, 64))),
    ("ResNet50",  (None, 225, 97, 3),    "conv5_block3_out",    ("Activation", (None, 8, 4, 2048))),
    ("ResNet50",  (None, 225, 97, 3),    "conv3_block1_0_bn",   ("BatchNormalization", (None, 29, 13, 512))),
    ("ResNet50",  (None, 225, 97, 3),    "conv3_block4_add",    ("Add", (None, 29, 13, 512))),
    ("ResNet50",  (None, 64, 80, 4),     "conv1_pad",           ("ZeroPadding2D", (None, 70, 86, 4))),
    ("ResNet50",  (None, 64, 80, 4),     "conv1_relu",          ("Activation", (None, 32, 40, 64))),
    ("ResNet50",  (None, 64, 80, 4),     "pool1_pad",           ("ZeroPadding2D", (None, 34, 42, 64))),
    ("ResNet50",  (None, 64, 80, 4),     "pool1_pool",          ("MaxPooling2D", (None, 16, 20, 64))),
    ("ResNet50",  (None, None, None, 3), "conv4_block1_1_conv", ("Conv2D", (None, None, None, 256))),
    ("ResNet50",  (None, 64, 64, 3),     "conv3_block2_0_conv", None),    # 0_* in block 1 only
    ("ResNet50",  (None, 64, 64, 3),     "conv4_block7_out",    None),    # 6 blocks in conv4
    ("ResNet50",  (None, 64, 64, 3),     "avg_pool",            None),    # not listed
    ("ResNet101", (None, 64, 64, 3),     "conv4_block23_out",   ("Activation", (None, 4, 4, 1024))),
    ("ResNet152", (None, 64, 64, 3),     "conv3_block8_3_conv", ("Conv2D", (None, 8, 8, 512))),
    ("VGG16",     (None, 64, 64, 3),     "block3_pool",         ("MaxPooling2D", (None, 8, 8, 256))),
    ("VGG19",     (None, 224, 224, 3),   "block4_conv4",        ("Conv2D", (None, 28, 28, 512))),
    ("VGG19",     (None, None, None, 3), "block5_pool",         ("MaxPooling2D", (None, None, None, 512))),
    ("VGG16",     (None, 64, 64, 3),     "block3_conv4",        None),    # VGG16 has 3 per block
    ("MobileNet", (None, 224, 224, 3),   "conv_pw_13_relu",     None),    # not listed
    ("ResNet50V2", (None, 224, 224, 3),  "conv3_block4_out",    ("Add", (None, 14, 14, 512))),
    ("ResNet50V2", (None, 224, 224, 3),  "conv3_block3_out",    ("Add", (None, 28, 28, 512))),
    ("ResNet50V2", (None, 97, 131, 3),   "conv2_block3_out",    ("Add", (None, 13, 17, 256))),
    ("ResNet50V2", (None, 97, 131, 3),   "conv5_block3_out",    ("Add", (None, 4, 5, 2048))),
    ("ResNet101V2", (None, 64, 64, 3),   "conv4_block23_out",   ("Add", (None, 2, 2, 1024))),
    ("ResNet50V2", (None, None, None, 3), "conv4_block1_out",   ("Add", (None, None, None, 1024))),
    ("ResNet50V2", (None, 224, 224, 3),  "conv4_block1_1_conv", None),    # only the _out layers
]


@pytest.mark.parametrize("app, shape, layer, expected",
                         [pytest.param(*r, id=f"{i}-{r[2]}") for i, r in enumerate(INNER)])
def test_inner_layer(app, shape, layer, expected):
    from kerasshape.applications import APPLICATIONS, inner_layer

    assert inner_layer(APPLICATIONS[app], shape, layer) == expected


@pytest.mark.tf
@pytest.mark.parametrize("app, shape, layer, expected",
                         [pytest.param(*r, id=f"{i}-{r[2]}") for i, r in enumerate(INNER) if r[3]])
def test_inner_layer_matches_keras(keras, app, shape, layer, expected):
    model = getattr(keras.applications, app)(weights=None, include_top=False,
                                             input_shape=shape[1:])
    found = model.get_layer(layer)
    assert (type(found).__name__, tuple(found.output.shape)) == expected


BACKBONE = """\
import keras
from keras import layers


def deeplab(image_size):
    model_input = keras.Input(shape=(image_size, image_size, 3))
    x = keras.applications.resnet50.preprocess_input(model_input)
    resnet50 = keras.applications.ResNet50(weights=None, include_top=False, input_tensor=x)
    x = resnet50.get_layer("conv4_block6_2_relu").output
    x = layers.UpSampling2D(size=(image_size // 4 // x.shape[1], image_size // 4 // x.shape[2]))(x)
    low = resnet50.get_layer("conv2_block3_2_relu").output
    x = layers.Concatenate(axis=-1)([x, low])
    return keras.Model(model_input, layers.Conv2D(3, 1)(x))


model = deeplab(128)
"""


def test_backbone_feature_maps():
    assert models(BACKBONE)["model"] == ([(None, 128, 128, 3)], [(None, 32, 32, 3)])


@pytest.mark.tf
def test_backbone_feature_maps_match_keras(keras):
    model = _keras_models(BACKBONE, keras)["model"]
    assert [tuple(model.outputs[0].shape)] == [(None, 32, 32, 3)]


GET_LAYER = """\
import numpy as np
import keras
from keras import layers

enc_in = keras.Input(shape=(28, 28, 1))
encoder = keras.Model(enc_in, layers.Conv2D(16, 3, strides=4, padding="same")(enc_in),
                      name="encoder")
inputs = keras.Input(shape=(28, 28, 1))
x = encoder(inputs)
x = layers.Flatten(name="flat")(x)
vae = keras.Model(inputs, layers.Dense(3, name="head")(x), name="vae")

found = vae.get_layer("encoder")
codes = found.predict(np.zeros((10, 28, 28, 1)))
flat = vae.get_layer("flat").output
features = keras.Model(vae.input, flat, name="features")
"""


def test_get_layer_of_a_functional_model():
    analysis = analyze_source(GET_LAYER, "m.py", hovers=True)
    assert not analysis.diagnostics
    hovers = {h[4].split(":")[0]: h[4] for h in analysis.hovers}
    assert hovers["found"] == "found: Model (None, 28, 28, 1) -> (None, 7, 7, 16)"
    assert hovers["codes"] == "codes: array (10, 7, 7, 16) float"
    assert models(GET_LAYER)["features"] == ([(None, 28, 28, 1)], [(None, 784)])


@pytest.mark.tf
def test_get_layer_matches_keras(keras):
    namespace = _keras_models(GET_LAYER, keras)
    assert namespace["codes"].shape == (10, 7, 7, 16)
    assert tuple(namespace["features"].outputs[0].shape) == (None, 784)
