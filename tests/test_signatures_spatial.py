"""Spatial layers, 1D to 3D: convolutions, pooling, padding, cropping and upsampling.

Rows as in tests/test_signatures.py (layer, kwargs, input, expected), with the same runner and
the same replay against real Keras; the randomized families below draw a few hundred layers each,
invalid ones included, and compare the outcome with Keras's.
"""

from __future__ import annotations

from collections import Counter

import pytest

from kerasshape.shapes import UNK
from kerasshape.signatures import MISSING, TABLE

from .test_signatures import (REJECTED, _dim, _flat, _rows, agree, concrete, keras_layer,
                              keras_warnings, ours)
from .test_signatures import theirs as theirs_symbolic
from .conformance_lib import run_conformance

CF = "channels_first"

CASES = [
    # layer               kwargs                                        input                       output
    ("Conv1D",            {"filters": 4, "kernel_size": 3},             (None, 10, 2),              (None, 8, 4)),
    ("Conv1D",            {"filters": 4, "kernel_size": 3, "padding": "same"}, (None, 10, 2),       (None, 10, 4)),
    ("Conv1D",            {"filters": 4, "kernel_size": 3, "padding": "causal"}, (None, 10, 2),     (None, 10, 4)),
    ("Conv1D",            {"filters": 4, "kernel_size": 3, "padding": "causal", "strides": 2}, (None, 9, 2), (None, 5, 4)),
    ("Conv1D",            {"filters": 4, "kernel_size": 3, "padding": "causal", "dilation_rate": 4}, (None, 2, 3), (None, 2, 4)),
    ("Conv1D",            {"filters": 4, "kernel_size": 3, "padding": "CAUSAL"}, (None, 10, 2),     (None, 10, 4)),
    ("Conv1D",            {"filters": 4, "kernel_size": 3, "strides": 3}, (None, 10, 2),            (None, 3, 4)),
    ("Conv1D",            {"filters": 4, "kernel_size": 3, "dilation_rate": 2}, (None, 10, 2),      (None, 6, 4)),
    ("Conv1D",            {"filters": 4, "kernel_size": 3, "data_format": CF}, (None, 2, 10),       (None, 4, 8)),
    ("Conv1D",            {"filters": 4, "kernel_size": 3, "padding": "causal", "data_format": CF}, (None, 3, 9), (None, 4, 9)),
    ("Conv1D",            {"filters": 4, "kernel_size": 3, "groups": 2}, (None, 10, 4),             (None, 8, 4)),
    ("Conv1D",            {"filters": 4, "kernel_size": (3,)},          (None, 10, 2),              (None, 8, 4)),
    ("Conv1D",            {"filters": 4, "kernel_size": 3},             (None, None, 2),            (None, None, 4)),
    ("Conv1D",            {"filters": 4, "kernel_size": 3, "padding": "same"}, (8, 0, 2),           (8, 0, 4)),
    ("Conv1D",            {"filters": 4, "kernel_size": 3},             (None, 10, None),           "KS103"),
    ("Conv1D",            {"filters": 4, "kernel_size": 3},             (None, 10, 10, 2),          "KS101"),
    ("Conv1D",            {"filters": 4, "kernel_size": 3},             (None, 2, 2),               "KS202"),
    ("Conv1D",            {"filters": 4, "kernel_size": 3, "padding": "full"}, (None, 10, 2),       "KS203"),
    ("Conv1D",            {"filters": 4, "kernel_size": 3, "strides": 2, "dilation_rate": 2}, (None, 10, 2), "KS203"),
    ("Conv1D",            {"filters": 4, "kernel_size": (3, 3)},        (None, 10, 2),              "KS203"),
    ("Conv1D",            {"filters": 3, "kernel_size": 3, "groups": 3}, (None, 10, 4),             "KS203"),
    ("Conv1D",            {"filters": 0, "kernel_size": 3},             (None, 10, 2),              "KS203"),
    ("Conv1D",            {"filters": 4, "kernel_size": UNK, "padding": "causal"}, (None, 10, 2),   (None, 10, 4)),
    ("Convolution1D",     {"filters": 4, "kernel_size": 5},             (None, 10, 2),              (None, 6, 4)),

    ("Conv3D",            {"filters": 2, "kernel_size": 3},             (None, 8, 8, 8, 1),         (None, 6, 6, 6, 2)),
    ("Conv3D",            {"filters": 2, "kernel_size": 3, "strides": 2, "padding": "same"}, (None, 7, 8, 9, 1), (None, 4, 4, 5, 2)),
    ("Conv3D",            {"filters": 2, "kernel_size": (1, 3, 5), "strides": (1, 2, 1)}, (None, 6, 9, 9, 1), (None, 6, 4, 5, 2)),
    ("Conv3D",            {"filters": 2, "kernel_size": 3, "dilation_rate": 2}, (None, 9, 9, 9, 3), (None, 5, 5, 5, 2)),
    ("Conv3D",            {"filters": 2, "kernel_size": 3, "data_format": CF}, (None, 3, 5, 6, 7),  (None, 2, 3, 4, 5)),
    ("Conv3D",            {"filters": 2, "kernel_size": 3},             (None, None, 8, 8, 3),      (None, None, 6, 6, 2)),
    ("Conv3D",            {"filters": 3, "kernel_size": 3, "groups": 3}, (None, 8, 8, 8, 6),        (None, 6, 6, 6, 3)),
    ("Conv3D",            {"filters": 2, "kernel_size": 3, "padding": "same"}, (None, 0, 4, 4, 1),  (None, 0, 4, 4, 2)),
    ("Conv3D",            {"filters": 2, "kernel_size": 3},             (None, 8, 8, 3),            "KS101"),
    ("Conv3D",            {"filters": 2, "kernel_size": 3},             (None, 8, 8, 8, 8, 3),      "KS101"),
    ("Conv3D",            {"filters": 2, "kernel_size": 3},             (None, 8, 8, 8, None),      "KS103"),
    ("Conv3D",            {"filters": 2, "kernel_size": 3, "data_format": CF}, (None, None, 8, 8, 8), "KS103"),
    ("Conv3D",            {"filters": 2, "kernel_size": 3},             (None, 8, 2, 8, 3),         "KS202"),
    ("Conv3D",            {"filters": 2, "kernel_size": 3, "padding": "causal"}, (None, 8, 8, 8, 3), "KS203"),
    ("Conv3D",            {"filters": 2, "kernel_size": (3, 3)},        (None, 8, 8, 8, 3),         "KS203"),
    ("Conv3D",            {"filters": 2, "kernel_size": 3, "groups": 2}, (None, 8, 8, 8, 3),        "KS203"),
    ("Conv3D",            {"filters": 2, "kernel_size": (3, UNK, 1)},   (None, 8, 8, 8, 3),         (None, 6, UNK, 8, 2)),
    ("Convolution3D",     {"filters": 2, "kernel_size": 2, "strides": 2}, (None, 8, 8, 8, 3),       (None, 4, 4, 4, 2)),

    ("Conv1DTranspose",   {"filters": 2, "kernel_size": 3},             (None, 7, 3),               (None, 9, 2)),
    ("Conv1DTranspose",   {"filters": 2, "kernel_size": 3, "strides": 2}, (None, 7, 3),             (None, 15, 2)),
    ("Conv1DTranspose",   {"filters": 2, "kernel_size": 3, "strides": 2, "padding": "same"}, (None, 7, 3), (None, 14, 2)),
    ("Conv1DTranspose",   {"filters": 2, "kernel_size": 3, "strides": 2, "padding": "same", "output_padding": 1},
                                                                        (None, 7, 3),               (None, 14, 2)),
    ("Conv1DTranspose",   {"filters": 2, "kernel_size": 3, "strides": 2, "output_padding": 1}, (None, 7, 3), (None, 16, 2)),
    ("Conv1DTranspose",   {"filters": 2, "kernel_size": 1, "strides": 3}, (None, 7, 3),             (None, 21, 2)),
    ("Conv1DTranspose",   {"filters": 2, "kernel_size": 3, "dilation_rate": 2}, (None, 7, 3),       (None, 11, 2)),
    ("Conv1DTranspose",   {"filters": 2, "kernel_size": 3, "strides": 2, "data_format": CF}, (None, 3, 7), (None, 2, 15)),
    ("Conv1DTranspose",   {"filters": 2, "kernel_size": 3, "strides": 2}, (None, None, 3),          (None, None, 2)),
    ("Conv1DTranspose",   {"filters": 2, "kernel_size": 3, "padding": "same", "output_padding": 0}, (None, 0, 3), (None, 0, 2)),
    ("Conv1DTranspose",   {"filters": 2, "kernel_size": 4, "strides": 3, "padding": "same", "output_padding": 0},
                                                                        (None, 0, 3),               "KS202"),
    ("Conv1DTranspose",   {"filters": 2, "kernel_size": 3},             (None, 7, None),            "KS103"),
    ("Conv1DTranspose",   {"filters": 2, "kernel_size": 3},             (None, 7, 7, 3),            "KS101"),
    ("Conv1DTranspose",   {"filters": 2, "kernel_size": 3, "strides": 2, "output_padding": 2}, (None, 7, 3), "KS203"),
    ("Conv1DTranspose",   {"filters": 2, "kernel_size": 3, "padding": "causal"}, (None, 7, 3),      "KS203"),
    ("Conv1DTranspose",   {"filters": 2, "kernel_size": 3, "strides": 2, "dilation_rate": 2}, (None, 7, 3), "KS203"),
    ("Conv1DTranspose",   {"filters": 2, "kernel_size": 3, "output_padding": (0, 0)}, (None, 7, 3), "KS203"),
    ("Convolution1DTranspose", {"filters": 2, "kernel_size": 2, "strides": 2}, (None, 7, 3),        (None, 14, 2)),

    ("Conv3DTranspose",   {"filters": 2, "kernel_size": 3},             (None, 4, 5, 6, 3),         (None, 6, 7, 8, 2)),
    ("Conv3DTranspose",   {"filters": 2, "kernel_size": 3, "strides": 2, "padding": "same"}, (None, 4, 5, 6, 3), (None, 8, 10, 12, 2)),
    ("Conv3DTranspose",   {"filters": 2, "kernel_size": 3, "strides": (1, 2, 3), "output_padding": (0, 1, 2)},
                                                                        (None, 4, 5, 6, 3),         (None, 6, 12, 20, 2)),
    ("Conv3DTranspose",   {"filters": 2, "kernel_size": 2, "strides": 2, "data_format": CF}, (None, 3, 4, 5, 6), (None, 2, 8, 10, 12)),
    ("Conv3DTranspose",   {"filters": 2, "kernel_size": 3},             (None, None, 4, 4, 1),      (None, None, 6, 6, 2)),
    ("Conv3DTranspose",   {"filters": 2, "kernel_size": 3, "dilation_rate": (1, 2, 1)}, (None, 4, 4, 4, 1), (None, 6, 8, 6, 2)),
    ("Conv3DTranspose",   {"filters": 2, "kernel_size": 3},             (None, 4, 4, 4, None),      "KS103"),
    ("Conv3DTranspose",   {"filters": 2, "kernel_size": 3},             (None, 4, 4, 3),            "KS101"),
    ("Conv3DTranspose",   {"filters": 2, "kernel_size": 3, "output_padding": 1}, (None, 4, 4, 4, 3), "KS203"),
    ("Conv3DTranspose",   {"filters": 2, "kernel_size": 3, "strides": 2, "dilation_rate": 2}, (None, 4, 4, 4, 3), "KS203"),
    ("Conv3DTranspose",   {"filters": 2, "kernel_size": 3, "data_format": "nhwc"}, (None, 4, 4, 4, 3), "KS203"),
    ("Conv3DTranspose",   {"filters": 0, "kernel_size": 3},             (None, 4, 4, 4, 3),         "KS203"),
    ("Convolution3DTranspose", {"filters": 2, "kernel_size": 2, "strides": 2}, (None, 2, 3, 4, 3),  (None, 4, 6, 8, 2)),

    ("SeparableConv1D",   {"filters": 4, "kernel_size": 3},             (None, 10, 3),              (None, 8, 4)),
    ("SeparableConv1D",   {"filters": 4, "kernel_size": 3, "padding": "same"}, (None, 10, 3),       (None, 10, 4)),
    ("SeparableConv1D",   {"filters": 4, "kernel_size": 3, "depth_multiplier": 2}, (None, 10, 3),   (None, 8, 4)),
    ("SeparableConv1D",   {"filters": 4, "kernel_size": 3, "strides": 2, "dilation_rate": 2}, (None, 10, 3), (None, 3, 4)),
    ("SeparableConv1D",   {"filters": 4, "kernel_size": 3, "data_format": CF}, (None, 3, 10),       (None, 4, 8)),
    ("SeparableConv1D",   {"filters": 4, "kernel_size": 3},             (None, None, 3),            (None, None, 4)),
    ("SeparableConv1D",   {"filters": 4, "kernel_size": 3, "padding": "causal"}, (None, 10, 3),     "KS203"),
    ("SeparableConv1D",   {"filters": 4, "kernel_size": 3},             (None, 10, None),           "KS103"),
    ("SeparableConv1D",   {"filters": 4, "kernel_size": 3},             (None, 10, 10, 3),          "KS101"),
    ("SeparableConv1D",   {"filters": 4, "kernel_size": 3},             (None, 2, 3),               "KS202"),
    ("SeparableConv1D",   {"filters": 4, "kernel_size": 3, "depth_multiplier": 0}, (None, 10, 3),   "KS203"),
    ("SeparableConv1D",   {"filters": 0, "kernel_size": 3},             (None, 10, 3),              "KS203"),
    ("SeparableConvolution1D", {"filters": 4, "kernel_size": 2, "strides": 2}, (None, 10, 3),       (None, 5, 4)),

    ("SeparableConv2D",   {"filters": 4, "kernel_size": 3},             (None, 9, 9, 3),            (None, 7, 7, 4)),
    ("SeparableConv2D",   {"filters": 4, "kernel_size": 3, "strides": 2, "padding": "same"}, (None, 9, 8, 3), (None, 5, 4, 4)),
    ("SeparableConv2D",   {"filters": 4, "kernel_size": 3, "depth_multiplier": 3}, (None, 9, 9, 3), (None, 7, 7, 4)),
    ("SeparableConv2D",   {"filters": 4, "kernel_size": 3, "strides": 2, "dilation_rate": 2}, (None, 9, 9, 3), (None, 3, 3, 4)),
    ("SeparableConv2D",   {"filters": 4, "kernel_size": 3, "data_format": CF}, (None, 3, 9, 7),     (None, 4, 7, 5)),
    ("SeparableConv2D",   {"filters": 4, "kernel_size": (1, 3)},        (None, 9, 9, 3),            (None, 9, 7, 4)),
    ("SeparableConv2D",   {"filters": 4, "kernel_size": 3},             (2, None, 9, 3),            (2, None, 7, 4)),
    ("SeparableConv2D",   {"filters": 4, "kernel_size": 3},             (None, 9, 9, None),         "KS103"),
    ("SeparableConv2D",   {"filters": 4, "kernel_size": 3},             (None, 9, 3),               "KS101"),
    ("SeparableConv2D",   {"filters": 4, "kernel_size": 3},             (None, 9, 2, 3),            "KS202"),
    ("SeparableConv2D",   {"filters": 4, "kernel_size": 3, "depth_multiplier": -1}, (None, 9, 9, 3), "KS203"),
    ("SeparableConv2D",   {"filters": 4, "kernel_size": (3, 3, 3)},     (None, 9, 9, 3),            "KS203"),
    ("SeparableConvolution2D", {"filters": 4, "kernel_size": 3, "padding": "same"}, (None, 9, 9, 3), (None, 9, 9, 4)),

    ("DepthwiseConv1D",   {"kernel_size": 3},                           (None, 10, 3),              (None, 8, 3)),
    ("DepthwiseConv1D",   {"kernel_size": 3, "depth_multiplier": 2},    (None, 10, 3),              (None, 8, 6)),
    ("DepthwiseConv1D",   {"kernel_size": 3, "strides": 2, "padding": "same"}, (None, 9, 4),        (None, 5, 4)),
    ("DepthwiseConv1D",   {"kernel_size": 3, "depth_multiplier": 2, "data_format": CF}, (None, 3, 10), (None, 6, 8)),
    ("DepthwiseConv1D",   {"kernel_size": 3, "strides": 2, "dilation_rate": 2}, (None, 10, 3),      (None, 3, 3)),
    ("DepthwiseConv1D",   {"kernel_size": 3},                           (None, None, 3),            (None, None, 3)),
    ("DepthwiseConv1D",   {"kernel_size": 3, "depth_multiplier": UNK},  (None, 10, 3),              (None, 8, UNK)),
    ("DepthwiseConv1D",   {"kernel_size": 3},                           (None, 10, None),           "KS103"),
    ("DepthwiseConv1D",   {"kernel_size": 3, "padding": "causal"},      (None, 10, 3),              "KS203"),
    ("DepthwiseConv1D",   {"kernel_size": 3},                           (None, 10, 10, 3),          "KS101"),
    ("DepthwiseConv1D",   {"kernel_size": 3},                           (None, 2, 3),               "KS202"),
    ("DepthwiseConv1D",   {"kernel_size": 3, "depth_multiplier": 0},    (None, 10, 3),              "KS203"),
    ("DepthwiseConv1D",   {"kernel_size": 0},                           (None, 10, 3),              "KS203"),

    ("DepthwiseConv2D",   {"kernel_size": 3},                           (None, 9, 9, 3),            (None, 7, 7, 3)),
    ("DepthwiseConv2D",   {"kernel_size": 3, "depth_multiplier": 2},    (None, 9, 9, 3),            (None, 7, 7, 6)),
    ("DepthwiseConv2D",   {"kernel_size": 3, "strides": 2, "padding": "same"}, (None, 7, 8, 3),     (None, 4, 4, 3)),
    ("DepthwiseConv2D",   {"kernel_size": 3, "depth_multiplier": 2, "data_format": CF}, (None, 3, 9, 9), (None, 6, 7, 7)),
    ("DepthwiseConv2D",   {"kernel_size": (3, 1), "strides": (2, 1)},   (None, 9, 9, 3),            (None, 4, 9, 3)),
    ("DepthwiseConv2D",   {"kernel_size": 3, "strides": 2, "dilation_rate": 2}, (None, 9, 9, 3),    (None, 3, 3, 3)),
    ("DepthwiseConv2D",   {"kernel_size": 3, "depth_multiplier": 2, "padding": "same"}, (None, 0, 9, 3), (None, 0, 9, 6)),
    ("DepthwiseConv2D",   {"kernel_size": 3},                           (None, None, None, 3),      (None, None, None, 3)),
    ("DepthwiseConv2D",   {"kernel_size": 3},                           (None, 9, 9, None),         "KS103"),
    ("DepthwiseConv2D",   {"kernel_size": 3, "depth_multiplier": 2},    (None, 2, 9, 3),            "KS202"),
    ("DepthwiseConv2D",   {"kernel_size": 3, "depth_multiplier": 0},    (None, 9, 9, 3),            "KS203"),
    ("DepthwiseConv2D",   {"kernel_size": 3, "padding": "causal"},      (None, 9, 9, 3),            "KS203"),
    ("DepthwiseConv2D",   {"kernel_size": 3},                           (None, 9, 3),               "KS101"),

    ("MaxPooling1D",      {},                                           (None, 10, 3),              (None, 5, 3)),
    ("MaxPooling1D",      {},                                           (None, 9, 3),               (None, 4, 3)),
    ("MaxPooling1D",      {"pool_size": 3, "strides": 1},               (None, 10, 3),              (None, 8, 3)),
    ("MaxPooling1D",      {"padding": "same"},                          (None, 9, 3),               (None, 5, 3)),
    ("MaxPooling1D",      {"pool_size": 3, "strides": 2, "padding": "same"}, (None, 10, 3),         (None, 5, 3)),
    ("MaxPooling1D",      {"data_format": CF},                          (None, 3, 10),              (None, 3, 5)),
    ("MaxPooling1D",      {},                                           (None, None, 3),            (None, None, 3)),
    ("MaxPooling1D",      {"pool_size": (2,)},                          (None, 10, None),           (None, 5, None)),
    ("MaxPooling1D",      {"pool_size": 3},                             (None, 2, 3),               "KS202"),
    ("MaxPooling1D",      {"padding": "SAME"},                          (None, 10, 3),              "KS203"),
    ("MaxPooling1D",      {"padding": "causal"},                        (None, 10, 3),              "KS203"),
    ("MaxPooling1D",      {"strides": 0},                               (None, None, 3),            "KS203"),
    ("MaxPooling1D",      {},                                           (None, 10, 10, 3),          "KS101"),
    ("MaxPool1D",         {"pool_size": 4},                             (None, 16, 3),              (None, 4, 3)),

    ("MaxPooling3D",      {},                                           (None, 8, 8, 8, 3),         (None, 4, 4, 4, 3)),
    ("MaxPooling3D",      {},                                           (None, 9, 3, 3, None),      (None, 4, 1, 1, None)),
    ("MaxPooling3D",      {"pool_size": (2, 3, 1)},                     (None, 4, 6, 5, 2),         (None, 2, 2, 5, 2)),
    ("MaxPooling3D",      {"pool_size": 3, "strides": 2, "padding": "same"}, (None, 7, 8, 9, 1),   (None, 4, 4, 5, 1)),
    ("MaxPooling3D",      {"data_format": CF},                          (None, 3, 4, 6, 8),         (None, 3, 2, 3, 4)),
    ("MaxPooling3D",      {"strides": (1, 2, 1)},                       (None, 4, 4, 4, 1),         (None, 3, 2, 3, 1)),
    ("MaxPooling3D",      {},                                           (None, None, 4, None, 1),   (None, None, 2, None, 1)),
    ("MaxPooling3D",      {"pool_size": 3},                             (None, 2, 8, 8, 1),         "KS202"),
    ("MaxPooling3D",      {},                                           (None, 8, 8, 3),            "KS101"),
    ("MaxPooling3D",      {"pool_size": (2, 2)},                        (None, 8, 8, 8, 3),         "KS203"),
    ("MaxPool3D",         {"pool_size": 4},                             (2, 8, 8, 8, 3),            (2, 2, 2, 2, 3)),

    ("AveragePooling1D",  {"pool_size": 2},                             (None, 10, 3),              (None, 5, 3)),
    ("AveragePooling1D",  {"pool_size": 3, "strides": 1},               (None, 10, 3),              (None, 8, 3)),
    ("AveragePooling1D",  {"pool_size": 3, "padding": "same"},          (None, 1, 4),               (None, 1, 4)),
    ("AveragePooling1D",  {"pool_size": 2, "data_format": CF},          (None, 3, None),            (None, 3, None)),
    ("AveragePooling1D",  {"pool_size": 2, "strides": 3},               (None, 10, 2),              (None, 3, 2)),
    ("AveragePooling1D",  {},                                           (None, 10, 3),              MISSING),
    ("AveragePooling1D",  {"pool_size": 0},                             (None, 10, 3),              "KS203"),
    ("AveragePooling1D",  {"pool_size": 2, "padding": "Valid"},         (None, 10, 3),              "KS203"),
    ("AveragePooling1D",  {"pool_size": 3},                             (None, 2, 3),               "KS202"),
    ("AveragePooling1D",  {"pool_size": 2},                             (None, 10),                 "KS101"),
    ("AvgPool1D",         {"pool_size": 2},                             (4, 6, 3),                  (4, 3, 3)),

    ("AveragePooling3D",  {"pool_size": 2},                             (None, 4, 4, 4, 1),         (None, 2, 2, 2, 1)),
    ("AveragePooling3D",  {"pool_size": (1, 2, 3)},                     (None, 3, 4, 9, 2),         (None, 3, 2, 3, 2)),
    ("AveragePooling3D",  {"pool_size": 2, "padding": "same"},          (None, 3, 5, 7, 1),         (None, 2, 3, 4, 1)),
    ("AveragePooling3D",  {"pool_size": 2, "strides": 1},               (None, 3, 3, 3, 1),         (None, 2, 2, 2, 1)),
    ("AveragePooling3D",  {"pool_size": 2, "data_format": CF},          (None, 2, 4, 4, 4),         (None, 2, 2, 2, 2)),
    ("AveragePooling3D",  {},                                           (None, 4, 4, 4, 1),         MISSING),
    ("AveragePooling3D",  {"pool_size": 3},                             (None, 2, 4, 4, 1),         "KS202"),
    ("AveragePooling3D",  {"pool_size": 2},                             (None, 4, 4, 1),            "KS101"),
    ("AveragePooling3D",  {"pool_size": 2, "strides": (1, 1)},          (None, 4, 4, 4, 1),         "KS203"),
    ("AvgPool3D",         {"pool_size": 2, "strides": 1},               (None, 2, 2, 2, 1),         (None, 1, 1, 1, 1)),

    ("GlobalMaxPooling1D", {},                                          (None, 10, 3),              (None, 3)),
    ("GlobalMaxPooling1D", {"keepdims": True},                          (None, 10, 3),              (None, 1, 3)),
    ("GlobalMaxPooling1D", {"data_format": CF},                         (None, 3, 10),              (None, 3)),
    ("GlobalMaxPooling1D", {"data_format": CF, "keepdims": True},       (None, 3, 10),              (None, 3, 1)),
    ("GlobalMaxPooling1D", {},                                          (None, None, 3),            (None, 3)),
    ("GlobalMaxPooling1D", {},                                          (None, 10, None),           (None, None)),
    ("GlobalMaxPooling1D", {},                                          (4, 0, 3),                  (4, 3)),
    ("GlobalMaxPooling1D", {},                                          (None, 10, 10, 3),          "KS101"),
    ("GlobalMaxPooling1D", {"data_format": "nchw"},                     (None, 10, 3),              "KS203"),
    ("GlobalMaxPool1D",   {"keepdims": True},                           (None, 5, 2),               (None, 1, 2)),

    ("GlobalMaxPooling2D", {},                                          (None, 8, 8, 3),            (None, 3)),
    ("GlobalMaxPooling2D", {"keepdims": True},                          (None, 8, 8, 3),            (None, 1, 1, 3)),
    ("GlobalMaxPooling2D", {"keepdims": True},                          (None, 9, 3, None),         (None, 1, 1, None)),
    ("GlobalMaxPooling2D", {"keepdims": True, "data_format": CF},       (None, 9, 3, None),         (None, 9, 1, 1)),
    ("GlobalMaxPooling2D", {"data_format": "Channels_First"},           (None, 3, 8, 8),            (None, 3)),
    ("GlobalMaxPooling2D", {},                                          (None, None, None, 3),      (None, 3)),
    ("GlobalMaxPooling2D", {},                                          (None, 8, 3),               "KS101"),
    ("GlobalMaxPooling2D", {"data_format": "channels"},                 (None, 8, 8, 3),            "KS203"),
    ("GlobalMaxPool2D",   {},                                           (2, 4, 4, 5),               (2, 5)),

    ("GlobalMaxPooling3D", {},                                          (None, 4, 4, 4, 3),         (None, 3)),
    ("GlobalMaxPooling3D", {"keepdims": True},                          (None, 4, 4, 4, 3),         (None, 1, 1, 1, 3)),
    ("GlobalMaxPooling3D", {"data_format": CF},                         (None, 3, 4, 4, 4),         (None, 3)),
    ("GlobalMaxPooling3D", {"data_format": CF, "keepdims": True},       (None, 3, 4, 4, 4),         (None, 3, 1, 1, 1)),
    ("GlobalMaxPooling3D", {},                                          (None, None, 4, None, 3),   (None, 3)),
    ("GlobalMaxPooling3D", {},                                          (None, 0, 0, 0, 3),         (None, 3)),
    ("GlobalMaxPooling3D", {},                                          (None, 4, 4, 3),            "KS101"),
    ("GlobalMaxPooling3D", {},                                          (None, 4, 4, 4, 4, 3),      "KS101"),
    ("GlobalMaxPool3D",   {"keepdims": True},                           (None, 2, 2, 2, 7),         (None, 1, 1, 1, 7)),

    ("GlobalAveragePooling1D", {},                                      (None, 10, 3),              (None, 3)),
    ("GlobalAveragePooling1D", {"keepdims": True},                      (None, 10, 3),              (None, 1, 3)),
    ("GlobalAveragePooling1D", {"data_format": CF},                     (None, 3, 10),              (None, 3)),
    ("GlobalAveragePooling1D", {"data_format": CF, "keepdims": True},   (None, 3, None),            (None, 3, 1)),
    ("GlobalAveragePooling1D", {},                                      (None, None, 3),            (None, 3)),
    ("GlobalAveragePooling1D", {},                                      (None, 9, 3, 4),            "KS101"),
    ("GlobalAveragePooling1D", {},                                      (None, 9),                  "KS101"),
    ("GlobalAveragePooling1D", {"data_format": "nchw"},                 (None, 9, 3),               "KS203"),
    ("GlobalAvgPool1D",   {},                                           (3, 9, 4),                  (3, 4)),

    ("GlobalAveragePooling2D", {},                                      (None, 8, 8, 3),            (None, 3)),
    ("GlobalAveragePooling2D", {"keepdims": True},                      (None, 8, 8, 3),            (None, 1, 1, 3)),
    ("GlobalAveragePooling2D", {"data_format": CF},                     (None, 3, 8, 8),            (None, 3)),
    ("GlobalAveragePooling2D", {"data_format": CF, "keepdims": True},   (None, 3, 8, 8),            (None, 3, 1, 1)),
    ("GlobalAveragePooling2D", {},                                      (None, None, None, None),   (None, None)),
    ("GlobalAveragePooling2D", {},                                      (None, 8, 3),               "KS101"),
    ("GlobalAveragePooling2D", {},                                      (None, 8, 8, 8, 3),         "KS101"),
    ("GlobalAveragePooling2D", {"data_format": "last"},                 (None, 8, 8, 3),            "KS203"),
    ("GlobalAvgPool2D",   {"keepdims": True},                           (None, 7, 7, 512),          (None, 1, 1, 512)),

    ("GlobalAveragePooling3D", {},                                      (None, 4, 4, 4, 3),         (None, 3)),
    ("GlobalAveragePooling3D", {"keepdims": True},                      (None, 4, 4, 4, 3),         (None, 1, 1, 1, 3)),
    ("GlobalAveragePooling3D", {"data_format": CF},                     (None, 3, 4, 4, 4),         (None, 3)),
    ("GlobalAveragePooling3D", {"data_format": CF, "keepdims": True},   (None, 3, None, 4, 4),      (None, 3, 1, 1, 1)),
    ("GlobalAveragePooling3D", {},                                      (None, 0, 0, 0, 3),         (None, 3)),
    ("GlobalAveragePooling3D", {},                                      (5, 4, 4, 4, None),         (5, None)),
    ("GlobalAveragePooling3D", {},                                      (None, 4, 4, 3),            "KS101"),
    ("GlobalAveragePooling3D", {"data_format": "first"},                (None, 4, 4, 4, 3),         "KS203"),
    ("GlobalAvgPool3D",   {},                                           (None, 2, 2, 2, 7),         (None, 7)),

    ("ZeroPadding1D",     {},                                           (None, 5, 3),               (None, 7, 3)),
    ("ZeroPadding1D",     {"padding": 2},                               (None, 5, 3),               (None, 9, 3)),
    ("ZeroPadding1D",     {"padding": (1, 2)},                          (None, 5, 3),               (None, 8, 3)),
    ("ZeroPadding1D",     {"padding": [0, 3]},                          (None, 5, 3),               (None, 8, 3)),
    ("ZeroPadding1D",     {"padding": 2, "data_format": CF},            (None, 3, 5),               (None, 3, 9)),
    ("ZeroPadding1D",     {},                                           (None, None, 3),            (None, None, 3)),
    ("ZeroPadding1D",     {"padding": 0},                               (None, 0, 3),               (None, 0, 3)),
    ("ZeroPadding1D",     {"padding": -1},                              (None, 5, 3),               "KS203"),
    ("ZeroPadding1D",     {"padding": (1, 2, 3)},                       (None, 5, 3),               "KS203"),
    ("ZeroPadding1D",     {"padding": ((1, 1),)},                       (None, 5, 3),               "KS203"),
    ("ZeroPadding1D",     {},                                           (None, 5, 5, 3),            "KS101"),
    ("ZeroPadding1D",     {"padding": (UNK, 2)},                        (None, 5, 3),               (None, UNK, 3)),

    ("ZeroPadding2D",     {},                                           (None, 5, 5, 3),            (None, 7, 7, 3)),
    ("ZeroPadding2D",     {"padding": 2},                               (None, 5, 5, 3),            (None, 9, 9, 3)),
    ("ZeroPadding2D",     {"padding": (1, 2)},                          (None, 5, 5, 3),            (None, 7, 9, 3)),
    ("ZeroPadding2D",     {"padding": ((1, 2), (3, 4))},                (None, 6, 5, 3),            (None, 9, 12, 3)),
    ("ZeroPadding2D",     {"padding": [[1, 2], [3, 4]]},                (None, 6, 5, 3),            (None, 9, 12, 3)),
    ("ZeroPadding2D",     {"padding": (1, (2, 0))},                     (None, 5, 5, 3),            (None, 7, 7, 3)),
    ("ZeroPadding2D",     {"padding": 1, "data_format": CF},            (None, 6, 5, 3),            (None, 6, 7, 5)),
    ("ZeroPadding2D",     {"padding": (1, 2)},                          (None, None, 5, None),      (None, None, 9, None)),
    ("ZeroPadding2D",     {"padding": -1},                              (None, 5, 5, 3),            "KS203"),
    ("ZeroPadding2D",     {"padding": -1},                              (None, None, None, 3),      "KS203"),
    ("ZeroPadding2D",     {"padding": (1, 2, 3)},                       (None, 5, 5, 3),            "KS203"),
    ("ZeroPadding2D",     {"padding": (-1, 1)},                         (None, 5, 5, 3),            "KS203"),
    ("ZeroPadding2D",     {"padding": ((1, 2, 3), 1)},                  (None, 5, 5, 3),            "KS203"),
    ("ZeroPadding2D",     {},                                           (None, 5, 3),               "KS101"),

    ("ZeroPadding3D",     {},                                           (None, 2, 3, 4, 1),         (None, 4, 5, 6, 1)),
    ("ZeroPadding3D",     {"padding": 1},                               (None, 2, 3, 4, 1),         (None, 4, 5, 6, 1)),
    ("ZeroPadding3D",     {"padding": (1, 2, 3)},                       (None, 2, 3, 4, 1),         (None, 4, 7, 10, 1)),
    ("ZeroPadding3D",     {"padding": (1, 2, (0, 3))},                  (None, 6, 3, 2, 1),         (None, 8, 7, 5, 1)),
    ("ZeroPadding3D",     {"padding": 1, "data_format": CF},            (None, 2, 3, 4, 5),         (None, 2, 5, 6, 7)),
    ("ZeroPadding3D",     {"padding": -1},                              (None, 4, 3, 2, 1),         "KS203"),
    ("ZeroPadding3D",     {},                                           (None, None, 3, None, 2),   (None, None, 5, None, 2)),
    ("ZeroPadding3D",     {"padding": 0},                               (None, 0, 3, 2, 1),         (None, 0, 3, 2, 1)),
    ("ZeroPadding3D",     {"padding": (1, 2)},                          (None, 2, 3, 4, 1),         "KS203"),
    ("ZeroPadding3D",     {"padding": (1, 2, (1, -1))},                 (None, 2, 3, 4, 1),         "KS203"),
    ("ZeroPadding3D",     {},                                           (None, 2, 3, 1),            "KS101"),

    ("Cropping1D",        {},                                           (None, 6, 3),               (None, 4, 3)),
    ("Cropping1D",        {"cropping": 2},                              (None, 6, 3),               (None, 2, 3)),
    ("Cropping1D",        {"cropping": (2, 3)},                         (None, 6, 3),               (None, 1, 3)),
    ("Cropping1D",        {"cropping": (0, 0)},                         (None, 1, 3),               (None, 1, 3)),
    ("Cropping1D",        {},                                           (None, None, 3),            (None, None, 3)),
    ("Cropping1D",        {"cropping": 3},                              (None, 6, 3),               "KS202"),
    ("Cropping1D",        {},                                           (None, 2, 3),               "KS202"),
    ("Cropping1D",        {"cropping": 0},                              (None, 0, 5),               "KS202"),
    ("Cropping1D",        {"cropping": -1},                             (None, 6, 3),               "KS203"),
    ("Cropping1D",        {"cropping": (1, 2, 3)},                      (None, 6, 3),               "KS203"),
    ("Cropping1D",        {},                                           (None, 6, 6, 3),            "KS101"),

    ("Cropping2D",        {},                                           (None, 6, 5, 3),            (None, 6, 5, 3)),
    ("Cropping2D",        {"cropping": 2},                              (None, 5, 5, 3),            (None, 1, 1, 3)),
    ("Cropping2D",        {"cropping": (1, 2)},                         (None, 6, 5, 3),            (None, 4, 1, 3)),
    ("Cropping2D",        {"cropping": ((1, 2), (2, 0)), "data_format": CF}, (None, 6, 5, 3),       (None, 6, 2, 1)),
    ("Cropping2D",        {"cropping": (1, (2, 0))},                    (None, 6, 5, 3),            (None, 4, 3, 3)),
    ("Cropping2D",        {"cropping": 1},                              (None, None, 5, 3),         (None, None, 3, 3)),
    ("Cropping2D",        {"cropping": 3},                              (None, 5, 5, 3),            "KS202"),
    ("Cropping2D",        {"cropping": 0},                              (None, 0, 5, 3),            "KS202"),
    ("Cropping2D",        {"cropping": -1},                             (None, 6, 5, 3),            "KS203"),
    ("Cropping2D",        {"cropping": (1, -1)},                        (None, 6, 5, 3),            "KS203"),
    ("Cropping2D",        {"cropping": (1, 1, 1)},                      (None, 6, 5, 3),            "KS203"),
    ("Cropping2D",        {},                                           (None, 6, 5, 3, 3),         "KS101"),

    ("Cropping3D",        {},                                           (None, 3, 3, 3, 3),         (None, 1, 1, 1, 3)),
    ("Cropping3D",        {"cropping": 0},                              (None, 6, 5, 3, 3),         (None, 6, 5, 3, 3)),
    ("Cropping3D",        {"cropping": (1, 0, 2)},                      (None, 6, 5, 5, 3),         (None, 4, 5, 1, 3)),
    ("Cropping3D",        {"cropping": ((1, 0), (0, 2), 1)},            (None, 6, 5, 5, 3),         (None, 5, 3, 3, 3)),
    ("Cropping3D",        {"cropping": 1, "data_format": CF},           (None, 2, 4, 5, 6),         (None, 2, 2, 3, 4)),
    ("Cropping3D",        {},                                           (None, None, 4, None, 3),   (None, None, 2, None, 3)),
    ("Cropping3D",        {},                                           (None, 2, 3, 3, 3),         "KS202"),
    ("Cropping3D",        {"cropping": 0},                              (None, 0, 5, 3, 3),         "KS202"),
    ("Cropping3D",        {"cropping": (1, 1)},                         (None, 6, 5, 3, 3),         "KS203"),
    ("Cropping3D",        {"cropping": -1},                             (None, 6, 5, 3, 3),         "KS203"),
    ("Cropping3D",        {},                                           (None, 6, 5, 3),            "KS101"),

    ("UpSampling1D",      {},                                           (None, 4, 3),               (None, 8, 3)),
    ("UpSampling1D",      {"size": 3},                                  (None, 4, 3),               (None, 12, 3)),
    ("UpSampling1D",      {"size": 1},                                  (None, 4, 3),               (None, 4, 3)),
    ("UpSampling1D",      {},                                           (None, None, 3),            (None, None, 3)),
    ("UpSampling1D",      {},                                           (4, 0, None),               (4, 0, None)),
    ("UpSampling1D",      {"size": 0},                                  (None, 4, 3),               "KS203"),
    ("UpSampling1D",      {"size": (2,)},                               (None, 4, 3),               "KS203"),
    ("UpSampling1D",      {"size": True},                               (None, 4, 3),               "KS203"),
    ("UpSampling1D",      {},                                           (None, 4, 4, 3),            "KS101"),
    ("UpSampling1D",      {"size": UNK},                                (None, 4, 3),               (None, UNK, 3)),

    ("UpSampling3D",      {},                                           (None, 2, 3, 4, 1),         (None, 4, 6, 8, 1)),
    ("UpSampling3D",      {"size": (1, 2, 3)},                          (None, 3, 3, 3, 2),         (None, 3, 6, 9, 2)),
    ("UpSampling3D",      {"size": 2, "data_format": CF},               (None, 3, 3, None, 2),      (None, 3, 6, None, 4)),
    ("UpSampling3D",      {"size": 3},                                  (None, None, 1, 2, None),   (None, None, 3, 6, None)),
    ("UpSampling3D",      {"size": (1, 2)},                             (None, 3, 3, 3, 2),         "KS203"),
    ("UpSampling3D",      {"size": 0},                                  (None, 3, 3, 3, 2),         "KS203"),
    ("UpSampling3D",      {"size": 2, "data_format": "channels_middle"}, (None, 3, 3, 3, 2),        "KS203"),
    ("UpSampling3D",      {},                                           (None, 3, 3, 2),            "KS101"),
    ("UpSampling3D",      {"size": (2, 2, UNK)},                        (None, 2, 3, 4, 1),         (None, 4, 6, UNK, 1)),
]

