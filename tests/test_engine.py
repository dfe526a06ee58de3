"""The interpreter: values computed from code, control flow, joins, and silence on unknowns."""

from __future__ import annotations

import textwrap

from kerasshape import check_source


def analyse(src: str):
    return check_source(textwrap.dedent(src), "m.py")


def codes(src: str) -> list:
    return [(d.line, d.code) for d in analyse(src).diagnostics]


def model_outputs(src: str) -> list:
    return [m["outputs"] for m in analyse(src).to_dict()["models"]]


def test_constants_computed_in_code():
    src = """
        import keras
        from keras import layers
        input_shape = (28, 28, 1)
        n = 7 * 7 * 8
        half = input_shape[0] // 2
        inp = keras.Input(shape=input_shape)
        x = layers.Flatten()(inp)
        x = layers.Dense(n)(x)
        x = layers.Reshape((7, 7, 8))(x)
        x = layers.Reshape((half, -1))(x)
        model = keras.Model(inp, x)
    """
    assert codes(src) == []
    assert model_outputs(src) == [[[None, 14, 28]]]


def test_keyword_and_positional_arguments_bind_like_keras():
    src = """
        import keras
        inp = keras.Input((32, 32, 3))
        a = keras.layers.Conv2D(8, 3, 2, "same")(inp)
        b = keras.layers.Conv2D(filters=8, kernel_size=(3, 3), strides=(2, 2), padding="same")(inp)
        m = keras.Model(inp, [a, b])
    """
    assert model_outputs(src) == [[[None, 16, 16, 8], [None, 16, 16, 8]]]


def test_function_with_defaults_is_analysed_even_if_never_called():
    src = """
        from tensorflow import keras
        def build(units=16, timesteps=10):
            inp = keras.Input((timesteps, 4))
            x = keras.layers.LSTM(units)(inp)
            x = keras.layers.LSTM(units)(x)
            return keras.Model(inp, x)
    """
    assert codes(src) == [(6, "KS101")]


def test_function_called_with_arguments_uses_them():
    src = """
        import keras
        def block(x, filters):
            x = keras.layers.Conv2D(filters, 3, padding="same")(x)
            return keras.layers.MaxPooling2D()(x)
        inp = keras.Input((32, 32, 3))
        x = block(inp, 16)
        x = block(x, 32)
        model = keras.Model(inp, x)
    """
    assert codes(src) == []
    assert model_outputs(src) == [[[None, 8, 8, 32]]]


def test_parameters_without_values_are_named_sizes():
    src = """
        import keras
        def build(n_features, n_classes):
            inp = keras.Input((None, n_features))
            x = keras.layers.LSTM(32)(inp)
            return keras.Model(inp, keras.layers.Dense(n_classes)(x))
    """
    analysis = analyse(src)
    assert analysis.diagnostics == []
    assert analysis.to_dict()["models"][0]["outputs"] == [[None, "n_classes"]]
    assert analysis.to_dict()["models"][0]["inputs"] == [[None, None, "n_features"]]


def test_loop_over_literal_list_is_unrolled():
    src = """
        import keras
        inp = keras.Input((64, 64, 3))
        x = inp
        for filters in [16, 32, 64]:
            x = keras.layers.Conv2D(filters, 3, padding="same")(x)
            x = keras.layers.MaxPooling2D(2)(x)
        model = keras.Model(inp, x)
    """
    assert model_outputs(src) == [[[None, 8, 8, 64]]]


def test_unknown_branch_joins_and_stays_silent():
    src = """
        import keras, sys
        deep = len(sys.argv) > 1
        inp = keras.Input((20, 8))
        if deep:
            x = keras.layers.LSTM(16, return_sequences=True)(inp)
        else:
            x = keras.layers.LSTM(16)(inp)
        x = keras.layers.LSTM(4)(x)
        model = keras.Model(inp, x)
    """
    assert codes(src) == []


def test_known_branch_takes_one_side():
    src = """
        import keras
        SEQ = False
        inp = keras.Input((20, 8))
        if SEQ:
            x = keras.layers.LSTM(16, return_sequences=True)(inp)
        else:
            x = keras.layers.LSTM(16)(inp)
        x = keras.layers.LSTM(4)(x)
    """
    assert codes(src) == [(9, "KS101")]


