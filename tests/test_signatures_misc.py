"""Signatures of the misc family (Permute, Dot, normalization, image preprocessing) and of
Bidirectional, row by row and against real Keras, in the format of tests/test_signatures.py.
"""

from __future__ import annotations

from collections import Counter

import pytest

from kerasshape.shapes import UNK, is_int
from kerasshape.signatures import MISSING, TABLE

from .test_signatures import (REJECTED, _flat, _rows, _shape, agree, concrete,
                              keras_warnings, ours)
from .conformance_lib import run_conformance

BI = "Bidirectional"
LSTM4 = ("LSTM", {"units": 4})
LSTM4_SEQ = ("LSTM", {"units": 4, "return_sequences": True})
CF = {"data_format": "channels_first"}

CASES = [
    # layer               kwargs                                        input                       output
    ("Permute",           {"dims": (2, 1)},                             (None, 3, 4),               (None, 4, 3)),
    ("Permute",           {"dims": [2, 1]},                             (None, 3, 4),               (None, 4, 3)),
    ("Permute",           {"dims": (1,)},                               (None, 3),                  (None, 3)),
    ("Permute",           {"dims": (3, 1, 2)},                          (None, 3, 4, 5),            (None, 5, 3, 4)),
    ("Permute",           {"dims": (1, 2)},                             (None, None, 4),            (None, None, 4)),
    ("Permute",           {"dims": (2, 1)},                             (8, None, 4),               (8, 4, None)),
    ("Permute",           {"dims": (2, 1)},                             (None, "t", 4),             (None, 4, "t")),
    ("Permute",           {"dims": (2, 1)},                             (None, 3, 4, 5),            "KS101"),
    ("Permute",           {"dims": (2, 1)},                             (None, 3),                  "KS101"),
    ("Permute",           {"dims": (0, 1)},                             (None, 3, 4),               "KS203"),
    ("Permute",           {"dims": (2, 3)},                             (None, 3, 4),               "KS203"),
    ("Permute",           {"dims": (1, 1)},                             (None, 3, 4),               "KS203"),
    ("Permute",           {},                                           (None, 3, 4),               MISSING),

    ("Masking",           {},                                           (None, 5, 3),               (None, 5, 3)),
    ("Masking",           {"mask_value": -1.0},                         (None, None, 3),            (None, None, 3)),
    ("Masking",           {},                                           (None,),                    (None,)),
    ("Masking",           {},                                           (4, 2),                     (4, 2)),
    ("Masking",           {},                                           (None, 4, 8, 8, 3),         (None, 4, 8, 8, 3)),
    ("Masking",           {},                                           (None, None),               (None, None)),
    ("Masking",           {},                                           (2, 3, 4, 5, 6, 7),         (2, 3, 4, 5, 6, 7)),
    ("Masking",           {"mask_value": 0.0},                          (None, "t", 3),             (None, "t", 3)),

    ("Dot",               {"axes": 1},                                  [(None, 4), (None, 4)],     (None, 1)),
    ("Dot",               {"axes": -1},                                 [(None, 5, 4), (None, 6, 4)], (None, 5, 6)),
    ("Dot",               {"axes": (1, 2)},                             [(None, 3, 4), (None, 5, 3)], (None, 4, 5)),
    ("Dot",               {"axes": [2, 2]},                             [(None, 3, 4), (None, 5, 4)], (None, 3, 5)),
    ("Dot",               {"axes": (-1, -2)},                           [(None, 3, 4), (None, 4, 5)], (None, 3, 5)),
    ("Dot",               {"axes": -1},                                 [(None, 4), (None, 3, 4)],  (None, 3)),
    ("Dot",               {"axes": 1, "normalize": True},               [(None, 4), (None, 4)],     (None, 1)),
    ("Dot",               {"axes": 2},                                  [(None, 3, None), (None, 5, None)], (None, 3, 5)),
    ("Dot",               {"axes": 1},                                  [(4, 3), (None, 3)],        (4, 1)),
    ("Dot",               {"axes": 1},                                  [(4, 3), (2, 3)],           "KS301"),
    ("Dot",               {"axes": 2},                                  [(None, 3, 4), (None, 3, 5)], "KS301"),
    ("Dot",               {"axes": 2},                                  [(None, 3, 4), (None, 3, None)], "KS301"),
    ("Dot",               {"axes": 1},                                  [(None, 4), (None, 4), (None, 4)], "KS301"),
    ("Dot",               {"axes": 1},                                  [(None, 4)],                "KS301"),
    ("Dot",               {"axes": 3},                                  [(None, 3, 4), (None, 3, 4)], "KS203"),
    ("Dot",               {"axes": (1, 2, 3)},                          [(None, 3, 4), (None, 3, 4)], "KS203"),
    ("Dot",               {"axes": -1},                                 [(None,), (None,)],         "KS101"),
    ("Dot",               {"axes": (1, 0)},                             [(None, 3), (None, 3)],     "KS203"),
    ("Dot",               {"axes": 0},                                  [(None, 3), (None, 3)],     "KS203"),
    ("Dot",               {"axes": (-2, 1)},                            [(None, 3), (None, 3)],     "KS203"),
    ("Dot",               {"axes": 2},                                  [(None, 3, "n"), (None, 3, "n")], (None, 3, 3)),
    ("Dot",               {},                                           [(None, 4), (None, 4)],     MISSING),

    ("SpatialDropout1D",  {"rate": 0.5},                                (None, 5, 3),               (None, 5, 3)),
    ("SpatialDropout1D",  {"rate": 0.5},                                (None, None, None),         (None, None, None)),
    ("SpatialDropout1D",  {"rate": 0.5},                                (4, 5, 3),                  (4, 5, 3)),
    ("SpatialDropout1D",  {"rate": 0.1, "seed": 2},                     (None, "t", 3),             (None, "t", 3)),
    ("SpatialDropout1D",  {"rate": 0.5},                                (None, 0, 3),               (None, 0, 3)),
    ("SpatialDropout1D",  {"rate": 0.5},                                (None,),                    "KS101"),
    ("SpatialDropout1D",  {"rate": 0.5},                                (None, 5),                  "KS101"),
    ("SpatialDropout1D",  {"rate": 0.5},                                (None, 5, 5, 3),            "KS101"),
    ("SpatialDropout2D",  {"rate": 0.5},                                (None, 5, 5, 3),            (None, 5, 5, 3)),
    ("SpatialDropout2D",  {"rate": 0.5, **CF},                          (None, 3, 5, 5),            (None, 3, 5, 5)),
    ("SpatialDropout2D",  {"rate": 0.5},                                (None, None, None, 3),      (None, None, None, 3)),
    ("SpatialDropout2D",  {"rate": 0.5},                                (2, 5, 5, None),            (2, 5, 5, None)),
    ("SpatialDropout2D",  {"rate": 0.5, "data_format": "channels_last"}, (None, 5, 5, 3),           (None, 5, 5, 3)),
    ("SpatialDropout2D",  {"rate": 0.5},                                (None, 5),                  "KS101"),
    ("SpatialDropout2D",  {"rate": 0.5},                                (None, 5, 3),               "KS101"),
    ("SpatialDropout2D",  {"rate": 0.5},                                (None, 4, 5, 5, 3),         "KS101"),
    ("SpatialDropout3D",  {"rate": 0.5},                                (None, 4, 5, 5, 3),         (None, 4, 5, 5, 3)),
    ("SpatialDropout3D",  {"rate": 0.5},                                (2, None, None, None, 3),   (2, None, None, None, 3)),
    ("SpatialDropout3D",  {"rate": 0.5, **CF},                          (None, 3, 4, 5, 5),         (None, 3, 4, 5, 5)),
    ("SpatialDropout3D",  {"rate": 0.2},                                (None, 4, "h", "w", 3),     (None, 4, "h", "w", 3)),
    ("SpatialDropout3D",  {"rate": 0.5},                                (None, 1, 1, 1, 1),         (None, 1, 1, 1, 1)),
    ("SpatialDropout3D",  {"rate": 0.5},                                (None, 5, 3),               "KS101"),
    ("SpatialDropout3D",  {"rate": 0.5},                                (None, 5, 5, 3),            "KS101"),
    ("SpatialDropout3D",  {"rate": 0.5},                                (None, 4, 5, 5, 3, 1),      "KS101"),

    ("UnitNormalization", {},                                           (None, 8),                  (None, 8)),
    ("UnitNormalization", {},                                           (None, 4, None),            (None, 4, None)),
    ("UnitNormalization", {"axis": [1, 2]},                             (None, 8, 8),               (None, 8, 8)),
    ("UnitNormalization", {"axis": 0},                                  (None, 8, 8),               (None, 8, 8)),
    ("UnitNormalization", {"axis": -3},                                 (None, 8, 8),               (None, 8, 8)),
    ("UnitNormalization", {"axis": (1,)},                               (None, 8, None),            (None, 8, None)),
    ("UnitNormalization", {"axis": 3},                                  (None, 8, 8),               "KS203"),
    ("UnitNormalization", {"axis": -4},                                 (None, 8, 8),               "KS203"),
    ("UnitNormalization", {"axis": [1, 5]},                             (None, 8, 8),               "KS203"),

    ("GroupNormalization", {"groups": 2},                               (None, 8, 4),               (None, 8, 4)),
    ("GroupNormalization", {},                                          (None, 8, 64),              (None, 8, 64)),
    ("GroupNormalization", {"groups": -1},                              (None, 8, 5),               (None, 8, 5)),
    ("GroupNormalization", {"groups": 2, "axis": 1},                    (None, 4, None),            (None, 4, None)),
    ("GroupNormalization", {"groups": 2, "axis": -2},                   (None, 4, 3),               (None, 4, 3)),
    ("GroupNormalization", {"groups": 2, "axis": 0},                    (4, 4, 3),                  (4, 4, 3)),
    ("GroupNormalization", {"groups": 2},                               (None, 2, 2, 2, 2, 4),      (None, 2, 2, 2, 2, 4)),
    ("GroupNormalization", {"groups": 2},                               (None, "c"),                (None, "c")),
    ("GroupNormalization", {},                                          (None, 8, 16),              "KS203"),
    ("GroupNormalization", {"groups": 3},                               (None, 8, 4),               "KS203"),
    ("GroupNormalization", {"groups": 2},                               (None, 0),                  "KS203"),
    ("GroupNormalization", {"groups": 0},                               (None, 8, 4),               "KS203"),
    ("GroupNormalization", {"groups": 2, "axis": 3},                    (None, 4, 4),               "KS203"),
    ("GroupNormalization", {"groups": 2, "axis": [1, 2]},               (None, 4, 4),               "KS203"),
    ("GroupNormalization", {"groups": 2},                               (None, 8, None),            "KS103"),
    ("GroupNormalization", {"groups": 2, "axis": 1},                    (None, None, 4),            "KS103"),
    ("GroupNormalization", {"groups": 2, "axis": -3},                   (None, 4, 4),               "KS103"),

    ("Rescaling",         {"scale": 1 / 255},                           (None, 8, 8, 3),            (None, 8, 8, 3)),
    ("Rescaling",         {"scale": 2.0, "offset": -1.0},               (None, None, None, 3),      (None, None, None, 3)),
    ("Rescaling",         {"scale": 0.5},                               (None,),                    (None,)),
    ("Rescaling",         {"scale": 0.5},                               (None, 5),                  (None, 5)),
    ("Rescaling",         {"scale": 0.5},                               (8, 8, 3),                  (8, 8, 3)),
    ("Rescaling",         {"scale": 0.5},                               (None, 4, 8, 8, 3),         (None, 4, 8, 8, 3)),
    ("Rescaling",         {"scale": 0.5},                               (2, 3, 4, 5, 6, 7),         (2, 3, 4, 5, 6, 7)),
    ("Rescaling",         {"scale": 0.5},                               (None, "h", "w", 3),        (None, "h", "w", 3)),

    ("Resizing",          {"height": 2, "width": 3},                    (None, 8, 8, 3),            (None, 2, 3, 3)),
    ("Resizing",          {"height": 2, "width": 3},                    (None, None, None, 3),      (None, 2, 3, 3)),
    ("Resizing",          {"height": 2, "width": 3, "crop_to_aspect_ratio": True}, (None, 8, 6, 3), (None, 2, 3, 3)),
    ("Resizing",          {"height": 2, "width": 3, "pad_to_aspect_ratio": True}, (None, None, 8, 3), (None, 2, 3, 3)),
    ("Resizing",          {"height": 2, "width": 3, **CF},              (None, 3, 8, 8),            (None, 3, 2, 3)),
    ("Resizing",          {"height": 2, "width": 3, "data_format": "Channels_First"}, (None, 3, 8, 8), (None, 3, 2, 3)),
    ("Resizing",          {"height": 2, "width": 3},                    (8, 8, 3),                  (2, 3, 3)),
    ("Resizing",          {"height": 2, "width": 3, **CF},              (3, 8, 8),                  (3, 2, 3)),
    # Symbolic Keras gives (None, 0, 3, 3) and (None, None, 3, 3); data fails
    ("Resizing",          {"height": 0, "width": 3},                    (None, 8, 8, 3),            "KS203"),
    ("Resizing",          {"height": None, "width": 3},                 (None, 8, 8, 3),            "KS203"),
    # Symbolic Keras takes every rank but 4 as one image ((None, 5) -> (2, 3)); data fails
    ("Resizing",          {"height": 2, "width": 3},                    (None, 5),                  "KS101"),
    ("Resizing",          {"height": 2, "width": 3},                    (None, 4, 8, 8, 3),         "KS101"),
    ("Resizing",          {"height": 2, "width": 3, **CF},              (None, 4, 3, 8, 8),         "KS101"),
    ("Resizing",          {"height": 2, "width": 3},                    (None,),                    "KS101"),
    ("Resizing",          {"height": 2, "width": 3, **CF},              (None, 5),                  "KS101"),
    ("Resizing",          {"height": -1, "width": 3},                   (None, 8, 8, 3),            "KS203"),
    ("Resizing",          {"height": 2, "width": -3},                   (None, 8, 8, 3),            "KS203"),
    ("Resizing",          {"height": 2},                                (None, 8, 8, 3),            MISSING),

    ("CenterCrop",        {"height": 2, "width": 3},                    (None, 8, 8, 3),            (None, 2, 3, 3)),
    ("CenterCrop",        {"height": 2, "width": 3},                    (None, None, None, 3),      (None, 2, 3, 3)),
    ("CenterCrop",        {"height": 20, "width": 30},                  (None, 8, 8, 3),            (None, 20, 30, 3)),
    ("CenterCrop",        {"height": 2, "width": 3, **CF},              (None, 3, 8, 8),            (None, 3, 2, 3)),
    ("CenterCrop",        {"height": 2, "width": 3},                    (8, 8, 3),                  (2, 3, 3)),
    ("CenterCrop",        {"height": 2, "width": 3},                    (None, 5, 6),               (2, 3, 6)),
    ("CenterCrop",        {"height": 2, "width": 3, **CF},              (None, 5, 6),               (None, 2, 3)),
    ("CenterCrop",        {"height": 0, "width": 3},                    (None, 8, 8, 3),            (None, 0, 3, 3)),
    ("CenterCrop",        {"height": 0, "width": 9},                    (None, 8, 8, 3),            "KS203"),
    ("CenterCrop",        {"height": 2, "width": None},                 (None, 8, 8, 3),            "KS203"),
    ("CenterCrop",        {"height": 2, "width": 3},                    (None, 5),                  "KS101"),
    ("CenterCrop",        {"height": 2, "width": 3},                    (None, 4, 8, 8, 3),         "KS101"),
    ("CenterCrop",        {"height": -1, "width": 3},                   (None, 8, 8, 3),            "KS203"),

    ("RandomCrop",        {"height": 2, "width": 3},                    (None, 8, 8, 3),            (None, 2, 3, 3)),
    ("RandomCrop",        {"height": 2, "width": 3},                    (None, None, None, 3),      (None, 2, 3, 3)),
    ("RandomCrop",        {"height": 20, "width": 30},                  (None, 8, 8, 3),            (None, 20, 30, 3)),
    ("RandomCrop",        {"height": 2, "width": 3, **CF},              (None, 3, 8, 8),            (None, 3, 2, 3)),
    ("RandomCrop",        {"height": 2, "width": 3},                    (8, 8, 3),                  (2, 3, 3)),
    ("RandomCrop",        {"height": 2, "width": 3, **CF},              (3, 8, 8),                  (3, 2, 3)),
    ("RandomCrop",        {"height": 2, "width": 3},                    (None, 4, 8, 8, 3),         "KS101"),
    ("RandomCrop",        {"height": 2, "width": 3, **CF},              (None, 5),                  "KS101"),
    ("RandomCrop",        {"height": 2, "width": 3, "seed": 1},         (None, 8, 8, None),         (None, 2, 3, None)),
    ("RandomCrop",        {"height": 2, "width": 3},                    (None, 5),                  "KS101"),
    ("RandomCrop",        {"height": 2, "width": 3, **CF},              (None,),                    "KS101"),
    ("RandomCrop",        {"height": -2, "width": 3},                   (None, 8, 8, 3),            "KS203"),
    ("RandomCrop",        {"height": 0, "width": 3},                    (None, 8, 8, 3),            (None, 0, 3, 3)),
    ("RandomCrop",        {"height": 10, "width": 0},                   (4, 1, 11),                 "KS203"),
    ("RandomCrop",        {"height": None, "width": 3},                 (None, 8, 8, 3),            "KS203"),

    # Symbolic inputs of any rank build, but data of a rank other than 3 or 4 fails
    ("RandomFlip",        {},                                           (None, 8, 8, 3),            (None, 8, 8, 3)),
    ("RandomFlip",        {"mode": "horizontal"},                       (8, 8, 3),                  (8, 8, 3)),
    ("RandomFlip",        {"mode": "vertical", **CF},                   (None, 3, 8, 8),            (None, 3, 8, 8)),
    ("RandomFlip",        {},                                           (None, None, None, 3),      (None, None, None, 3)),
    ("RandomFlip",        {},                                           (None, 5),                  "KS101"),
    ("RandomFlip",        {},                                           (None, 4, 8, 8, 3),         "KS101"),
    ("RandomFlip",        {"seed": 3},                                  (2, 8, 8, 1),               (2, 8, 8, 1)),
    ("RandomFlip",        {},                                           (None,),                    "KS101"),
    ("RandomRotation",    {"factor": 0.1},                              (None, 8, 8, 3),            (None, 8, 8, 3)),
    ("RandomRotation",    {"factor": (-0.2, 0.3)},                      (8, 8, 3),                  (8, 8, 3)),
    ("RandomRotation",    {"factor": 0.1, "fill_mode": "nearest"},      (None, None, None, 3),      (None, None, None, 3)),
    ("RandomRotation",    {"factor": 0.1, **CF},                        (None, 3, 8, 8),            (None, 3, 8, 8)),
    ("RandomRotation",    {"factor": 0.1},                              (None, 5),                  "KS101"),
    ("RandomRotation",    {"factor": 0.1},                              (None, 4, 8, 8, 3),         "KS101"),
    ("RandomRotation",    {"factor": 0.1},                              (None,),                    "KS101"),
    ("RandomRotation",    {"factor": 0.1},                              (2, 8, 8, 1),               (2, 8, 8, 1)),
    ("RandomZoom",        {"height_factor": 0.1},                       (None, 8, 8, 3),            (None, 8, 8, 3)),
    ("RandomZoom",        {"height_factor": (-0.2, 0.2), "width_factor": 0.1}, (8, 8, 3),           (8, 8, 3)),
    ("RandomZoom",        {"height_factor": 0.1, **CF},                 (None, 3, 8, 8),            (None, 3, 8, 8)),
    ("RandomZoom",        {"height_factor": 0.1},                       (None, None, None, 3),      (None, None, None, 3)),
    ("RandomZoom",        {"height_factor": 0.1},                       (None, 5),                  "KS101"),
    ("RandomZoom",        {"height_factor": 0.1},                       (None, 4, 8, 8, 3),         "KS101"),
    ("RandomZoom",        {"height_factor": 0.1},                       (None,),                    "KS101"),
    ("RandomZoom",        {"height_factor": 0.1},                       (2, 8, 8, 1),               (2, 8, 8, 1)),
    ("RandomTranslation", {"height_factor": 0.1, "width_factor": 0.1},  (None, 8, 8, 3),            (None, 8, 8, 3)),
    ("RandomTranslation", {"height_factor": 0.1, "width_factor": 0.2},  (8, 8, 3),                  (8, 8, 3)),
    ("RandomTranslation", {"height_factor": 0.1, "width_factor": 0.1, **CF}, (None, 3, 8, 8),       (None, 3, 8, 8)),
    ("RandomTranslation", {"height_factor": 0.1, "width_factor": 0.1},  (None, None, None, 3),      (None, None, None, 3)),
    ("RandomTranslation", {"height_factor": 0.1, "width_factor": 0.1},  (None, 5),                  "KS101"),
    ("RandomTranslation", {"height_factor": 0.1, "width_factor": 0.1},  (None, 4, 8, 8, 3),         "KS101"),
    ("RandomTranslation", {"height_factor": 0.1, "width_factor": 0.1},  (None,),                    "KS101"),
    ("RandomTranslation", {"height_factor": 0.1, "width_factor": 0.1},  (2, 8, 8, 1),               (2, 8, 8, 1)),
    ("RandomContrast",    {"factor": 0.1},                              (None, 8, 8, 3),            (None, 8, 8, 3)),
    ("RandomContrast",    {"factor": 0.1},                              (8, 8, 3),                  (8, 8, 3)),
    ("RandomContrast",    {"factor": (0.1, 0.3)},                       (None, None, None, 3),      (None, None, None, 3)),
    ("RandomContrast",    {"factor": 0.1},                              (None, 3, 8, 8),            (None, 3, 8, 8)),
    ("RandomContrast",    {"factor": 0.1},                              (None, 5),                  "KS101"),
    ("RandomContrast",    {"factor": 0.1},                              (None, 4, 8, 8, 3),         "KS101"),
    ("RandomContrast",    {"factor": 0.1},                              (None,),                    "KS101"),
    ("RandomContrast",    {"factor": 0.1},                              (2, 8, 8, 1),               (2, 8, 8, 1)),
    ("RandomBrightness",  {"factor": 0.1},                              (None, 8, 8, 3),            (None, 8, 8, 3)),
    ("RandomBrightness",  {"factor": (-0.2, 0.2), "value_range": (0, 1)}, (8, 8, 3),                (8, 8, 3)),
    ("RandomBrightness",  {"factor": 0.1},                              (None, None, None, 3),      (None, None, None, 3)),
    ("RandomBrightness",  {"factor": 0.1},                              (None, 3, 8, 8),            (None, 3, 8, 8)),
    ("RandomBrightness",  {"factor": 0.1},                              (None, 5),                  "KS101"),
    ("RandomBrightness",  {"factor": 0.1},                              (None, 4, 8, 8, 3),         "KS101"),
    ("RandomBrightness",  {"factor": 0.1},                              (None,),                    "KS101"),
    ("RandomBrightness",  {"factor": 0.1},                              (2, 8, 8, 1),               (2, 8, 8, 1)),

    (BI,                  {"layer": LSTM4},                             (None, 5, 3),               (None, 8)),
    (BI,                  {"layer": LSTM4_SEQ},                         (None, 5, 3),               (None, 5, 8)),
    (BI,                  {"layer": LSTM4_SEQ, "merge_mode": "sum"},    (None, 5, 3),               (None, 5, 4)),
    (BI,                  {"layer": LSTM4, "merge_mode": "mul"},        (None, 5, 3),               (None, 4)),
    (BI,                  {"layer": LSTM4, "merge_mode": "ave"},        (2, None, 3),               (2, 4)),
    (BI,                  {"layer": LSTM4, "merge_mode": None},         (None, 5, 3),               [(None, 4), (None, 4)]),
    (BI,                  {"layer": LSTM4_SEQ, "merge_mode": None},     (None, 5, 3),               [(None, 5, 4), (None, 5, 4)]),
    (BI,                  {"layer": ("GRU", {"units": 3, "return_sequences": True})}, (None, None, 2), (None, None, 6)),
    (BI,                  {"layer": ("SimpleRNN", {"units": 2})},       (4, 7, 2),                  (4, 4)),
    (BI,                  {"layer": ("LSTM", {"units": 4, "return_state": True})}, (None, 5, 3),    [(None, 8)] + [(None, 4)] * 4),
    (BI,                  {"layer": LSTM4, "backward_layer": ("LSTM", {"units": 4, "go_backwards": True})},
                                                                        (None, 5, 3),               None),
    (BI,                  {"layer": LSTM4},                             (None, 5),                  "KS101"),
    (BI,                  {"layer": LSTM4},                             (None, 5, 3, 2),            "KS101"),
    (BI,                  {"layer": LSTM4},                             (None, 5, None),            "KS103"),
    (BI,                  {"layer": ("LSTM", {"units": 0})},            (None, 5, 3),               "KS203"),
    (BI,                  {"layer": LSTM4, "merge_mode": "max"},        (None, 5, 3),               "KS203"),

    # An argument kerasshape could not evaluate arrives as UNK: unknown sizes, never an error.
    ("Resizing",          {"height": UNK, "width": 3},                  (None, 8, 8, 3),            (None, UNK, 3, 3)),
    ("CenterCrop",        {"height": 4, "width": UNK},                  (None, 8, 8, 3),            (None, 4, UNK, 3)),
    ("RandomCrop",        {"height": UNK, "width": UNK},                (None, 8, 8, 3),            (None, UNK, UNK, 3)),
    ("Dot",               {"axes": 2},                                  [(None, 3, UNK), (None, 5, None)], (None, 3, 5)),
    (BI,                  {"layer": ("LSTM", {"units": UNK})},          (None, 5, 3),               (None, UNK)),
]

