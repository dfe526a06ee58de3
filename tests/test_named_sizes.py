"""Named sizes: values known only at run time that the code uses as sizes (no TensorFlow)."""

from __future__ import annotations

import textwrap

from kerasshape import check_source


def analyse(src: str):
    return check_source(textwrap.dedent(src), "m.py")


def outputs(src: str) -> list:
    return [m["outputs"] for m in analyse(src).to_dict()["models"]]


def layer_shapes(src: str) -> list:
    return [layer["output_shape"] for m in analyse(src).to_dict()["models"] for layer in m["layers"]]


HEAD = """
    import numpy as np
    import keras
    from keras import layers
"""


def test_a_name_bound_to_a_run_time_value_is_a_named_size():
    src = HEAD + """
    labels = np.load("labels.npy")
    num_classes = len(np.unique(labels))
    maxlen = max(len(s) for s in open("corpus.txt"))
    inputs = keras.Input(shape=(maxlen,))
    x = layers.Embedding(1000, 8)(inputs)
    x = layers.Conv1D(4, 3)(x)
    x = layers.MaxPooling1D(2)(x)
    x = layers.Flatten()(x)
    model = keras.Model(inputs, layers.Dense(num_classes)(x))
    """
    assert layer_shapes(src) == [[None, "maxlen", 8], [None, "maxlen - 2", 4],
                                 [None, "maxlen // 2 - 1", 4], [None, "4 * (maxlen // 2) - 4"],
                                 [None, "num_classes"]]
    assert analyse(src).diagnostics == []


def test_the_name_is_the_users_and_one_value_per_name():
    src = HEAD + """
    vocab = sorted(set(open("t.txt").read().split()))
    vocab_size = len(vocab) + 1
    n = len(open("a.txt").read())
    a = keras.Input(shape=(vocab_size, n))
    n = len(open("b.txt").read())
    b = keras.Input(shape=(n,))
    model = keras.Model([a, b], [a, b])
    """
    # the second n is another value: it is not the named size n, it is n#2
    assert outputs(src) == [[[None, "vocab_size", "n"], [None, "n#2"]]]


def test_a_scalar_from_data_is_still_data_and_a_size():
    src = HEAD + """
    (x, y), _ = keras.datasets.reuters.load_data(num_words=1000)
    num_classes = np.max(y) + 1
    model = keras.Sequential([keras.Input((1000,)), layers.Dense(num_classes)])
    """
    assert outputs(src) == [[[None, "num_classes"]]]


def test_unpacking_names_sizes_but_loop_targets_do_not():
    src = HEAD + """
    h, w = np.load("img.npy").shape[:2]
    img = keras.Input(shape=(h, w, 3))
    for k in open("sizes.txt"):
        pass
    model = keras.Model(img, layers.Conv2D(8, 3, strides=2, padding="same")(img))
    """
    assert outputs(src) == [[[None, "(h + 1) // 2", "(w + 1) // 2", 8]]]


def test_len_and_shape_texts_name_one_value_while_it_is_the_same():
    src = HEAD + """
    chars = sorted(set(open("t.txt").read()))
    print(len(chars))
    inputs = keras.Input(shape=(40, len(chars)))
    outputs_ = layers.Dense(len(chars))(layers.LSTM(8)(inputs))
    model = keras.Model(inputs, outputs_)
    """
    assert outputs(src) == [[[None, "len(chars)"]]]


def test_reshape_of_data_never_seen_and_rows_picked_by_indices():
    src = HEAD + """
    data = np.loadtxt("table.tsv")
    x = data[:, 1:]
    x = x.reshape((x.shape[0], x.shape[1], 1))
    idx = np.arange(10)
    x = x[idx]
    inputs = keras.Input(shape=x.shape[1:])
    model = keras.Model(inputs, layers.Conv1D(4, 3)(inputs))
    """
    assert outputs(src) == [[[None, "x.shape[1] - 2", 4]]]