# Positional constructor arguments bind in Keras's order: (layer, args, input, output)
POSITIONAL = [
    ("Conv1D",            (4, 3, 2, "causal"),                          (None, 9, 2),               (None, 5, 4)),
    ("Conv3D",            (2, 3, 1, "valid", CF),                       (None, 3, 5, 6, 7),         (None, 2, 3, 4, 5)),
    ("Conv1DTranspose",   (2, 3, 2, "valid", 1),                        (None, 7, 3),               (None, 16, 2)),
    ("Conv3DTranspose",   (2, 3, 2, "valid", CF, 1),                    (None, 3, 4, 4, 4),         (None, 2, 10, 10, 10)),
    ("SeparableConv1D",   (4, 3, 1, "valid", None, 1, 2),               (None, 10, 3),              (None, 8, 4)),
    ("SeparableConv2D",   (4, 3, 2, "same", CF),                        (None, 3, 9, 8),            (None, 4, 5, 4)),
    ("DepthwiseConv1D",   (3, 1, "valid", 2),                           (None, 10, 3),              (None, 8, 6)),
    ("DepthwiseConv2D",   (3, 2, "same", 3, CF),                        (None, 2, 7, 8),            (None, 6, 4, 4)),
    ("MaxPooling1D",      (3, 2, "same"),                               (None, 10, 3),              (None, 5, 3)),
    ("AveragePooling3D",  (2, 1, "valid", CF),                          (None, 2, 4, 4, 4),         (None, 2, 3, 3, 3)),
    ("GlobalMaxPooling2D", (CF, True),                                  (None, 3, 8, 8),            (None, 3, 1, 1)),
    ("GlobalAveragePooling1D", (None, True),                            (None, 10, 3),              (None, 1, 3)),
    ("ZeroPadding2D",     ((1, 2), CF),                                 (None, 3, 4, 4),            (None, 3, 6, 8)),
    ("Cropping1D",        ((1, 2),),                                    (None, 6, 3),               (None, 3, 3)),
    ("Cropping3D",        (1, CF),                                      (None, 2, 4, 5, 6),         (None, 2, 2, 3, 4)),
    ("UpSampling1D",      (3,),                                         (None, 4, 3),               (None, 12, 3)),
    ("UpSampling3D",      ((1, 2, 3), CF),                              (None, 2, 3, 3, 3),         (None, 2, 3, 6, 9)),
]


