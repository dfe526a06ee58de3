"""The ops table (kerasshape/ops/): expected shapes row by row, the same rows replayed
against real keras.ops on symbolic tensors and against TensorFlow traced with TensorSpec
inputs (marker `tf`), a randomized conformance family, and engine-level programs.

The rows never import TensorFlow; only the `tf`-marked tests do.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import pytest

from kerasshape import ops
from kerasshape.engine import analyze_source
from kerasshape.ops.elementwise import BINARY, UNARY
from kerasshape.shapes import UNK, ShapeError, is_int

from .conformance_lib import REJECTED, run_conformance


@dataclass(frozen=True)
class T:
    """A tensor argument of the given shape."""

    shape: tuple


def t(*dims):
    return T(tuple(dims))


X = t(None, 6, 8)
UNKNOWN_T = T(None)   # a tensor whose shape kerasshape does not know


class _Dynamic:
    """A size known only at run time (``tf.shape(x)[0]``): None to kerasshape, a scalar int
    tensor to TensorFlow."""

    def __repr__(self) -> str:
        return "DYN"


DYN = _Dynamic()

CASES = [
    # op                              args                                   kwargs                         output
    ("keras.ops.reshape",             (t(2, 6, 8), (2, 12, 4)),              {},                            (2, 12, 4)),
    ("keras.ops.reshape",             (t(2, 6, 8), (-1, 4)),                 {},                            (24, 4)),
    ("keras.ops.reshape",             (t(2, 6, 8), 96),                      {},                            (96,)),
    ("keras.ops.reshape",             (X, (-1, 12, 4)),                      {},                            (None, 12, 4)),
    ("keras.ops.reshape",             (X, (None, -1, 4)),                    {},                            (None, None, 4)),
    ("keras.ops.reshape",             (t(2, 6, 8), (UNK, -1, 4)),            {},                            (UNK, UNK, 4)),
    ("keras.ops.reshape",             (t(2, 6, 8), (5, 4)),                  {},                            "KS201"),
    ("keras.ops.reshape",             (t(2, 6, 8), (-1, 5)),                 {},                            "KS201"),
    ("keras.ops.reshape",             (t(2, 6, 8), (-1, -1)),                {},                            "KS203"),
    ("keras.ops.reshape",             (X, (-2, 4)),                          {},                            "KS203"),
    ("keras.ops.reshape",             (t(2, 6, 8), (0, -1)),                 {},                            "KS201"),
    ("tensorflow.reshape",            (t(2, 6, 8), (-1, 4)),                 {},                            (24, 4)),
    ("tensorflow.reshape",            (X, (-1, 12, 4)),                      {},                            (None, 12, 4)),
    ("tensorflow.reshape",            (t(2, 6, 8), (7, -1)),                 {},                            "KS201"),
    ("keras.backend.reshape",         (X, (-1, 48)),                         {},                            (None, 48)),
    ("keras.ops.concatenate",         ([t(None, 3), t(None, 4)],),           {"axis": -1},                  (None, 7)),
    ("keras.ops.concatenate",         ([t(2, 3), t(5, 3)],),                 {},                            (7, 3)),
    ("keras.ops.concatenate",         ([t(None, 3), t(2, 3)],),              {},                            (None, 3)),
    ("keras.ops.concatenate",         ([t(None, 3), t(None, 4)],),           {},                            "KS301"),
    ("keras.ops.concatenate",         ([t(None, 3), t(None, 4, 1)],),        {"axis": 1},                   "KS301"),
    ("keras.ops.concatenate",         ([t(None, 3), t(None, 4)],),           {"axis": 2},                   "KS203"),
    ("keras.ops.concatenate",         ([t(None, "n"), t(None, 4)],),         {"axis": 1},                   (None, UNK)),
    ("keras.backend.concatenate",     ([t(None, 3), t(None, 4)],),           {},                            (None, 7)),
    ("tensorflow.concat",             ([t(None, 5, 3), t(None, 5, 4)], -1),  {},                            (None, 5, 7)),
    ("tensorflow.concat",             ([t(None, 5, 3), t(None, 6, 4)], 2),   {},                            "KS301"),
    ("keras.ops.stack",               ([t(None, 3), t(None, 3)],),           {},                            (2, None, 3)),
    ("keras.ops.stack",               ([t(None, 3), t(None, 3)],),           {"axis": -1},                  (None, 3, 2)),
    ("keras.ops.stack",               ([t(None, 3), t(None, 4)],),           {"axis": 1},                   "KS301"),
    ("keras.ops.stack",               ([t(None, 3), t(None, 3)],),           {"axis": 3},                   "KS203"),
    ("tensorflow.stack",              ([t(None, 3), t(None, 3)],),           {"axis": 1},                   (None, 2, 3)),
    ("keras.ops.expand_dims",         (X, 1),                                {},                            (None, 1, 6, 8)),
    ("keras.ops.expand_dims",         (X, -1),                               {},                            (None, 6, 8, 1)),
    ("keras.ops.expand_dims",         (X, (0, 2)),                           {},                            (1, None, 1, 6, 8)),
    ("keras.ops.expand_dims",         (X, 4),                                {},                            "KS203"),
    ("tensorflow.expand_dims",        (X,),                                  {"axis": 1},                   (None, 1, 6, 8)),
    ("keras.backend.expand_dims",     (X,),                                  {},                            (None, 6, 8, 1)),
    ("keras.ops.squeeze",             (t(None, 1, 3),),                      {"axis": 1},                   (None, 3)),
    ("keras.ops.squeeze",             (t(2, 1, 3, 1),),                      {},                            (2, 3)),
    ("keras.ops.squeeze",             (t(None, 1, 3),),                      {},                            None),
    ("keras.ops.squeeze",             (t(None, 2, 3),),                      {"axis": 1},                   "KS203"),
    ("keras.ops.squeeze",             (t(None, 1, 3),),                      {"axis": 3},                   "KS203"),
    ("tensorflow.squeeze",            (t(None, 5, 1),),                      {"axis": -1},                  (None, 5)),
    ("keras.backend.squeeze",         (t(None, 5, 1), -1),                   {},                            (None, 5)),
    ("keras.ops.transpose",           (X,),                                  {},                            (8, 6, None)),
    ("keras.ops.transpose",           (X, (0, 2, 1)),                        {},                            (None, 8, 6)),
    ("keras.ops.transpose",           (X, (0, 2)),                           {},                            "KS203"),
    ("keras.ops.transpose",           (X, (0, 1, 1)),                        {},                            "KS203"),
    ("tensorflow.transpose",          (X,),                                  {"perm": [0, 2, 1]},           (None, 8, 6)),
    ("keras.backend.permute_dimensions", (X, (0, 2, 1)),                     {},                            (None, 8, 6)),
    ("keras.ops.swapaxes",            (X, 1, 2),                             {},                            (None, 8, 6)),
    ("keras.ops.matmul",              (X, t(None, 8, 5)),                    {},                            (None, 6, 5)),
    ("keras.ops.matmul",              (X, t(8, 5)),                          {},                            (None, 6, 5)),
    ("keras.ops.matmul",              (X, t(8,)),                            {},                            (None, 6)),
    ("keras.ops.matmul",              (t(6,), t(None, 6, 3)),                {},                            (None, 3)),
    ("keras.ops.matmul",              (t(4, 1, 2, 3), t(5, 3, 7)),           {},                            (4, 5, 2, 7)),
    ("keras.ops.matmul",              (X, t(None, 6, 5)),                    {},                            "KS301"),
    ("keras.ops.matmul",              (t(4, 2, 3), t(5, 3, 7)),              {},                            "KS301"),
    ("tensorflow.matmul",             (X, t(None, 5, 8)),                    {"transpose_b": True},         (None, 6, 5)),
    ("tensorflow.matmul",             (X, t(None, 6, 5)),                    {},                            "KS301"),
    ("keras.ops.einsum",              ("bij,bjk->bik", X, t(None, 8, 5)),    {},                            (None, 6, 5)),
    ("keras.ops.einsum",              ("ijk,ij->ik", t(4, 6, 8), t(4, 6)),   {},                            (4, 8)),
    ("keras.ops.einsum",              ("ij,ij->ij", t(4, 6), t(5, 6)),       {},                            "KS301"),
    ("keras.ops.einsum",              ("ij,j->i", t(4, 6), t(5,)),           {},                            (4,)),
    ("keras.ops.einsum",              ("...ij,jk->...ik", X, t(8, 5)),       {},                            None),
    ("tensorflow.einsum",             ("bij,bjk->bik", X, t(None, 8, 5)),    {},                            (None, 6, 5)),
    ("tensorflow.einsum",             ("ij,ij->ij", t(1, 6), t(5, 6)),       {},                            None),
    ("tensorflow.einsum",             ("ijk,ij->ik", t(None, 6, 8), t(4, 6)), {},                           (4, 8)),
    ("keras.ops.dot",                 (t(None, 4), t(4, 3)),                 {},                            (None, 3)),
    ("keras.ops.dot",                 (X, t(5, 8, 3)),                       {},                            (None, 6, 5, 3)),
    ("keras.ops.dot",                 (X, t(8,)),                            {},                            (None, 6)),
    ("keras.ops.dot",                 (t(4,), t(4,)),                        {},                            ()),
    ("keras.ops.dot",                 (X, t(5, 3)),                          {},                            "KS301"),
    ("keras.backend.dot",             (t(None, 4), t(4, 3)),                 {},                            (None, 3)),
    ("keras.ops.add",                 (X, t(8,)),                            {},                            (None, 6, 8)),
    ("keras.ops.add",                 (X, 1.0),                              {},                            (None, 6, 8)),
    ("keras.ops.multiply",            (t(None, 6, 1), t(None, 1, 8)),        {},                            (None, 6, 8)),
    ("keras.ops.subtract",            (t(None, 1), t(5,)),                   {},                            (None, 5)),
    ("keras.ops.divide",              (t(None, 3), t(2, None)),              {},                            (2, 3)),
    ("keras.ops.maximum",             (X, t(None, 6, 5)),                    {},                            "KS301"),
    ("keras.ops.power",               (t(None, "n"), t(None, "n")),          {},                            (None, "n")),
    ("keras.ops.minimum",             (t(None, "n"), t(None, 1)),            {},                            (None, "n")),
    ("keras.ops.minimum",             (t(None, "n"), t(None, 4)),            {},                            (None, 4)),
    ("tensorflow.add",                (X, t(6, 1)),                          {},                            (None, 6, 8)),
    ("tensorflow.math.multiply",      (X, t(5,)),                            {},                            "KS301"),
    ("keras.ops.where",               (t(None, 1), X, 0.0),                  {},                            (None, 6, 8)),
    ("keras.ops.exp",                 (X,),                                  {},                            (None, 6, 8)),
    ("keras.ops.softmax",             (X,),                                  {"axis": 1},                   (None, 6, 8)),
    ("keras.ops.cast",                (X, "int32"),                          {},                            (None, 6, 8)),
    ("keras.ops.clip",                (X, 0.0, 1.0),                         {},                            (None, 6, 8)),
    ("tensorflow.nn.relu",            (X,),                                  {},                            (None, 6, 8)),
    ("tensorflow.math.log",           (X,),                                  {},                            (None, 6, 8)),
    ("keras.backend.sqrt",            (X,),                                  {},                            (None, 6, 8)),
    ("keras.ops.cumsum",              (X,),                                  {"axis": 1},                   (None, 6, 8)),
    ("keras.ops.cumprod",             (t(2, 3),),                            {},                            (6,)),
    ("tensorflow.matmul",             (t(None, 8), t(8,)),                   {},                            "KS101"),
    ("keras.ops.sum",                 (X,),                                  {},                            ()),
    ("keras.ops.sum",                 (X,),                                  {"axis": 1},                   (None, 8)),
    ("keras.ops.mean",                (X,),                                  {"axis": (1, 2)},              (None,)),
    ("keras.ops.max",                 (X,),                                  {"axis": -1, "keepdims": True}, (None, 6, 1)),
    ("keras.ops.min",                 (X,),                                  {"axis": None, "keepdims": True}, (1, 1, 1)),
    ("keras.ops.prod",                (X,),                                  {"axis": 3},                   "KS203"),
    ("tensorflow.reduce_sum",         (X,),                                  {"axis": 1},                   (None, 8)),
    ("tensorflow.math.reduce_mean",   (X, -1),                               {"keepdims": True},            (None, 6, 1)),
    ("tensorflow.reduce_max",         (X,),                                  {},                            ()),
    ("keras.backend.mean",            (X,),                                  {"axis": 1},                   (None, 8)),
    ("keras.ops.argmax",              (X,),                                  {"axis": -1},                  (None, 6)),
    ("keras.ops.argmax",              (X,),                                  {},                            ()),
    ("keras.ops.argmin",              (X,),                                  {"axis": 1, "keepdims": True}, (None, 1, 8)),
    ("tensorflow.argmax",             (X,),                                  {"axis": -1},                  (None, 6)),
    ("tensorflow.argmax",             (t(4, 6),),                            {},                            (6,)),
    ("keras.backend.argmax",          (X,),                                  {},                            (None, 6)),
    ("keras.ops.split",               (X, 2),                                {"axis": 1},                   [(None, 3, 8)] * 2),
    ("keras.ops.split",               (X, [2, 5]),                           {"axis": -1},                  [(None, 6, 2), (None, 6, 3), (None, 6, 3)]),
    ("keras.ops.split",               (X, 4),                                {"axis": 1},                   "KS203"),
    ("keras.ops.split",               (X, 3),                                {},                            [(None, 6, 8)] * 3),
    ("keras.ops.split",               (X, [7]),                              {"axis": 1},                   "KS203"),
    ("tensorflow.split",              (X, 2),                                {"axis": 2},                   [(None, 6, 4)] * 2),
    ("tensorflow.split",              (X, [2, 6]),                           {"axis": 2},                   [(None, 6, 2), (None, 6, 6)]),
    ("tensorflow.split",              (X, [2, 5]),                           {"axis": 2},                   "KS203"),
    ("keras.ops.tile",                (X, (1, 2, 3)),                        {},                            (None, 12, 24)),
    ("keras.ops.tile",                (t(2, 3), 2),                          {},                            (2, 6)),
    ("keras.ops.tile",                (t(2, 3), (2, 1, 1)),                  {},                            (2, 2, 3)),
    ("tensorflow.tile",               (X, [1, 2, 1]),                        {},                            (None, 12, 8)),
    ("tensorflow.tile",               (X, [2, 1]),                           {},                            "KS203"),
    ("keras.ops.repeat",              (X, 2),                                {"axis": 1},                   (None, 12, 8)),
    ("keras.ops.repeat",              (t(2, 3), 2),                          {},                            (12,)),
    ("keras.ops.repeat",              (X, 2),                                {},                            (None,)),
    ("keras.ops.repeat",              (t(2, 3), [1, 2, 3]),                  {"axis": 1},                   (2, 6)),
    ("keras.ops.repeat",              (t(2, 3), [1, 2]),                     {"axis": 1},                   "KS203"),
    ("keras.backend.repeat_elements", (X, 3, 1),                             {},                            (None, 18, 8)),
    ("keras.ops.one_hot",             (t(None, 5), 10),                      {},                            (None, 5, 10)),
    ("keras.ops.one_hot",             (t(None, 5), 10),                      {"axis": 1},                   (None, 10, 5)),
    ("keras.ops.one_hot",             (t(None, 5), 10),                      {"axis": 2},                   "KS203"),
    ("tensorflow.one_hot",            (t(None, 5), 10),                      {},                            (None, 5, 10)),
    ("keras.backend.one_hot",         (t(None, 5), 10),                      {},                            (None, 5, 10)),
    ("keras.ops.ravel",               (t(2, 6, 8),),                         {},                            (96,)),
    ("keras.ops.ravel",               (X,),                                  {},                            (None,)),
    ("keras.backend.batch_flatten",   (X,),                                  {},                            (None, UNK)),
    ("keras.ops.shape",               (X,),                                  {},                            (None, 6, 8)),
    ("keras.ops.pad",                 (X, ((0, 0), (1, 2), (0, 0))),         {},                            (None, 9, 8)),
    ("keras.ops.pad",                 (t(2, 3), 1),                          {},                            (4, 5)),
    ("keras.ops.pad",                 (X, ((1, 1), (2, 2))),                 {},                            "KS203"),
    ("tensorflow.pad",                (X, [[0, 0], [1, 1], [0, 3]]),         {},                            (None, 8, 11)),
    ("tensorflow.pad",                (X, [[1, 1]]),                         {},                            "KS203"),
    ("tensorflow.nn.depth_to_space",  (t(None, 4, 4, 12), 2),                {},                            (None, 8, 8, 3)),
    ("tensorflow.nn.depth_to_space",  (t(None, 4, 4, 6), 2),                 {},                            "KS203"),
    ("tensorflow.nn.space_to_depth",  (t(None, 4, None, 3), 2),              {},                            (None, 2, None, 12)),
    ("tensorflow.nn.space_to_depth",  (t(None, 5, 4, 3), 2),                 {},                            "KS203"),
    ("keras.ops.moveaxis",            (X, 1, -1),                            {},                            (None, 8, 6)),
    ("keras.ops.moveaxis",            (X, 3, 0),                             {},                            "KS203"),
    ("keras.ops.broadcast_to",        (t(None, 1, 8), (4, 6, 8)),            {},                            (4, 6, 8)),
    ("keras.ops.broadcast_to",        (t(None, 5, 8), (4, 6, 8)),            {},                            "KS301"),
    ("tensorflow.broadcast_to",       (t(1, 8), (6, 8)),                     {},                            (6, 8)),
    ("keras.ops.take",                (t(100, 16), t(None, 5)),              {"axis": 0},                   (None, 5, 16)),
    ("keras.ops.take",                (X, t(3,)),                            {"axis": -1},                  (None, 6, 3)),
    ("keras.ops.take",                (X, t(2, 3)),                          {},                            (2, 3)),
    ("tensorflow.gather",             (t(100, 16), t(None, 5)),              {},                            (None, 5, 16)),
    ("keras.ops.top_k",               (X, 3),                                {},                            [(None, 6, 3)] * 2),
    ("tensorflow.math.top_k",         (X, 3),                                {},                            [(None, 6, 3)] * 2),
    ("tensorflow.math.top_k",         (X, 9),                                {},                            "KS203"),
    ("keras.random.normal",           ((2, 3),),                             {},                            (2, 3)),
    ("keras.random.dropout",          (X, 0.5),                              {},                            (None, 6, 8)),
    ("tensorflow.random.uniform",     ((4,),),                               {},                            (4,)),
    ("keras.ops.arange",              (5,),                                  {},                            (5,)),
    ("keras.ops.arange",              (2, 10, 3),                            {},                            (3,)),
    ("tensorflow.range",              (),                     {"start": 0, "limit": 7, "delta": 2},     (4,)),
    ("tensorflow.range",              (6,),                                  {},                            (6,)),
    ("keras.ops.image.extract_patches", (t(None, 72, 72, 3), 6),             {},                            (None, 12, 12, 108)),
    ("keras.ops.image.extract_patches", (t(None, 10, 9, 2), 3),              {"strides": 2, "padding": "same"}, (None, 5, 5, 18)),
    ("keras.ops.image.extract_patches", (t(8, 8, 1), (2, 4)),                {},                            (4, 2, 8)),
    ("keras.ops.image.extract_patches", (t(None, 4, 4, 3), 5),               {},                            "KS202"),
    ("tensorflow.range",              (0, 10, 2),                            {},                            (5,)),
    ("keras.ops.zeros",               ((2, 3),),                             {},                            (2, 3)),
    ("tensorflow.ones",               ([4],),                                {},                            (4,)),
    ("tensorflow.fill",               ((2, 5), 1.0),                         {},                            (2, 5)),
    # an input of unknown shape (UNKNOWN_T) still reshapes to the target
    ("keras.ops.reshape",             (UNKNOWN_T, (1, 1, 4, 4)),             {},                            (1, 1, 4, 4)),
    ("keras.ops.reshape",             (UNKNOWN_T, (-1, 4)),                  {},                            (UNK, 4)),
    ("keras.ops.reshape",             (UNKNOWN_T, (-1, -1)),                 {},                            "KS203"),
    ("tensorflow.reshape",            (UNKNOWN_T, (-1, 7, 7, 16)),           {},                            (UNK, 7, 7, 16)),
    ("tensorflow.reshape",            (UNKNOWN_T, (3, 7)),                   {},                            (3, 7)),
    ("keras.backend.reshape",         (UNKNOWN_T, (2, -1)),                  {},                            (2, UNK)),
    ("keras.ops.unstack",             (t(None, 3, 4),),                      {"axis": 1},                   [(None, 4)] * 3),
    ("keras.ops.unstack",             (t(2, 3),),                            {},                            [(3,)] * 2),
    ("keras.ops.unstack",             (t(2, 3),),                            {"num": 4, "axis": -1},        [(2,)] * 4),
    ("keras.ops.unstack",             (t(None, 3),),                         {},                            None),
    ("keras.ops.unstack",             (t(2, 3),),                            {"axis": 2},                   "KS203"),
    ("tensorflow.unstack",            (t(10, 1000, 32),),                    {"axis": 0},                   [(1000, 32)] * 10),
    ("tensorflow.unstack",            (t(None, 3, 4),),                      {"axis": -1},                  [(None, 3)] * 4),
    ("tensorflow.unstack",            (t(None, 3, 4),),                      {"num": 3, "axis": 1},         [(None, 4)] * 3),
    ("tensorflow.unstack",            (t(2, 3),),                            {"num": 4, "axis": 1},         None),
    ("tensorflow.unstack",            (t(None, 3),),                         {},                            None),
    ("keras.ops.linspace",            (0.0, 1.0, 7),                         {},                            (7,)),
    ("keras.ops.linspace",            (t(3,), 1.0),                          {"num": 5},                    (5, 3)),
    ("keras.ops.linspace",            (t(3,), t(2, 1)),                      {"num": 5, "axis": -1},        (2, 3, 5)),
    ("keras.ops.linspace",            (t(3,), t(4,)),                        {"num": 5},                    "KS301"),
    ("keras.ops.linspace",            (0.0, 1.0, 7),                         {"retstep": True},             None),
    ("keras.ops.logspace",            (0.0, 2.0, 4),                         {},                            (4,)),
    ("keras.ops.logspace",            (t(3,), 2.0, 4),                       {"axis": 1},                   (3, 4)),
    ("tensorflow.linspace",           (t(), t(), 16),                        {},                            (16,)),
    ("tensorflow.linspace",           (t(3,), t(3,), 5),                     {"axis": -1},                  (3, 5)),
    ("tensorflow.range",              (DYN,),                                {},                            (None,)),
    ("tensorflow.range",              (0, DYN, 2),                           {},                            (None,)),
    ("tensorflow.range",              (),                                    {"start": 1, "limit": DYN},    (None,)),
    ("tensorflow.gather_nd",          (t(None, 6, 10), t(None, 4, 2)),       {},                            (None, 4, 10)),
    ("tensorflow.gather_nd",          (t(5, 6, 10), t(3, 3)),                {},                            (3,)),
    ("tensorflow.gather_nd",          (t(5, 6, 10), t(2, 7, 1)),             {},                            (2, 7, 6, 10)),
    ("tensorflow.gather_nd",          (t(5, 6, 10), t(5, 2, 1)),             {"batch_dims": 1},             (5, 2, 10)),
    ("tensorflow.gather_nd",          (t(5, 6), t(3, 4)),                    {},                            None),
    ("tensorflow.image.extract_patches", (t(None, 32, 32, 3),),  {"sizes": [1, 3, 3, 1], "strides": [1, 1, 1, 1], "rates": [1, 1, 1, 1], "padding": "SAME"},  (None, 32, 32, 27)),
    ("tensorflow.image.extract_patches", (t(None, 9, 10, 2),),   {"sizes": [1, 3, 2, 1], "strides": [1, 2, 3, 1], "rates": [1, 1, 1, 1], "padding": "VALID"}, (None, 4, 3, 12)),
    ("tensorflow.image.extract_patches", (t(4, 11, None, 2),),   {"sizes": [1, 3, 3, 1], "strides": [1, 2, 2, 1], "rates": [1, 2, 1, 1], "padding": "VALID"}, (4, None, None, 18)),
    ("tensorflow.image.extract_patches", (t(4, 11, 7, 2),),      {"sizes": [1, 3, 3, 1], "strides": [1, 2, 2, 1], "rates": [1, 1, 1, 1], "padding": "SAME"},  (4, 6, 4, 18)),
    ("tensorflow.image.extract_patches", (t(None, 8, 8, 3),),    {"sizes": [2, 3, 3, 1], "strides": [1, 1, 1, 1], "rates": [1, 1, 1, 1], "padding": "SAME"},  None),
    ("keras.ops.image.resize",        (t(None, 28, 28, 1), (32, 32)),        {},                            (None, 32, 32, 1)),
    ("keras.ops.image.resize",        (t(28, 20, 3), (14, 10)),              {},                            (14, 10, 3)),
    ("keras.ops.image.resize",        (t(None, 3, 8, 8), (4, 5)),            {"data_format": "channels_first"}, (None, 3, 4, 5)),
    ("keras.ops.image.resize",        (t(None, 28, 28), (32, 32)),           {},                            (32, 32, 28)),
    ("keras.ops.image.resize",        (t(None, 28), (32, 32)),               {},                            "KS101"),
    ("keras.ops.image.resize",        (t(None, 28, 28, 1), (32, 32, 1)),     {},                            "KS203"),
    ("keras.ops.image.resize",        (t(None, 28, 28, 1), (0, 32)),         {},                            "KS203"),
    ("keras.ops.image.rgb_to_grayscale", (t(None, 32, 32, 3),),              {},                            (None, 32, 32, 1)),
    ("keras.ops.image.rgb_to_hsv",    (t(None, 32, 32, 3),),                 {},                            (None, 32, 32, 3)),
    ("tensorflow.image.resize",       (t(None, 28, 28, 1), [32, 32]),        {},                            (None, 32, 32, 1)),
    ("tensorflow.image.resize",       (t(28, 28, 3), (64, 48)),              {"method": "nearest"},         (64, 48, 3)),
    ("tensorflow.image.resize",       (t(None, 28, 28, 1), (32, 32)),        {"preserve_aspect_ratio": True}, None),
    ("tensorflow.image.resize",       (t(None, 28), (32, 32)),               {},                            "KS101"),
    ("tensorflow.image.resize_with_pad", (t(None, 28, 20, 3), 32, 32),       {},                            (None, 32, 32, 3)),
    ("tensorflow.image.resize_with_crop_or_pad", (t(30, 20, 3), 24, 24),     {},                            (24, 24, 3)),
    ("tensorflow.image.pad_to_bounding_box", (t(None, 28, 28, 1), 2, 2, 32, 32), {},                        (None, 32, 32, 1)),
    ("tensorflow.image.crop_to_bounding_box", (t(None, 28, 28, 1), 2, 2, 20, 24), {},                       (None, 20, 24, 1)),
    ("tensorflow.image.random_crop",  (t(40, 40, 3), (32, 32, 3)),           {},                            (32, 32, 3)),
    ("tensorflow.image.random_crop",  (t(40, 40, 3), (DYN, DYN, 3)),         {},                            (None, None, 3)),
    ("tensorflow.image.rgb_to_grayscale", (t(None, 32, 32, 3),),             {},                            (None, 32, 32, 1)),
    ("tensorflow.image.grayscale_to_rgb", (t(None, 32, 32, 1),),             {},                            (None, 32, 32, 3)),
    ("tensorflow.image.flip_left_right", (t(None, 32, 24, 3),),              {},                            (None, 32, 24, 3)),
    ("tensorflow.image.adjust_hue",   (t(None, 32, 24, 3), 0.1),             {},                            (None, 32, 24, 3)),
    ("tensorflow.image.per_image_standardization", (t(8, 32, 24, 3),),       {},                            (8, 32, 24, 3)),
    ("tensorflow.image.rot90",        (t(None, 32, 24, 3),),                 {},                            (None, None, None, 3)),
    ("tensorflow.image.rot90",        (t(32, 24, 3),),                       {"k": 2},                      (None, None, 3)),
    ("tensorflow.image.transpose",    (t(32, 24, 3),),                       {},                            (24, 32, 3)),
    ("tensorflow.io.read_file",       (t(),),                                {},                            ()),
    ("tensorflow.io.decode_png",      (t(),),                                {"channels": 3},               (None, None, 3)),
    ("tensorflow.image.decode_jpeg",  (t(),),                                {"channels": 1},               (None, None, 1)),
    ("tensorflow.io.decode_jpeg",     (t(),),                                {},                            (None, None, None)),
    ("tensorflow.io.decode_image",    (t(),),                                {"channels": 3, "expand_animations": False}, (None, None, 3)),
    ("tensorflow.io.decode_image",    (t(),),                                {"channels": 3},               None),
    ("tensorflow.lookup.StaticHashTable.lookup", (t(None,),),                {},                            (None,)),
    ("tensorflow.lookup.StaticHashTable.lookup", (t(None, 3),),              {},                            (None, 3)),
    ("keras.ops.fft",                 ((t(None, 8), t(None, 8)),),           {},                            [(None, 8), (None, 8)]),
    ("keras.ops.fft2",                ((t(None, 8, 6), t(None, 8, 6)),),     {},                            [(None, 8, 6), (None, 8, 6)]),
    ("keras.ops.ifft2",               ((t(4, 8, 6), t(4, 8, 6)),),           {},                            [(4, 8, 6), (4, 8, 6)]),
    ("keras.ops.fft2",                ((t(8,), t(8,)),),                     {},                            "KS101"),
    ("keras.ops.fft2",                ((t(4, 8, 6), t(4, 8, 5)),),           {},                            "KS203"),
    ("keras.ops.fft2",                ((t(4, None, 6), t(4, None, 6)),),     {},                            None),
    ("keras.ops.rfft",                (t(None, 10),),                        {},                            [(None, 6), (None, 6)]),
    ("keras.ops.rfft",                (t(None, 10),),                        {"fft_length": 16},            [(None, 9), (None, 9)]),
    ("keras.ops.roll",                (t(None, 8, 6), 2),                    {"axis": 1},                   (None, 8, 6)),
    ("keras.ops.roll",                (t(4, 8, 6), 3),                       {},                            (4, 8, 6)),
    ("tensorflow.roll",               (t(None, 8, 8, 3),),                   {"shift": (2, 2), "axis": (1, 2)}, (None, 8, 8, 3)),
    ("keras.ops.eye",                 (3,),                                  {},                            (3, 3)),
    ("keras.ops.eye",                 (3, 5),                                {},                            (3, 5)),
    ("keras.ops.eye",                 (3, 5),                                {"k": 1},                      None),
    ("keras.ops.identity",            (4,),                                  {},                            (4, 4)),
    ("tensorflow.eye",                (3,),                                  {"batch_shape": [2, 1]},       (2, 1, 3, 3)),
    ("tensorflow.eye",                (3, 4),                                {},                            (3, 4)),
    ("tensorflow.eye",                (3,),                                  {"batch_shape": [DYN, 1]},     (None, 1, 3, 3)),
    ("keras.ops.tensordot",           (t(None, 64), t(64, 128)),             {"axes": 1},                   (None, 128)),
    ("keras.ops.tensordot",           (t(2, 3, 4), t(3, 4, 5)),              {},                            (2, 5)),
    ("keras.ops.tensordot",           (t(2, 3, 4), t(4, 3, 5)),              {"axes": ((1, 2), (1, 0))},    (2, 5)),
    ("keras.ops.tensordot",           (t(2, 3, 4), t(5, 3, 5)),              {"axes": ((1, 2), (1, 0))},    "KS203"),
    ("keras.ops.tensordot",           (t(2, 3), t(4, 5)),                    {"axes": 0},                   (2, 3, 4, 5)),
    ("tensorflow.tensordot",          (t(None, 64), t(64, 128)),             {"axes": 1},                   (None, 128)),
    ("tensorflow.tensordot",          (t(2, 3, 4), t(4, 3, 5)),              {"axes": [[1, 2], [1, 0]]},    (2, 5)),
    ("tensorflow.Variable",           (t(16, 64),),                          {},                            (16, 64)),
    ("tensorflow.Variable",           (),                                    {"initial_value": t(3,)},      (3,)),
]

GETITEM = [
    # input            key                                           output
    ((None, 6, 8),     (slice(None), -1, slice(None)),               (None, 8)),
    ((None, 6, 8),     (Ellipsis, 0),                                (None, 6)),
    ((None, 6, 8),     (slice(None), None),                          (None, 1, 6, 8)),
    ((None, 6, 8),     (slice(None), slice(2, 5)),                   (None, 3, 8)),
    ((None, 6, 8),     (slice(None), slice(None, None, 2)),          (None, 3, 8)),
    ((None, 6, 8),     (slice(None), slice(None, None, -1)),         (None, 6, 8)),
    ((None, 6, 8),     (slice(None), slice(-2, None)),               (None, 2, 8)),
    ((None, 6, 8),     (slice(None), slice(2, 10)),                  (None, 4, 8)),
    ((None, 6, 8),     (slice(1, 3),),                               (None, 6, 8)),
    ((None, 6, 8),     (0, 0, 0),                                    ()),
    ((None, 6, 8),     -1,                                           (6, 8)),
    ((None, 6, 8),     (Ellipsis, None),                             (None, 6, 8, 1)),
    ((None, 6, 8),     (slice(None), 6),                             "KS203"),
    ((None, 6, 8),     (slice(None), -7),                            "KS203"),
    ((None, 6, 8),     (0, 0, 0, 0),                                 "KS203"),
    ((None, 6, 8),     (Ellipsis, 0, Ellipsis),                      "KS203"),
    ((None, 6, 8),     (slice(None), UNK),                           None),
    ((None, "n", 8),   (slice(None), slice(0, 2)),                   (None, UNK, 8)),
    ((None, "n", 8),   (slice(None), slice(None), 0),                (None, "n")),
]


# ------------------------------------------------------------------ ours

def ours(path: str, args, kwargs):
    """What kerasshape says: a shape, a list of shapes, a code, or None (unknown)."""
    entry = ops.lookup(path)
    assert entry is not None, path

    def conv(v):
        if isinstance(v, T):
            return v.shape
        if v is DYN:
            return None
        if isinstance(v, list) and v and all(isinstance(i, T) for i in v):
            return [i.shape for i in v]
        if isinstance(v, float):
            return ()
        if isinstance(v, (list, tuple)):   # the engine reads lists of values as tuples
            return tuple(conv(i) for i in v)
        return v

    try:
        bound = entry.signature.bind(*[conv(a) for a in args],
                                     **{k: conv(v) for k, v in kwargs.items()})
        return ops.call(entry, bound)
    except ShapeError as err:
        return err.code


def _rows(table):
    return [pytest.param(*row, id=f"{row[0].rsplit('.', 1)[1]}-{i}") for i, row in enumerate(table)]


@pytest.mark.parametrize("path, args, kwargs, expected", _rows(CASES))
def test_output_shape(path, args, kwargs, expected):
    assert ours(path, args, kwargs) == expected


@pytest.mark.parametrize("shape, key, expected", GETITEM)
def test_getitem(shape, key, expected):
    try:
        out = ops.getitem_shape(shape, key)
    except ShapeError as err:
        out = err.code
    assert out == expected


def test_namespaces_fall_back_to_short_names():
    assert ops.lookup("keras.ops.numpy.reshape") is ops.lookup("keras.ops.reshape")
    assert ops.lookup("tensorflow.math.reduce_sum").fn is ops.lookup("tensorflow.reduce_sum").fn
    assert ops.lookup("tensorflow.linalg.matmul") is ops.lookup("tensorflow.matmul")
    assert ops.lookup("tensorflow.keras.layers.Dense") is None
    assert ops.lookup("keras.ops.no_such_op") is None


def test_every_op_has_a_docstring_and_a_row():
    tested = {row[0].rsplit(".", 1)[1] for row in CASES}
    fns = {}
    for path, entry in ops.OPS.items():
        assert entry.doc and " -> " in entry.doc, path
        fns.setdefault(entry.fn.__name__, set()).add(entry.name)
    for fn, names in fns.items():
        assert names & tested, f"no row for any op of {fn}: {sorted(names)[:5]}"


# ------------------------------------------------------------------ real Keras / TensorFlow

def _flat(value):
    if isinstance(value, (tuple, list)):
        return [x for v in value for x in _flat(v)]
    return [value]


def concrete(shape):
    return tuple(6 if isinstance(d, str) else d for d in shape)


def agree(mine, real) -> bool:
    """Same outcome: both reject, or the same dims where ours is int/None (UNK and names skip).
    Unknown (None) agrees with anything: it never reports and never claims a shape."""
    if mine is None:
        return True
    if isinstance(mine, str):
        return real == REJECTED
    if real == REJECTED:
        return False
    if isinstance(mine, list) or isinstance(real, list):
        return (isinstance(mine, list) and isinstance(real, list) and len(mine) == len(real)
                and all(agree(a, b) for a, b in zip(mine, real)))
    return len(mine) == len(real) and all(
        a == b for a, b in zip(mine, real) if a is None or is_int(a))


def _keras_fn(keras, path):
    fn = keras
    for part in path.split(".")[1:]:
        fn = getattr(fn, part)
    return fn


def _replayed_by_keras(path: str) -> bool:
    """keras.ops / keras.random run on KerasTensors; tf and the legacy backend are traced."""
    # keras.random.dropout/shuffle are no Keras operations: they run on backend tensors (in a
    # layer's call, traced), and refuse a symbolic KerasTensor
    return path.startswith("keras.") and not path.startswith(
        ("keras.backend.", "keras.random.dropout", "keras.random.shuffle"))


def theirs_keras(keras, path, args, kwargs):
    """keras.ops on symbolic KerasTensors: the output shape(s), or REJECTED."""
    def conv(v):
        if isinstance(v, T):
            return keras.KerasTensor(concrete(v.shape))
        if isinstance(v, list) and v and all(isinstance(i, T) for i in v):
            return [conv(i) for i in v]
        if isinstance(v, tuple) and v and all(isinstance(i, T) for i in v):
            return tuple(conv(i) for i in v)      # fft's (real, imag)
        return v

    try:
        out = _keras_fn(keras, path)(*[conv(a) for a in args], **{k: conv(v) for k, v in kwargs.items()})
    except Exception:
        return REJECTED
    if isinstance(out, (list, tuple)) and out and hasattr(out[0], "shape"):
        return [tuple(o.shape) for o in out]
    return tuple(out) if path.endswith(".shape") else tuple(out.shape)


def theirs_tf(path, args, kwargs):
    """A tensorflow.* or legacy keras.backend.* function traced with TensorSpec inputs."""
    import tensorflow as tf
    from keras.src.legacy import backend as legacy

    name = path.rsplit(".", 1)[1]
    if path.startswith("keras.backend."):
        fn = getattr(legacy, name)
    elif path.startswith("keras.random."):
        import keras
        fn = getattr(keras.random, name)
    else:
        fn = tf
        for part in path.split(".")[1:]:
            fn = getattr(fn, part)
    specs, slots = [], []

    def plan(v):
        if v is DYN:
            specs.append(tf.TensorSpec((), tf.int32))
            return ("t", len(specs) - 1)
        if isinstance(v, T):
            ints = "one_hot" in path or ("gather" in path and specs)   # indices are ints
            strings = "decode_" in path or "read_file" in path          # file names, bytes
            dtype = tf.string if strings else (tf.int32 if ints else tf.float32)
            specs.append(tf.TensorSpec(concrete(v.shape), dtype))
            return ("t", len(specs) - 1)
        if isinstance(v, list) and v and all(isinstance(i, T) for i in v):
            return ("l", [plan(i) for i in v])
        if isinstance(v, (tuple, list)) and any(i is DYN for i in v):
            return ("l", [plan(i) for i in v])    # a size made of run-time numbers
        return ("v", v)

    if path.endswith(".lookup"):   # a table's method: a small string -> int table looks up
        table = tf.lookup.StaticHashTable(
            tf.lookup.KeyValueTensorInitializer(["a", "b"], [0, 1]), default_value=-1)
        spec = tf.TensorSpec(concrete(args[0].shape), tf.string)
        try:
            out = tf.function(table.lookup).get_concrete_function(spec).structured_outputs
        except Exception:
            return REJECTED
        return _tf_shape(out)
    if name == "Variable":   # tf.function cannot make variables: made eagerly from zeros
        def value(v):
            return tf.zeros(concrete(v.shape)) if isinstance(v, T) else v
        try:
            out = fn(*[value(a) for a in args], **{k: value(v) for k, v in kwargs.items()})
        except Exception:
            return REJECTED
        return _tf_shape(out)
    pos = [plan(a) for a in args]
    kw = {k: plan(v) for k, v in kwargs.items()}

    def build(p, ts):
        kind, v = p
        if kind == "t":
            return ts[v]
        if kind == "l":
            return [build(i, ts) for i in v]
        return v

    def body(*ts):
        return fn(*[build(p, ts) for p in pos], **{k: build(p, ts) for k, p in kw.items()})

    try:
        out = tf.function(body).get_concrete_function(*specs).structured_outputs
    except Exception:
        return REJECTED
    del slots
    if isinstance(out, (list, tuple)):
        return [_tf_shape(o) for o in out]
    return _tf_shape(out)


def _tf_shape(t):
    return tuple(t.shape.as_list()) if t.shape.rank is not None else "unknown rank"


def _unknown_input(row) -> bool:
    return UNKNOWN_T in row[1]


def _inputs_for(target) -> list:
    """Concrete inputs for a reshape of an unknown input to ``target``: flat tensors whose
    element count fits the target (several, when a -1 takes what is left)."""
    known = 1
    for d in target:
        known *= d if d != -1 else 1
    totals = [known * k for k in ((1, 2, 5) if -1 in target else (1,))]
    return [(n,) for n in totals] + [(n // 2, 2) for n in totals if n % 2 == 0]


@pytest.mark.tf
@pytest.mark.parametrize("path, args, kwargs, expected", _rows([r for r in CASES if _unknown_input(r)]))
def test_unknown_input_matches(keras, path, args, kwargs, expected):
    """Whatever the input's shape (any with a fitting element count), Keras and TensorFlow
    give what kerasshape says for an input of unknown shape."""
    for shape in _inputs_for(args[1]):
        row_args = (T(shape), *args[1:])
        real = theirs_keras(keras, path, row_args, kwargs) if _replayed_by_keras(path) else \
            theirs_tf(path, row_args, kwargs)
        assert agree(expected, real), f"{path}{row_args} {kwargs}: gives {real}"


@pytest.mark.tf
@pytest.mark.parametrize("path, args, kwargs, expected",
                         _rows([r for r in CASES if _replayed_by_keras(r[0]) and not _unknown_input(r)]))
def test_matches_keras(keras, path, args, kwargs, expected):
    if UNK in _flat(args) or UNK in _flat(kwargs):
        pytest.skip("an argument kerasshape cannot evaluate has no value to give Keras")
    real = theirs_keras(keras, path, args, kwargs)
    if expected is None:
        return
    if real == REJECTED and any(isinstance(d, str) for a in args if isinstance(a, T) for d in a.shape):
        pytest.skip("a named size takes one value in the replay; kerasshape cannot know it")
    assert agree(expected, real), f"{path}{args} {kwargs}: Keras gives {real}"


@pytest.mark.tf
@pytest.mark.parametrize("path, args, kwargs, expected",
                         _rows([r for r in CASES if not _replayed_by_keras(r[0]) and not _unknown_input(r)]))
def test_matches_tensorflow(keras, path, args, kwargs, expected):
    real = theirs_tf(path, args, kwargs)
    if expected is None:
        return
    assert agree(expected, real), f"{path}{args} {kwargs}: TensorFlow gives {real}"


@pytest.mark.tf
@pytest.mark.parametrize("shape, key, expected", GETITEM)
def test_getitem_matches_keras(keras, shape, key, expected):
    if UNK in _flat(key) or not isinstance(key, (tuple, int)):
        pytest.skip("no value to give Keras")
    try:
        real = tuple(keras.KerasTensor(concrete(shape))[key].shape)
    except Exception:
        real = REJECTED
    assert agree(expected, real), f"{shape}[{key}]: Keras gives {real}"


# ------------------------------------------------------------------ randomized conformance

def _shape(rng, rank, none=0.15, lo=1, hi=6):
    return tuple(None if rng.random() < none else rng.randint(lo, hi) for _ in range(rank))


def _axis(rng, rank, extra=0):
    return rng.randint(-rank - extra, rank - 1 + extra)


def gen_ops(rng):
    """One (path, args, kwargs) case on random shapes; some are invalid on purpose."""
    kind = rng.choice(["reshape", "concatenate", "stack", "expand_dims", "squeeze", "transpose",
                       "matmul", "dot", "add", "multiply", "where", "sum", "max", "argmax",
                       "split", "tile", "repeat", "one_hot", "getitem", "swapaxes", "ravel",
                       "exp", "mean", "unary", "binary", "pad", "moveaxis", "broadcast_to",
                       "take", "top_k", "einsum"])
    rank = rng.randint(1, 4)
    x = _shape(rng, rank)
    p = f"keras.ops.{kind}"
    if kind == "reshape":
        x = _shape(rng, rank, none=0.1)
        size = 1
        for d in x:
            size *= d or 1
        dims = []
        while size > 1 and len(dims) < 3:
            f = rng.choice([d for d in range(1, size + 1) if size % d == 0])
            dims.append(f)
            size //= f
        dims.append(size)
        if rng.random() < 0.3:
            dims[rng.randrange(len(dims))] += rng.choice([1, 2])
        if rng.random() < 0.5:
            dims[rng.randrange(len(dims))] = -1
        if rng.random() < 0.1:
            dims[0] = None
        return p, (T(x), tuple(dims)), {}
    if kind in ("concatenate", "stack"):
        n = rng.randint(1, 3)
        xs = []
        for _ in range(n):
            s = list(x)
            if rng.random() < 0.4 and s:
                s[rng.randrange(len(s))] = rng.choice([None, rng.randint(1, 6)])
            xs.append(T(tuple(s)))
        return p, (xs,), {"axis": _axis(rng, rank, 1)}
    if kind == "expand_dims":
        axis = _axis(rng, rank + 1, 1) if rng.random() < 0.8 else (0, rng.randint(1, rank + 1))
        return p, (T(x), axis), {}
    if kind == "squeeze":
        x = tuple(1 if rng.random() < 0.4 else d for d in x)
        return p, (T(x),), ({"axis": _axis(rng, rank, 1)} if rng.random() < 0.7 else {})
    if kind == "transpose":
        perm = list(range(rank))
        rng.shuffle(perm)
        if rng.random() < 0.15:
            perm = perm[:-1] or [0, 0]
        return p, (T(x),), ({"axes": tuple(perm)} if rng.random() < 0.8 else {})
    if kind in ("matmul", "dot"):
        a = _shape(rng, rng.randint(1, 4))
        b = list(_shape(rng, rng.randint(1, 3)))
        if rng.random() < 0.7 and b:
            b[-2 if len(b) > 1 else 0] = a[-1]
        return p, (T(a), T(tuple(b))), {}
    if kind in ("add", "multiply", "where"):
        b = list(x[rng.randint(0, rank - 1):])
        for i in range(len(b)):
            r = rng.random()
            b[i] = 1 if r < 0.2 else (None if r < 0.3 else (rng.randint(1, 6) if r < 0.4 else b[i]))
        if kind == "where":
            return p, (T(tuple(b)), T(x), 0.0), {}
        return p, (T(x), T(tuple(b))), {}
    if kind in ("sum", "max", "argmax", "mean"):
        r = rng.random()
        axis = None if r < 0.2 else (_axis(rng, rank, 1) if r < 0.8 else
                                     tuple(sorted({rng.randrange(rank) for _ in range(2)})))
        if kind == "argmax" and isinstance(axis, tuple):
            axis = axis[0]
        return p, (T(x),), {"axis": axis, "keepdims": rng.random() < 0.3}
    if kind == "split":
        axis = _axis(rng, rank)
        if rng.random() < 0.6:
            return p, (T(x), rng.randint(1, 4)), {"axis": axis}
        cuts = sorted(rng.sample(range(0, 8), rng.randint(1, 2)))
        return p, (T(x), cuts), {"axis": axis}
    if kind == "tile":
        reps = tuple(rng.randint(1, 3) for _ in range(rng.randint(1, 4)))
        return p, (T(x), reps if rng.random() < 0.8 else reps[0]), {}
    if kind == "repeat":
        axis = None if rng.random() < 0.3 else _axis(rng, rank)
        reps = rng.randint(1, 3) if rng.random() < 0.7 else [rng.randint(0, 2) for _ in range(rng.randint(1, 4))]
        return p, (T(x), reps), {"axis": axis}
    if kind == "one_hot":
        return p, (T(x), rng.randint(1, 9)), {"axis": rng.choice([-1, *range(rank + 1)])}
    if kind == "swapaxes":
        return p, (T(x), _axis(rng, rank, 1), _axis(rng, rank)), {}
    if kind == "getitem":
        key = []
        for d in x:
            r = rng.random()
            if r < 0.3:
                key.append(slice(None))
            elif r < 0.55:
                key.append(rng.randint(-7, 6))
            elif r < 0.8:
                key.append(slice(rng.choice([None, rng.randint(-6, 6)]),
                                 rng.choice([None, rng.randint(-6, 8)]),
                                 rng.choice([None, None, 2, -1])))
            elif r < 0.9:
                key.append(None)
            else:
                break
        if rng.random() < 0.2:
            key.insert(rng.randint(0, len(key)), Ellipsis)
        if rng.random() < 0.05:
            key.append(0)
        return "getitem", (T(x), tuple(key)), {}
    if kind == "pad":
        r = rng.random()
        width = rng.randint(0, 2) if r < 0.2 else (
            ((rng.randint(0, 2), rng.randint(0, 2)),) if r < 0.4 else
            tuple((rng.randint(0, 2), rng.randint(0, 2)) for _ in range(rank + (r > 0.9))))
        return p, (T(x), width), {}
    if kind == "moveaxis":
        return p, (T(x), _axis(rng, rank, 1), _axis(rng, rank)), {}
    if kind == "broadcast_to":
        target = tuple(rng.choice([d or 3, d or 3, rng.randint(1, 6)]) for d in x)
        return p, (T(x[rng.randint(0, rank - 1):]), (rng.randint(1, 4),) * (rng.random() < 0.3) + target), {}
    if kind == "take":
        axis = None if rng.random() < 0.2 else _axis(rng, rank, 1)
        return p, (T(x), T(_shape(rng, rng.randint(0, 2)))), {"axis": axis}
    if kind == "top_k":
        return p, (T(x), rng.randint(1, 6)), {}
    if kind == "einsum":
        eq = rng.choice(["bij,bjk->bik", "ij,jk->ik", "ijk,ij->ik", "bi,bi->b", "ij->ji",
                         "bhqd,bhkd->bhqk", "abc,c->ab", "ij,kj->ikj"])
        sizes = {c: rng.choice([None, 1, rng.randint(1, 5)]) for c in eq if c.isalpha()}
        specs = eq.split("->")[0].split(",")
        shapes = [tuple(sizes[c] if rng.random() > 0.15 else rng.randint(1, 5) for c in spec)
                  for spec in specs]
        return p, (eq, *(T(x) for x in shapes)), {}
    if kind == "unary":
        name = rng.choice(UNARY + ["cumsum", "cumprod"])
        extra = {"clip": (0.0, 1.0), "cast": ("int32",), "full_like": (1.0,),
                 "threshold": (0.5, 0.0)}.get(name, ())
        return f"keras.ops.{name}", (T(x), *extra), {}
    if kind == "binary":
        b = tuple(rng.choice([1, d]) for d in x[rng.randint(0, rank - 1):])
        return f"keras.ops.{rng.choice(BINARY)}", (T(x), T(b)), {}
    return p, (T(x),), {}


def _family(path, args) -> str:
    name = path.rsplit(".", 1)[-1]
    if name in UNARY or name in ("cumsum", "cumprod"):
        return "unary (elementwise)"
    if name in BINARY and name not in ("add", "multiply"):
        return "binary (broadcast)"
    return name


def ours_any(path, args, kwargs):
    if path == "getitem":
        try:
            return ops.getitem_shape(args[0].shape, args[1])
        except ShapeError as err:
            return err.code
    return ours(path, args, kwargs)


def theirs_any(keras, path, args, kwargs):
    if path == "getitem":
        try:
            return tuple(keras.KerasTensor(args[0].shape)[args[1]].shape)
        except Exception:
            return REJECTED
    return theirs_keras(keras, path, args, kwargs)


@pytest.mark.tf
def test_randomized_conformance(keras, conformance):
    mismatches = run_conformance(
        conformance, "ops", lambda rng: gen_ops(rng), 2000, "1234:ops",
        mine=ours_any, real=lambda p, a, k: theirs_any(keras, p, a, k),
        agree=agree, key=_family)
    assert not mismatches, "\n".join(mismatches[:30])


_TF_NAMES = {"concatenate": "concat", "sum": "reduce_sum", "max": "reduce_max",
             "mean": "reduce_mean", "add": "add", "multiply": "multiply", "stack": "stack",
             "expand_dims": "expand_dims", "squeeze": "squeeze", "transpose": "transpose",
             "matmul": "matmul", "reshape": "reshape", "argmax": "argmax", "split": "split",
             "tile": "tile", "one_hot": "one_hot", "exp": "exp", "einsum": "einsum"}


def gen_tf(rng):
    """The same kinds of case for the tensorflow.* functions, with TensorFlow's arguments."""
    while True:
        path, args, kwargs = gen_ops(rng)
        kind = path.rsplit(".", 1)[-1]
        if kind == "getitem" or kind in _TF_NAMES:
            break
    if kind == "getitem":
        return path, args, kwargs
    kwargs = dict(kwargs)
    if kind == "reshape":
        args = (args[0], tuple(1 if d is None else d for d in args[1]))
    if kind == "expand_dims" and not isinstance(args[1], int):
        args = (args[0], args[1][0])
    if kind == "transpose" and "axes" in kwargs:
        kwargs["perm"] = kwargs.pop("axes")
    if kind == "argmax":
        kwargs.pop("keepdims")
    if kind == "split" and not isinstance(args[1], int):
        size = args[0].shape[kwargs["axis"]]
        sizes = [rng.randint(0, 4) for _ in range(rng.randint(1, 3))]
        if size is not None and rng.random() < 0.7:
            sizes.append(size - sum(sizes))
        args = (args[0], sizes)
    if kind == "tile" and isinstance(args[1], int):
        args = (args[0], [args[1]])
    if kind == "one_hot":
        args, kwargs = (args[0], args[1]), {"axis": kwargs["axis"]}
    return f"tensorflow.{_TF_NAMES[kind]}", args, kwargs