# Positional constructor arguments bind like Keras's: (layer, args, input, output)
POSITIONAL = [
    ("Permute",           ((2, 1),),                                    (None, 3, 4),               (None, 4, 3)),
    ("Dot",               (1,),                                         [(None, 4), (None, 4)],     (None, 1)),
    ("Dot",               ((1, 2), True),                               [(None, 3, 4), (None, 5, 3)], (None, 4, 5)),
    ("GroupNormalization", (2, 1),                                      (None, 4, 3),               (None, 4, 3)),
    ("GroupNormalization", (3,),                                        (None, 4, 4),               "KS203"),
    ("UnitNormalization", (1,),                                         (None, 4, 3),               (None, 4, 3)),
    ("Resizing",          (2, 3),                                       (None, 8, 8, 3),            (None, 2, 3, 3)),
    ("Resizing",          (2, 3, "nearest", True, False, "constant", 0.0, False, "channels_first"),
                                                                        (None, 3, 8, 8),            (None, 3, 2, 3)),
    ("CenterCrop",        (2, 3, "channels_first"),                     (None, 3, 8, 8),            (None, 3, 2, 3)),
    ("RandomCrop",        (2, 3, None, "channels_first"),               (None, 3, 8, 8),            (None, 3, 2, 3)),
    (BI,                  (LSTM4_SEQ, "sum"),                           (None, 5, 3),               (None, 5, 4)),
    (BI,                  (LSTM4, None),                                (None, 5, 3),               [(None, 4), (None, 4)]),
]