# ------------------------------------------------------------------- the table

@pytest.mark.parametrize("layer, kwargs, x, expected", _rows(CASES))
def test_output_shape(layer, kwargs, x, expected):
    got = ours(layer, (), kwargs, x)
    assert got == expected, f"{layer}({kwargs}) on {x}: {got} != {expected}"


@pytest.mark.parametrize("layer, args, x, expected", _rows(POSITIONAL))
def test_positional_arguments(layer, args, x, expected):
    assert ours(layer, args, {}, x) == expected


def test_rows_per_layer():
    """Every class here has at least 8 rows (aliases at least one)."""
    counts = Counter(row[0] for row in CASES)
    main = {TABLE[name].name for name in counts}
    assert all(counts[name] >= 8 for name in main), {n: counts[n] for n in main if counts[n] < 8}
    aliases = {name for name, sig in TABLE.items() if sig.name in main and name != sig.name}
    assert aliases <= set(counts)


def test_keras_argument_order():
    """Positional order and defaults as Keras's constructors have them."""
    assert TABLE["Conv3DTranspose"].positional[4:6] == ("data_format", "output_padding")
    assert TABLE["Conv1DTranspose"].positional[4:6] == ("output_padding", "data_format")
    assert TABLE["DepthwiseConv2D"].positional[:4] == ("kernel_size", "strides", "padding",
                                                       "depth_multiplier")
    assert TABLE["SeparableConv1D"].positional[-1] == "depth_multiplier"
    assert "pool_size" not in TABLE["AveragePooling1D"].defaults
    assert TABLE["MaxPooling3D"].defaults["pool_size"] in (2, (2, 2, 2))
    assert TABLE["Cropping1D"].defaults["cropping"] == (1, 1)
    assert TABLE["GlobalMaxPooling2D"].defaults == {"data_format": None, "keepdims": False}


