"""Arrays, datasets and the checks at fit/predict (kerasshape/data.py), on the engine."""

from __future__ import annotations

import textwrap

from kerasshape import check_source
from kerasshape.diagnostics import CODES
from kerasshape.shapes import UNK
from kerasshape.values import Array


def run(src: str):
    return check_source("import numpy as np\nimport keras\nfrom keras import layers\n"
                        + textwrap.dedent(src), "t.py")


def value(src: str, name: str):
    """The value a name holds at the end of the module (read through a hover-less run)."""
    from kerasshape.engine import Interpreter
    import libcst as cst

    module = cst.parse_module("import numpy as np\nimport keras\nimport tensorflow as tf\n"
                              + textwrap.dedent(src))
    interp = Interpreter(module, "t.py")
    interp.hovers = None
    interp.run()
    return interp.globals.vars[name]


def shape(src: str, name: str = "a"):
    v = value(src, name)
    assert isinstance(v, Array), v
    return v.shape


def codes(src: str):
    return [(d.code, d.line - 3) for d in run(src).diagnostics]


def test_numpy_makers():
    assert shape("a = np.random.rand(8, 10, 3)") == (8, 10, 3)
    assert shape("a = np.random.randn(4)") == (4,)
    assert shape("a = np.random.random((5, 2))") == (5, 2)
    assert shape("a = np.random.randint(0, 10, size=(6, 1))") == (6, 1)
    assert value("a = np.random.randint(0, 10, size=(600, 1))", "a").vrange == (0, 9)
    assert value("a = np.random.randint(3, size=600)", "a").vrange == (0, 2)
    # with few draws the largest label may be missing: no range, so no check relies on it
    assert value("a = np.random.randint(0, 10, size=(6, 1))", "a").vrange is None
    assert value("a = np.random.randint(0, 10, size=(600, 1))[:4]", "a").vrange is None
    assert shape("a = np.random.normal(0, 1, size=(3, 2))") == (3, 2)
    assert shape("a = np.random.uniform(size=7)") == (7,)
    assert shape("a = np.zeros((2, 3))") == (2, 3)
    assert value("a = np.zeros((2, 3), dtype='int32')", "a").kind == "int"
    assert shape("a = np.full((2, 3), 7)") == (2, 3)
    assert shape("b = np.ones((2, 3))\na = np.zeros_like(b)") == (2, 3)
    assert shape("a = np.array([[1, 2, 3], [4, 5, 6]])") == (2, 3)
    assert value("a = np.array([[1, 2], [3, 4]])", "a").kind == "int"
    assert shape("a = np.arange(10)") == (10,)
    assert shape("a = np.arange(2, 10, 3)") == (3,)
    assert shape("a = np.linspace(0, 1, 5)") == (5,)
    assert shape("a = np.eye(3)") == (3, 3)
    assert shape("rng = np.random.default_rng(0)\na = rng.normal(0, 1, size=(4, 2))") == (4, 2)
    assert value("rng = np.random.default_rng(0)\na = rng.integers(0, 5, size=400)", "a").vrange == (0, 4)


def test_losses_compiled_in_branches_are_not_known():
    src = """
    import sys
    model = keras.Sequential([keras.Input(shape=(6,)), layers.Dense(3)])
    if len(sys.argv) > 1:
        model.compile(loss="categorical_crossentropy")
    else:
        model.compile(loss="sparse_categorical_crossentropy")
    model.fit(np.zeros((8, 6)), np.zeros((8,)))
    """
    assert codes(src) == []


def test_arrangements():
    base = "x = np.random.rand(8 * 10, 3)\n"
    assert shape(base + "a = x.reshape((8, 10, 3))") == (8, 10, 3)
    assert shape(base + "a = x.reshape(-1, 10, 3)") == (8, 10, 3)
    assert shape(base + "a = np.reshape(x, (8, -1))") == (8, 30)
    assert shape(base + "a = np.expand_dims(x, -1)") == (80, 3, 1)
    assert shape(base + "a = np.expand_dims(x, -1).squeeze()") == (80, 3)
    assert shape(base + "a = x.T") == (3, 80)
    assert shape(base + "a = np.transpose(x)") == (3, 80)
    assert shape(base + "a = np.concatenate([x, x], axis=1)") == (80, 6)
    assert shape(base + "a = np.stack([x, x])") == (2, 80, 3)
    assert shape(base + "a = np.hstack([x, x])") == (80, 6)
    assert shape(base + "a = np.vstack([x, x])") == (160, 3)
    assert shape(base + "a = x.astype('float32') / 255.0") == (80, 3)
    assert shape(base + "a = x - x.mean(axis=0)") == (80, 3)
    assert shape(base + "a = x[:10]") == (10, 3)
    assert shape(base + "a = x[:, 0]") == (80,)
    assert shape(base + "a = x[0]") == (3,)
    assert shape(base + "a = x[..., None]") == (80, 3, 1)
    assert value(base + "a = len(x)", "a") == 80
    assert value(base + "a = x.shape[1:]", "a") == (3,)
    assert value(base + "a = x.ndim", "a") == 2