# ------------------------------------------------------------------- the harness

@pytest.mark.parametrize("layer, kwargs, x, expected", _rows(CASES))
def test_output_shape(layer, kwargs, x, expected):
    got = ours(layer, (), kwargs, x)
    assert got == expected, f"{layer}({kwargs}) on {x}: {got} != {expected}"


@pytest.mark.parametrize("layer, args, x, expected", _rows(POSITIONAL))
def test_positional_arguments(layer, args, x, expected):
    assert ours(layer, args, {}, x) == expected


def test_rows_per_layer():
    """At least 8 rows for every layer of this file."""
    count = Counter(row[0] for row in CASES)
    assert {name for name, n in count.items() if n < 8} == set()
    assert set(count) <= set(TABLE)


def test_signature_metadata():
    for name in {row[0] for row in CASES}:
        sig = TABLE[name]
        assert sig.doc and "->" in sig.doc, f"{name} has no one-line input -> output docstring"
        assert set(sig.params) <= set(sig.defaults) | set(sig.positional), name
    from kerasshape.signatures import FUNCTIONS
    assert FUNCTIONS["dot"] == "Dot"
    gn = TABLE["GroupNormalization"]
    assert gn.axes(gn.defined, {"axis": 1}) == (1,) and gn.axes(gn.defined, {"axis": UNK}) == ()


