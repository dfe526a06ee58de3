"""Trainers: Model subclasses with their own train_step(), read (quietly) at fit()."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from kerasshape import check_source
from kerasshape.summary import render_model

ROOT = Path(__file__).resolve().parent.parent


def analyse(src: str):
    return check_source(textwrap.dedent(src), "m.py")


def by_name(src: str) -> dict:
    return {m.name: m for m in analyse(src).models}


def shapes(model) -> dict:
    return {layer.name: layer.output_shape for layer in model.layers}


GAN = """
    import keras
    import numpy as np
    import tensorflow as tf
    from keras import layers, ops

    discriminator = keras.Sequential(
        [layers.Conv2D(4, 3, strides=2, padding="same"), layers.GlobalMaxPooling2D(), layers.Dense(1)],
        name="discriminator")
    generator = keras.Sequential(
        [layers.Dense(7 * 7 * 4), layers.Reshape((7, 7, 4)),
         layers.Conv2DTranspose(1, 4, strides=2, padding="same")],
        name="generator")


    class GAN(keras.Model):
        def __init__(self, discriminator, generator, latent_dim):
            super().__init__()
            self.discriminator = discriminator
            self.generator = generator
            self.latent_dim = latent_dim

        def compile(self, d_optimizer, g_optimizer, loss_fn):
            super().compile()
            self.d_optimizer = d_optimizer
            self.g_optimizer = g_optimizer
            self.loss_fn = loss_fn

        def train_step(self, real_images):
            batch_size = tf.shape(real_images)[0]
            z = tf.random.normal(shape=(batch_size, self.latent_dim))
            fake = self.generator(z)
            combined = tf.concat([fake, real_images], axis=0)
            with tf.GradientTape() as tape:
                predictions = self.discriminator(combined)
                d_loss = self.loss_fn(tf.zeros((2 * batch_size, 1)), predictions)
            grads = tape.gradient(d_loss, self.discriminator.trainable_weights)
            self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))
            return {"d_loss": d_loss}


    gan = GAN(discriminator=discriminator, generator=generator, latent_dim=8)
    gan.compile(keras.optimizers.Adam(), keras.optimizers.Adam(),
                keras.losses.BinaryCrossentropy(from_logits=True))
