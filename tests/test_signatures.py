"""The layer-signature table, row by row, and the same rows against real Keras.

An expected value is an output shape, a list of shapes (several outputs), or the code the
engine reports instead: KS101 (rank, checked before the function), KS103 (a `defined` axis
is None, also checked before), or the code of the ShapeError the function raises; MISSING
for a required argument not given (Keras raises TypeError; the engine decides what to say).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kerasshape.shapes import UNK, ShapeError, fmt, is_int
from kerasshape.signatures import FUNCTIONS, MISSING, SOURCES, TABLE

from .conformance_lib import REJECTED, run_conformance

TD = "TimeDistributed"
DENSE3 = ("Dense", {"units": 3})
CONV3 = ("Conv2D", {"filters": 3, "kernel_size": 3})

CASES = [
    # layer               kwargs                                        input                       output
    ("Dense",             {"units": 8},                                 (None, 32),                 (None, 8)),
    ("Dense",             {"units": 8},                                 (None, 5, 32),              (None, 5, 8)),
    ("Dense",             {"units": 8},                                 (None, 2, 3, 4),            (None, 2, 3, 8)),
    ("Dense",             {"units": 8},                                 (4, 32),                    (4, 8)),
    ("Dense",             {"units": 8},                                 (None, None, 32),           (None, None, 8)),
    ("Dense",             {"units": 3},                                 (None, "n_features"),       (None, 3)),
    ("Dense",             {"units": 8},                                 (None, 32, None),           "KS103"),
    ("Dense",             {"units": 8},                                 (None,),                    "KS101"),
    ("Dense",             {"units": 0},                                 (None, 3),                  "KS203"),

    ("Embedding",         {"input_dim": 100, "output_dim": 8},          (None, 5),                  (None, 5, 8)),
    ("Embedding",         {"input_dim": 100, "output_dim": 8},          (None, None),               (None, None, 8)),
    ("Embedding",         {"input_dim": 100, "output_dim": 8},          (None, 5, 3),               (None, 5, 3, 8)),
    ("Embedding",         {"input_dim": 100, "output_dim": 8},          (None,),                    (None, 8)),
    ("Embedding",         {"input_dim": 100, "output_dim": 8},          (32, 10),                   (32, 10, 8)),
    ("Embedding",         {"input_dim": 100, "output_dim": 8, "input_length": 5}, (None, 5),        (None, 5, 8)),
    ("Embedding",         {"input_dim": 100, "output_dim": 0},          (None, 5),                  "KS203"),
    ("Embedding",         {"input_dim": 0, "output_dim": 8},            (None, 5),                  "KS203"),

    ("BatchNormalization", {},                                          (None, 10),                 (None, 10)),
    ("BatchNormalization", {},                                          (None, 8, 8, 3),            (None, 8, 8, 3)),
    ("BatchNormalization", {"axis": 1},                                 (None, 3, None, None),      (None, 3, None, None)),
    ("BatchNormalization", {},                                          (None, 4, None),            "KS103"),
    ("BatchNormalization", {"axis": 1},                                 (None, None, 3),            "KS103"),
    ("BatchNormalization", {},                                          (None,),                    "KS103"),
    ("BatchNormalization", {"center": False, "scale": False},           (None, None),               "KS103"),
    ("BatchNormalization", {"axis": 3},                                 (None, 5, 4),               "KS203"),
    ("BatchNormalization", {"axis": -4},                                (None, 5, 4),               "KS203"),
    ("BatchNormalization", {"axis": [1, 2]},                            (None, 4, 3),               "KS203"),

    ("LayerNormalization", {},                                          (None, 10),                 (None, 10)),
    ("LayerNormalization", {},                                          (None, 5, 10),              (None, 5, 10)),
    ("LayerNormalization", {"axis": [1, 2]},                            (None, 4, 3),               (None, 4, 3)),
    ("LayerNormalization", {"axis": (-2, -1)},                          (8, 4, 3),                  (8, 4, 3)),
    ("LayerNormalization", {"axis": 1},                                 (None, 4, None),            (None, 4, None)),
    ("LayerNormalization", {"center": False, "scale": False},           (None, None),               (None, None)),
    ("LayerNormalization", {},                                          (None, 4, None),            "KS103"),
    ("LayerNormalization", {"axis": [1, 2]},                            (None, None, 3),            "KS103"),
    ("LayerNormalization", {"axis": 3},                                 (None, 4, 3),               "KS203"),

    ("PReLU",             {},                                           (None, 10),                 (None, 10)),
    ("PReLU",             {},                                           (None, 5, 3),               (None, 5, 3)),
    ("PReLU",             {},                                           (None,),                    (None,)),
    ("PReLU",             {"shared_axes": [1]},                         (None, None, 3),            (None, None, 3)),
    ("PReLU",             {"shared_axes": [1, 2]},                      (None, None, None),         (None, None, None)),
    ("PReLU",             {"shared_axes": -1},                          (None, None, 3),            (None, None, 3)),
    ("PReLU",             {},                                           (None, None, 3),            "KS103"),
    ("PReLU",             {},                                           (None, 4, None),            "KS103"),
    ("PReLU",             {"shared_axes": [3]},                         (None, 4, 3),               "KS203"),

    ("Dropout",           {"rate": 0.5},                                (None, 5, 3),               (None, 5, 3)),
    ("Dropout",           {"rate": 0.5},                                (None,),                    (None,)),
    ("Activation",        {"activation": "relu"},                       (None, None, 10),           (None, None, 10)),
    ("ReLU",              {},                                           (4, 10),                    (4, 10)),
    ("LeakyReLU",         {},                                           (None, 10),                 (None, 10)),
    ("ELU",               {},                                           (None, 2, 2),               (None, 2, 2)),
    ("Softmax",           {},                                           (None, 4),                  (None, 4)),
    ("GaussianNoise",     {"stddev": 0.1},                              (None, 7),                  (None, 7)),
    ("Identity",          {},                                           (None, 3, None),            (None, 3, None)),
    ("GaussianDropout",   {"rate": 0.1},                                (None, 7),                  (None, 7)),
    ("AlphaDropout",      {"rate": 0.1},                                (None, 2, 7),               (None, 2, 7)),
    ("ActivityRegularization", {"l1": 0.01},                            (None, 7),                  (None, 7)),

    ("LSTM",              {"units": 8},                                 (None, 5, 4),               (None, 8)),
    ("LSTM",              {"units": 8, "return_sequences": True},       (None, 5, 4),               (None, 5, 8)),
    ("LSTM",              {"units": 8, "return_state": True},           (None, 5, 4),               [(None, 8)] * 3),
    ("LSTM",              {"units": 8, "return_sequences": True, "return_state": True},
                                                                        (None, 5, 4),               [(None, 5, 8), (None, 8), (None, 8)]),
    ("LSTM",              {"units": 8},                                 (None, None, 4),            (None, 8)),
    ("LSTM",              {"units": 8, "return_sequences": True},       (16, None, 4),              (16, None, 8)),
    ("LSTM",              {"units": 8},                                 (None, 5),                  "KS101"),
    ("LSTM",              {"units": 8},                                 (None, 5, 3, 2),            "KS101"),
    ("LSTM",              {"units": 8},                                 (None, 5, None),            "KS103"),
    ("LSTM",              {"units": 0},                                 (None, 5, 4),               "KS203"),

    ("GRU",               {"units": 4},                                 (None, 5, 3),               (None, 4)),
    ("GRU",               {"units": 4, "return_sequences": True},       (None, 5, 3),               (None, 5, 4)),
    ("GRU",               {"units": 4, "return_state": True},           (None, 5, 3),               [(None, 4), (None, 4)]),
    ("GRU",               {"units": 4, "return_sequences": True, "return_state": True},
                                                                        (2, None, 3),               [(2, None, 4), (2, 4)]),
    ("GRU",               {"units": 4, "go_backwards": True},           (None, 5, 3),               (None, 4)),
    ("GRU",               {"units": 4},                                 (None, 3),                  "KS101"),
    ("GRU",               {"units": 4},                                 (None, 5, None),            "KS103"),
    ("GRU",               {"units": 0},                                 (None, 5, 3),               "KS203"),

    ("SimpleRNN",         {"units": 6},                                 (None, 5, 3),               (None, 6)),
    ("SimpleRNN",         {"units": 6, "return_sequences": True},       (None, 5, 3),               (None, 5, 6)),
    ("SimpleRNN",         {"units": 6, "return_state": True},           (None, 5, 3),               [(None, 6), (None, 6)]),
    ("SimpleRNN",         {"units": 6, "return_sequences": True, "return_state": True},
                                                                        (None, 5, 3),               [(None, 5, 6), (None, 6)]),
    ("SimpleRNN",         {"units": 6},                                 (None, 0, 3),               (None, 6)),
    ("SimpleRNN",         {"units": 6},                                 (None, 3),                  "KS101"),
    ("SimpleRNN",         {"units": 6},                                 (None, 5, None),            "KS103"),
    ("SimpleRNN",         {"units": -1},                                (None, 5, 3),               "KS203"),

    (TD,                  {"layer": DENSE3},                            (None, 5, 4),               (None, 5, 3)),
    (TD,                  {"layer": DENSE3},                            (None, None, 4),            (None, None, 3)),
    (TD,                  {"layer": DENSE3},                            (8, 5, 4),                  (8, 5, 3)),
    (TD,                  {"layer": DENSE3},                            (None, 5, 2, 4),            (None, 5, 2, 3)),
    (TD,                  {"layer": DENSE3},                            (None, 5),                  "KS101"),
    (TD,                  {"layer": DENSE3},                            (None, 5, None),            "KS103"),
    (TD,                  {"layer": CONV3},                             (None, 5, 8, 8, 2),         (None, 5, 6, 6, 3)),
    (TD,                  {"layer": ("Conv2D", {"filters": 3, "kernel_size": 3, "strides": 2, "padding": "same"})},
                                                                        (None, 5, 8, 8, 2),         (None, 5, 4, 4, 3)),
    (TD,                  {"layer": ("Conv2D", {"filters": 3, "kernel_size": 3, "data_format": "channels_first"})},
                                                                        (None, 5, 2, 8, 8),         (None, 5, 3, 6, 6)),
    (TD,                  {"layer": CONV3},                             (None, 5, 8, 2),            "KS101"),
    (TD,                  {"layer": CONV3},                             (None, 5, 8, 8, 8, 2),      "KS101"),
    (TD,                  {"layer": CONV3},                             (None, 5, 2, 8, 2),         "KS202"),
    (TD,                  {"layer": CONV3},                             (None, 5, 8, 8, None),      "KS103"),
    (TD,                  {"layer": ("Flatten", {})},                   (None, 5, 8, 2),            (None, 5, 16)),
    (TD,                  {"layer": ("LSTM", {"units": 3})},            (None, 5, 8, 2),            (None, 5, 3)),
    (TD,                  {"layer": ("LSTM", {"units": 3})},            (None, 5, 8),               "KS101"),

    ("Flatten",           {},                                           (None, 4, 5),               (None, 20)),
    ("Flatten",           {},                                           (None, 2, 3, 4),            (None, 24)),
    ("Flatten",           {},                                           (None, 10),                 (None, 10)),
    ("Flatten",           {},                                           (None,),                    (None, 1)),
    ("Flatten",           {},                                           (None, None, 3),            (None, None)),
    ("Flatten",           {},                                           (8, 3, 3),                  (8, 9)),
    ("Flatten",           {"data_format": "channels_first"},            (None, 3, 4, 5),            (None, 60)),
    ("Flatten",           {},                                           (None, "n", 4),             (None, "4 * n")),
    ("Flatten",           {},                                           (),                         "KS101"),

    ("Reshape",           {"target_shape": (3, 4)},                     (None, 12),                 (None, 3, 4)),
    ("Reshape",           {"target_shape": [3, 4]},                     (None, 12),                 (None, 3, 4)),
    ("Reshape",           {"target_shape": (-1, 2)},                    (None, 3, 4),               (None, 6, 2)),
    ("Reshape",           {"target_shape": (-1,)},                      (None, 2, 3, 4),            (None, 24)),
    ("Reshape",           {"target_shape": (-1, 2)},                    (None, None, 4),            (None, None, 2)),
    ("Reshape",           {"target_shape": (4, 4)},                     (None, 3, None),            (None, 4, 4)),
    ("Reshape",           {"target_shape": (None, 6)},                  (None, 3, 4),               (None, None, 6)),
    ("Reshape",           {"target_shape": (None, -1)},                 (None, 3, 4),               (None, None, None)),
    ("Reshape",           {"target_shape": (6,)},                       (4, 2, 3),                  (4, 6)),
    ("Reshape",           {"target_shape": ()},                         (None, 1),                  (None,)),
    ("Reshape",           {"target_shape": (-1, 2)},                    (None, "t", 4),             (None, "2 * t", 2)),
    ("Reshape",           {"target_shape": (-1, 2)},                    (None, "t", 3),             (None, UNK, 2)),
    ("Reshape",           {"target_shape": (5, 2)},                     (None, 3, 4),               "KS201"),
    ("Reshape",           {"target_shape": (-1, 5)},                    (None, 3, 4),               "KS201"),
    ("Reshape",           {"target_shape": (0, -1)},                    (None, 3, 0),               "KS201"),
    ("Reshape",           {"target_shape": (-1, -1)},                   (None, 12),                 "KS203"),
    ("Reshape",           {"target_shape": (-2, 6)},                    (None, 12),                 "KS203"),
    ("Reshape",           {"target_shape": 12},                         (None, 12),                 "KS203"),

    ("RepeatVector",      {"n": 3},                                     (None, 32),                 (None, 3, 32)),
    ("RepeatVector",      {"n": 3},                                     (None, None),               (None, 3, None)),
    ("RepeatVector",      {"n": 3},                                     (8, 4),                     (8, 3, 4)),
    ("RepeatVector",      {"n": 1},                                     (None, 4),                  (None, 1, 4)),
    ("RepeatVector",      {"n": 3},                                     (None, 3, 4),               "KS101"),
    ("RepeatVector",      {"n": 3},                                     (None,),                    "KS101"),
    ("RepeatVector",      {"n": 0},                                     (None, 4),                  "KS203"),
    ("RepeatVector",      {"n": -2},                                    (None, 4),                  "KS203"),

    ("Concatenate",       {},                                           [(None, 5, 3), (None, 5, 4)],          (None, 5, 7)),
    ("Concatenate",       {"axis": 1},                                  [(None, 5, 3), (None, 2, 3)],          (None, 7, 3)),
    ("Concatenate",       {},                                           [(None, None, 3), (None, 5, 4)],       (None, None, 7)),
    ("Concatenate",       {},                                           [(None, 5, 3), (None, None, 4)],       (None, 5, 7)),
    ("Concatenate",       {},                                           [(None, 5, None), (None, 5, 4)],       (None, 5, None)),
    ("Concatenate",       {"axis": 1},                                  [(None, 1, 3), (None, 5, 3), (None, None, 3)], (None, None, 3)),
    ("Concatenate",       {"axis": 0},                                  [(2, 5, 3), (4, 5, 3)],                (6, 5, 3)),
    ("Concatenate",       {},                                           [(None, 5, 3)],                        (None, 5, 3)),
    ("Concatenate",       {"axis": 1},                                  [(None, "t", 3), (None, 4, 3)],        (None, "t + 4", 3)),
    ("Concatenate",       {"axis": 1},                                  [(None, 5, 3), (None, 2, 4)],          "KS301"),
    ("Concatenate",       {},                                           [(None, 1, 3), (None, 5, 3)],          "KS301"),
    ("Concatenate",       {},                                           [(2, 5, 3), (4, 5, 3)],                "KS301"),
    ("Concatenate",       {},                                           [(None, 5, 3), (None, 3)],             "KS301"),
    ("Concatenate",       {"axis": 3},                                  [(None, 5, 3), (None, 5, 3)],          "KS203"),
    ("Concatenate",       {"axis": -4},                                 [(None, 5, 3), (None, 5, 3)],          "KS203"),
    ("Concatenate",       {"axis": 3},                                  [(None, 5, 3)],                        (None, 5, 3)),
    ("Concatenate",       {"axis": -4},                                 [(None, 5, 3)],                        "KS203"),
    ("Concatenate",       {},                                           [],                                    "KS301"),

    ("Add",               {},                                           [(None, 5, 3), (None, 5, 3)],          (None, 5, 3)),
    ("Add",               {},                                           [(None, 5, 3), (None, 1, 3)],          (None, 5, 3)),
    ("Add",               {},                                           [(None, 5, 3), (None, 3)],             (None, 5, 3)),
    ("Add",               {},                                           [(None, 3), (None, 5, 3)],             (None, 5, 3)),
    ("Add",               {},                                           [(None, None, 3), (None, 5, 3)],       (None, None, 3)),
    ("Add",               {},                                           [(2, 5, 3), (None, 5, 3)],             (2, 5, 3)),
    ("Add",               {},                                           [(None, 5, 3)],                        (None, 5, 3)),
    ("Add",               {},                                           [(None, 5, 3)] * 3,                    (None, 5, 3)),
    ("Add",               {},                                           [(None, 5, 3), (None, 5, 4)],          "KS301"),
    ("Add",               {},                                           [(2, 5, 3), (4, 5, 3)],                "KS301"),
    ("Add",               {},                                           [(1, 5, 3), (4, 5, 3)],                "KS301"),
    ("Add",               {},                                           [],                                    "KS301"),

    ("Subtract",          {},                                           [(None, 5, 3), (None, 5, 3)],          (None, 5, 3)),
    ("Subtract",          {},                                           [(None, 5, 1), (None, 5, 4)],          (None, 5, 4)),
    ("Subtract",          {},                                           [(None, 4), (None, 2, 4)],             (None, 2, 4)),
    ("Subtract",          {},                                           [(None, None), (None, 4)],             (None, None)),
    ("Subtract",          {},                                           [(3, 4), (3, 4)],                      (3, 4)),
    ("Subtract",          {},                                           [(None, 5, 3)] * 3,                    "KS301"),
    ("Subtract",          {},                                           [(None, 5, 3)],                        "KS301"),
    ("Subtract",          {},                                           [(None, 5, 3), (None, 2, 3)],          "KS301"),

    ("Multiply",          {},                                           [(None, 5, 3), (None, 5, 1), (None, 1, 3)], (None, 5, 3)),
    ("Multiply",          {},                                           [(None, 4), (None, 4)],                (None, 4)),
    ("Multiply",          {},                                           [(None, 1), (None, 4)],                (None, 4)),
    ("Multiply",          {},                                           [(None, 2, 1), (None, 1, 4)],          (None, 2, 4)),
    ("Multiply",          {},                                           [(None, 2, 4), (None, 3, 4)],          "KS301"),
    ("Multiply",          {},                                           [(5, 4), (6, 4)],                      "KS301"),
    ("Multiply",          {},                                           [(None, None, 4), (None, 3, 4)],       (None, None, 4)),
    ("Multiply",          {},                                           [(2, 4), (None, 4), (None, 1)],        (2, 4)),

    ("Average",           {},                                           [(None,), (None,)],                    (None,)),
    ("Average",           {},                                           [(None, 8), (None, 8)],                (None, 8)),
    ("Average",           {},                                           [(None, 8), (None, 7)],                "KS301"),
    ("Average",           {},                                           [(None, 5, 3), (None, 1, 3), (None, 5, 1)], (None, 5, 3)),
    ("Average",           {},                                           [(None, 2, 3), (None, 3)],             (None, 2, 3)),
    ("Average",           {},                                           [(None, None, 3), (None, 4, 1)],       (None, None, 3)),
    ("Average",           {},                                           [(None, 3)],                           (None, 3)),
    ("Average",           {},                                           [(2, 3), (3, 3)],                      "KS301"),
    ("Maximum",           {},                                           [(None,), (None, 4)],                  (None, 4)),
    ("Maximum",           {},                                           [(None, 3, 4), (None, 3, 4)],          (None, 3, 4)),
    ("Maximum",           {},                                           [(None, 3, 4), (None, 4, 4)],          "KS301"),
    ("Maximum",           {},                                           [(None, 1, 4), (None, 3, 1)],          (None, 3, 4)),
    ("Maximum",           {},                                           [(4, 2), (None, 2)],                   (4, 2)),
    ("Maximum",           {},                                           [(None, 4), (None, 4, 4, 4)],          (None, 4, 4, 4)),
    ("Maximum",           {},                                           [(None, 2), (None, 2), (None, 3)],     "KS301"),
    ("Maximum",           {},                                           [],                                    "KS301"),
    ("Minimum",           {},                                           [(None, 1), (None, 1, 4)],             (None, 1, 4)),
    ("Minimum",           {},                                           [(None, 2), (None, None)],             (None, None)),
    ("Minimum",           {},                                           [(None, 2), (None, 3)],                "KS301"),
    ("Minimum",           {},                                           [(None, 5, 3)] * 3,                    (None, 5, 3)),
    ("Minimum",           {},                                           [(None, 2, None), (None, 2, 7)],       (None, 2, None)),
    ("Minimum",           {},                                           [(None, 6), (None, 1)],                (None, 6)),
    ("Minimum",           {},                                           [(None, 6, 1), (None, 6, 2)],          (None, 6, 2)),
    ("Minimum",           {},                                           [(1, 3), (2, 3)],                      "KS301"),

    ("Conv2D",            {"filters": 4, "kernel_size": 3},             (None, 28, 28, 1),          (None, 26, 26, 4)),
    ("Conv2D",            {"filters": 4, "kernel_size": 3, "padding": "same"}, (None, 28, 28, 1),   (None, 28, 28, 4)),
    ("Conv2D",            {"filters": 4, "kernel_size": 3, "padding": "SAME"}, (None, 28, 28, 1),   (None, 28, 28, 4)),
    ("Conv2D",            {"filters": 4, "kernel_size": 3, "strides": 2}, (None, 28, 28, 1),        (None, 13, 13, 4)),
    ("Conv2D",            {"filters": 4, "kernel_size": 3, "strides": 2, "padding": "same"}, (None, 7, 8, 1), (None, 4, 4, 4)),
    ("Conv2D",            {"filters": 4, "kernel_size": 3, "dilation_rate": 2}, (None, 10, 10, 1),  (None, 6, 6, 4)),
    ("Conv2D",            {"filters": 4, "kernel_size": (3, 5), "strides": (1, 2)}, (None, 10, 10, 1), (None, 8, 3, 4)),
    ("Conv2D",            {"filters": 4, "kernel_size": 3, "data_format": "channels_first"}, (None, 3, 10, 12), (None, 4, 8, 10)),
    ("Conv2D",            {"filters": 4, "kernel_size": 3, "groups": 2}, (None, 9, 9, 6),          (None, 7, 7, 4)),
    ("Conv2D",            {"filters": 4, "kernel_size": 3},             (None, None, 10, 3),        (None, None, 8, 4)),
    ("Conv2D",            {"filters": 4, "kernel_size": 3, "padding": "same"}, (None, 0, 5, 2),     (None, 0, 5, 4)),
    ("Conv2D",            {"filters": 4, "kernel_size": 3},             (None, 28, 28, None),       "KS103"),
    ("Conv2D",            {"filters": 4, "kernel_size": 3, "data_format": "channels_first"}, (None, None, 10, 10), "KS103"),
    ("Conv2D",            {"filters": 4, "kernel_size": 3},             (None, 5, 10, 10, 3),       "KS101"),
    ("Conv2D",            {"filters": 4, "kernel_size": 3},             (None, 10, 3),              "KS101"),
    ("Conv2D",            {"filters": 4, "kernel_size": 3},             (None, 2, 10, 3),           "KS202"),
    ("Conv2D",            {"filters": 4, "kernel_size": 3, "dilation_rate": 3}, (None, 6, 10, 3),   "KS202"),
    ("Conv2D",            {"filters": 4, "kernel_size": 3, "strides": 2, "dilation_rate": 2}, (None, 20, 10, 3), "KS203"),
    ("Conv2D",            {"filters": 4, "kernel_size": 3, "groups": 2}, (None, 9, 9, 3),          "KS203"),
    ("Conv2D",            {"filters": 3, "kernel_size": 3, "groups": 2}, (None, 9, 9, 4),          "KS203"),
    ("Conv2D",            {"filters": 4, "kernel_size": 3, "padding": "causal"}, (None, 9, 9, 4),   "KS203"),
    ("Conv2D",            {"filters": 0, "kernel_size": 3},             (None, 9, 9, 4),            "KS203"),
    ("Conv2D",            {"filters": 4, "kernel_size": (3, 3, 3)},     (None, 9, 9, 4),            "KS203"),
    ("Convolution2D",     {"filters": 4, "kernel_size": 5},             (None, 28, 28, 1),          (None, 24, 24, 4)),

    ("Conv2DTranspose",   {"filters": 2, "kernel_size": 3},             (None, 7, 7, 3),            (None, 9, 9, 2)),
    ("Conv2DTranspose",   {"filters": 2, "kernel_size": 3, "strides": 2}, (None, 7, 7, 3),          (None, 15, 15, 2)),
    ("Conv2DTranspose",   {"filters": 2, "kernel_size": 3, "strides": 2, "padding": "same"}, (None, 7, 7, 3), (None, 14, 14, 2)),
    ("Conv2DTranspose",   {"filters": 2, "kernel_size": 3, "strides": 2, "padding": "same", "output_padding": 1},
                                                                        (None, 7, 7, 3),            (None, 14, 14, 2)),
    ("Conv2DTranspose",   {"filters": 2, "kernel_size": 3, "strides": 2, "output_padding": 1}, (None, 7, 7, 3), (None, 16, 16, 2)),
    ("Conv2DTranspose",   {"filters": 2, "kernel_size": 4, "strides": 2, "padding": "same", "output_padding": 0},
                                                                        (None, 7, 7, 3),            (None, 12, 12, 2)),
    ("Conv2DTranspose",   {"filters": 2, "kernel_size": 1, "strides": 3}, (None, 7, 7, 3),          (None, 21, 21, 2)),
    ("Conv2DTranspose",   {"filters": 2, "kernel_size": 3, "dilation_rate": 2}, (None, 7, 7, 3),    (None, 11, 11, 2)),
    ("Conv2DTranspose",   {"filters": 2, "kernel_size": 3, "strides": (2, 3), "output_padding": (1, 2)},
                                                                        (None, 5, 5, 3),            (None, 12, 17, 2)),
    ("Conv2DTranspose",   {"filters": 2, "kernel_size": 3, "strides": 2, "data_format": "channels_first"},
                                                                        (None, 3, 7, 5),            (None, 2, 15, 11)),
    ("Conv2DTranspose",   {"filters": 2, "kernel_size": 3, "strides": 2}, (None, None, 7, 3),       (None, None, 15, 2)),
    ("Conv2DTranspose",   {"filters": 2, "kernel_size": 3},             (None, 7, 7, None),         "KS103"),
    ("Conv2DTranspose",   {"filters": 2, "kernel_size": 3},             (None, 7, 7, 7, 3),         "KS101"),
    ("Conv2DTranspose",   {"filters": 2, "kernel_size": 3, "strides": 2, "output_padding": 2}, (None, 7, 7, 3), "KS203"),
    ("Conv2DTranspose",   {"filters": 2, "kernel_size": 3, "strides": 2, "dilation_rate": 2}, (None, 7, 7, 3), "KS203"),
    ("Conv2DTranspose",   {"filters": 2, "kernel_size": 3, "padding": "full"}, (None, 7, 7, 3),     "KS203"),
    ("Convolution2DTranspose", {"filters": 2, "kernel_size": 2, "strides": 2}, (None, 7, 7, 3),     (None, 14, 14, 2)),

    ("MaxPooling2D",      {},                                           (None, 28, 28, 3),          (None, 14, 14, 3)),
    ("MaxPooling2D",      {},                                           (None, 7, 7, 3),            (None, 3, 3, 3)),
    ("MaxPooling2D",      {"padding": "same"},                          (None, 7, 7, 3),            (None, 4, 4, 3)),
    ("MaxPooling2D",      {"pool_size": 3, "strides": 2, "padding": "same"}, (None, 7, 8, 3),      (None, 4, 4, 3)),
    ("MaxPooling2D",      {"pool_size": 2, "strides": 1},               (None, 4, 4, 1),            (None, 3, 3, 1)),
    ("MaxPooling2D",      {"pool_size": 2, "strides": 3},               (None, 9, 9, 2),            (None, 3, 3, 2)),
    ("MaxPooling2D",      {"pool_size": (2, 3)},                        (None, 6, 9, 1),            (None, 3, 3, 1)),
    ("MaxPooling2D",      {"data_format": "channels_first"},            (None, 3, 8, 6),            (None, 3, 4, 3)),
    ("MaxPooling2D",      {},                                           (None, 8, 8, None),         (None, 4, 4, None)),
    ("MaxPooling2D",      {},                                           (None, None, 8, 3),         (None, None, 4, 3)),
    ("MaxPooling2D",      {"pool_size": 3},                             (None, 2, 8, 3),            "KS202"),
    ("MaxPooling2D",      {},                                           (None, 4, 4, 4, 3),         "KS101"),
    ("MaxPooling2D",      {},                                           (None, 4, 3),               "KS101"),
    ("MaxPooling2D",      {"padding": "SAME"},                          (None, 5, 5, 3),            "KS203"),
    ("MaxPool2D",         {"pool_size": 4},                             (None, 16, 16, 3),          (None, 4, 4, 3)),

    ("AveragePooling2D",  {"pool_size": 2},                             (None, 28, 28, 3),          (None, 14, 14, 3)),
    ("AveragePooling2D",  {"pool_size": 3, "strides": 1},               (None, 5, 5, 3),            (None, 3, 3, 3)),
    ("AveragePooling2D",  {"pool_size": 3, "padding": "same"},          (None, 1, 9, 2),            (None, 1, 3, 2)),
    ("AveragePooling2D",  {"pool_size": 2, "strides": (1, 2)},          (None, 5, 5, 3),            (None, 4, 2, 3)),
    ("AveragePooling2D",  {"pool_size": 2, "data_format": "channels_first"}, (None, 3, None, 6),    (None, 3, None, 3)),
    ("AveragePooling2D",  {"pool_size": 3},                             (None, 2, 9, 2),            "KS202"),
    ("AveragePooling2D",  {"pool_size": 0},                             (None, 5, 5, 3),            "KS203"),
    ("AveragePooling2D",  {"pool_size": 2, "padding": "Valid"},         (None, 5, 5, 3),            "KS203"),
    ("AveragePooling2D",  {"pool_size": 2},                             (None, 5, 5),               "KS101"),
    ("AveragePooling2D",  {},                                           (None, 4, 4, 3),            MISSING),
    ("AvgPool2D",         {"pool_size": 2},                             (2, 6, 6, 3),               (2, 3, 3, 3)),

    ("UpSampling2D",      {},                                           (None, 8, 8, 3),            (None, 16, 16, 3)),
    ("UpSampling2D",      {"size": (2, 3)},                             (None, 8, 8, 3),            (None, 16, 24, 3)),
    ("UpSampling2D",      {"size": (2, 3), "data_format": "channels_first"}, (None, 3, 8, 6),      (None, 3, 16, 18)),
    ("UpSampling2D",      {"size": (2, 3)},                             (None, None, 8, 6),         (None, None, 24, 6)),
    ("UpSampling2D",      {"size": 2, "interpolation": "bilinear"},     (None, 4, 4, None),         (None, 8, 8, None)),
    ("UpSampling2D",      {},                                           (None, 2, 2, 8, 6),         "KS101"),
    ("UpSampling2D",      {},                                           (None, 8, 6),               "KS101"),
    ("UpSampling2D",      {"size": 0},                                  (None, 8, 8, 3),            "KS203"),
    ("UpSampling2D",      {"size": (2, 2, 2)},                          (None, 8, 8, 3),            "KS203"),

    # An argument kerasshape could not evaluate arrives as UNK: unknown sizes, never an error.
    ("Dense",             {"units": UNK},                               (None, 4),                  (None, UNK)),
    ("LSTM",              {"units": UNK, "return_state": True},         (None, 5, 4),               [(None, UNK)] * 3),
    ("RepeatVector",      {"n": UNK},                                   (None, 4),                  (None, UNK, 4)),
    ("Conv2D",            {"filters": 4, "kernel_size": UNK},           (None, 28, 28, 1),          (None, UNK, UNK, 4)),
    ("Conv2D",            {"filters": UNK, "kernel_size": (UNK, 1)},    (None, 28, 28, 1),          (None, UNK, 28, UNK)),
    ("Conv2DTranspose",   {"filters": 2, "kernel_size": 3, "strides": UNK}, (None, 7, 7, 3),        (None, UNK, UNK, 2)),
    ("MaxPooling2D",      {"pool_size": UNK},                           (None, 8, 8, 3),            (None, UNK, UNK, 3)),
    ("UpSampling2D",      {"size": (2, UNK)},                           (None, 8, 8, 3),            (None, 16, UNK, 3)),
    ("Reshape",           {"target_shape": (UNK, 4)},                   (None, 12),                 (None, UNK, 4)),
    ("Reshape",           {"target_shape": (UNK, -1)},                  (None, 12),                 (None, UNK, UNK)),
]

# Positional constructor arguments bind like Keras's: (layer, args, input, output)
POSITIONAL = [
    ("Dense",             (8,),                                         (None, 4),                  (None, 8)),
    ("Embedding",         (100, 8),                                     (None, 5),                  (None, 5, 8)),
    ("LSTM",              (8, "tanh"),                                  (None, 5, 4),               (None, 8)),
    ("Conv2D",            (4, 3),                                       (None, 28, 28, 1),          (None, 26, 26, 4)),
    ("Conv2D",            (4, 3, 2, "same"),                            (None, 28, 28, 1),          (None, 14, 14, 4)),
    ("Conv2DTranspose",   (2, 3, 2, "valid", 1),                        (None, 7, 7, 3),            (None, 16, 16, 2)),
    ("MaxPooling2D",      (3, 2, "same"),                               (None, 7, 8, 3),            (None, 4, 4, 3)),
    ("UpSampling2D",      ((2, 3),),                                    (None, 4, 4, 3),            (None, 8, 12, 3)),
    ("Reshape",           ((3, 4),),                                    (None, 12),                 (None, 3, 4)),
    ("RepeatVector",      (3,),                                         (None, 4),                  (None, 3, 4)),
    ("Concatenate",       (1,),                                         [(None, 5, 3), (None, 2, 3)], (None, 7, 3)),
    ("BatchNormalization", (1,),                                        (None, 3, None),            (None, 3, None)),
    ("LayerNormalization", (1,),                                        (None, None, 3),            "KS103"),
    (TD,                  (DENSE3,),                                    (None, 5, 4),               (None, 5, 3)),
]

# keras.Input(**kwargs) -> shape, or KS204
INPUTS = [
    ({"shape": (32,)},                                  (None, 32)),
    ({"shape": (20, 5)},                                (None, 20, 5)),
    ({"shape": [3, 4]},                                 (None, 3, 4)),
    ({"shape": ()},                                     (None,)),
    ({"shape": (None,)},                                (None, None)),
    ({"shape": (32,), "batch_size": 4},                 (4, 32)),
    ({"batch_shape": (None, 3)},                        (None, 3)),
    ({"batch_shape": [8, 3]},                           (8, 3)),
    ({"shape": 32},                                     "KS204"),
    ({},                                                "KS204"),
    ({"shape": (3,), "batch_shape": (None, 3)},         "KS204"),
]


# ------------------------------------------------------------------- the harness

def apply(layer: str, pos, kwargs: dict, x):
    """What the engine does with one layer call; raises ShapeError with the code it reports."""
    sig = TABLE[layer]
    args = sig.bind(list(pos), kwargs)
    if MISSING in args.values():
        raise ShapeError(MISSING, f"{layer} misses a required argument")
    if sig.wrapper:
        inner, inner_kwargs = args[sig.wrapper]
        args[sig.wrapper] = lambda shape: apply(inner, (), inner_kwargs, shape)
    for shape in (x if sig.many else [x]):
        if not sig.rank_ok(len(shape)):
            raise ShapeError("KS101", f"{layer} expects {sig.expects()}, got {fmt(shape)}")
        if sig.undefined(shape, args):
            raise ShapeError("KS103", f"{layer} needs axes {sig.undefined(shape, args)} defined")
    return sig.fn(x, **args)


def ours(layer: str, pos, kwargs: dict, x):
    """Our output shape(s), or the diagnostic code (MISSING itself for a missing argument)."""
    try:
        return apply(layer, pos, kwargs, x)
    except ShapeError as err:
        return err.code


def _rows(table):
    return [pytest.param(*row, id=f"{i}-{row[0]}") for i, row in enumerate(table)]


@pytest.mark.parametrize("layer, kwargs, x, expected", _rows(CASES))
def test_output_shape(layer, kwargs, x, expected):
    got = ours(layer, (), kwargs, x)
    assert got == expected, f"{layer}({kwargs}) on {x}: {got} != {expected}"


@pytest.mark.parametrize("layer, args, x, expected", _rows(POSITIONAL))
def test_positional_arguments(layer, args, x, expected):
    assert ours(layer, args, {}, x) == expected


@pytest.mark.parametrize("kwargs, expected", [pytest.param(*r, id=str(i)) for i, r in enumerate(INPUTS)])
def test_input_source(kwargs, expected):
    try:
        got = SOURCES["Input"](**kwargs)
    except ShapeError as err:
        got = err.code
    assert got == expected


def test_every_layer_has_rows():
    """Every entry of the table has rows, here or in another tests/test_signatures_*.py."""
    import importlib

    covered = {row[0] for row in CASES}
    for path in sorted(Path(__file__).parent.glob("test_signatures_*.py")):
        module = importlib.import_module(f"{__package__}.{path.stem}")
        covered |= {row[0] for row in getattr(module, "CASES", [])}
    assert set(TABLE) - covered == set()


def test_signature_metadata():
    for name, sig in TABLE.items():
        assert sig.doc and "->" in sig.doc, f"{name} has no one-line input -> output docstring"
        assert set(sig.params) <= set(sig.defaults) | set(sig.positional), name
    assert FUNCTIONS["concatenate"] == "Concatenate" and FUNCTIONS["subtract"] == "Subtract"
    conv = TABLE["Conv2D"]
    assert conv.axes(conv.defined, {"data_format": "channels_first"}) == (1,)
    assert conv.axes(conv.defined, {"data_format": "Channels_First"}) == (1,)
    assert conv.axes(conv.defined, {"data_format": None}) == (-1,)
    assert conv.axes(conv.defined, {"data_format": UNK}) == ()   # could be either end
    assert TABLE["Dense"].undefined((None, 4, None), {}) == (-1,)
    assert TABLE["BatchNormalization"].undefined((None, 4), {"axis": 5}) == ()  # fn reports it


# -------------------------------------------------------------- against real Keras

# Keras warns about what it is about to reject (deprecated arguments, strides of 0)
keras_warnings = pytest.mark.filterwarnings("ignore::UserWarning", "ignore::RuntimeWarning")


def _flat(value) -> list:
    if isinstance(value, dict):
        return [v for item in value.values() for v in _flat(item)]
    if isinstance(value, (tuple, list)):
        return [v for item in value for v in _flat(item)]
    return [value]


def keras_layer(keras, spec):
    layer, pos, kwargs = spec
    if layer == TD:
        inner = pos[0] if pos else kwargs["layer"]
        return keras.layers.TimeDistributed(keras_layer(keras, (inner[0], (), inner[1])))
    return getattr(keras.layers, layer)(*pos, **kwargs)


def concrete(shape):
    """Keras cannot take a named size; any size will do for the replay."""
    return tuple(6 if isinstance(d, str) else d for d in shape)


def theirs(keras, layer, pos, kwargs, x):
    """Keras's output shape(s) on symbolic inputs, or REJECTED when it raises."""
    dtype = "int32" if layer == "Embedding" else "float32"
    try:
        obj = keras_layer(keras, (layer, pos, kwargs))
        if TABLE[layer].many:
            out = obj([keras.Input(batch_shape=concrete(s), dtype=dtype) for s in x])
        else:
            out = obj(keras.Input(batch_shape=concrete(x), dtype=dtype))
    except Exception:  # noqa: BLE001 - any exception is Keras refusing the layer
        return REJECTED
    if isinstance(out, (list, tuple)):
        return [tuple(t.shape) for t in out]
    return tuple(out.shape)