# -------------------------------------------------------------- against real Keras

def keras_layer(keras, spec):
    layer, pos, kwargs = spec
    if layer == BI:
        kwargs = dict(kwargs)
        pos = list(pos)
        inner = pos.pop(0) if pos else kwargs.pop("layer")
        if isinstance(kwargs.get("backward_layer"), tuple):
            kwargs["backward_layer"] = keras_layer(keras, (*kwargs["backward_layer"][:1], (),
                                                           kwargs["backward_layer"][1]))
        return keras.layers.Bidirectional(keras_layer(keras, (inner[0], (), inner[1])),
                                          *pos, **kwargs)
    return getattr(keras.layers, layer)(*pos, **kwargs)


# Layers Keras builds on symbolic inputs it then fails to run on data: the image layers on
# ranks other than 3 and 4, Dot on different batch sizes. For these the replay also calls
# the layer on zeros of the input shape, and a failure there counts as Keras rejecting.
ON_DATA = {"RandomFlip", "RandomRotation", "RandomZoom", "RandomTranslation", "RandomContrast",
           "RandomBrightness", "Resizing", "CenterCrop", "RandomCrop", "Dot"}


def _data(shapes):
    """Zeros of the given shapes: a None batch takes another input's batch, other Nones 16."""
    import numpy as np

    batch = next((s[0] for s in shapes if s and is_int(s[0])), 2)
    return [np.zeros([batch if i == 0 and d is None else (16 if d is None else d)
                      for i, d in enumerate(concrete(s))], "float32") for s in shapes]