"""


def test_fit_runs_train_step_so_the_held_sequentials_get_built():
    got = by_name(GAN + """
    gan.fit(np.random.rand(16, 14, 14, 1), batch_size=8, epochs=1)
    """)
    gen, disc, gan = got["generator"], got["discriminator"], got["gan"]
    assert gen.built and gen.inputs == [(None, 8)] and gen.outputs == [(None, 14, 14, 1)]
    assert shapes(gen)["reshape"] == (None, 7, 7, 4)
    assert disc.built and disc.inputs == [(None, 14, 14, 1)] and disc.outputs == [(None, 1)]
    assert gan.kind == "Trainer" and gan.built
    assert gan.inputs == [] and gan.outputs == []
    assert shapes(gan) == {"discriminator": (None, 1), "generator": (None, 14, 14, 1)}
    assert "train_step() and no call()" in gan.note


def test_train_on_batch_and_a_batched_dataset_run_train_step_too():
    for fit in ("gan.train_on_batch(np.zeros((4, 14, 14, 1)))",
                "gan.fit(tf.data.Dataset.from_tensor_slices(np.zeros((64, 14, 14, 1))).batch(8))"):
        got = by_name(GAN + "\n    " + fit + "\n")
        assert got["generator"].outputs == [(None, 14, 14, 1)], fit
        assert got["discriminator"].inputs == [(None, 14, 14, 1)], fit


def test_without_fit_the_trainer_and_its_models_stay_unbuilt():
    got = by_name(GAN)
    assert not got["generator"].built
    gan = got["gan"]
    assert gan.kind == "Trainer" and not gan.built
    assert "no fit() here reaches" in gan.note
    text = render_model(gan)
    assert '(Trainer, line' in text and "Note:" in text and "Outputs:" not in text


def test_show_lists_a_trainer_with_a_note_and_no_inputs_or_outputs():
    (gan,) = [m for m in analyse(GAN + "\n    gan.fit(np.zeros((16, 14, 14, 1)))\n").to_dict()["models"]
              if m["name"] == "gan"]
    assert gan["kind"] == "Trainer" and gan["outputs"] == [] and "note" in gan
    assert [layer["output_shape"] for layer in gan["layers"]] == [[None, 1], [None, 14, 14, 1]]


def test_train_step_is_read_quietly():
    # a mistake kerasshape would report anywhere else says nothing inside a train step: it is
    # eager, gradient-tape code kerasshape reads only in part
    src = """
    import keras
    import numpy as np
    from keras import layers

    class Trainer(keras.Model):
        def __init__(self):
            super().__init__()
            self.rnn = layers.LSTM(4)

        def train_step(self, data):
            x, y = data
            h = self.rnn(x)
            return {}

    trainer = Trainer()
    trainer.compile()
    trainer.fit(np.zeros((8, 5)), np.zeros((8, 1)))
    """
    assert analyse(src).diagnostics == []
    loud = src.replace("def train_step(self, data):\n            x, y = data\n", "def go(self, x):\n")
    loud = loud.replace("trainer.fit(np.zeros((8, 5)), np.zeros((8, 1)))", "trainer.go(keras.Input((5,)))")
    assert "KS101" in {d.code for d in analyse(loud).diagnostics}


TRAINER = """
    import keras
    import numpy as np
    import tensorflow as tf
    from keras import layers

    class MyTrainer(keras.Model):
        def __init__(self, model):
            super().__init__()
            self.model = model

        def train_step(self, data):
            x, y = data
            with tf.GradientTape() as tape:
                y_pred = self(x, training=True)
                loss = self.compute_loss(y=y, y_pred=y_pred)
            return {"loss": loss}

        def call(self, x):
            return self.model(x)

    inner = keras.Sequential([layers.Flatten(), layers.Dense(16), layers.Dense(10)])
    trainer = MyTrainer(inner)
    trainer.compile(loss="sparse_categorical_crossentropy")
"""


def test_fit_with_y_gives_train_step_the_pair():
    got = by_name(TRAINER + """
    trainer.fit(np.zeros((32, 28, 28)), np.zeros((32,)), batch_size=8)
    """)
    assert got["inner"].inputs == [(None, 28, 28)]
    assert got["inner"].outputs == [(None, 10)]
    t = got["trainer"]
    assert t.kind == "Subclassed" and t.inputs == [(None, 28, 28)] and t.outputs == [(None, 10)]
    assert t.note is None


def test_a_dataset_of_pairs_is_given_as_it_is():
    got = by_name(TRAINER + """
    ds = tf.data.Dataset.from_tensor_slices((np.zeros((32, 28, 28)), np.zeros((32,)))).batch(8)
    trainer.fit(ds)
    """)
    assert got["inner"].inputs == [(None, 28, 28)]
    assert got["trainer"].outputs == [(None, 10)]


def test_sample_counts_are_still_checked_for_a_trainer():
    # Keras's data adapter raises on x and y of different lengths, whatever train_step does
    src = TRAINER + """
    trainer.fit(np.zeros((32, 28, 28)), np.zeros((20,)))
    """
    assert [d.code for d in analyse(src).diagnostics] == ["KS402"]


SUBCLASS_FUNCTIONAL = """
    import keras
    import numpy as np
    from keras import layers

    class MyModel(keras.Model):
        def train_step(self, data):
            x, y = data
            y_pred = self(x, training=True)
            return {}

    inputs = keras.Input((12,))
    outputs = layers.Dense(3, activation="softmax")(inputs)
    model = MyModel(inputs, outputs)
    model.compile(loss="categorical_crossentropy")