def agree(mine, real) -> bool:
    """Same outcome: both reject, or the same shapes where ours is int/None (UNK and names skip)."""
    if isinstance(mine, str) or mine is MISSING:
        return real == REJECTED
    if real == REJECTED or mine is None:
        return mine is None
    if isinstance(mine, list) or isinstance(real, list):
        return (isinstance(mine, list) and isinstance(real, list) and len(mine) == len(real)
                and all(agree(a, b) for a, b in zip(mine, real)))
    return len(mine) == len(real) and all(
        a == b for a, b in zip(mine, real) if a is None or is_int(a))


@pytest.mark.tf
@keras_warnings
@pytest.mark.parametrize("layer, kwargs, x, expected", _rows(CASES))
def test_matches_keras(keras, layer, kwargs, x, expected):
    if UNK in _flat(kwargs):
        pytest.skip("an argument kerasshape cannot evaluate has no value to give Keras")
    real = theirs(keras, layer, (), kwargs, x)
    assert agree(expected, real), f"{layer}({kwargs}) on {x}: Keras gives {real}"


@pytest.mark.tf
@pytest.mark.parametrize("layer, args, x, expected", _rows(POSITIONAL))
def test_positional_matches_keras(keras, layer, args, x, expected):
    real = theirs(keras, layer, args, {}, x)
    assert agree(expected, real), f"{layer}{args} on {x}: Keras gives {real}"