def theirs(keras, layer, pos, kwargs, x):
    """Keras's output shape(s) on symbolic inputs, or REJECTED when it raises."""
    try:
        obj = keras_layer(keras, (layer, pos, kwargs))
        if TABLE[layer].many:
            out = obj([keras.Input(batch_shape=concrete(s)) for s in x])
        else:
            out = obj(keras.Input(batch_shape=concrete(x)))
        if layer in ON_DATA:
            data = _data(x if TABLE[layer].many else [x])
            obj(data if TABLE[layer].many else data[0], training=True)
    except Exception:  # noqa: BLE001 - any exception is Keras refusing the layer
        return REJECTED
    if isinstance(out, (list, tuple)):
        return [tuple(t.shape) for t in out]
    return tuple(out.shape)


@pytest.mark.tf
@keras_warnings
@pytest.mark.parametrize("layer, kwargs, x, expected", _rows(CASES))
def test_matches_keras(keras, layer, kwargs, x, expected):
    if UNK in _flat(kwargs) or UNK in _flat(x):
        pytest.skip("a value kerasshape cannot evaluate has no value to give Keras")
    real = theirs(keras, layer, (), kwargs, x)
    assert agree(expected, real), f"{layer}({kwargs}) on {x}: Keras gives {real}"


@pytest.mark.tf
@keras_warnings
@pytest.mark.parametrize("layer, args, x, expected", _rows(POSITIONAL))
def test_positional_matches_keras(keras, layer, args, x, expected):
    real = theirs(keras, layer, args, {}, x)
    assert agree(expected, real), f"{layer}{args} on {x}: Keras gives {real}"