def theirs_tf_any(path, args, kwargs):
    if path == "getitem":
        return _trace_getitem(args[0], args[1])
    return theirs_tf(path, args, kwargs)


def _trace_getitem(x, key):
    import tensorflow as tf

    try:
        out = tf.function(lambda v: v[key]).get_concrete_function(tf.TensorSpec(x.shape))
    except Exception:
        return REJECTED
    return _tf_shape(out.structured_outputs)


@pytest.mark.tf
def test_randomized_conformance_tensorflow(keras, conformance):
    mismatches = run_conformance(
        conformance, "tf ops", gen_tf, 500, "1234:tf",
        mine=ours_any, real=theirs_tf_any, agree=agree,
        key=lambda p, a: p.rsplit(".", 1)[-1])
    assert not mismatches, "\n".join(mismatches[:30])


def test_generator_is_deterministic_and_mixed():
    a = [gen_ops(random.Random("1234:ops")) for _ in range(1)]
    b = [gen_ops(random.Random("1234:ops")) for _ in range(1)]
    assert a == b


# ------------------------------------------------------------------ engine

def lint(src):
    return [(d.line, d.code) for d in analyze_source(src, "m.py").diagnostics]


def outputs(src):
    analysis = analyze_source(src, "m.py")
    return [s.outputs for s in analysis.models]