@pytest.mark.tf
def test_input_matches_keras(keras):
    for kwargs, expected in INPUTS:
        try:
            real = tuple(keras.Input(**kwargs).shape)
        except Exception:  # noqa: BLE001
            real = REJECTED
        assert agree(expected, real), f"Input({kwargs}): Keras gives {real}"


# ----------------------------------------------------- randomized conformance

def _dim(rng, none=0.12, lo=1, hi=8):
    return None if rng.random() < none else rng.randint(lo, hi)


def _shape(rng, rank, none=0.12, lo=1, hi=8, batch=0.15):
    """(batch, *dims): the batch is None except now and then."""
    if rank == 0:
        return ()
    b = rng.randint(1, 4) if rng.random() < batch else None
    return (b, *(_dim(rng, none, lo, hi) for _ in range(rank - 1)))


def _maybe_pair(rng, lo, hi, p=0.3):
    v = rng.randint(lo, hi)
    return (v, rng.randint(lo, hi)) if rng.random() < p else v


def gen_core(rng):
    layer = rng.choice(["Dense", "Dense", "Embedding", "BatchNormalization",
                        "LayerNormalization", "PReLU", "Dropout", "Softmax", "Activation"])
    rank = rng.choice([1, 2, 2, 3, 3, 4])
    x = _shape(rng, rank, lo=0 if rng.random() < 0.1 else 1)
    if layer == "Dense":
        kw = {"units": rng.choice([0] + [rng.randint(1, 8)] * 15)}
    elif layer == "Embedding":
        x = _shape(rng, rng.choice([0, 1, 2, 3]))
        kw = {"input_dim": rng.choice([0] + [50] * 12), "output_dim": rng.choice([0] + [4] * 12)}
    elif layer == "BatchNormalization":
        kw = {"axis": rng.choice([-1, -1, 1, 2, 3, -2, -4, 0, [1, 2]])}
        if rng.random() < 0.2:
            kw.update(center=False, scale=False)
    elif layer == "LayerNormalization":
        kw = {"axis": rng.choice([-1, -1, 1, 2, 3, -3, [1, 2], [-2, -1], (1,)])}
        if rng.random() < 0.2:
            kw.update(center=False, scale=False)
    elif layer == "PReLU":
        kw = {} if rng.random() < 0.4 else {"shared_axes": rng.choice([1, 2, -1, 3, [1], [1, 2], [2]])}
    elif layer == "Activation":
        kw = {"activation": "relu"}
    elif layer == "Dropout":
        kw = {"rate": 0.3}
    else:
        kw = {}
    return layer, kw, x


