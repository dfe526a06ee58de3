"""Recurrent layers beyond LSTM/GRU/SimpleRNN: ConvLSTM1D/2D/3D, RNN(cell) with LSTMCell,
GRUCell, SimpleRNNCell and StackedRNNCells (or a plain list of cells), and Bidirectional over
all of them with every merge_mode and return_state=True.

Rows as in tests/test_signatures.py (layer, kwargs, input, expected); a wrapped layer is a
(class, kwargs) pair and RNN's cells a pair or a list of pairs. The runner here gives a wrapper
what the engine gives it (keras_calls.wrapped): a function shape -> shape(s) that carries the
wrapped layer's signature, or a list of them. Then the same rows against real Keras, and
randomized families, invalid cases included.
"""

from __future__ import annotations

from collections import Counter

import pytest

from kerasshape.shapes import UNK, ShapeError, fmt
from kerasshape.signatures import MISSING, TABLE

from .conformance_lib import run_conformance
from .test_signatures import REJECTED, _dim, _flat, _rows, agree, concrete, keras_warnings

CF = "channels_first"
BI = "Bidirectional"
LSTM4 = ("LSTMCell", {"units": 4})
GRU3 = ("GRUCell", {"units": 3})
SRNN2 = ("SimpleRNNCell", {"units": 2})
C2 = "ConvLSTM2D"