# -------------------------------------------------------------- against real Keras

# Layers Keras builds on symbolic inputs and then fails to run on data: ZeroPadding2D/3D with
# a negative int (the constructor checks only the tuple forms; tf.pad refuses negative pads).
# For these the replay also calls the layer on zeros, and a failure there is Keras rejecting.
ON_DATA = {"ZeroPadding2D", "ZeroPadding3D"}


def theirs(keras, layer, pos, kwargs, x):
    """Keras's output shape on symbolic inputs (and on zeros for ON_DATA), or REJECTED."""
    real = theirs_symbolic(keras, layer, pos, kwargs, x)
    if real != REJECTED and layer in ON_DATA:
        import numpy as np

        data = np.zeros([2 if d is None else d for d in concrete(x)], "float32")
        try:
            keras_layer(keras, (layer, pos, kwargs))(data)
        except Exception:  # noqa: BLE001 - any exception is Keras refusing the layer
            return REJECTED
    return real


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

def _nsize(rng, n, lo, hi, p_tuple=0.3, bad=0.04):
    """An int or a tuple of n ints; now and then a tuple of the wrong length."""
    r = rng.random()
    if r < bad:
        return tuple(rng.randint(lo, hi) for _ in range(n + rng.choice([-1, 1]) if n > 1 else 2))
    if r < bad + p_tuple:
        return tuple(rng.randint(lo, hi) for _ in range(n))
    return rng.randint(lo, hi)