def test_keras_data():
    src = "(a, b), (c, d) = keras.datasets.mnist.load_data()\n"
    assert shape(src) == (60000, 28, 28)
    assert shape(src, "b") == (60000,)
    assert shape(src, "c") == (10000, 28, 28)
    src = "(a, b), _ = keras.datasets.cifar10.load_data()\n"
    assert shape(src) == (50000, 32, 32, 3)
    assert shape(src, "b") == (50000, 1)
    assert shape(src + "e = keras.utils.to_categorical(b)", "e") == (50000, 10)
    assert shape(src + "e = keras.utils.to_categorical(b, num_classes=12)", "e") == (50000, 12)
    src = "(a, b), _ = keras.datasets.imdb.load_data(num_words=100)\n"
    assert shape(src + "e = keras.utils.pad_sequences(a, maxlen=80)", "e") == (25000, 80)
    src = "from sklearn.model_selection import train_test_split\nx = np.zeros((50, 6))\n" \
          "a, b = train_test_split(x, test_size=0.2)\n"
    assert shape(src) == (UNK, 6)
    assert shape("a = tf.constant([[1.0, 2.0]])") == (1, 2)


def test_shape_of_data_gives_input_shapes():
    src = """
    x = np.random.rand(8, 10, 3)
    inputs = keras.Input(shape=(x.shape[1], x.shape[2]))
    model = keras.Model(inputs, layers.LSTM(4)(inputs))
    """
    models = run(src).to_dict()["models"]
    assert models[0]["inputs"] == [[None, 10, 3]]
    assert models[0]["outputs"] == [[None, 4]]


def test_unbuilt_sequential_is_built_by_fit():
    src = """
    model = keras.Sequential([layers.Dense(4), layers.Dense(1)])
    model.compile(loss="mse")
    model.fit(np.zeros((8, 6)), np.zeros((8, 1)))
    """
    [m] = run(src).to_dict()["models"]
    assert m["inputs"] == [[None, 6]] and m["outputs"] == [[None, 1]]


def test_fit_checks_and_hints():
    src = """
    x = np.random.rand(80, 3)
    model = keras.Sequential([keras.Input(shape=(10, 3)), layers.LSTM(4), layers.Dense(1)])
    model.compile(loss="mse")
    model.fit(x, np.zeros((80, 1)))
    """
    [d] = run(src).diagnostics
    assert d.code == "KS401" and d.hint == "x.reshape((8, 10, 3))"
    src = """
    x = np.random.rand(8, 6)
    model = keras.Sequential([keras.Input(shape=(6,)), layers.Dense(1)])
    model.predict(x[0])
    """
    [d] = run(src).diagnostics
    assert d.code == "KS401" and "np.expand_dims(x[0], 0)" in d.hint
    src = """
    y = keras.utils.to_categorical(np.random.randint(0, 3, 8), num_classes=10)
    model = keras.Sequential([keras.Input(shape=(6,)), layers.Dense(3, activation="softmax")])
    model.compile(loss="categorical_crossentropy")
    model.fit(np.zeros((8, 6)), y)
    """
    [d] = run(src).diagnostics
    assert d.code == "KS403" and "num_classes=3" in d.hint
    src = """
    model = keras.Sequential([keras.Input(shape=(6,)), layers.Dense(3, activation="softmax")])
    model.compile(loss="categorical_crossentropy")
    model.fit(np.zeros((8, 6)), np.random.randint(0, 3, 8))
    """
    [d] = run(src).diagnostics
    assert d.code == "KS403" and "sparse_categorical_crossentropy" in d.hint


def test_keras_rank_adjustment_is_silent():
    src = """
    model = keras.Sequential([keras.Input(shape=(6,)), layers.Dense(1)])
    model.compile(loss="mse")
    model.fit(np.zeros((8, 6, 1)), np.zeros((8,)))
    col = keras.Sequential([keras.Input(shape=(6, 1)), layers.Flatten(), layers.Dense(1)])
    col.compile(loss="binary_crossentropy")
    col.fit(np.zeros((8, 6)), np.zeros((8,)))
    """
    assert codes(src) == []


def test_unknown_data_is_silent():
    src = """
    import pandas as pd
    df = pd.read_csv("data.csv")
    x = df.values.reshape(-1, 10, 3)
    model = keras.Sequential([keras.Input(shape=(10, 3)), layers.LSTM(4), layers.Dense(1)])
    model.compile(loss="categorical_crossentropy")
    model.fit(x, df["y"].values)
    model.fit(np.load("x.npy"), df.values)
    """
    assert codes(src) == []