CASES = [
    # layer               kwargs                                        input                       output
    ("ConvLSTM2D",        {"filters": 4, "kernel_size": 3},             (None, 5, 8, 8, 2),         (None, 6, 6, 4)),
    ("ConvLSTM2D",        {"filters": 4, "kernel_size": 3, "return_sequences": True}, (None, 5, 8, 8, 2), (None, 5, 6, 6, 4)),
    ("ConvLSTM2D",        {"filters": 4, "kernel_size": 3, "return_state": True}, (None, 5, 8, 8, 2), [(None, 6, 6, 4)] * 3),
    ("ConvLSTM2D",        {"filters": 4, "kernel_size": 3, "return_sequences": True, "return_state": True},
                                                                        (2, None, 8, 8, 2),         [(2, None, 6, 6, 4), (2, 6, 6, 4), (2, 6, 6, 4)]),
    ("ConvLSTM2D",        {"filters": 4, "kernel_size": 3, "data_format": CF}, (None, 5, 2, 8, 9),  (None, 4, 6, 7)),
    ("ConvLSTM2D",        {"filters": 4, "kernel_size": 3, "data_format": "Channels_First", "return_sequences": True},
                                                                        (None, 5, 2, 8, 9),         (None, 5, 4, 6, 7)),
    ("ConvLSTM2D",        {"filters": 4, "kernel_size": 3, "strides": 2, "padding": "SAME"}, (None, 5, 7, 8, 2), (None, 4, 4, 4)),
    ("ConvLSTM2D",        {"filters": 4, "kernel_size": (3, 1), "dilation_rate": 2}, (None, 5, 8, 8, 2), (None, 4, 8, 4)),
    ("ConvLSTM2D",        {"filters": 4, "kernel_size": 3, "go_backwards": True}, (None, 0, 8, 8, 2), (None, 6, 6, 4)),
    ("ConvLSTM2D",        {"filters": 0, "kernel_size": 3},             (None, 5, 8, 8, 2),         (None, 6, 6, 0)),
    ("ConvLSTM2D",        {"filters": 4, "kernel_size": 3, "padding": "same"}, (None, 5, 0, 8, 2),  (None, 0, 8, 4)),
    ("ConvLSTM2D",        {"filters": 4, "kernel_size": 3},             (None, 8, 8, 2),            "KS101"),
    ("ConvLSTM2D",        {"filters": 4, "kernel_size": 3},             (None, 5, 8, 8, 8, 2),      "KS101"),
    ("ConvLSTM2D",        {"filters": 4, "kernel_size": 3},             (None, 5, None, 8, 2),      "KS103"),
    ("ConvLSTM2D",        {"filters": 4, "kernel_size": 3, "padding": "same"}, (None, 5, 8, None, 2), "KS103"),
    ("ConvLSTM2D",        {"filters": 4, "kernel_size": 3},             (None, 5, 8, 8, None),      "KS103"),
    ("ConvLSTM2D",        {"filters": 4, "kernel_size": 3, "data_format": CF}, (None, 5, None, 8, 8), "KS103"),
    ("ConvLSTM2D",        {"filters": 4, "kernel_size": 3},             (None, 5, 2, 8, 2),         "KS202"),
    ("ConvLSTM2D",        {"filters": 4, "kernel_size": 3, "dilation_rate": 3}, (None, 5, 6, 8, 2), "KS202"),
    ("ConvLSTM2D",        {"filters": 4, "kernel_size": 3, "padding": "causal"}, (None, 5, 8, 8, 2), "KS203"),
    ("ConvLSTM2D",        {"filters": 4, "kernel_size": 3, "strides": 2, "dilation_rate": 2}, (None, 5, 8, 8, 2), "KS203"),
    ("ConvLSTM2D",        {"filters": 4, "kernel_size": 3, "strides": 0}, (None, 5, 8, 8, 2),       "KS203"),
    ("ConvLSTM2D",        {"filters": 4, "kernel_size": (3, 3, 3)},     (None, 5, 8, 8, 2),         "KS203"),
    ("ConvLSTM2D",        {"filters": -1, "kernel_size": 3},            (None, 5, 8, 8, 2),         "KS203"),
    ("ConvLSTM2D",        {"filters": 4, "kernel_size": 3, "data_format": "nhwc"}, (None, 5, 8, 8, 2), "KS203"),
    ("ConvLSTM2D",        {"filters": 4},                               (None, 5, 8, 8, 2),         MISSING),
    ("ConvLSTM2D",        {"filters": UNK, "kernel_size": (3, UNK), "return_state": True}, (None, 5, 8, 8, 2),
                                                                        [(None, 6, UNK, UNK)] * 3),

    ("ConvLSTM1D",        {"filters": 4, "kernel_size": 3},             (None, 5, 8, 2),            (None, 6, 4)),
    ("ConvLSTM1D",        {"filters": 4, "kernel_size": 3, "return_state": True}, (None, 5, 8, 2),  [(None, 6, 4)] * 3),
    ("ConvLSTM1D",        {"filters": 4, "kernel_size": 3, "data_format": CF, "return_sequences": True},
                                                                        (None, None, 2, 8),         (None, None, 4, 6)),
    ("ConvLSTM1D",        {"filters": 4, "kernel_size": 2, "strides": 3, "padding": "same"}, (None, 5, 8, 2), (None, 3, 4)),
    ("ConvLSTM1D",        {"filters": 4, "kernel_size": 3},             (None, 8, 2),               "KS101"),
    ("ConvLSTM1D",        {"filters": 4, "kernel_size": 3},             (None, 5, None, 2),         "KS103"),
    ("ConvLSTM1D",        {"filters": 4, "kernel_size": 3, "data_format": CF}, (None, 5, None, 8),  "KS103"),
    ("ConvLSTM1D",        {"filters": 4, "kernel_size": 5},             (None, 5, 4, 2),            "KS202"),
    ("ConvLSTM1D",        {"filters": 4, "kernel_size": (3, 3)},        (None, 5, 8, 2),            "KS203"),

    ("ConvLSTM3D",        {"filters": 2, "kernel_size": 3},             (None, 4, 6, 6, 6, 1),      (None, 4, 4, 4, 2)),
    ("ConvLSTM3D",        {"filters": 2, "kernel_size": 3, "strides": 2, "padding": "same", "return_sequences": True},
                                                                        (None, 4, 8, 7, 6, 2),      (None, 4, 4, 4, 3, 2)),
    ("ConvLSTM3D",        {"filters": 2, "kernel_size": (1, 2, 3), "data_format": CF, "return_state": True},
                                                                        (2, 3, 1, 5, 5, 5),         [(2, 2, 5, 4, 3)] * 3),
    ("ConvLSTM3D",        {"filters": 2, "kernel_size": 3},             (None, 4, 6, 6, 1),         "KS101"),
    ("ConvLSTM3D",        {"filters": 2, "kernel_size": 3},             (None, 4, 6, 6, None, 1),   "KS103"),
    ("ConvLSTM3D",        {"filters": 2, "kernel_size": 3},             (None, 4, 6, 2, 6, 1),      "KS202"),
    ("ConvLSTM3D",        {"filters": 2, "kernel_size": 3, "padding": "full"}, (None, 4, 6, 6, 6, 1), "KS203"),
    ("ConvLSTM3D",        {"filters": 2, "kernel_size": 3, "dilation_rate": (1, 2, 1), "strides": (2, 1, 1)},
                                                                        (None, 4, 6, 6, 6, 1),      "KS203"),

    ("RNN",               {"cell": LSTM4},                              (None, 5, 3),               (None, 4)),
    ("RNN",               {"cell": LSTM4, "return_sequences": True},    (None, 5, 3),               (None, 5, 4)),
    ("RNN",               {"cell": LSTM4, "return_state": True},        (None, 5, 3),               [(None, 4)] * 3),
    ("RNN",               {"cell": GRU3, "return_state": True},         (None, 5, 3),               [(None, 3), (None, 3)]),
    ("RNN",               {"cell": SRNN2, "return_sequences": True, "return_state": True, "go_backwards": True},
                                                                        (2, None, 3),               [(2, None, 2), (2, 2)]),
    ("RNN",               {"cell": [LSTM4, GRU3]},                      (None, 5, 3),               (None, 3)),
    ("RNN",               {"cell": [LSTM4, GRU3], "return_state": True}, (None, 5, 3),              [(None, 3), [(None, 4), (None, 4)], (None, 3)]),
    ("RNN",               {"cell": [GRU3], "return_state": True},       (None, 5, 3),               [(None, 3), (None, 3)]),
    ("RNN",               {"cell": [LSTM4], "return_state": True},      (None, 5, 3),               [(None, 4), [(None, 4), (None, 4)]]),
    ("RNN",               {"cell": ("StackedRNNCells", {"cells": [LSTM4, SRNN2, LSTM4]}), "return_state": True,
                           "return_sequences": True},                   (None, 5, 3),               [(None, 5, 4), [(None, 4), (None, 4)], (None, 2), [(None, 4), (None, 4)]]),
    ("RNN",               {"cell": [("StackedRNNCells", {"cells": [GRU3]}), LSTM4], "return_state": True},
                                                                        (None, 5, 3),               [(None, 4), [(None, 3)], [(None, 4), (None, 4)]]),
    ("RNN",               {"cell": LSTM4},                              (None, 0, 3),               (None, 4)),
    ("RNN",               {"cell": GRU3},                               (None, 5),                  "KS101"),
    ("RNN",               {"cell": GRU3},                               (2, 5),                     "KS101"),
    ("RNN",               {"cell": LSTM4},                              (None, 5, 3, 2),            "KS101"),
    ("RNN",               {"cell": LSTM4},                              (None, 5, None),            "KS103"),
    ("RNN",               {"cell": [LSTM4, GRU3]},                      (None, 5, None),            "KS103"),
    ("RNN",               {"cell": ("LSTMCell", {"units": 0})},         (None, 5, 3),               "KS203"),
    ("RNN",               {"cell": [LSTM4, ("GRUCell", {"units": -2})]}, (None, 5, 3),              "KS203"),
    ("RNN",               {"cell": []},                                 (None, 5, 3),               "KS203"),
    ("RNN",               {"cell": ("StackedRNNCells", {"cells": []})}, (None, 5, 3),               "KS203"),
    ("RNN",               {"cell": ("LSTM", {"units": 4})},             (None, 5, 3),               None),
    ("RNN",               {"cell": ("Dense", {"units": 4})},            (None, 5, 3),               "KS203"),
    ("RNN",               {"cell": [LSTM4, ("Dense", {"units": 4})]},   (None, 5, 3),               "KS203"),
    ("RNN",               {"cell": [("StackedRNNCells", {"cells": [LSTM4]})]}, (None, 5, 3),        (None, 4)),
    ("RNN",               {"cell": [("StackedRNNCells", {"cells": [LSTM4]})], "return_state": True}, (None, 5, 3), "KS203"),
    ("RNN",               {},                                           (None, 5, 3),               MISSING),
    ("RNN",               {"cell": ("LSTMCell", {"units": UNK}), "return_state": True}, (None, 5, 3), [(None, UNK)] * 3),

    # a cell called directly on (inputs, states): not modelled, unknown
    ("LSTMCell",          {"units": 4},                                 (None, 3),                  None),
    ("GRUCell",           {"units": 4},                                 (None, 3),                  None),
    ("SimpleRNNCell",     {"units": 4},                                 (None, 3),                  None),
    ("StackedRNNCells",   {"cells": [LSTM4, GRU3]},                     (None, 3),                  None),

    (BI,                  {"layer": ("RNN", {"cell": LSTM4})},          (None, 5, 3),               (None, 8)),
    (BI,                  {"layer": ("RNN", {"cell": LSTM4, "return_state": True})}, (None, 5, 3),  [(None, 8)] + [(None, 4)] * 4),
    (BI,                  {"layer": ("RNN", {"cell": [LSTM4, GRU3], "return_state": True})}, (None, 5, 3),
                                                                        [(None, 6), [(None, 4), (None, 4)], (None, 3), [(None, 4), (None, 4)], (None, 3)]),
    (BI,                  {"layer": ("LSTM", {"units": 4, "return_state": True, "return_sequences": True})},
                                                                        (None, 5, 3),               [(None, 5, 8)] + [(None, 4)] * 4),
    (BI,                  {"layer": ("LSTM", {"units": 4, "return_state": True}), "merge_mode": None},
                                                                        (None, 5, 3),               [(None, 4)] * 6),
    (BI,                  {"layer": ("GRU", {"units": 4, "return_state": True}), "merge_mode": "sum"},
                                                                        (None, 5, 3),               [(None, 4)] * 3),
    (BI,                  {"layer": ("SimpleRNN", {"units": 4, "return_state": True}), "merge_mode": "ave"},
                                                                        (2, 5, 3),                  [(2, 4)] * 3),
    (BI,                  {"layer": (C2, {"filters": 4, "kernel_size": 3, "return_sequences": True})},
                                                                        (None, 5, 8, 8, 2),         (None, 5, 6, 6, 8)),
    (BI,                  {"layer": (C2, {"filters": 4, "kernel_size": 3, "return_state": True}), "merge_mode": "mul"},
                                                                        (None, 5, 8, 8, 2),         [(None, 6, 6, 4)] * 5),
    (BI,                  {"layer": (C2, {"filters": 4, "kernel_size": 3, "return_state": True}), "merge_mode": None},
                                                                        (None, 5, 8, 8, 2),         [(None, 6, 6, 4)] * 6),
    (BI,                  {"layer": ("ConvLSTM1D", {"filters": 3, "kernel_size": 2, "data_format": CF})},
                                                                        (None, 5, 2, 6),            (None, 3, 10)),
    (BI,                  {"layer": ("RNN", {"cell": LSTM4})},          (None, 5, 3, 2),            "KS101"),
    (BI,                  {"layer": ("RNN", {"cell": GRU3})},           (None, 5, None),            "KS103"),
    (BI,                  {"layer": (C2, {"filters": 4, "kernel_size": 3})}, (None, 5, 8, None, 2), "KS103"),
    (BI,                  {"layer": (C2, {"filters": 4, "kernel_size": 3})}, (None, 5, 2, 8, 2),    "KS202"),
    (BI,                  {"layer": ("Dense", {"units": 4})},           (None, 5, 3),               "KS203"),
    (BI,                  {"layer": ("RNN", {"cell": GRU3, "go_backwards": True})}, (None, 5, 3),   "KS203"),
    (BI,                  {"layer": (C2, {"filters": 4, "kernel_size": 3, "go_backwards": True})}, (None, 5, 8, 8, 2), "KS203"),
    (BI,                  {"layer": LSTM4},                             (None, 5, 3),               "KS203"),
    (BI,                  {"layer": ("StackedRNNCells", {"cells": [LSTM4]})}, (None, 5, 3),         "KS203"),
    (BI,                  {"layer": ("TimeDistributed", {"layer": ("Dense", {"units": 4})})}, (None, 5, 3), "KS203"),
]