def test_unknown_values_never_cause_errors():
    src = """
        import keras
        from mylib import load_data, make_layer
        (x_train, y_train) = load_data()
        inp = keras.Input(shape=x_train.shape[1:])
        x = make_layer()(inp)
        x = keras.layers.LSTM(8)(x)
        y = keras.layers.Dense(units=y_train.shape[-1])(inp)
        z = keras.layers.Reshape((4, 4))(y)
        w = keras.layers.Conv2D(8, 3)(keras.layers.Bidirectional(keras.layers.LSTM(3))(inp))
    """
    assert codes(src) == []


def test_sequential_add_in_unknown_branch_stops_checking():
    src = """
        import keras, random
        model = keras.Sequential()
        model.add(keras.Input((10,)))
        if random.random() > 0.5:
            model.add(keras.layers.RepeatVector(3))
        model.add(keras.layers.LSTM(4))
    """
    assert codes(src) == []


def test_unbuilt_sequential_reports_nothing_until_built():
    src = """
        import keras
        model = keras.Sequential()
        model.add(keras.layers.Dense(8))
        model.add(keras.layers.LSTM(4))
    """
    assert codes(src) == []
    built = textwrap.dedent(src) + "model.build((None, 16))\n"
    assert codes(built) == [(5, "KS101")]


def test_sequential_input_shape_on_first_layer():
    src = """
        from keras.models import Sequential
        from keras.layers import Dense, LSTM
        model = Sequential()
        model.add(LSTM(50, input_shape=(1440, 3)))
        model.add(Dense(1, activation="sigmoid"))
    """
    assert codes(src) == []
    assert model_outputs(src) == [[[None, 1]]]


def test_noqa_silences():
    src = """
        import keras
        m = keras.Sequential([keras.Input((4,)), keras.layers.LSTM(3)])  # noqa: KS101
        n = keras.Sequential([keras.Input((4,)), keras.layers.LSTM(3)])  # noqa
        o = keras.Sequential([keras.Input((4,)), keras.layers.LSTM(3)])  # noqa: KS201
    """
    assert codes(src) == [(5, "KS101")]


def test_import_styles_resolve():
    variants = [
        "import keras\nL = keras.layers\n",
        "from keras import layers as L\n",
        "from tensorflow import keras\nL = keras.layers\n",
        "import tensorflow as tf\nL = tf.keras.layers\n",
        "import tensorflow.keras.layers as L\n",
        "from tensorflow.keras import layers as L\n",
    ]
    for head in variants:
        src = head + "x = L.Input((4,))\ny = L.LSTM(3)(x)\n"
        assert codes(src) == [(len(head.splitlines()) + 2, "KS101")], head
    src = "from keras.layers import Input, LSTM as R\nR(3)(Input((4,)))\n"
    assert codes(src) == [(2, "KS101")]
    src = "from tensorflow.keras.layers import *\nLSTM(3)(Input((4,)))\n"
    assert codes(src) == [(2, "KS101")]


def test_messages_name_the_layer_as_written_and_the_source_of_the_shape():
    src = """
        import keras
        from keras import layers as L
        inp = keras.Input((32,))
        h = L.Dense(64)(inp)
        encoder_lstm = L.LSTM(16)
        out = encoder_lstm(h)
    """
    (d,) = analyse(src).diagnostics
    assert d.message.startswith("encoder_lstm expects a 3D input")
    assert "(None, 64) from L.Dense at line 5" in d.message
    assert d.hint and "RepeatVector" in d.hint
    assert (d.line, d.col) == (7, 6)


def test_return_sequences_hint_points_at_the_previous_rnn():
    src = """
        import keras
        inp = keras.Input((10, 3))
        x = keras.layers.LSTM(8)(inp)
        x = keras.layers.GRU(4)(x)
    """
    (d,) = analyse(src).diagnostics
    assert d.hint == "pass return_sequences=True to the keras.layers.LSTM at line 4"


def test_global_rebinding_makes_the_module_value_unknown():
    src = """
        import keras
        N = 4
        def setup():
            global N
            N = 3
        setup()
        d = keras.layers.Dense(2)
        d(keras.Input((N,)))
        d(keras.Input((4,)))
    """
    assert codes(src) == []


def test_training_loop_is_not_unrolled_but_model_loops_are():
    src = """
        import keras
        inp = keras.Input((8,))
        x = inp
        for i in range(100):
            x = keras.layers.Dense(8)(x)
        model = keras.Model(inp, x)
        total = 0
        for epoch in range(50):
            total = total + epoch
        y = keras.layers.Dense(total)(inp)
        count = 0
        for item in load_items():
            count += 0
        z = keras.layers.Dense(count)(inp)
        m2 = keras.Model(inp, y)
    """
    analysis = analyse(src)
    assert analysis.diagnostics == []
    models = analysis.to_dict()["models"]
    assert len(models[0]["layers"]) == 100
    assert models[1]["outputs"] == [[None, None]]
    assert analysis.to_dict()["models"][1]["layers"][0]["output_shape"] == [None, None]