def test_named_sizes_never_cause_errors():
    src = HEAD + """
    n = len(open("a.txt").read())
    m = len(open("b.txt").read())
    a = keras.Input(shape=(n,))
    b = keras.Input(shape=(m,))
    s = layers.Add()([a, b])
    r = layers.Reshape((n, 2))(a)
    model = keras.Model([a, b], [s, r])
    """
    assert analyse(src).diagnostics == []


def test_membership_in_a_known_list_decides_a_branch():
    src = HEAD + """
    NUMERIC = ["age", "fare"]
    NAMES = NUMERIC + ["sex"]
    inputs = {}
    for name in NAMES:
        if name in NUMERIC:
            inputs[name] = keras.Input(name=name, shape=(1,))
        else:
            inputs[name] = keras.Input(name=name, shape=(3,))
    x = layers.Concatenate()(list(inputs.values()))
    model = keras.Model(inputs, x)
    """
    assert outputs(src) == [[[None, 5]]]


def test_a_loop_read_once_still_sees_what_later_passes_change():
    # the first pass builds nothing, so the loop is not unrolled: the update made by a later
    # pass must leave the dict uncertain, not keep its first values
    src = HEAD + """
    import tensorflow as tf
    CATS = {"sex": ["f", "m"]}
    sample = {"age": 60, "sex": "f", "cp": 1}
    inputs = {"age": keras.Input(name="age", shape=(1,)), "sex": keras.Input(name="sex", shape=(2,)),
              "cp": keras.Input(name="cp", shape=(1,))}
    model = keras.Model(inputs, layers.Concatenate()(list(inputs.values())))
    for name, value in sample.items():
        if name in CATS:
            sample.update({name: [1 if v == value else 0 for v in CATS[name]]})
    model.predict({name: tf.convert_to_tensor([value]) for name, value in sample.items()})
    """
    assert analyse(src).diagnostics == []


def test_list_items_assigned_in_compute_output_shape():
    src = HEAD + """
    class Doubler(layers.Layer):
        def compute_output_shape(self, input_shape):
            shape = list(input_shape)
            shape[-1] *= 2
            return tuple(shape)

        def call(self, x):
            return keras.ops.concatenate([x, x], axis=-1)

    model = keras.Sequential([keras.Input((5,)), Doubler()])
    """
    assert outputs(src) == [[[None, 10]]]


def test_a_loop_over_a_dict_of_inputs_whose_first_pass_is_an_op():
    src = HEAD + """
    inputs = {"a": keras.Input(name="a", shape=()), "b": keras.Input(name="b", shape=())}
    encoded = []
    for name in inputs:
        encoded.append(keras.ops.expand_dims(inputs[name], -1))
    model = keras.Model(inputs, layers.concatenate(encoded))
    """
    assert outputs(src) == [[[None, 2]]]


def test_shuffled_rows_keep_the_shape_of_a_row():
    src = HEAD + """
    x = np.loadtxt("table.tsv")[:, 1:]
    x = x.reshape((x.shape[0], x.shape[1], 1))
    idx = np.random.permutation(len(x))
    x = x[idx]
    inputs = keras.Input(shape=x.shape[1:])
    model = keras.Model(inputs, layers.LSTM(4, return_sequences=True)(inputs))
    """
    assert outputs(src) == [[[None, "x.shape[1]", 4]]]


def test_numpy_pad_with_nested_lists():
    src = HEAD + """
    x = np.random.rand(10, 28, 28, 1)
    x = np.pad(x, [[0, 0], [2, 2], [2, 2], [0, 0]], mode="constant")
    model = keras.Sequential([keras.Input(shape=x.shape[1:]), layers.Conv2D(4, 5)])
    """
    assert outputs(src) == [[[None, 28, 28, 4]]]