# Positional constructor arguments bind like Keras's: (layer, args, input, output)
POSITIONAL = [
    ("ConvLSTM2D",        (4, 3, 2, "same", CF),                        (None, 5, 2, 7, 8),         (None, 4, 4, 4)),
    ("ConvLSTM1D",        (4, 3, 1, "valid", None, 2),                  (None, 5, 8, 2),            (None, 4, 4)),
    ("RNN",               (LSTM4, True, True),                          (None, 5, 3),               [(None, 5, 4), (None, 4), (None, 4)]),
    ("RNN",               ([GRU3, SRNN2], False, True),                 (None, 5, 3),               [(None, 2), (None, 3), (None, 2)]),
]


# ------------------------------------------------------------------- the runner

class Unknowable(Exception):
    """A wrapped layer's output is unknown: so is the wrapper's (keras_calls._Unknowable)."""


def wrapped(spec):
    """A wrapped layer as the engine gives it to a wrapper; a list of them as a list."""
    if isinstance(spec, list):
        return [wrapped(s) for s in spec]
    name, kwargs = spec

    def run(shape):
        out = apply(name, (), kwargs, shape, wrapped_in=True)
        if out is None:
            raise Unknowable()
        return out

    run.signature = TABLE[name]
    run.args = TABLE[name].bind([], kwargs)
    return run