HEAD = """\
import tensorflow as tf
import keras
from keras import layers, ops
"""


def test_slice_then_dense():
    src = HEAD + """
inp = keras.Input(shape=(6, 8))
last = inp[:, -1, :]
out = layers.Dense(4)(last)
first = layers.Dense(2)(inp[..., 0])
model = keras.Model(inp, [out, first, inp[:, None], inp[:, 2:5]])
"""
    assert lint(src) == []
    assert outputs(src) == [[(None, 4), (None, 2), (None, 1, 6, 8), (None, 3, 8)]]


def test_index_out_of_range():
    src = HEAD + """
inp = keras.Input(shape=(6, 8))
x = inp[:, 6]
"""
    assert lint(src) == [(6, "KS203")]


def test_reshape_with_tf_shape():
    src = HEAD + """
inp = keras.Input(shape=(6, 8))
x = ops.reshape(inp, (tf.shape(inp)[0], -1, 4))
y = layers.Dense(3)(x)
z = ops.reshape(inp, (-1, 4, 12))
w = ops.reshape(inp, (inp.shape[0], 5, 10))
model = keras.Model(inp, [y, z])
"""
    assert lint(src) == []
    (outs,) = outputs(src)
    assert outs[0][1:] == (None, 3) and outs[1] == (None, 4, 12)