@pytest.mark.tf
@keras_warnings
def test_dot_function_matches_keras(keras):
    """keras.layers.dot(inputs, axes) is Dot(axes)(inputs)."""
    a, b = keras.Input(batch_shape=(None, 3, 4)), keras.Input(batch_shape=(None, 5, 4))
    mine = ours("Dot", (), {"axes": 2}, [(None, 3, 4), (None, 5, 4)])
    assert tuple(keras.layers.dot([a, b], axes=2).shape) == mine == (None, 3, 5)


# ----------------------------------------------------- randomized conformance

def _rank_shape(rng, none=0.12, lo=1, hi=9):
    return _shape(rng, rng.choice([1, 2, 3, 3, 4, 4, 4, 5]), none=none, lo=lo, hi=hi)


def gen_permute(rng):
    n = rng.choice([1, 2, 2, 3, 3, 4])
    dims = list(range(1, n + 1))
    rng.shuffle(dims)
    r = rng.random()
    if r < 0.08:
        dims[rng.randrange(n)] = rng.choice([0, n + 1])
    elif r < 0.12 and n > 1:
        dims[0] = dims[-1]
    rank = n + 1 if rng.random() < 0.8 else rng.choice([n, n + 2])
    return "Permute", {"dims": tuple(dims) if rng.random() < 0.7 else dims}, _shape(rng, max(rank, 1))


