"""Subclassed models, custom layers, and helpers imported from the project's other modules."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from kerasshape import check_file, check_source


def analyse(src: str):
    return check_source(textwrap.dedent(src), "m.py")


def codes(src: str) -> list:
    return [(d.line, d.code) for d in analyse(src).diagnostics]


def models(src: str) -> list:
    return analyse(src).to_dict()["models"]


HEAD = """
    import keras
    from keras import layers
"""


def test_subclassed_model_called_on_input_is_listed_with_its_layers():
    src = HEAD + """
    class Net(keras.Model):
        def __init__(self, classes=10, **kwargs):
            super().__init__(**kwargs)
            self.blocks = [layers.Dense(w) for w in (64, 32)]
            self.head = layers.Dense(classes)

        def call(self, x, training=False):
            for block in self.blocks:
                x = block(x)
            return self.head(x)

    net = Net(classes=3)
    y = net(keras.Input((20,)))
    """
    (m,) = models(src)
    assert m["name"] == "net" and m["line"] == 16
    assert m["inputs"] == [[None, 20]] and m["outputs"] == [[None, 3]]
    assert [(layer["name"], layer["output_shape"]) for layer in m["layers"]] == [
        ("dense", [None, 64]), ("dense_1", [None, 32]), ("dense_2", [None, 3])]


def test_error_inside_call_points_at_the_line_in_call_and_says_which_call_led_there():
    src = HEAD + """
    class Net(keras.Model):
        def __init__(self):
            super().__init__()
            self.rnn = layers.LSTM(8)

        def call(self, x):
            return self.rnn(x)

    y = Net()(keras.Input((20,)))
    """
    (d,) = analyse(src).diagnostics
    assert (d.line, d.code) == (11, "KS101")
    assert "via Net.call() called at line 13" in d.message


def test_build_without_an_own_build_method_traces_call_quietly():
    # Keras 3 only marks the model built: data of another shape may come later
    src = HEAD + """
    class Net(keras.Model):
        def __init__(self):
            super().__init__()
            self.rnn = layers.LSTM(8)

        def call(self, x):
            return self.rnn(x)

    net = Net()
    net.build((None, 20))
    ok = Net()
    ok.build((None, 5, 20))
    """
    assert codes(src) == []
    assert [m["outputs"] for m in models(src)] == [[None], [[None, 8]]]


def test_custom_layer_build_gets_the_input_shape_and_add_weight_has_a_shape():
    src = HEAD + """
    class Project(layers.Layer):
        def __init__(self, units):
            super().__init__()
            self.units = units

        def build(self, input_shape):
            self.w = self.add_weight(shape=(input_shape[-1], self.units))
            self.out = layers.Dense(input_shape[-1] * 2)

        def call(self, x):
            return self.out(x)

    inp = keras.Input((4, 6))
    y = Project(3)(inp)
    model = keras.Model(inp, layers.LSTM(2)(y))
    """
    assert codes(src) == []
    (m,) = models(src)
    assert m["layers"][0] == {"line": 18, "name": "project", "class": "Project",
                              "output_shape": [None, 4, 12]}


def test_compute_output_shape_wins_over_call():
    src = HEAD + """
    class Odd(layers.Layer):
        def call(self, x):
            return layers.Flatten()(x)

        def compute_output_shape(self, input_shape):
            return (input_shape[0], input_shape[1], 7)

    inp = keras.Input((4, 6))
    model = keras.Model(inp, Odd()(inp))
    """
    assert [m["outputs"] for m in models(src)] == [[[None, 4, 7]]]


def test_unknown_custom_layer_output_silences_everything_downstream():
    src = HEAD + """
    from somewhere import magic

    class Magic(layers.Layer):
        def call(self, x):
            return magic(x)

    inp = keras.Input((4, 6))
    y = Magic()(inp)
    y = layers.LSTM(3)(y)
    y = layers.Conv2D(3, 3)(y)
    model = keras.Model(inp, y)
    """
    assert codes(src) == []
    (m,) = models(src)
    assert m["layers"][0]["output_shape"] is None


def test_super_calls_reach_a_user_base_class():
    src = HEAD + """
    class Base(layers.Layer):
        def __init__(self, units, **kwargs):
            super().__init__(**kwargs)
            self.dense = layers.Dense(units)

        def call(self, x):
            return self.dense(x)

    class Child(Base):
        def __init__(self):
            super().__init__(5)

        def call(self, x):
            return super().call(x) * 2

    inp = keras.Input((3,))
    model = keras.Model(inp, Child()(inp))
    """
    assert [m["outputs"] for m in models(src)] == [[[None, 5]]]


def test_model_subclass_with_functional_init():
    src = HEAD + """
    class Wrapped(keras.Model):
        def __init__(self):
            inputs = keras.Input((8,))
            outputs = layers.Dense(2)(inputs)
            super().__init__(inputs, outputs)

    model = Wrapped()
    z = model(keras.Input((9,)))
    """
    assert codes(src) == [(12, "KS104")]
    (m,) = models(src)
    assert (m["name"], m["line"], m["outputs"]) == ("model", 11, [[None, 2]])


def test_custom_layer_in_sequential_and_nested_instances():
    src = HEAD + """
    class Block(layers.Layer):
        def __init__(self, units):
            super().__init__()
            self.a = layers.Dense(units)
            self.b = layers.Dense(units)

        def call(self, x):
            return self.b(self.a(x))

    class Tower(keras.Model):
        def __init__(self):
            super().__init__()
            self.first = Block(16)
            self.second = Block(4)

        def call(self, x):
            return self.second(self.first(x))

    seq = keras.Sequential([keras.Input((10,)), Block(8), layers.Dense(1)])
    tower = Tower()
    out = tower(keras.Input((3,)))
    """
    found = {m["name"]: m for m in models(src)}
    assert found["seq"]["outputs"] == [[None, 1]]
    assert [layer["output_shape"] for layer in found["seq"]["layers"]] == [[None, 8], [None, 1]]
    assert found["tower"]["outputs"] == [[None, 4]]
    assert [layer["class"] for layer in found["tower"]["layers"]] == ["Block", "Block"]


def test_plain_classes_hold_values():
    src = HEAD + """
    class Config:
        width = 32

        def __init__(self, depth):
            self.depth = depth

    cfg = Config(2)
    inp = keras.Input((cfg.width,))
    x = inp
    for _ in range(cfg.depth):
        x = layers.Dense(cfg.width)(x)
    model = keras.Model(inp, x)
    """
    (m,) = models(src)
    assert m["outputs"] == [[None, 32]] and len(m["layers"]) == 2


def test_attribute_set_under_an_unknown_condition_is_unknown():
    src = HEAD + """
    import random

    class Net(keras.Model):
        def __init__(self):
            super().__init__()
            self.rnn = layers.Dense(3)
            if random.random() > 0.5:
                self.rnn = layers.LSTM(3)

        def call(self, x):
            return self.rnn(x)

    y = Net()(keras.Input((20,)))
    """
    assert codes(src) == []


# ---------------------------------------------------------------- project modules

def _project(tmp_path: Path) -> Path:
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "blocks.py").write_text(textwrap.dedent("""
        from keras import layers

        WIDTH = 32


        def conv_block(x, filters):
            x = layers.Conv2D(filters, 3, padding="same")(x)
            return layers.MaxPooling2D()(x)


        def lstm_head(x, units=WIDTH):
            return layers.LSTM(units)(x)  # the error is reported here
    """))
    (pkg / "model.py").write_text(textwrap.dedent("""
        import keras
        from .blocks import conv_block, lstm_head, WIDTH
        from . import blocks

        inputs = keras.Input((32, 32, 3))
        x = conv_block(inputs, 16)
        x = blocks.conv_block(x, WIDTH)
        y = lstm_head(x)
        model = keras.Model(inputs, y)
    """))
    return pkg


def test_helpers_imported_from_the_project_are_followed(tmp_path):
    pkg = _project(tmp_path)
    analysis = check_file(str(pkg / "model.py"))
    (d,) = analysis.diagnostics
    assert d.path == str(pkg / "blocks.py") and (d.line, d.code) == (13, "KS101")
    assert "got 4D (None, 8, 8, 32)" in d.message
    assert "via lstm_head() called at model.py line 9" in d.message
    assert d.call_site == (9, 4)
    (m,) = analysis.to_dict()["models"]
    assert [layer["output_shape"] for layer in m["layers"][:4]] == [
        [None, 32, 32, 16], [None, 16, 16, 16], [None, 16, 16, 32], [None, 8, 8, 32]]
    # the helper module alone: its functions run with unknown arguments, nothing to say
    assert check_file(str(pkg / "blocks.py")).diagnostics == []


def test_noqa_in_the_helper_module_applies(tmp_path):
    pkg = _project(tmp_path)
    blocks = pkg / "blocks.py"
    blocks.write_text(blocks.read_text().replace("# the error is reported here", "# noqa: KS101"))
    assert check_file(str(pkg / "model.py")).diagnostics == []


def test_import_cycles_and_missing_modules_are_harmless(tmp_path):
    (tmp_path / "a.py").write_text("import keras\nfrom b import g\n\ndef f(x):\n    return g(x)\n")
    (tmp_path / "b.py").write_text("import keras\nfrom a import f\n\ndef g(x):\n    return f(x)\n")
    (tmp_path / "main.py").write_text(textwrap.dedent("""
        import keras
        from a import f
        from nowhere import h
        x = f(keras.Input((3,)))
        y = h(x)
    """))
    assert check_file(str(tmp_path / "main.py")).diagnostics == []


def test_flake8_reports_a_helper_module_error_at_the_call_in_this_file(tmp_path):
    pkg = _project(tmp_path)
    proc = subprocess.run([sys.executable, "-m", "flake8", "--select", "KS", "model.py"],
                          cwd=pkg, capture_output=True, text=True)
    assert proc.stdout.startswith("model.py:9:5: KS101 "), proc.stdout + proc.stderr
    assert "blocks.py line 13" in proc.stdout


def test_lint_reports_a_helper_module_error_once(tmp_path):
    pkg = _project(tmp_path)
    (pkg / "other.py").write_text((pkg / "model.py").read_text())
    proc = subprocess.run([sys.executable, "-m", "kerasshape", "lint", "pkg"], cwd=tmp_path,
                          capture_output=True, text=True)
    lines = [line for line in proc.stdout.splitlines() if "KS101" in line]
    assert len(lines) == 1 and lines[0].startswith("pkg/blocks.py:13:"), proc.stdout


def test_a_layer_adapted_on_data_is_not_checked_for_undefined_axes():
    # Keras builds Normalization in adapt(); the symbolic call does not build it again
    src = HEAD + """
    import numpy as np
    norm = layers.Normalization()
    norm.adapt(np.zeros((10, 5)))
    x = norm(keras.Input(shape=(None,)))
    fresh = layers.Normalization()
    y = fresh(keras.Input(shape=(None,)))
    """
    assert codes(src) == [(10, "KS103")]


def test_a_subclass_of_a_table_layer_has_the_base_layers_shapes():
    # Keras computes its symbolic output with the inherited compute_output_shape
    src = HEAD + """
    class StdConv(layers.Conv2D):
        def call(self, inputs):
            return self.convolution_op(inputs, self.kernel)

    class Wide(layers.Dense):
        def __init__(self, units, factor=1, **kwargs):
            super().__init__(units * factor, **kwargs)

    model = keras.Sequential([keras.Input((28, 28, 1)), StdConv(8, 3), layers.Flatten(),
                              Wide(5, factor=2)])
    bad = StdConv(4, 3)(keras.Input((10,)))
    """
    assert codes(src) == [(15, "KS101")]
    (m,) = models(src)
    assert [(layer["name"], layer["output_shape"]) for layer in m["layers"]] == [
        ("std_conv", [None, 26, 26, 8]), ("flatten", [None, 5408]), ("wide", [None, 10])]


def test_backend_random_normal_with_tf_shape_keeps_the_batch_axis():
    src = HEAD + """
    import tensorflow as tf

    class Sampling(layers.Layer):
        def call(self, inputs):
            z_mean, z_log_var = inputs
            batch = tf.shape(z_mean)[0]
            dim = tf.shape(z_mean)[1]
            epsilon = tf.keras.backend.random_normal(shape=(batch, dim))
            return z_mean + tf.exp(0.5 * z_log_var) * epsilon

    h = keras.Input((8,))
    z = Sampling()([layers.Dense(2)(h), layers.Dense(2)(h)])
    model = keras.Model(h, z)
    """
    assert [m["outputs"] for m in models(src)] == [[[None, 2]]]


def test_comprehensions_with_conditions_nested_fors_and_dicts():
    src = HEAD + """
    inp = keras.Input((8,))
    heads = {name: layers.Dense(n, name=name)(inp) for name, n in [("a", 1), ("b", 2)]}
    wide = [layers.Dense(w)(inp) for w in (4, 5, 6) if w % 2 == 0]
    grid = [layers.Dense(a * b)(inp) for a in (1, 2) for b in (3,)]
    m1 = keras.Model(inp, heads)
    m2 = keras.Model(inp, wide)
    m3 = keras.Model(inp, grid)
    """
    assert [m["outputs"] for m in models(src)] == [
        [[None, 1], [None, 2]], [[None, 4], [None, 6]], [[None, 3], [None, 6]]]


def test_a_list_that_holds_itself_is_harmless():
    # test_copy.py of the standard library does this; it once made a tensor search loop forever
    src = HEAD + """
    import tensorflow as tf
    x = []
    x.append(x)
    y = tf.concat(x, 0)
    z = keras.Model(x, x)
    """
    assert codes(src) == []