def _input(rng, n, data_format, lo=1, hi=10, channels_none=0.05):
    """A (batch, *spatial, channels) input for n spatial axes; the rank is off now and then."""
    k = n
    r = rng.random()
    if r < 0.05:
        k = n - 1
    elif r < 0.1:
        k = n + 1
    spatial = [_dim(rng, 0.1, lo, hi) for _ in range(k)]
    channels = _dim(rng, channels_none, 1, 6)
    batch = rng.choice([None] * 6 + [2])
    if data_format == "channels_first":
        return (batch, channels, *spatial)
    return (batch, *spatial, channels)


def _data_format(rng, kw):
    r = rng.random()
    if r < 0.3:
        kw["data_format"] = "channels_first"
    elif r < 0.34:
        kw["data_format"] = "Channels_First"
    elif r < 0.42:
        kw["data_format"] = "channels_last"
    elif r < 0.44:
        kw["data_format"] = "nhwc"
    return kw.get("data_format", "").lower()


def _n(layer: str) -> int:
    """The number of spatial axes: Conv3DTranspose -> 3, MaxPooling1D -> 1."""
    for token in ("1D", "2D", "3D"):
        if token in layer:
            return int(token[0])
    raise ValueError(layer)


def gen_conv_nd(rng):
    layer = rng.choice(["Conv1D", "Conv1D", "Conv3D", "Conv1DTranspose", "Conv3DTranspose"])
    n = _n(layer)
    hi = 10 if n == 1 else 7
    kw = {"filters": rng.choice([0] + [rng.randint(1, 6)] * 25),
          "kernel_size": rng.choice([_nsize(rng, n, 1, 4)] * 30 + [0])}
    if rng.random() < 0.6:
        kw["strides"] = _nsize(rng, n, 1, 3)
    if rng.random() < 0.5:
        kw["padding"] = rng.choice(["valid", "same", "same", "causal", "causal", "SAME",
                                    "Causal", "full"])
    if rng.random() < 0.25:
        kw["dilation_rate"] = _nsize(rng, n, 1, 3)
    if "Transpose" in layer:
        if rng.random() < 0.4:
            kw["output_padding"] = _nsize(rng, n, 0, 2)
    elif rng.random() < 0.15:
        kw["groups"] = rng.choice([2, 3])
    x = _input(rng, n, _data_format(rng, kw), lo=0 if rng.random() < 0.3 else 1, hi=hi)
    return layer, kw, x