def test_break_under_unknown_condition_makes_the_loop_uncertain():
    src = """
        import keras, sys
        limit = int(sys.argv[1])
        model = keras.Sequential([keras.Input((8,))])
        units = 8
        for u in [64, 32, 16]:
            if u < limit:
                break
            units = u
            model.add(keras.layers.Dense(u))
        model.add(keras.layers.Reshape((4, 4)))
        x = keras.Input((units,))
        y = keras.layers.Reshape((2, 8))(x)
    """
    assert codes(src) == []


def test_global_image_data_format_is_followed():
    src = """
        import keras
        from keras import backend as K
        K.set_image_data_format("channels_first")
        inp = keras.Input((1, 28, 28))
        x = keras.layers.Conv2D(8, 3)(inp)
        if K.image_data_format() == "channels_first":
            y = keras.layers.MaxPooling2D()(x)
        model = keras.Model(inp, y)
    """
    analysis = analyse(src)
    assert analysis.diagnostics == []
    assert analysis.to_dict()["models"][0]["outputs"] == [[None, 8, 13, 13]]
    unknown = textwrap.dedent(src).replace('"channels_first")', 'cfg.fmt)').replace("import keras\n", "import keras, cfg\n", 1)
    analysis = analyse(unknown)
    assert analysis.diagnostics == []
    assert analysis.to_dict()["models"][0]["outputs"] == [None]


def test_tensors_passed_by_keyword_are_part_of_the_graph():
    src = """
        import keras
        enc_in = keras.Input(shape=(None, 71))
        _, h, c = keras.layers.LSTM(256, return_state=True)(enc_in)
        dec_in = keras.Input(shape=(None, 93))
        dec = keras.layers.LSTM(256, return_sequences=True)(dec_in, initial_state=[h, c])
        out = keras.layers.Dense(93)(dec)
        model = keras.Model([enc_in, dec_in], out)
        broken = keras.Model(dec_in, out)
    """
    analysis = analyse(src)
    assert [(d.line, d.code) for d in analysis.diagnostics] == [(9, "KS302")]
    layers = analysis.to_dict()["models"][0]["layers"]
    assert [l["name"] for l in layers] == ["lstm", "lstm_1", "dense"]


def test_none_defaults_of_uncalled_functions_are_placeholders():
    src = """
        import keras
        def build(input_shape=None, classes=10, weights=None):
            inputs = keras.Input(shape=input_shape)
            x = keras.layers.Flatten()(inputs)
            return keras.Model(inputs, keras.layers.Dense(classes)(x))
    """
    assert codes(src) == []
    called = textwrap.dedent(src) + "model = build()\n"
    assert [code for _, code in codes(called)] == ["KS204"]


def test_names_a_loop_binds_are_found_in_every_nested_block():
    import libcst as cst

    from kerasshape.engine import _bound_names

    module = cst.parse_module(textwrap.dedent("""
        for i in x:
            a = 1
            b, (c, *d) = e
            f += 1
            if q:
                g = 2
            elif q2:
                g2 = 2
            else:
                h: int = 3
            try:
                k = 1
            except E:
                l = 2
            else:
                l2 = 1
            finally:
                m2 = 3
            with o as p: pass
            for r in s: t = 1
            while c: u2 = 1
            import u.v as w, y
            def z(): inner = 1
    """))
    names: set = set()
    _bound_names(module.body[0].body.body, names)
    assert names == {"a", "b", "c", "d", "f", "g", "g2", "h", "k", "l", "l2", "m2", "p", "r", "t",
                     "u2", "w", "y", "z"}


def test_isinstance_of_builtin_types_decides_a_branch():
    src = """
        import keras
        from keras import layers
        x = keras.Input(shape=(8,))
        data = (x, x)
        if isinstance(data, tuple):
            data = data[0]
        if isinstance(data, (list, tuple)):
            data = layers.LSTM(4)(data)
        model = keras.Model(x, layers.Dense(3)(data))
    """
    assert codes(src) == []
    assert model_outputs(src) == [[[None, 3]]]