def test_reshape_size_error():
    src = HEAD + """
inp = keras.Input(batch_shape=(2, 6, 8))
x = ops.reshape(inp, (2, 5, 10))
"""
    assert lint(src) == [(6, "KS201")]


def test_broadcast_error_at_the_right_line():
    src = HEAD + """
inp = keras.Input(shape=(6, 8))
a = layers.Dense(4)(inp)
b = layers.Dense(5)(inp)
c = a * 2.0
d = (a
     + b)
e = c + a
"""
    found = analyze_source(src, "m.py").diagnostics
    assert [(d.line, d.code) for d in found] == [(9, "KS301")]
    assert "4 and 5" in found[0].message


def test_operators_keep_shapes():
    src = HEAD + """
inp = keras.Input(shape=(6, 8))
a = -inp
b = inp * ops.ones((1, 8))
c = a @ ops.transpose(inp, (0, 2, 1))
d = ops.concatenate([a, b], axis=1)
e = inp
e += 1.0
model = keras.Model(inp, [a, c, d, e])
"""
    assert lint(src) == []
    assert outputs(src) == [[(None, 6, 8), (None, 6, 6), (None, 12, 8), (None, 6, 8)]]


def test_split_unpacks_to_tensors():
    src = HEAD + """
inp = keras.Input(shape=(6, 8))
a, b = ops.split(inp, 2, axis=-1)
c, d = tf.split(inp, [2, 6], axis=-1)
model = keras.Model(inp, [a, d])
"""
    assert lint(src) == []
    assert outputs(src) == [[(None, 6, 4), (None, 6, 6)]]