def gen_recurrent(rng):
    layer = rng.choice(["LSTM", "GRU", "SimpleRNN"])
    kw = {"units": rng.choice([0] + [rng.randint(1, 6)] * 20),
          "return_sequences": rng.random() < 0.5, "return_state": rng.random() < 0.4}
    rank = rng.choice([2, 3, 3, 3, 3, 4])
    x = _shape(rng, rank, none=0.15, lo=0 if rng.random() < 0.05 else 1)
    if rank == 3 and rng.random() < 0.3:
        x = (x[0], None, x[2])
    return layer, kw, x


def gen_time_distributed(rng):
    kind = rng.choice(["Dense", "Dense", "Conv2D", "Conv2D", "Conv2D", "Flatten", "LSTM"])
    if kind == "Dense":
        inner = {"units": rng.randint(1, 5)}
        rank = rng.choice([2, 3, 3, 4])
    elif kind == "Conv2D":
        inner = {"filters": rng.randint(1, 4), "kernel_size": _maybe_pair(rng, 1, 4),
                 "strides": rng.choice([1, 1, 2]), "padding": rng.choice(["valid", "same"])}
        if rng.random() < 0.3:
            inner["data_format"] = "channels_first"
        rank = rng.choice([4, 5, 5, 5, 6])
    elif kind == "Flatten":
        inner, rank = {}, rng.choice([3, 4, 5])
    else:
        # Not on 3D inputs: TimeDistributed(LSTM) on (4, t, f) builds the LSTM on (4, f) and
        # Keras returns (4, t, units) without complaint (it rejects (None, t, f)); we say KS101.
        inner, rank = {"units": rng.randint(1, 4)}, 4
    x = _shape(rng, rank, none=0.1, hi=9)
    return TD, {"layer": (kind, inner)}, x