def apply(layer: str, pos, kwargs: dict, x, wrapped_in: bool = False):
    """What the engine does with one layer call; raises ShapeError with the code it reports."""
    sig = TABLE[layer]
    args = sig.bind(list(pos), kwargs)
    if MISSING in args.values():
        raise ShapeError(MISSING, f"{layer} misses a required argument")
    if sig.cell and not wrapped_in:
        return None  # a cell called directly: unknown
    if sig.wrapper:
        args[sig.wrapper] = wrapped(args[sig.wrapper])
    if not sig.rank_ok(len(x)):
        raise ShapeError("KS101", f"{layer} expects {sig.expects()}, got {fmt(x)}")
    if sig.undefined(x, args):
        raise ShapeError("KS103", f"{layer} needs axes {sig.undefined(x, args)} defined")
    return sig.fn(x, **args)


def ours(layer: str, pos, kwargs: dict, x):
    try:
        return apply(layer, pos, kwargs, x)
    except ShapeError as err:
        return err.code
    except Unknowable:
        return None


@pytest.mark.parametrize("layer, kwargs, x, expected", _rows(CASES))
def test_output_shape(layer, kwargs, x, expected):
    got = ours(layer, (), kwargs, x)
    assert got == expected, f"{layer}({kwargs}) on {x}: {got} != {expected}"