def gen_separable_depthwise(rng):
    layer = rng.choice(["SeparableConv1D", "SeparableConv2D", "DepthwiseConv1D", "DepthwiseConv2D"])
    n = _n(layer)
    kw = {"kernel_size": rng.choice([_nsize(rng, n, 1, 4)] * 30 + [0])}
    if layer.startswith("Separable"):
        kw["filters"] = rng.choice([0] + [rng.randint(1, 6)] * 25)
    if rng.random() < 0.5:
        kw["depth_multiplier"] = rng.choice([0, 1, 2, 3, 2, 3])
    if rng.random() < 0.5:
        kw["strides"] = _nsize(rng, n, 1, 3)
    if rng.random() < 0.4:
        kw["padding"] = rng.choice(["valid", "same", "Same", "causal"])
    if rng.random() < 0.3:
        kw["dilation_rate"] = _nsize(rng, n, 1, 3)
    x = _input(rng, n, _data_format(rng, kw), lo=0 if rng.random() < 0.2 else 1, hi=10)
    return layer, kw, x


def gen_pooling_nd(rng):
    layer = rng.choice(["MaxPooling1D", "MaxPooling3D", "AveragePooling1D", "AveragePooling3D"])
    n = _n(layer)
    kw = {}
    if layer.startswith("Max") and rng.random() < 0.4:
        pass  # the default pool size
    elif rng.random() < 0.97:
        kw["pool_size"] = rng.choice([_nsize(rng, n, 1, 3)] * 20 + [0])
    if rng.random() < 0.5:
        kw["strides"] = rng.choice([_nsize(rng, n, 1, 3)] * 20 + [0])
    if rng.random() < 0.5:
        kw["padding"] = rng.choice(["valid", "same", "same", "SAME", "causal"])
    x = _input(rng, n, _data_format(rng, kw), lo=0 if rng.random() < 0.2 else 1,
               hi=10 if n == 1 else 6, channels_none=0.1)
    return layer, kw, x