def _factor(rng, total: int, k: int) -> list:
    """k sizes whose product is total."""
    out = [1] * k
    n, p = total, 2
    while n > 1:
        if n % p == 0:
            out[rng.randrange(k)] *= p
            n //= p
        else:
            p += 1
    return out


def gen_reshaping(rng):
    layer = rng.choice(["Reshape", "Reshape", "Reshape", "Flatten", "RepeatVector"])
    if layer == "Flatten":
        x = _shape(rng, rng.choice([0, 1, 2, 3, 4, 5]))
        return layer, ({"data_format": "channels_first"} if rng.random() < 0.2 else {}), x
    if layer == "RepeatVector":
        return layer, {"n": rng.choice([0, 1, 3, 5])}, _shape(rng, rng.choice([1, 2, 2, 3]))
    x = _shape(rng, rng.choice([1, 2, 3, 4]), none=0.1, lo=1, hi=6)
    rest = [d if d is not None else rng.randint(1, 6) for d in x[1:]]
    total = 1
    for d in rest:
        total *= d
    if rng.random() < 0.2:
        total += rng.choice([-1, 1, 2]) if total > 1 else 1   # a size that does not fit
    target = _factor(rng, total, rng.randint(1, 3))
    r = rng.random()
    if r < 0.4:
        target[rng.randrange(len(target))] = -1
    elif r < 0.45:
        target = [-1, -1] + target[2:]
    elif r < 0.5:
        target[0] = -2
    elif r < 0.55:
        target[0] = None
    return layer, {"target_shape": tuple(target)}, x