@pytest.mark.parametrize("layer, args, x, expected", _rows(POSITIONAL))
def test_positional_arguments(layer, args, x, expected):
    assert ours(layer, args, {}, x) == expected


def test_rows_per_layer():
    """Every layer class here has at least 8 rows (cells: rows of RNN and one of their own)."""
    counts = Counter(row[0] for row in CASES)
    assert all(counts[name] >= 8 for name in counts if not TABLE[name].cell), counts


def test_keras_argument_order():
    assert TABLE["ConvLSTM2D"].positional[:6] == ("filters", "kernel_size", "strides", "padding",
                                                  "data_format", "dilation_rate")
    assert TABLE["ConvLSTM3D"].positional[-4:] == ("return_sequences", "return_state",
                                                   "go_backwards", "stateful")
    assert TABLE["RNN"].positional[:4] == ("cell", "return_sequences", "return_state",
                                           "go_backwards")
    assert TABLE["GRUCell"].positional[-2:] == ("reset_after", "seed")
    assert TABLE["SimpleRNNCell"].positional[:3] == ("units", "activation", "use_bias")
    assert all(TABLE[n].cell for n in ("LSTMCell", "GRUCell", "SimpleRNNCell", "StackedRNNCells"))


# -------------------------------------------------------------- against real Keras

def keras_layer(keras, spec):
    """(class, args, kwargs) -> the Keras layer; (class, kwargs) pairs in the arguments (and
    lists of them) are layers too."""
    layer, pos, kwargs = spec

    def build(value):
        if isinstance(value, list):
            return [build(v) for v in value]
        if isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], str) \
                and isinstance(value[1], dict) and value[0] in TABLE:
            return keras_layer(keras, (value[0], (), value[1]))
        return value

    return getattr(keras.layers, layer)(*[build(p) for p in pos],
                                        **{k: build(v) for k, v in kwargs.items()})


def _uses_rnn_cell(layer, pos, kwargs) -> bool:
    if layer == "RNN":
        return True
    inner = (list(pos) or [kwargs.get("layer")])[0] if layer == BI else None
    return isinstance(inner, tuple) and inner[0] == "RNN"


def _shapes(out):
    if isinstance(out, (list, tuple)):
        return [_shapes(t) for t in out]
    return tuple(out.shape)