def test_weights_made_by_hand_in_a_custom_layer():
    src = HEAD + """
    import jax
    from keras import initializers, ops, backend

    class HandDense(layers.Layer):
        def __init__(self, units):
            super().__init__()
            self.units = units

        def build(self, input_shape):
            self.w = backend.Variable(initializers.GlorotUniform()((input_shape[-1], self.units)))
            self.b = keras.Variable(initializer="zeros", shape=(self.units,))

        def call(self, inputs):
            return jax.nn.relu(ops.matmul(inputs, self.w) + self.b)

    x = keras.Input((8,))
    model = keras.Model(x, HandDense(3)(keras.random.dropout(HandDense(5)(x), 0.5)))
    """
    assert outputs(src) == [[[None, 3]]]


def test_get_layer_finds_a_named_input_and_layer_input():
    src = HEAD + """
    image = keras.Input(shape=(32, 32, 3), name="image")
    x = layers.Conv2D(8, 3, name="conv")(image)
    out = layers.Dense(4, name="head")(layers.Flatten()(x))
    model = keras.Model(image, out)
    sub = keras.Model(model.get_layer(name="image").output, model.get_layer("conv").output)
    head_in = model.get_layer("head").input
    probe = keras.Model(image, head_in)
    """
    assert outputs(src) == [[[None, 4]], [[None, 30, 30, 8]], [[None, 7200]]]


def test_input_shape_of_a_number_known_only_at_run_time():
    src = HEAD + """
    data = np.load("x.npy")
    n = data.shape[1]
    a = keras.Input(shape=(n))
    b = keras.Input(shape=(len(open("f").read()) + 1))
    c = keras.Input(shape=(n,))
    p = load_config()
    d = keras.Input(shape=(p))
    """
    # p may hold a tuple: only sizes that are surely numbers are reported
    assert [(d.line, d.code) for d in analyse(src).diagnostics] == [(8, "KS204"), (9, "KS204")]


def test_a_staticmethod_called_on_self_gets_no_self():
    src = HEAD + """
    from keras import ops

    class Block(layers.Layer):
        def __init__(self, units):
            super().__init__()
            self.dense = layers.Dense(units)

        @staticmethod
        def scale(t, n):
            return t * n

        def call(self, x):
            return self.scale(self.dense(x), 2.0)

    x = keras.Input((4, 8))
    model = keras.Model(x, Block(3)(x))
    """
    assert outputs(src) == [[[None, 4, 3]]]


def test_data_divided_by_a_number_known_only_at_run_time_keeps_its_shape():
    src = HEAD + """
    x = np.random.rand(10, 28, 28)
    scale = len(open("f").read())
    x = x / scale
    model = keras.Sequential([keras.Input((28, 28)), layers.Flatten(), layers.Dense(2)])
    model.predict(x.reshape((10, 28 * 28)))
    """
    assert [(d.line, d.code) for d in analyse(src).diagnostics] == [(10, "KS401")]


def test_a_sequential_built_by_fit_on_data_of_named_sizes():
    src = HEAD + """
    x = np.loadtxt("table.tsv")
    x = x.reshape((x.shape[0], x.shape[1], 1))
    model = keras.Sequential([layers.Conv1D(4, 3), layers.GlobalMaxPooling1D(), layers.Dense(2)])
    model.compile(loss="mse")
    model.fit(x, np.zeros((len(x), 2)))
    """
    assert outputs(src) == [[[None, 2]]]
    shapes = layer_shapes(src)
    assert shapes[0] == [None, "x.shape[1] - 2", 4]


def test_a_value_that_may_be_data_is_no_scalar_in_tensor_arithmetic():
    src = HEAD + """
    label = load_labels()                        # an array, most likely: not a size
    n = len(open("f").read())                    # surely a number
    x = keras.Input((9, 1))
    mixed = keras.Model(x, label * (1 - x))
    scaled = keras.Model(x, x * n)
    """
    assert outputs(src) == [[None], [[None, 9, 1]]]