def test_math_constants_are_numbers():
    src = """
        import math
        from numpy import pi
        import keras
        from keras import layers
        x = keras.Input(shape=(8,))
        freqs = keras.ops.exp(keras.ops.linspace(0.0, 1.0, 4))
        angular = 2.0 * math.pi * freqs * pi
        y = layers.Lambda(lambda t: keras.ops.concatenate([keras.ops.sin(angular * t[:, :1]),
                                                           keras.ops.cos(angular * t[:, :1])], axis=-1))(x)
        model = keras.Model(x, y)
    """
    assert codes(src) == []
    assert model_outputs(src) == [[[None, 8]]]


def test_a_list_repeated_then_filled_in_a_loop():
    src = """
        import keras
        from keras import layers
        x = keras.Input(shape=(8,))
        heads = [None] * 3
        for i in range(3):
            heads[i] = layers.Dense(2 + i)(x)
        model = keras.Model(x, layers.Concatenate()(heads))
    """
    assert codes(src) == []
    assert model_outputs(src) == [[[None, 9]]]


def test_model_input_and_output_shape_attributes():
    src = """
        import keras
        from keras import layers
        inp = keras.Input((28, 28, 1))
        convs = keras.Model(inp, layers.Conv2D(4, 3)(inp))
        dense = keras.Sequential([keras.Input((10,)), layers.Dense(3)])
        a = keras.Input(shape=convs.input_shape[1:])
        b = keras.Input(shape=convs.output_shape[1:])
        c = keras.Input(shape=dense.output_shape[1:])
        model = keras.Model([a, b, c], [b, c])
    """
    assert model_outputs(src)[-1] == [[None, 26, 26, 4], [None, 3]]


def test_load_model_of_a_file_saved_before_is_that_model():
    src = """
        import keras
        from keras import layers
        inp = keras.Input((8,))
        model = keras.Model(inp, layers.Dense(3)(layers.Dense(5)(inp)))
        model.save("m.keras")
        if flag:
            other = keras.Sequential([keras.Input((2,)), layers.Dense(1)])
            other.save("other.keras")
        loaded = keras.models.load_model("m.keras")
        hidden = keras.Model(loaded.input, loaded.layers[1].output)
        maybe = keras.models.load_model("other.keras")
        never_saved = keras.models.load_model("elsewhere.keras")
        x = keras.Input((2,))
        m2 = keras.Model(x, maybe(x))
        m3 = keras.Model(x, never_saved(x))
    """
    # a save under a condition, or in another program, gives nothing to follow
    outs = {m["name"]: m["outputs"] for m in analyse(src).to_dict()["models"]}
    assert outs["hidden"] == [[None, 5]] and outs["m2"] == [None] and outs["m3"] == [None]


def test_model_layers_of_a_branching_graph_in_keras_order():
    src = """
        import keras
        from keras import layers
        a = keras.Input((None, 12))
        enc = layers.LSTM(16, return_state=True)
        _, h, c = enc(a)
        b = keras.Input((None, 14))
        seq = layers.LSTM(16, return_sequences=True)(b, initial_state=[h, c])
        out = layers.Dense(14)(seq)
        model = keras.Model([a, b], out)
        first, second, encoder, decoder, head = model.layers
        states = keras.Model(model.input[0], encoder.output[1:])
        projected = keras.Model(model.input[1], head(decoder.output))
    """
    # both inputs, then by depth: the encoder LSTM is model.layers[2] (as Keras orders it)
    assert model_outputs(src)[1:] == [[[None, 16], [None, 16]], [[None, None, 14]]]


def test_a_functional_model_runs_again_on_sizes_its_input_leaves_undefined():
    src = """
        import keras
        from keras import layers
        image = keras.Input((None, None, 3))
        net = keras.Model(image, layers.Conv2D(8, 3, strides=2, padding="same")(image))
        inputs = keras.Input((64, 48, 3))
        model = keras.Model(inputs, net(inputs))
    """
    assert model_outputs(src)[-1] == [[None, 32, 24, 8]]


def test_image_files_listed_with_glob_through_a_dataset():
    src = """
        import glob
        import tensorflow as tf
        import keras
        from keras import layers

        def load(path):
            image = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            return tf.image.resize(image, [40, 40]) / 255.0

        files = sorted(glob.glob("photos/*.jpg"))[:100]
        ds = tf.data.Dataset.from_tensor_slices(files).map(load).batch(8)
        model = keras.Sequential([layers.Conv2D(4, 3), layers.Flatten(), layers.Dense(2)])
        model.predict(ds)
        train, val = keras.utils.image_dataset_from_directory(
            "photos", image_size=(64, 64), subset="both", validation_split=0.2, seed=1,
            color_mode="grayscale")
        grey = keras.Sequential([layers.Conv2D(4, 3), layers.GlobalAveragePooling2D()])
        grey.fit(train)
    """
    assert model_outputs(src) == [[[None, 2]], [[None, 4]]]
    shapes = {m["name"]: m["inputs"] for m in analyse(src).to_dict()["models"]}
    assert shapes == {"model": [[None, 40, 40, 3]], "grey": [[None, 64, 64, 1]]}