def theirs(keras, layer, pos, kwargs, x):
    """Keras's output shape(s) on symbolic inputs, or REJECTED when it raises.

    Keras's RNN has no InputSpec: it builds on inputs that are not (batch, time, features)
    and fails on data (the cell's step sees (batch, a, b), or no time axis). For RNN(cell) on
    other ranks the replay also runs the layer on zeros, and a failure there, or an output of
    another shape than the symbolic one, counts as Keras rejecting.
    """
    import numpy as np

    try:
        obj = keras_layer(keras, (layer, pos, kwargs))
        if TABLE[layer].cell:
            states = keras.Input(batch_shape=concrete(x))
            out = obj(keras.Input(batch_shape=concrete(x)), [states, states])
        else:
            out = obj(keras.Input(batch_shape=concrete(x)))
        symbolic = _shapes(out)
        if len(x) != 3 and _uses_rnn_cell(layer, pos, kwargs):
            data = np.zeros([11 if d is None else d for d in concrete(x)], "float32")
            real = _shapes(obj(data))

            def batchless(s):
                return [batchless(i) for i in s] if isinstance(s, list) else s[1:]
            if batchless(real) != batchless(symbolic):
                return REJECTED
    except Exception:  # noqa: BLE001 - any exception is Keras refusing the layer
        return REJECTED
    return symbolic


@pytest.mark.tf
@keras_warnings
@pytest.mark.parametrize("layer, kwargs, x, expected", _rows(CASES))
def test_matches_keras(keras, layer, kwargs, x, expected):
    if UNK in _flat(kwargs):
        pytest.skip("an argument kerasshape cannot evaluate has no value to give Keras")
    real = theirs(keras, layer, (), kwargs, x)
    assert agree(expected, real), f"{layer}({kwargs}) on {x}: Keras gives {real}"


@pytest.mark.tf
@keras_warnings
@pytest.mark.parametrize("layer, args, x, expected", _rows(POSITIONAL))
def test_positional_matches_keras(keras, layer, args, x, expected):
    real = theirs(keras, layer, args, {}, x)
    assert agree(expected, real), f"{layer}{args} on {x}: Keras gives {real}"


# ----------------------------------------------------- randomized conformance

def _nsize(rng, n, lo, hi, p_tuple=0.3, bad=0.03):
    """An int or a tuple of n ints; now and then a tuple of the wrong length."""
    r = rng.random()
    if r < bad:
        return tuple(rng.randint(lo, hi) for _ in range(n + 1))
    if r < bad + p_tuple:
        return tuple(rng.randint(lo, hi) for _ in range(n))
    return rng.randint(lo, hi)


def gen_conv_lstm(rng):
    n = rng.choice([1, 1, 2, 2, 2, 3])
    layer = f"ConvLSTM{n}D"
    kw = {"filters": rng.choice([0, -1] + [rng.randint(1, 4)] * 30),
          "kernel_size": rng.choice([_nsize(rng, n, 1, 3)] * 30 + [0])}
    if rng.random() < 0.5:
        kw["strides"] = rng.choice([_nsize(rng, n, 1, 3)] * 25 + [0])
    if rng.random() < 0.5:
        kw["padding"] = rng.choice(["valid", "same", "same", "SAME", "Valid"] * 3 + ["causal"])
    if rng.random() < 0.15:
        kw["dilation_rate"] = _nsize(rng, n, 1, 3)
    r = rng.random()
    if r < 0.3:
        kw["data_format"] = CF
    elif r < 0.35:
        kw["data_format"] = "Channels_First"
    elif r < 0.42:
        kw["data_format"] = "channels_last"
    elif r < 0.44:
        kw["data_format"] = "nhwc"
    for flag, p in (("return_sequences", 0.5), ("return_state", 0.4), ("go_backwards", 0.2)):
        if rng.random() < p:
            kw[flag] = True
    k = n + rng.choice([0] * 18 + [-1, 1])
    lo = 0 if rng.random() < 0.05 else 1
    spatial = [_dim(rng, 0.04, lo, 12 if n < 3 else 7) for _ in range(k)]
    channels = _dim(rng, 0.04, 1, 4)
    time = _dim(rng, 0.3, 0 if rng.random() < 0.05 else 1, 4)
    batch = rng.choice([None] * 6 + [2])
    if kw.get("data_format", "").lower() == CF:
        return layer, kw, (batch, time, channels, *spatial)
    return layer, kw, (batch, time, *spatial, channels)