def gen_dot(rng):
    ra = rng.choice([1, 2, 2, 3, 3, 3, 4])
    rb = ra if rng.random() < 0.5 else rng.choice([1, 2, 2, 3, 3, 4])
    a = list(_shape(rng, ra, none=0.1, lo=1, hi=5, batch=0.1))
    b = list(_shape(rng, rb, none=0.1, lo=1, hi=5, batch=0.1))
    r = rng.random()
    if r < 0.5:
        axes = rng.choice([-1, -1, -2, 1, 1, 2, 2, 3, 0, -3, 4])
    elif r < 0.95:
        axes = (rng.randint(1, ra - 1) if ra > 1 and rng.random() < 0.8 else rng.choice([0, 3, -1, -2]),
                rng.randint(1, rb - 1) if rb > 1 and rng.random() < 0.8 else rng.choice([0, 3, -1, -2]))
        axes = list(axes) if rng.random() < 0.3 else axes
    else:
        axes = (1, 2, 3)
    # mostly make the dotted sizes equal, so that the output arithmetic is exercised
    pair = (axes, axes) if isinstance(axes, int) else tuple(axes)[:2]
    if rng.random() < 0.85 and len(pair) == 2:
        i = pair[0] % ra if pair[0] < 0 else pair[0]
        j = pair[1] % rb if pair[1] < 0 else pair[1]
        if 0 <= i < ra and 0 <= j < rb and (i > 0 or j > 0):
            if i > 0 and j > 0:
                b[j] = a[i]
            elif rng.random() < 0.5:  # the batch axis dotted: Keras does not stop it
                a[0] = b[0] = rng.choice([None, 2])
    xs = [tuple(a), tuple(b)]
    if rng.random() < 0.05:
        xs = xs + [tuple(b)] if rng.random() < 0.5 else xs[:1]
    kw = {"axes": axes}
    if rng.random() < 0.2:
        kw["normalize"] = True
    return "Dot", kw, xs