def test_backend_functions():
    src = HEAD + """
from keras import backend as K
inp = keras.Input(shape=(6, 8))
a = K.concatenate([inp, inp])
b = K.mean(inp, axis=1)
c = K.expand_dims(b)
model = keras.Model(inp, [a, b, c])
"""
    assert lint(src) == []
    assert outputs(src) == [[(None, 6, 16), (None, 8), (None, 8, 1)]]


def test_lambda_with_output_shape_and_expression():
    src = HEAD + """
inp = keras.Input(shape=(6, 8))
a = layers.Lambda(lambda t: t[:, 0], output_shape=(8,))(inp)
b = layers.Lambda(lambda t: ops.sum(t, axis=1))(inp)
c = layers.Lambda(lambda t, k: t * k, arguments={"k": 2.0})(inp)

def head(t):
    return ops.reshape(t, (-1, 48))

d = layers.Lambda(head)(inp)
e = layers.Lambda(lambda s: s, output_shape=lambda s: (s[0], 3))(inp)
f = layers.Lambda(unknown_function)(inp)
model = keras.Model(inp, [a, b, c, d, e, f])
"""
    assert lint(src) == []
    assert outputs(src) == [[(None, 8), (None, 8), (None, 6, 8), (None, 48), (None, 3), None]]