def test_names_bound_again_in_a_loop_are_sizes_of_their_own():
    src = HEAD + """
    VOCAB = {"sex": load("a"), "thal": load("b")}
    inputs = {}
    for name in VOCAB:
        num_categories = len(VOCAB[name])
        inputs[name] = keras.Input(name=name, shape=(num_categories,))
    model = keras.Model(inputs, layers.concatenate(list(inputs.values())))
    """
    assert outputs(src) == [[[None, "num_categories + num_categories#2"]]]


def test_a_slice_of_a_shape_names_each_unknown_size():
    src = HEAD + """
    data = np.zeros((count_rows(), count_columns()))
    x_train = data[:, 1:]
    inputs = keras.Input(shape=x_train.shape[1:])
    model = keras.Model(inputs, layers.Dense(4)(layers.Reshape((-1, 1))(inputs)))
    """
    # the rank is known (2), the sizes are not: x_train.shape[1:] is (x_train.shape[1],)
    assert layer_shapes(src) == [[None, "x_train.shape[1]", 1], [None, "x_train.shape[1]", 4]]


def test_int_of_a_fraction_of_a_size_is_a_floor_division():
    src = HEAD + """
    import math
    inputs = keras.Input(shape=(len(features),))
    n = inputs.shape[1]
    a = layers.Dense(int(n * 0.5))(inputs)
    b = layers.Dense(math.floor(n / 4))(inputs)
    c = layers.Dense(int(n * 0.3))(inputs)
    model = keras.Model(inputs, [a, b, c])
    """
    # 0.5 is exact in binary, n / 4 a true division by an int: both floor exactly; 0.3 is not
    # exact (int(10 * 0.3) is 3 but int(100 * 0.29) is 28), so that size stays unknown
    assert outputs(src) == [[[None, "len(features) // 2"], [None, "len(features) // 4"],
                             [None, None]]]


def test_a_vocabulary_made_from_data_names_the_encoded_depth():
    src = HEAD + """
    rows = np.loadtxt(open("t.csv"), dtype=str, delimiter=",")
    colors = sorted(set(rows[:, 0]))
    color_in = keras.Input(shape=(1,), dtype="string")
    one_hot = layers.StringLookup(vocabulary=colors, output_mode="one_hot")(color_in)
    no_oov = layers.StringLookup(vocabulary=colors, num_oov_indices=0, output_mode="multi_hot")(color_in)
    ids = layers.StringLookup(vocabulary=colors)(color_in)
    adapted = layers.StringLookup(output_mode="one_hot")
    model = keras.Model(color_in, [one_hot, no_oov, ids])
    """
    assert outputs(src) == [[[None, "len(colors) + 1"], [None, "len(colors)"], [None, 1]]]


def test_small_int_arrays_of_literals_keep_their_values_until_changed():
    src = HEAD + """
    pool_size = 2
    pool_sizes = np.array([1, 1, 1]) * pool_size
    shuffled = np.array([1, 2, 3])
    np.random.shuffle(shuffled)
    written = np.array([2, 2])
    written[0] = 4
    inputs = keras.Input(shape=(16, 16, 3))
    a = layers.MaxPooling2D(pool_size=(pool_sizes[0], pool_sizes[1]))(inputs)
    b = layers.MaxPooling2D(pool_size=shuffled[0])(inputs)
    c = layers.MaxPooling2D(pool_size=written[0])(inputs)
    model = keras.Model(inputs, [a, b, c])
    """
    # shuffled in place and written into: their values are no longer known
    assert outputs(src) == [[[None, 8, 8, 3], [None, None, None, 3], [None, None, None, 3]]]


def test_a_peek_at_one_batch_names_its_sizes():
    # keras-io's CTC speech example: the input shape is read off the first batch
    src = HEAD + """
    for batch in train_dataset.take(1):
        spectrograms = batch[0]
        input_shape = (spectrograms[0].shape[0], spectrograms[0].shape[1])
    inputs = keras.Input(shape=input_shape)
    model = keras.Model(inputs, layers.Conv1D(8, 3, padding="same")(inputs))
    """
    assert outputs(src) == [[[None, "spectrograms[0].shape[0]", 8]]]