def gen_merge(rng):
    layer = rng.choice(["Concatenate", "Concatenate", "Add", "Subtract", "Multiply",
                        "Average", "Maximum", "Minimum"])
    rank = rng.choice([2, 3, 3, 4])
    base = list(_shape(rng, rank, none=0.1, batch=0.1))
    n = 2 if layer == "Subtract" and rng.random() < 0.9 else rng.choice([1, 2, 2, 3])
    xs = []
    if layer == "Concatenate":
        axis = rng.choice([-1, -1, 1, 2, 0, -2, rank - 1, rank, -rank - 1])
        for _ in range(n):
            s = list(base)
            if -rank <= axis < rank:
                s[axis] = _dim(rng, 0.15)
            if rng.random() < 0.15:
                i = rng.randrange(rank)
                s[i] = rng.choice([None, 1, rng.randint(1, 8)])
            if rng.random() < 0.05:
                s = s[:-1] if len(s) > 2 else s + [2]
            xs.append(tuple(s))
        return layer, ({"axis": axis} if axis != -1 or rng.random() < 0.5 else {}), xs
    for _ in range(n):
        s = list(base)
        for i in range(1, rank):
            r = rng.random()
            if r < 0.15:
                s[i] = 1
            elif r < 0.22:
                s[i] = None
            elif r < 0.27:
                s[i] = rng.randint(1, 8)
        if rng.random() < 0.1 and rank > 2:
            s = [s[0]] + s[2:]                       # a lower rank broadcasts from the right
        if rng.random() < 0.08:
            s[0] = rng.randint(1, 3)
        xs.append(tuple(s))
    return layer, {}, xs