def test_lambda_body_error_is_reported_in_the_body():
    src = HEAD + """
inp = keras.Input(shape=(6, 8))
a = layers.Lambda(
    lambda t: ops.concatenate([t, t[:, :2]], axis=-1))(inp)
"""
    assert lint(src) == [(7, "KS301")]


def test_lambda_in_sequential():
    src = HEAD + """
model = keras.Sequential([
    keras.Input(shape=(6, 8)),
    layers.Lambda(lambda t: ops.mean(t, axis=1)),
    layers.Dense(2),
])
"""
    assert lint(src) == []
    assert outputs(src) == [[(None, 2)]]


def test_unknown_arguments_stay_quiet():
    src = HEAD + """
import numpy as np
inp = keras.Input(shape=(6, 8))
a = ops.reshape(inp, get_shape())
b = inp + np.zeros(load())
c = ops.concatenate([inp, other()], axis=1)
d = inp[:, idx]
e = tf.reduce_sum(inp, axis=pick())
"""
    assert lint(src) == []


@pytest.mark.tf
def test_every_registered_path_exists(keras):
    import tensorflow as tf
    from keras.src.legacy import backend as legacy

    missing = []
    for path in ops.OPS:
        ns, name = path.rsplit(".", 1)
        if ns == "keras.ops":
            homes = (keras.ops, keras.activations)
        elif ns == "tensorflow":
            homes = (tf, tf.math, tf.nn, tf.linalg)
        elif ns == "keras.backend":
            homes = (legacy,)
        else:
            if ns.startswith("jax"):
                import jax
                home = jax
            else:
                home = tf if ns.startswith("tensorflow") else keras
            for part in ns.split(".")[1:]:
                home = getattr(home, part, None)
            homes = (home,)
        if not any(hasattr(home, name) for home in homes):
            missing.append(path)
    assert not missing, missing