def gen_spatial_dropout(rng):
    layer = rng.choice(["SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D"])
    kw = {"rate": 0.3}
    if layer != "SpatialDropout1D" and rng.random() < 0.3:
        kw.update(CF)
    rank = {"SpatialDropout1D": 3, "SpatialDropout2D": 4, "SpatialDropout3D": 5}[layer]
    if rng.random() < 0.3:
        rank = rng.choice([1, 2, 3, 4, 5, 6])
    return layer, kw, _shape(rng, rank)


def gen_normalization(rng):
    layer = rng.choice(["UnitNormalization", "GroupNormalization", "GroupNormalization"])
    x = _shape(rng, rng.choice([1, 2, 3, 3, 4, 4]), none=0.1, hi=12)
    if layer == "UnitNormalization":
        kw = {"axis": rng.choice([-1, -1, 0, 1, 2, 3, -2, -3, -4, [1, 2], (1, 3), [-1]])}
        return layer, kw, x
    kw = {}
    if rng.random() < 0.4:
        kw["axis"] = rng.choice([1, 2, -2, 3, 0, -3, 4])
    channels = x[kw.get("axis", -1)] if -len(x) <= kw.get("axis", -1) < len(x) else None
    if is_int(channels) and channels > 0 and rng.random() < 0.6:
        kw["groups"] = rng.choice([g for g in range(1, channels + 1) if channels % g == 0] + [-1])
    else:
        kw["groups"] = rng.choice([1, 2, 2, 3, 4, 4, 6, 8, -1, 0, 32])
    if rng.random() < 0.1:
        kw = {}
    return layer, kw, x


def gen_image(rng):
    layer = rng.choice(["Resizing", "Resizing", "CenterCrop", "CenterCrop", "RandomCrop",
                        "RandomCrop"])
    kw = {"height": rng.choice([rng.randint(1, 10)] * 12 + [0, -1, None]),
          "width": rng.choice([rng.randint(1, 10)] * 12 + [0, -2])}
    cf = rng.random() < 0.3
    if cf:
        kw["data_format"] = rng.choice(["channels_first", "channels_first", "Channels_First"])
    elif rng.random() < 0.1:
        kw["data_format"] = "channels_last"
    if layer == "Resizing" and rng.random() < 0.4:
        kw[rng.choice(["crop_to_aspect_ratio", "pad_to_aspect_ratio"])] = True
    rank = rng.choice([4, 4, 4, 4, 3, 3, 2, 5, 1])
    return layer, kw, _shape(rng, rank, none=0.15, lo=1, hi=12, batch=0.2)


AUGMENT = {
    "RandomFlip": {}, "RandomRotation": {"factor": 0.2}, "RandomZoom": {"height_factor": 0.2},
    "RandomTranslation": {"height_factor": 0.1, "width_factor": 0.1},
    "RandomContrast": {"factor": 0.2}, "RandomBrightness": {"factor": 0.2},
    "Rescaling": {"scale": 0.5}, "Masking": {},
}


def gen_augment(rng):
    layer = rng.choice(sorted(AUGMENT))
    kw = dict(AUGMENT[layer])
    if layer not in ("Masking", "Rescaling") and rng.random() < 0.3:
        kw.update(CF)
    return layer, kw, _shape(rng, rng.choice([1, 2, 3, 4, 4, 4, 5]), none=0.15)


def gen_bidirectional(rng):
    kind = rng.choice(["LSTM", "GRU", "SimpleRNN"])
    inner = {"units": rng.choice([0] + [rng.randint(1, 5)] * 20),
             "return_sequences": rng.random() < 0.5}
    if rng.random() < 0.15:
        inner["return_state"] = True
    kw = {"layer": (kind, inner)}
    mode = rng.choice(["concat", "concat", "sum", "mul", "ave", None, "default"])
    if mode != "default":
        kw["merge_mode"] = mode
    if rng.random() < 0.05:
        kw["backward_layer"] = (kind, {**inner, "go_backwards": True})
    rank = rng.choice([2, 3, 3, 3, 3, 3, 4])
    x = _shape(rng, rank, none=0.12, lo=1, hi=7)
    if rank == 3 and rng.random() < 0.3:
        x = (x[0], None, x[2])
    return BI, kw, x


FAMILIES = {
    "permute": (gen_permute, 200),
    "dot": (gen_dot, 300),
    "spatial_dropout": (gen_spatial_dropout, 300),
    "normalization": (gen_normalization, 300),
    "image": (gen_image, 400),
    "augment": (gen_augment, 400),
    "bidirectional": (gen_bidirectional, 300),
}


def _key(layer, kwargs):
    if layer == BI:
        mode = kwargs.get("merge_mode", "concat")
        return f"{BI}(merge_mode={mode})"
    return layer


@pytest.mark.tf
@keras_warnings
@pytest.mark.parametrize("family", list(FAMILIES))
def test_randomized_conformance(keras, conformance, family):
    gen, count = FAMILIES[family]
    mismatches = run_conformance(
        conformance, family, gen, count, f"1234:misc:{family}",
        mine=lambda layer, kwargs, x: ours(layer, (), kwargs, x),
        real=lambda layer, kwargs, x: theirs(keras, layer, (), kwargs, x), agree=agree, key=_key)
    assert not mismatches, "\n".join(mismatches[:30])