def _spatial_input(rng, data_format, lo=1, hi=12):
    rank = rng.choice([4] * 12 + [3, 5])
    spatial = [_dim(rng, 0.1, lo, hi) for _ in range(rank - 2)]
    channels = _dim(rng, 0.05, 1, 6)
    batch = rng.choice([None] * 6 + [2])
    if data_format == "channels_first":
        return (batch, channels, *spatial)
    return (batch, *spatial, channels)


def _data_format(rng, kw):
    r = rng.random()
    if r < 0.3:
        kw["data_format"] = "channels_first"
    elif r < 0.35:
        kw["data_format"] = "Channels_First"
    elif r < 0.45:
        kw["data_format"] = "channels_last"
    return kw.get("data_format", "").lower()


def gen_conv(rng):
    layer = rng.choice(["Conv2D", "Conv2D", "Conv2DTranspose"])
    kw = {"filters": rng.choice([0] + [rng.randint(1, 6)] * 25),
          "kernel_size": rng.choice([_maybe_pair(rng, 1, 5)] * 30 + [(3, 3, 3), 0])}
    if rng.random() < 0.6:
        kw["strides"] = _maybe_pair(rng, 1, 3)
    if rng.random() < 0.4:
        kw["padding"] = rng.choice(["valid", "same", "same", "SAME", "Valid", "causal", "full"])
    if rng.random() < 0.25:
        kw["dilation_rate"] = _maybe_pair(rng, 1, 3)
    if layer == "Conv2D" and rng.random() < 0.15:
        kw["groups"] = rng.choice([2, 3])
    if layer == "Conv2DTranspose" and rng.random() < 0.4:
        kw["output_padding"] = _maybe_pair(rng, 0, 2)
    x = _spatial_input(rng, _data_format(rng, kw), lo=0 if layer == "Conv2D" else 1)
    return layer, kw, x