"""


def test_a_subclass_without_init_made_with_inputs_and_outputs_is_functional():
    (m,) = analyse(SUBCLASS_FUNCTIONAL).models
    assert m.kind == "Functional" and m.outputs == [(None, 3)] and m.note is None


def test_own_train_step_targets_are_its_business():
    # the compiled loss would reject y of 5 classes, but this train_step never computes it
    src = SUBCLASS_FUNCTIONAL + """
    model.fit(np.zeros((10, 12)), np.zeros((10, 5)))
    """
    assert analyse(src).diagnostics == []
    plain = src.replace("def train_step(self, data)", "def other_step(self, data)")
    assert [d.code for d in analyse(plain).diagnostics] == ["KS403"]


def test_corpus_report_counts_trainers_apart(tmp_path):
    (tmp_path / "gan.py").write_text(textwrap.dedent(GAN + "\n    gan.fit(np.zeros((16, 14, 14, 1)))\n"))
    out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "corpus_report.py"), str(tmp_path)],
                         capture_output=True, text=True, check=True).stdout
    assert "models found: 3, fully inferred: 2 of 2" in out
    assert "trainer-only models (train_step() and no call()" in out and out.count("): 1") == 1


def test_fit_that_raises_on_the_sample_counts_never_reaches_train_step():
    got = by_name(GAN + """
    gan.fit(np.zeros((16, 14, 14, 1)), np.zeros((12, 1)))
    """)
    assert not got["generator"].built and not got["gan"].built
    assert [d.code for d in analyse(GAN + """
    gan.fit(np.zeros((16, 14, 14, 1)), np.zeros((12, 1)))
    """).diagnostics] == ["KS402"]


def test_a_train_step_nobody_fits_is_not_read_aloud():
    # kerasshape reads functions nobody called with unknown arguments; a train step is
    # called by Keras, with data, and read only (quietly) at fit()
    src = """
    import keras
    import tensorflow as tf

    class Trainer(keras.Model):
        def train_step(self, data):
            x, labels = data
            z = tf.random.normal((4, 3))
            return tf.concat([z, labels], axis=1)
    """
    assert analyse(src).diagnostics == []


def test_the_gans_data_keeps_its_shape_through_numpy_reshape():
    # the keras.io GANs' data: np.reshape(all_digits, (-1, 28, 28, 1)) goes through the ops
    # table's reshape row, whose input may be of unknown shape (its target is still known)
    got = by_name(GAN + """
    digits = np.concatenate([np.zeros((70, 196)), np.ones((30, 196))]).astype("float32") / 255
    digits = np.reshape(digits, (-1, 14, 14, 1))
    gan.fit(tf.data.Dataset.from_tensor_slices(digits).batch(64))
    """)
    assert got["discriminator"].inputs == [(None, 14, 14, 1)]
    src = """
    import keras
    import numpy as np
    m = keras.Sequential([keras.Input((5,)), keras.layers.Dense(1)])
    m.predict(np.reshape(np.zeros((70, 28, 28)), (-1, 28, 28, 1)))
    m.predict(np.add(np.zeros((70, 28)), 1.0))
    """
    assert [d.code for d in analyse(src).diagnostics] == ["KS401", "KS401"]


def test_a_fit_on_unknown_data_does_not_stop_a_later_fit_on_known_data():
    got = by_name(GAN + """
    gan.fit(load_images())
    gan.fit(np.zeros((16, 14, 14, 1)))
    """)
    assert got["discriminator"].inputs == [(None, 14, 14, 1)]
    assert "on a batch, which built" in got["gan"].note


def test_evaluate_reads_the_classs_own_test_step():
    src = """
    import keras
    import numpy as np
    from keras import layers

    class Evaluator(keras.Model):
        def __init__(self, model):
            super().__init__()
            self.model = model

        def test_step(self, data):
            x, y = data
            return {"loss": keras.ops.mean(self.model(x))}

    inner = keras.Sequential([layers.Dense(4), layers.Dense(2)])
    ev = Evaluator(inner)
    ev.compile(loss="categorical_crossentropy")
    ev.evaluate(np.zeros((10, 3)), np.zeros((10, 7)))
    """
    got = by_name(src)
    assert got["inner"].inputs == [(None, 3)] and got["inner"].outputs == [(None, 2)]
    assert analyse(src).diagnostics == []