def gen_global_pooling(rng):
    layer = rng.choice([f"Global{kind}Pooling{n}D" for kind in ("Max", "Average") for n in (1, 2, 3)])
    n = _n(layer)
    kw = {}
    if rng.random() < 0.5:
        kw["keepdims"] = rng.random() < 0.7
    x = _input(rng, n, _data_format(rng, kw), lo=0 if rng.random() < 0.1 else 1, hi=6,
               channels_none=0.15)
    return layer, kw, x


def _pad_arg(rng, n, lo, hi):
    """ZeroPadding/Cropping argument: an int, n ints, n pairs (mixed), or a wrong form."""
    r = rng.random()
    if r < 0.3:
        return rng.randint(lo, hi)
    if n == 1:
        if r < 0.9:
            return (rng.randint(lo, hi), rng.randint(lo, hi))
        return rng.choice([(1, 1, 1), ((1, 1),), (-1, 2)])
    if r < 0.55:
        return tuple(rng.randint(lo, hi) for _ in range(n))
    if r < 0.92:
        return tuple(rng.choice([rng.randint(lo, hi), (rng.randint(lo, hi), rng.randint(lo, hi))])
                     for _ in range(n))
    return rng.choice([(1,) * (n + 1), (1,) * (n - 1) if n > 2 else (1, 2, 3), ((1, 2, 3),) * n,
                       (-1,) * n])