def gen_pooling(rng):
    layer = rng.choice(["MaxPooling2D", "AveragePooling2D", "UpSampling2D", "MaxPooling2D"])
    if layer == "UpSampling2D":
        kw = {"size": rng.choice([_maybe_pair(rng, 1, 3)] * 20 + [0, (2, 0), (2, 2, 2)])}
        if rng.random() < 0.3:
            kw["interpolation"] = "bilinear"
    else:
        kw = {"pool_size": rng.choice([_maybe_pair(rng, 1, 4)] * 20 + [0])}
        if rng.random() < 0.6:
            kw["strides"] = rng.choice([_maybe_pair(rng, 1, 3)] * 20 + [0, (1, 0)])
        if rng.random() < 0.5:
            kw["padding"] = rng.choice(["valid", "same", "same", "SAME", "Same"])
    x = _spatial_input(rng, _data_format(rng, kw), lo=0 if layer != "UpSampling2D" else 1)
    return layer, kw, x


FAMILIES = {
    "core": (gen_core, 600),
    "recurrent": (gen_recurrent, 300),
    "time_distributed": (gen_time_distributed, 300),
    "reshaping": (gen_reshaping, 500),
    "merge": (gen_merge, 600),
    "conv": (gen_conv, 800),
    "pooling": (gen_pooling, 500),
}


@pytest.mark.tf
@keras_warnings
@pytest.mark.parametrize("family", list(FAMILIES))
def test_randomized_conformance(keras, conformance, family):
    gen, count = FAMILIES[family]
    mismatches = run_conformance(
        conformance, family, gen, count, f"1234:{family}",
        mine=lambda layer, kwargs, x: ours(layer, (), kwargs, x),
        real=lambda layer, kwargs, x: theirs(keras, layer, (), kwargs, x), agree=agree,
        key=lambda layer, kwargs: layer if layer != TD else f"{TD}({kwargs['layer'][0]})")
    assert not mismatches, "\n".join(mismatches[:30])