def _cell(rng, bad=0.0):
    r = rng.random()
    units = rng.choice([0] + [rng.randint(1, 5)] * 25) if rng.random() < 0.8 else rng.randint(1, 5)
    if r < bad:
        return rng.choice([("LSTM", {"units": units}), ("Dense", {"units": units})])
    kind = rng.choice(["LSTMCell", "GRUCell", "SimpleRNNCell"])
    return (kind, {"units": units})


def _cells(rng):
    """One cell, a list of them, or a StackedRNNCells (now and then nested, or empty)."""
    r = rng.random()
    if r < 0.45:
        return _cell(rng, bad=0.05)
    cells = [_cell(rng, bad=0.03) for _ in range(rng.choice([0] + [1, 2, 2, 3] * 8))]
    if rng.random() < 0.1 and cells:
        cells[0] = ("StackedRNNCells", {"cells": [_cell(rng) for _ in range(rng.randint(1, 2))]})
    return cells if r < 0.75 else ("StackedRNNCells", {"cells": cells})


def _rnn_input(rng, none=0.12):
    rank = rng.choice([3] * 14 + [2, 4])
    x = (rng.choice([None] * 6 + [2]), _dim(rng, 0.3, 1, 6),
         *(_dim(rng, none, 1, 6) for _ in range(rank - 2)))
    return x


def gen_rnn(rng):
    kw = {"cell": _cells(rng)}
    for flag, p in (("return_sequences", 0.5), ("return_state", 0.5), ("go_backwards", 0.2)):
        if rng.random() < p:
            kw[flag] = True
    return "RNN", kw, _rnn_input(rng)


def gen_bidirectional(rng):
    kind = rng.choice(["LSTM", "GRU", "SimpleRNN", "RNN", "RNN", "ConvLSTM1D", "ConvLSTM2D"])
    if kind.startswith("ConvLSTM"):
        _, inner, x = gen_conv_lstm(rng)
        n = int(kind[8])
        if len(x) != n + 3:  # keep the inner class, draw an input of its rank (mostly)
            while True:
                layer, inner, x = gen_conv_lstm(rng)
                if layer == kind:
                    break
    elif kind == "RNN":
        _, inner, x = gen_rnn(rng)
    else:
        inner = {"units": rng.choice([0] + [rng.randint(1, 5)] * 20)}
        x = _rnn_input(rng)
    if kind != "RNN" and not kind.startswith("ConvLSTM"):
        for flag, p in (("return_sequences", 0.5), ("return_state", 0.5)):
            if rng.random() < p:
                inner[flag] = True
    if inner.get("go_backwards") and rng.random() < 0.7:
        del inner["go_backwards"]  # Keras refuses it (the backward copy has it): now and then
    if rng.random() < 0.03:
        kind, inner = rng.choice([("Dense", {"units": 3}), ("LSTMCell", {"units": 3})])
    kw = {"layer": (kind, inner)}
    mode = rng.choice(["concat", "concat", "sum", "mul", "ave", None, "default"])
    if mode != "default":
        kw["merge_mode"] = mode
    return BI, kw, x


FAMILIES = {
    "conv_lstm": (gen_conv_lstm, 600),
    "rnn_cell": (gen_rnn, 450),
    "bidirectional_rnn": (gen_bidirectional, 400),
}


def _name(value) -> str:
    """A cell's class; a list of cells (stacked by RNN) as [list]."""
    return "[list]" if isinstance(value, list) else value[0]


def _key(layer, kwargs):
    if layer == "RNN":
        return f"RNN({_name(kwargs['cell'])})"
    if layer == BI:
        inner = kwargs["layer"]
        label = f"RNN({_name(inner[1]['cell'])})" if inner[0] == "RNN" else inner[0]
        return f"{BI}({label})"
    return layer


@pytest.mark.tf
@keras_warnings
@pytest.mark.parametrize("family", list(FAMILIES))
def test_randomized_conformance(keras, conformance, family):
    gen, count = FAMILIES[family]
    mismatches = run_conformance(
        conformance, family, gen, count, f"recurrent:{family}",
        mine=lambda layer, kwargs, x: ours(layer, (), kwargs, x),
        real=lambda layer, kwargs, x: theirs(keras, layer, (), kwargs, x), agree=agree, key=_key)
    assert not mismatches, "\n".join(mismatches[:30])