def test_lambda_returning_a_list_and_backend_shapes():
    src = HEAD + """
from keras import backend as K
inp = keras.Input(shape=(6, 8))
a, b = layers.Lambda(lambda t: ops.split(t, 2, axis=-1))(inp)
c = layers.Lambda(lambda t: K.reshape(t, (-1, K.int_shape(t)[1] * 8)))(inp)
d = ops.reshape(inp, (-1,) + inp.shape[1:2] + (2, 4))
model = keras.Model(inp, [a, b, c, d])
"""
    assert lint(src) == []
    assert outputs(src) == [[(None, 6, 4), (None, 6, 4), (None, 48), (None, 6, 2, 4)]]


def test_ops_inside_a_custom_layer():
    src = HEAD + """
class Pool(layers.Layer):
    def call(self, x):
        return tf.reduce_max(x, axis=1) + ops.mean(x, axis=1)

inp = keras.Input(shape=(6, 8))
out = layers.Dense(2)(Pool()(inp))
model = keras.Model(inp, out)
"""
    assert lint(src) == []
    assert outputs(src) == [[(None, 2)]]


def test_scaled_scores_and_newaxis():
    src = HEAD + """
from keras import backend as K
inp = keras.Input(shape=(6, 8))
d_k = inp.shape[-1]
scores = ops.matmul(inp, ops.transpose(inp, (0, 2, 1))) / tf.math.sqrt(tf.cast(d_k, tf.float32))
norm = inp / (K.sum(inp, axis=-1, keepdims=True) + K.epsilon())
wide = inp[:, tf.newaxis]
model = keras.Model(inp, [scores, norm, wide])
"""
    assert lint(src) == []
    assert outputs(src) == [[(None, 6, 6), (None, 6, 8), (None, 1, 6, 8)]]


def test_comparisons_are_elementwise_tensors():
    src = HEAD + """
inp = keras.Input(shape=(6, 8))
mask = ops.cast(inp > 0, "float32")
kept = ops.where(inp >= 0.5, inp, 0.0)
bad = layers.Dense(4)(inp) == layers.Dense(5)(inp)
if ops.max(inp) > 0:
    out = layers.Dense(3)(inp)
else:
    out = layers.Dense(2)(inp)
model = keras.Model(inp, [mask, kept, out])
"""
    assert lint(src) == [(8, "KS301")]
    assert outputs(src) == [[(None, 6, 8), (None, 6, 8), (None, 6, UNK)]]