def gen_padding(rng):
    layer = rng.choice(["ZeroPadding1D", "ZeroPadding2D", "ZeroPadding3D",
                        "Cropping1D", "Cropping2D", "Cropping3D"])
    n = _n(layer)
    name = "padding" if layer.startswith("Zero") else "cropping"
    kw = {}
    if rng.random() < 0.9:
        kw[name] = _pad_arg(rng, n, -1 if rng.random() < 0.15 else 0, 3 if n < 3 else 2)
    fmt_kw = {}
    df = _data_format(rng, fmt_kw) if layer != "Cropping1D" else ""
    kw.update(fmt_kw)
    x = _input(rng, n, df, lo=0 if rng.random() < 0.2 else 1, hi=8,
               channels_none=0.1)
    return layer, kw, x


def gen_upsampling(rng):
    layer = rng.choice(["UpSampling1D", "UpSampling1D", "UpSampling2D", "UpSampling3D"])
    n = _n(layer)
    kw = {}
    if rng.random() < 0.85:
        if n == 1:
            kw["size"] = rng.choice([1, 2, 3, 4, 2, 3, 0, -1, (2,), True])
        else:
            kw["size"] = rng.choice([_nsize(rng, n, 1, 3)] * 20 + [0, (2, 0) + (2,) * (n - 2)])
    df = _data_format(rng, kw) if n > 1 else ""
    x = _input(rng, n, df, lo=0 if rng.random() < 0.1 else 1, hi=6, channels_none=0.1)
    return layer, kw, x


FAMILIES = {
    "conv_nd": (gen_conv_nd, 800),
    "separable_depthwise": (gen_separable_depthwise, 600),
    "pooling_nd": (gen_pooling_nd, 500),
    "global_pooling": (gen_global_pooling, 300),
    "padding_cropping": (gen_padding, 700),
    "upsampling": (gen_upsampling, 300),
}


@pytest.mark.tf
@keras_warnings
@pytest.mark.parametrize("family", list(FAMILIES))
def test_randomized_conformance(keras, conformance, family):
    gen, count = FAMILIES[family]
    mismatches = run_conformance(
        conformance, family, gen, count, f"spatial:{family}",
        mine=lambda layer, kwargs, x: ours(layer, (), kwargs, x),
        real=lambda layer, kwargs, x: theirs(keras, layer, (), kwargs, x), agree=agree)
    assert not mismatches, "\n".join(mismatches[:30])