def test_dtype_arguments_never_make_an_op_unknown():
    src = """
        import math
        import keras
        import tensorflow as tf
        half = 16
        freqs = tf.exp(tf.range(half, dtype=tf.float32) * -(math.log(10000) / (half - 1)))
        steps = keras.Input(shape=(), dtype="int64")
        emb = tf.cast(steps, dtype=tf.float32)[:, None] * freqs[None, :]
        model = keras.Model(steps, tf.concat([tf.sin(emb), tf.cos(emb)], axis=-1))
    """
    assert model_outputs(src) == [[[None, 32]]]


def test_classes_read_from_the_data_is_a_named_size_of_an_application():
    src = """
        import keras
        num_classes = info.features["label"].num_classes
        net = keras.applications.EfficientNetB0(include_top=True, weights=None,
                                                classes=num_classes)
    """
    assert model_outputs(src) == [[[None, "num_classes"]]]


def test_constant_tensors_iterate_and_symbolic_ones_do_not():
    src = """
        import keras
        import tensorflow as tf
        from keras import layers
        rates = [r for r in tf.linspace(0.0, 0.1, 4)]
        inp = keras.Input((6, 8))
        x = inp
        for rate in rates:
            x = x + rate * tf.random.uniform((tf.shape(x)[0], 1, 1))
        parts = [t for t in inp]
        y = layers.Dense(len(rates))(x)
        z = layers.Dense(len(parts))(x)
        model = keras.Model(inp, [y, z])
    """
    # a KerasTensor is not iterated: len(parts) stays a size known at run time, not 6
    assert model_outputs(src) == [[[None, 6, 4], [None, 6, "len(parts)"]]]


def test_identity_matrices_for_a_batch_known_at_run_time():
    # keras-io's SimCLR colour jitter; TensorFlow traces tf.eye(3, batch_shape=[b, 1]) with
    # b = tf.shape(images)[0] to (None, 1, 3, 3)
    src = """
        import keras
        import tensorflow as tf
        images = keras.Input((32, 32, 3))
        batch_size = tf.shape(images)[0]
        jitter = tf.random.uniform((batch_size, 1, 3, 3), minval=-0.1, maxval=0.1)
        transforms = tf.eye(3, batch_shape=[batch_size, 1]) * 1.2 + jitter
        model = keras.Model(images, tf.matmul(images, transforms))
    """
    assert model_outputs(src) == [[[None, 32, 32, 3]]]


def test_functools_partial_of_a_layer_class():
    src = """
        from functools import partial
        import functools
        import keras
        from keras import layers
        norm = partial(layers.LayerNormalization, epsilon=1e-6)
        dense = functools.partial(layers.Dense, activation="relu")
        x = keras.Input((4, 8))
        model = keras.Model(x, dense(16)(norm()(x)))
    """
    assert model_outputs(src) == [[[None, 4, 16]]]


def test_a_layer_class_given_as_an_argument_and_sizes_returned_beside_a_tensor():
    # keras-io's focal modulation network: norm_layer=layers.LayerNormalization, and a
    # patch embedding that returns (x, height, width, channels)
    src = """
        import keras
        import tensorflow as tf
        from keras import layers

        class PatchEmbed(layers.Layer):
            def __init__(self, embed_dim, norm_layer=None):
                super().__init__()
                self.proj = layers.Conv2D(embed_dim, 4, strides=4)
                self.flatten = layers.Reshape((-1, embed_dim))
                self.norm = norm_layer(epsilon=1e-7) if norm_layer is not None else None

            def call(self, x):
                x = self.proj(x)
                height, width = tf.shape(x)[1], tf.shape(x)[2]
                x = self.flatten(x)
                if self.norm is not None:
                    x = self.norm(x)
                return x, height, width

        inputs = keras.Input((32, 48, 3))
        x, h, w = PatchEmbed(16, norm_layer=layers.LayerNormalization)(inputs)
        model = keras.Model(inputs, x)
    """
    assert model_outputs(src) == [[[None, 96, 16]]]