def test_broadcast_is_a_warning():
    assert CODES["KS404"].severity == "warning"
    src = """
    model = keras.Sequential([keras.Input(shape=(6,)), layers.Dense(1)])
    model.compile(loss=keras.losses.MeanSquaredError())
    model.fit(np.zeros((8, 6)), np.zeros((8, 10)))
    """
    assert codes(src) == [("KS404", 4)]


def test_datasets():
    src = """
    import tensorflow as tf
    ds = tf.data.Dataset.from_tensor_slices((np.zeros((8, 10, 3)), np.zeros((8, 1))))
    batched = ds.shuffle(8).batch(4, drop_remainder=True)
    """
    ds = value(src, "batched")
    assert ds.batched and ds.element[0].shape == (4, 10, 3) and ds.element[1].shape == (4, 1)
    src = """
    import tensorflow as tf
    ds = tf.data.Dataset.from_tensor_slices(np.zeros((8, 3)))
    mapped = ds.map(lambda v: tf.reshape(v, (3, 1))).batch(2)
    """
    assert value(src, "mapped").element.shape == (None, 3, 1)
    src = """
    import tensorflow as tf
    ds = tf.data.Dataset.from_tensor_slices((np.zeros((8, 28, 28)), np.zeros((8,))))
    scaled = ds.map(lambda x, y: (tf.cast(x, tf.float32) / 255.0, tf.one_hot(tf.cast(y, "int32"), 10)))
    """
    el = value(src, "scaled").element
    assert el[0].shape == (28, 28) and el[1].shape == (10,)


def test_layers_given_arrays_are_still_layers():
    src = """
    matrix = np.zeros((100, 8))
    inputs = keras.Input(shape=(10,))
    x = layers.Embedding(100, 8, weights=[matrix])(inputs)
    model = keras.Model(inputs, layers.Dense(1)(layers.Flatten()(x)))
    """
    [m] = run(src).to_dict()["models"]
    assert m["outputs"] == [[None, 1]]


def test_index_tables_built_with_meshgrid_and_a_lazy_variable():
    # Swin Transformer's relative position index: meshgrid, stack, broadcasting, a lambda
    src = """
        h, w = np.arange(7), np.arange(5)
        ij = np.stack(np.meshgrid(h, w, indexing="ij"))
        xy = np.stack(np.meshgrid(h, w))
        flat = ij.reshape(2, -1)
        rel = (flat[:, :, None] - flat[:, None, :]).transpose([1, 2, 0])
        rel[:, :, 0] += 6
        index = rel.sum(-1)
        var = tf.Variable(initial_value=lambda: tf.convert_to_tensor(index), trainable=False)
        a = tf.reshape(var, shape=(-1,))
    """
    assert shape(src, "ij") == (2, 7, 5) and shape(src, "xy") == (2, 5, 7)
    assert shape(src, "var") == (35, 35) and shape(src) == (1225,)


def test_a_literal_padding_table_keeps_its_numbers():
    src = """
        from keras import ops
        x = keras.Input((32, 32, 3))
        table = ops.convert_to_tensor([[0, 0], [2, 2], [1, 1], [0, 0]])
        model = keras.Model(x, ops.pad(x, table, mode="reflect"))
    """
    assert run(src).to_dict()["models"][0]["outputs"] == [[None, 36, 34, 3]]


def test_a_table_read_line_by_line_has_a_rank():
    # keras-io's imbalanced classification: rows appended in a loop over a file
    src = """
        features, targets, bags = [], [], []
        for line in open("data.csv"):
            fields = line.strip().split(",")
            features.append([float(v) for v in fields[:-1]])
            targets.append([int(fields[-1])])
            bags.append(np.zeros((3, 28, 28)))
        a = np.array(features, dtype="float32")
        t = np.array(targets, dtype="uint8")
        swapped = np.swapaxes(bags, 0, 1)
        mixed = []
        for line in open("data.csv"):
            mixed.append([1, 2])
            mixed.append([1, 2, 3])
    """
    assert shape(src) == (UNK, UNK) and shape(src, "t") == (UNK, 1)
    assert shape(src, "swapped") == (3, UNK, 28, 28)
    assert value(src, "mixed").row == "mixed"


def test_a_python_list_times_a_number_read_at_run_time_is_not_numpy():
    src = """
        n = int(input())
        a = [0] * n
        b = np.ones(3) * n
    """
    assert not isinstance(value(src, "a"), Array) and shape(src, "b") == (3,)


def test_linspace_of_constants_keeps_its_values():
    # drop-path rates: np.linspace(0, rate, depth)[i] > 0.0 decides which layer is made
    src = """
        rates = [r for r in np.linspace(start=0, stop=0.1, num=4)]
        first, last = rates[0], rates[-1]
        mid = np.linspace(0, 1, 5)[2]
        a = np.linspace(0, 1, 7)
    """
    assert value(src, "first") == 0.0 and value(src, "last") == 0.1
    assert value(src, "mid") == 0.5 and shape(src) == (7,)
