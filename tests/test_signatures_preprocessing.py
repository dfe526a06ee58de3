"""Preprocessing layers (lookups, TextVectorization, the encoders, Normalization), EinsumDense
and GroupQueryAttention: row by row, the rows against real Keras, and randomized conformance.

The replay calls Keras on symbolic inputs of the layer's dtype (strings for StringLookup,
TextVectorization, Hashing and HashedCrossing; ints for IntegerLookup and CategoryEncoding),
then, where the layer can run without adapt(), on data of that shape: a failure on the first
batch counts as Keras rejecting (TextVectorization splitting a (batch, 3) input, say).
"""

from __future__ import annotations

from collections import Counter

import pytest

from kerasshape.shapes import UNK, is_int
from kerasshape.signatures import MISSING, TABLE

from . import test_signatures_attention as att
from .conformance_lib import REJECTED, in_child, run_conformance
from .test_signatures import _flat, _rows, agree, concrete, keras_warnings, ours

SL, IL, TV = "StringLookup", "IntegerLookup", "TextVectorization"
CE, HA, HC, DI, NO = "CategoryEncoding", "Hashing", "HashedCrossing", "Discretization", "Normalization"
ED, GQA = "EinsumDense", "GroupQueryAttention"
ABC = ["a", "b", "c"]

LAYER_CASES = [
    # layer  kwargs                                                       input              output
    (SL, {},                                                              (None, 3),         (None, 3)),
    (SL, {},                                                              (None,),           (None,)),
    (SL, {"vocabulary": ABC, "output_mode": "one_hot"},                   (None, 1),         (None, 4)),
    (SL, {"vocabulary": ABC, "output_mode": "one_hot"},                   (None, 3),         (None, 3, 4)),
    (SL, {"vocabulary": ABC, "output_mode": "one_hot"},                   (None,),           (None, 4)),
    (SL, {"vocabulary": ABC, "output_mode": "multi_hot"},                 (None, 5),         (None, 4)),
    (SL, {"vocabulary": ABC, "output_mode": "count", "num_oov_indices": 0}, (None, 5),       (None, 3)),
    (SL, {"vocabulary": ABC, "output_mode": "multi_hot", "num_oov_indices": 3}, (None, 5),   (None, 6)),
    (SL, {"vocabulary": ["[UNK]", "a"], "output_mode": "multi_hot"},      (None, 5),         (None, 2)),
    (SL, {"vocabulary": ABC, "output_mode": "binary"},                    (None, 2, 5),      (None, 2, 4)),
    (SL, {"vocabulary": ABC, "output_mode": "tf_idf", "idf_weights": [1.0, 2.0, 3.0]}, (None, 5), (None, 4)),
    (SL, {"max_tokens": 10, "output_mode": "multi_hot", "pad_to_max_tokens": True}, (None, 5), (None, 10)),
    (SL, {"max_tokens": 10, "output_mode": "multi_hot"},                  (None, 5),         (None, UNK)),
    (SL, {"output_mode": "count"},                                        (None, 5),         (None, UNK)),
    (SL, {"vocabulary": "vocab.txt", "output_mode": "multi_hot"},         (None, 5),         (None, UNK)),
    (SL, {"vocabulary": ABC, "output_mode": "multi_hot", "max_tokens": 3}, (None, 5),        "KS203"),
    (SL, {"vocabulary": ["a", "a"], "output_mode": "multi_hot"},          (None, 5),         "KS203"),
    (SL, {"vocabulary": [], "output_mode": "multi_hot"},                  (None, 5),         "KS203"),
    (SL, {"vocabulary": ["", "a"], "mask_token": ""},                     (None, 5),         "KS203"),
    (SL, {"vocabulary": ABC, "output_mode": "tf_idf"},                    (None, 5),         "KS203"),
    (SL, {"vocabulary": ABC, "output_mode": "tf_idf", "idf_weights": [1.0]}, (None, 5),      "KS203"),
    (SL, {"output_mode": "multi_hot", "invert": True},                    (None, 5),         "KS203"),
    (SL, {"output_mode": "multi_hot", "pad_to_max_tokens": True},         (None, 5),         "KS203"),
    (SL, {"max_tokens": 1},                                               (None, 5),         "KS203"),
    (SL, {"num_oov_indices": -1},                                         (None, 5),         "KS203"),
    (SL, {"output_mode": "embedding"},                                    (None, 5),         "KS203"),
    (SL, {"sparse": True},                                                (None, 5),         "KS203"),

    (IL, {},                                                              (None, 3),         (None, 3)),
    (IL, {"vocabulary": [1, 2, 3], "output_mode": "one_hot"},             (None, 1),         (None, 4)),
    (IL, {"vocabulary": [-1, 2, 3], "output_mode": "one_hot"},            (None, 1),         (None, 3)),
    (IL, {"vocabulary": [1, 2, 3], "mask_token": 0, "output_mode": "multi_hot"}, (None, 4),  (None, 4)),
    (IL, {"vocabulary": [0, -1, 2, 3], "mask_token": 0},                  (None, 4),         (None, 4)),
    (IL, {"vocabulary": [1, 2, 3], "output_mode": "count", "max_tokens": 8, "pad_to_max_tokens": True},
                                                                          (None, 4),         (None, 8)),
    (IL, {"max_tokens": 8, "output_mode": "one_hot"},                     (None, 1),         (None, UNK)),
    (IL, {"vocabulary": [0, 1, 2], "mask_token": 0, "output_mode": "multi_hot"}, (None, 4),  "KS203"),
    (IL, {"vocabulary": [1, 2, 2], "output_mode": "multi_hot"},           (None, 4),         "KS203"),
    (IL, {"vocabulary_dtype": "int32"},                                   (None, 4),         "KS203"),
    (IL, {"max_tokens": 0},                                               (None, 4),         "KS203"),

    (TV, {},                                                              (None,),           (None, None)),
    (TV, {},                                                              (None, 1),         (None, None)),
    (TV, {"output_sequence_length": 8},                                   (None, 1),         (None, 8)),
    (TV, {"output_sequence_length": 8, "split": None},                    (None, 4),         (None, 8)),
    (TV, {"output_sequence_length": 8, "ngrams": 2},                      (None,),           (None, 8)),
    (TV, {"output_mode": "multi_hot", "vocabulary": ABC},                 (None,),           (None, 4)),
    (TV, {"output_mode": "multi_hot", "vocabulary": ABC},                 (None, 1),         (None, 1, 4)),
    (TV, {"output_mode": "count", "vocabulary": ABC, "split": None},      (None, 4),         (None, 4)),
    (TV, {"output_mode": "one_hot", "vocabulary": ABC},                   (None,),           (None, None, 4)),
    (TV, {"output_mode": "one_hot", "vocabulary": ABC, "split": None},    (None, 1),         (None, 4)),
    (TV, {"output_mode": "tf_idf", "vocabulary": ["a"], "idf_weights": [0.5]}, (None,),      (None, 2)),
    (TV, {"output_mode": "multi_hot", "max_tokens": 20, "pad_to_max_tokens": True}, (None,), (None, 20)),
    (TV, {"output_mode": "multi_hot", "max_tokens": 20},                  (None,),           (None, UNK)),
    (TV, {"output_mode": "multi_hot", "vocabulary": ["", "[UNK]", "a"]},  (None,),           "KS203"),
    (TV, {"output_mode": "multi_hot", "vocabulary": ABC, "max_tokens": 4}, (None,),          (None, 4)),
    (TV, {"output_mode": "multi_hot", "vocabulary": ABC, "max_tokens": 3}, (None,),          "KS203"),
    (TV, {"output_mode": "multi_hot", "output_sequence_length": 4},       (None,),           "KS203"),
    (TV, {"split": "words"},                                              (None,),           "KS203"),
    (TV, {"output_mode": "multi_hot", "ragged": True},                    (None,),           "KS203"),
    (TV, {},                                                              (None, 3),         "KS101"),
    (TV, {"output_mode": "multi_hot", "vocabulary": ABC},                 (None, 3),         "KS101"),
    (TV, {},                                                              (),                "KS101"),

    (CE, {"num_tokens": 4},                                               (None, 3),         (None, 4)),
    (CE, {"num_tokens": 4},                                               (None,),           (4,)),
    (CE, {"num_tokens": 4},                                               (None, 2, 3),      (None, 2, 4)),
    (CE, {"num_tokens": 4, "output_mode": "count"},                       (None, 3),         (None, 4)),
    (CE, {"num_tokens": 4, "output_mode": "one_hot"},                     (None,),           (None, 4)),
    (CE, {"num_tokens": 4, "output_mode": "one_hot"},                     (None, 1),         (None, 4)),
    (CE, {"num_tokens": 4, "output_mode": "one_hot"},                     (None, 3),         (None, 3, 4)),
    (CE, {"num_tokens": 4, "output_mode": "one_hot"},                     (None, "n"),       None),
    (CE, {"num_tokens": 0},                                               (None, 3),         "KS203"),
    (CE, {},                                                              (None, 3),         "KS203"),
    (CE, {"num_tokens": 4, "output_mode": "int"},                         (None, 3),         "KS203"),

    (HA, {"num_bins": 8},                                                 (None, 3),         (None, 3)),
    (HA, {"num_bins": 8, "output_mode": "one_hot"},                       (None, 1),         (None, 8)),
    (HA, {"num_bins": 8, "output_mode": "multi_hot"},                     (None, 3),         (None, 8)),
    (HA, {"num_bins": 8, "output_mode": "count"},                         (None,),           (8,)),
    (HA, {"num_bins": 8, "mask_value": ""},                               (None, 3),         (None, 3)),
    (HA, {"num_bins": 0},                                                 (None, 3),         "KS203"),
    (HA, {"num_bins": 8, "sparse": True},                                 (None, 3),         "KS203"),
    (HA, {"num_bins": 8, "output_mode": "tf_idf"},                        (None, 3),         "KS203"),
    (HA, {},                                                              (None, 3),         MISSING),

    (HC, {"num_bins": 16},                                                [(None,), (None,)], (None,)),
    (HC, {"num_bins": 16},                                                [(None, 1), (None, 1)], (None, 1)),
    (HC, {"num_bins": 16, "output_mode": "one_hot"},                      [(None, 1), (None, 1)], (None, 16)),
    (HC, {"num_bins": 16, "output_mode": "one_hot"},                      [(None,), (None,)], (None, 16)),
    (HC, {"num_bins": 16},                                                [(None, 3), (None, 3)], "KS101"),
    (HC, {"num_bins": 16},                                                [(None, 1), (None, 3)], "KS101"),
    (HC, {"num_bins": 16},                                                [(None, 1), (None,)], "KS301"),
    (HC, {"num_bins": 16},                                                [(None, 1)] * 3,   "KS301"),
    (HC, {"num_bins": 16, "output_mode": "multi_hot"},                    [(None, 1), (None, 1)], "KS203"),

    (DI, {"bin_boundaries": [0.0, 1.0]},                                  (None, 3),         (None, 3)),
    (DI, {"bin_boundaries": [0.0, 1.0], "output_mode": "one_hot"},        (None, 3),         (None, 3, 3)),
    (DI, {"bin_boundaries": [0.0, 1.0], "output_mode": "one_hot"},        (None, 1),         (None, 3)),
    (DI, {"bin_boundaries": [0.0, 1.0], "output_mode": "multi_hot"},      (None, 4),         (None, 3)),
    (DI, {"bin_boundaries": [0.0, 1.0], "output_mode": "count"},          (None, 2, 4),      (None, 4, 3)),
    (DI, {"bin_boundaries": [0.0, 1.0], "output_mode": "multi_hot"},      (None,),           (3,)),
    (DI, {"num_bins": 4, "output_mode": "multi_hot"},                     (None, 4),         (None, UNK)),
    (DI, {"num_bins": 4},                                                 (None, 4),         (None, 4)),
    (DI, {},                                                              (None, 4),         "KS203"),
    (DI, {"num_bins": 4, "bin_boundaries": [1.0]},                        (None, 4),         "KS203"),
    (DI, {"bin_boundaries": [2.0, 1.0]},                                  (None, 4),         "KS203"),
    (DI, {"num_bins": -1},                                                (None, 4),         "KS203"),

    (NO, {},                                                              (None, 3),         (None, 3)),
    (NO, {"axis": None},                                                  (None, None),      (None, None)),
    (NO, {"axis": (1, 2)},                                                (None, 4, 3),      (None, 4, 3)),
    (NO, {"mean": 0.5, "variance": 2.0},                                  (None, 3),         (None, 3)),
    (NO, {"mean": [0.5, 1.0, 1.0], "variance": [2.0, 1.0, 1.0]},          (None, 5, 3),      (None, 5, 3)),
    (NO, {"mean": [[1.0, 2.0, 3.0]], "variance": [[1.0, 1.0, 1.0]], "axis": (1, 2)}, (None, 4, 3), (None, 4, 3)),
    (NO, {},                                                              (None, None),      "KS103"),
    (NO, {"axis": 0},                                                     (None, 3),         "KS103"),
    (NO, {"axis": 2},                                                     (None, 3),         "KS203"),
    (NO, {"mean": [0.5, 1.0], "variance": [1.0, 1.0]},                    (None, 3),         "KS203"),
    (NO, {"mean": [0.5, 1.0, 1.0]},                                       (None, 3),         "KS203"),
    (NO, {"mean": [[0.5, 1.0, 1.0]], "variance": [[1.0, 1.0, 1.0]]},      (None, 3),         "KS203"),

    (ED, {"equation": "ab,bc->ac", "output_shape": 4},                    (None, 3),         (None, 4)),
    (ED, {"equation": "ab,bc->ac", "output_shape": 4, "bias_axes": "c"},  (None, 3),         (None, 4)),
    (ED, {"equation": "abc,cd->abd", "output_shape": (None, 4)},          (None, 5, 3),      (None, None, 4)),
    (ED, {"equation": "abc,cd->abd", "output_shape": (5, 4)},             (None, 5, 3),      (None, 5, 4)),
    (ED, {"equation": "abc,cde->abde", "output_shape": (None, 4, 2), "bias_axes": "de"}, (None, 5, 3),
                                                                                             (None, None, 4, 2)),
    (ED, {"equation": "...b,bc->...c", "output_shape": 4},                (None, 5, 3),      (None, 5, 4)),
    (ED, {"equation": "...b,bc->...c", "output_shape": 4},                (None, 3),         (None, 4)),
    (ED, {"equation": "ab...,bc->ac...", "output_shape": 4},              (None, 3, 5),      (None, 4, 5)),
    (ED, {"equation": "abc,cd->ad", "output_shape": 4},                   (None, 5, 3),      (None, 4)),
    (ED, {"equation": "ab,bc->acb", "output_shape": (4, 3)},              (None, 3),         (None, 4, 3)),
    (ED, {"equation": "ab,b->a", "output_shape": ()},                     (None, 3),         (None,)),
    (ED, {"equation": "...b,bc->...c", "output_shape": 4},                (None, 7, 5, 3),   None),
    (ED, {"equation": "ab,bc->ac", "output_shape": (4, 5)},               (None, 3),         None),
    (ED, {"equation": "ab,bc->ac", "output_shape": 4},                    (None, 3, 5),      "KS101"),
    (ED, {"equation": "ab,bc->ac", "output_shape": 4},                    (None, None),      "KS103"),
    (ED, {"equation": "ab,bc->ac", "output_shape": 4, "bias_axes": "a"},  (None, 3),         "KS103"),
    (ED, {"equation": "abc,cd->abd", "output_shape": (7, 4)},             (None, 5, 3),      "KS203"),
    (ED, {"equation": "abc,cd->abd", "output_shape": 4},                  (None, 5, 3),      "KS203"),
    (ED, {"equation": "ab->b", "output_shape": 4},                        (None, 3),         "KS203"),
    (ED, {"equation": "ab,bc->ad", "output_shape": 4},                    (None, 3),         "KS203"),
    (ED, {"equation": "ab,bcx->ac", "output_shape": 4},                   (None, 3),         "KS203"),
    (ED, {"equation": "ab,bc->ac", "output_shape": 4, "bias_axes": "x"},  (None, 3),         "KS203"),
    (ED, {"equation": "ab,bc->ac", "output_shape": UNK},                  (None, 3),         None),
    (ED, {"equation": "ab,bc->ac", "output_shape": ("units",)},           (None, 3),         (None, "units")),
]

Q, V = (None, 5, 8), (None, 6, 8)
GQA_KW = {"head_dim": 4, "num_query_heads": 4, "num_key_value_heads": 2}
# GroupQueryAttention is called on named tensors: rows in the format of test_signatures_attention
ATT_CASES = [
    (GQA, GQA_KW, ({"query": Q, "value": V}, {}), (None, 5, 8)),
    (GQA, GQA_KW, ({"query": Q, "value": V, "key": (None, 6, 3)}, {}), (None, 5, 8)),
    (GQA, GQA_KW, ({"query": Q, "value": V}, {"return_attention_scores": True}),
     [(None, 5, 8), (None, 4, 5, 6)]),
    (GQA, GQA_KW, ({"query": Q, "value": V, "key": (None, 6, 2)}, {"return_attention_scores": True}),
     [(None, 5, 8), (None, 4, 5, 6)]),
    (GQA, GQA_KW, ({"query": (None, None, 8), "value": (None, None, 8)}, {}), (None, None, 8)),
    (GQA, {**GQA_KW, "use_gate": True, "dropout": 0.1}, ({"query": Q, "value": V}, {}), (None, 5, 8)),
    (GQA, {**GQA_KW, "sliding_window": 3}, ({"query": Q, "value": V}, {}), (None, 5, 8)),
    (GQA, GQA_KW, ({"query": Q, "value": (None, 6, 7)}, {}), "KS301"),
    (GQA, GQA_KW, ({"query": Q, "value": V, "key": (None, 7, 8)}, {}), "KS301"),
    (GQA, GQA_KW, ({"query": (2, 5, 8), "value": (3, 6, 8)}, {}), "KS301"),
    (GQA, GQA_KW, ({"query": (None, 5, None), "value": (None, 6, None)}, {}), "KS103"),
    (GQA, GQA_KW, ({"query": Q, "value": V, "key": (None, 6, None)}, {}), "KS103"),
    (GQA, GQA_KW, ({"query": (None, 5, 2, 8), "value": (None, 6, 2, 8)}, {}), "KS101"),
    (GQA, GQA_KW, ({"query": (None, 8), "value": (None, 8)}, {}), "KS101"),
    (GQA, {**GQA_KW, "num_key_value_heads": 3}, ({"query": Q, "value": V}, {}), "KS203"),
    (GQA, {**GQA_KW, "num_key_value_heads": 0}, ({"query": Q, "value": V}, {}), "KS203"),
    (GQA, {**GQA_KW, "num_query_heads": 0}, ({"query": Q, "value": V}, {}), "KS203"),
    (GQA, {**GQA_KW, "head_dim": 0}, ({"query": Q, "value": V}, {}), "KS203"),
    (GQA, {**GQA_KW, "sliding_window": 0}, ({"query": Q, "value": V}, {}), "KS203"),
]


# every row of this file, for tests/test_signatures.py's check that each layer has rows
CASES = LAYER_CASES + ATT_CASES


@pytest.mark.parametrize("layer, kwargs, x, expected", _rows(LAYER_CASES))
def test_output_shape(layer, kwargs, x, expected):
    got = ours(layer, (), kwargs, x)
    assert got == expected, f"{layer}({kwargs}) on {x}: {got} != {expected}"


@pytest.mark.parametrize("layer, kwargs, call, expected", _rows(ATT_CASES))
def test_attention_output_shape(layer, kwargs, call, expected):
    assert att.ours(layer, kwargs, call) == expected


def test_rows_per_layer():
    """At least 8 rows for every layer of this file, and a docstring `input -> output`."""
    count = Counter(row[0] for row in CASES)
    assert {name for name, n in count.items() if n < 8} == set()
    for name in count:
        assert "->" in TABLE[name].doc, name


# -------------------------------------------------------------- against real Keras

DTYPES = {SL: "string", TV: "string", HA: "string", HC: "string", IL: "int64", CE: "int32"}


def _runs_without_adapt(layer: str, kwargs: dict) -> bool:
    """Whether the layer can run on data as constructed (the lookups need a vocabulary)."""
    if layer in (SL, IL, TV):
        return kwargs.get("vocabulary") is not None
    if layer == DI:
        return kwargs.get("bin_boundaries") is not None
    return True


def _data(shapes, dtype, fill=None):
    """Arrays of the given shapes: a None batch takes another input's batch (or 2), other
    Nones 1 (a string input of (batch, None) is then one string per sample); filled with
    `fill` (a token of the vocabulary) or "a", 0, 0.5 by dtype."""
    import numpy as np

    batch = next((s[0] for s in shapes if s and is_int(s[0])), 2)
    out = []
    for s in shapes:
        dims = [batch if i == 0 and d is None else (1 if d is None else d)
                for i, d in enumerate(concrete(s))]
        if dtype == "string":
            out.append(np.full(dims, "a" if fill is None else fill, dtype=object))
        elif dtype.startswith("int"):
            out.append(np.full(dims, 0 if fill is None else fill, dtype=dtype))
        else:
            out.append(np.full(dims, 0.5, dtype="float32"))
    return out


def _split_fails(keras, kwargs, data) -> bool:
    """TextVectorization splits before it looks up: a twin with a vocabulary shows whether the
    split alone fails on this input (the layer itself cannot run before adapt())."""
    twin = {**kwargs, "vocabulary": ["a"], "max_tokens": None, "pad_to_max_tokens": False}
    if kwargs.get("output_mode") in ("tf_idf", "tf-idf"):
        twin["idf_weights"] = [1.0]
    try:
        keras.layers.TextVectorization(**twin)(data)
    except ValueError as err:
        return "input rank must be 1" in str(err)
    except Exception:  # noqa: BLE001 - the twin failing otherwise says nothing
        return False
    return False


def theirs(keras, layer, kwargs, x):
    """Keras's symbolic output shape, or REJECTED when the constructor, the symbolic call or
    (for a layer that runs without adapt) the call on data raises."""
    dtype = DTYPES.get(layer, "float32")
    many = TABLE[layer].many
    try:
        obj = getattr(keras.layers, layer)(**kwargs)
        inputs = [keras.Input(batch_shape=concrete(s), dtype=dtype) for s in (x if many else [x])]
        out = obj(inputs if many else inputs[0])
        vocab = kwargs.get("vocabulary")
        fill = vocab[-1] if layer in (SL, IL) and isinstance(vocab, list) and vocab else None
        data = _data(x if many else [x], dtype, fill)
        if _runs_without_adapt(layer, kwargs):
            obj(data if many else data[0])
    except Exception:  # noqa: BLE001 - any exception is Keras refusing the layer
        return REJECTED
    if layer == TV and not _runs_without_adapt(layer, kwargs) and _split_fails(keras, kwargs, data[0]):
        return REJECTED
    return tuple(out.shape)


def theirs_attention(keras, layer, kwargs, call):
    """GroupQueryAttention on symbolic tensors, then on zeros of the same shapes."""
    tensors, call_kwargs = call
    try:
        obj = getattr(keras.layers, layer)(**kwargs)
        out = obj(**{k: keras.Input(batch_shape=concrete(v)) for k, v in tensors.items()},
                  **call_kwargs)
        names = list(tensors)
        data = _data([tensors[n] for n in names], "float32")
        obj(**dict(zip(names, data)), **call_kwargs)
    except Exception:  # noqa: BLE001
        return REJECTED
    if isinstance(out, (list, tuple)):
        return [tuple(t.shape) for t in out]
    return tuple(out.shape)


def _replayable(layer, kwargs, x) -> bool:
    return not (UNK in _flat(kwargs) or any(isinstance(d, str) for d in _flat(x)) or
                kwargs.get("vocabulary") == "vocab.txt" or kwargs.get("output_shape") == ("units",))


def _keras_answers() -> dict:
    """Keras's answer for every replayable row and every randomized case, computed in a child
    process (see conformance_lib.in_child): rows by repr, families as lists in draw order."""
    import random
    import warnings

    import keras

    warnings.filterwarnings("ignore")
    rows = {repr((layer, kwargs, x)): theirs(keras, layer, kwargs, x)
            for layer, kwargs, x, _ in LAYER_CASES if _replayable(layer, kwargs, x)}
    families = {}
    for family, (gen, count) in FAMILIES.items():
        rng = random.Random(f"1234:preprocessing:{family}")
        families[family] = [theirs(keras, *gen(rng)) for _ in range(count)]
    return {"rows": rows, "families": families}


@pytest.fixture(scope="module")
def keras_answers(keras):
    return in_child(_keras_answers)


@pytest.mark.tf
@keras_warnings
@pytest.mark.parametrize("layer, kwargs, x, expected", _rows(LAYER_CASES))
def test_matches_keras(keras_answers, layer, kwargs, x, expected):
    if not _replayable(layer, kwargs, x):
        pytest.skip("a value kerasshape cannot evaluate has no value to give Keras")
    real = keras_answers["rows"][repr((layer, kwargs, x))]
    assert agree(expected, real), f"{layer}({kwargs}) on {x}: Keras gives {real}"


@pytest.mark.tf
@keras_warnings
@pytest.mark.parametrize("layer, kwargs, call, expected", _rows(ATT_CASES))
def test_attention_matches_keras(keras, layer, kwargs, call, expected):
    real = theirs_attention(keras, layer, kwargs, call)
    assert agree(expected, real), f"{layer}({kwargs}) on {call}: Keras gives {real}"


# ----------------------------------------------------- randomized conformance

def _dim(rng, none=0.12, lo=1, hi=6):
    return None if rng.random() < none else rng.randint(lo, hi)


def _shape(rng, rank, none=0.12, lo=1, hi=6, batch=0.1):
    if rank == 0:
        return ()
    b = rng.randint(1, 3) if rng.random() < batch else None
    return (b, *(_dim(rng, none, lo, hi) for _ in range(rank - 1)))


def _vocab(rng, kind):
    n = rng.randint(1, 6)
    if kind == "str":
        words = rng.sample(["a", "b", "c", "d", "e", "f", "g", "h"], n)
        if rng.random() < 0.1:
            words = ["[UNK]"] + words
        if rng.random() < 0.05:
            words = words + [words[0]]  # repeated
        if rng.random() < 0.05:
            words = [""] + words        # the mask token, when there is one
        return words
    ids = rng.sample(range(1, 20), n)
    if rng.random() < 0.1:
        ids = [-1] + ids
    if rng.random() < 0.05:
        ids = ids + [ids[0]]
    if rng.random() < 0.08:
        ids = [0] + ids
    return ids


def gen_lookup(rng):
    layer = rng.choice([SL, IL])
    kw = {}
    mode = rng.choice(["int", "int", "one_hot", "multi_hot", "multi_hot", "count", "tf_idf", "binary"]
                      + (["embedding"] if rng.random() < 0.1 else []))
    if mode != "int" or rng.random() < 0.5:
        kw["output_mode"] = mode
    if rng.random() < 0.7:
        kw["vocabulary"] = _vocab(rng, "str" if layer == SL else "int")
        if mode == "tf_idf" and rng.random() < 0.85:
            n = len(kw["vocabulary"]) + (rng.choice([-1, 1]) if rng.random() < 0.1 else 0)
            kw["idf_weights"] = [1.0] * max(n, 1)
    if rng.random() < 0.3:
        kw["max_tokens"] = rng.choice([1, 2, 4, 6, 8, 10])
        if rng.random() < 0.5:
            kw["pad_to_max_tokens"] = True
    elif rng.random() < 0.05:
        kw["pad_to_max_tokens"] = True
    if rng.random() < 0.2:
        kw["num_oov_indices"] = rng.choice([0, 0, 2, 3, -1])
    if rng.random() < 0.2:
        kw["mask_token"] = "" if layer == SL else 0
    if rng.random() < 0.05:
        kw["invert"] = True
    if rng.random() < 0.05:
        kw["sparse"] = True
    x = _shape(rng, rng.choice([1, 2, 2, 2, 3]), none=0.1)
    if len(x) > 1 and rng.random() < 0.3:
        x = (*x[:-1], 1)
    return layer, kw, x


def gen_text_vectorization(rng):
    kw = {}
    mode = rng.choice(["int", "int", "int", "one_hot", "multi_hot", "multi_hot", "count", "tf_idf"])
    if mode != "int" or rng.random() < 0.3:
        kw["output_mode"] = mode
    if rng.random() < 0.6:
        kw["vocabulary"] = _vocab(rng, "str")
        if mode == "tf_idf" and rng.random() < 0.85:
            kw["idf_weights"] = [1.0] * len(kw["vocabulary"])
    if rng.random() < 0.3:
        kw["max_tokens"] = rng.choice([1, 3, 5, 8, 20])
        if rng.random() < 0.5:
            kw["pad_to_max_tokens"] = True
    if (mode == "int" and rng.random() < 0.5) or rng.random() < 0.05:
        kw["output_sequence_length"] = rng.randint(1, 10)
    if rng.random() < 0.25:
        kw["split"] = rng.choice([None, None, "character", "whitespace", "words"])
    if rng.random() < 0.1:
        kw["ngrams"] = rng.choice([2, (1, 2)])
    if rng.random() < 0.05:
        kw["ragged"] = True
    r = rng.random()
    if r < 0.45:
        x = (None,)
    elif r < 0.75:
        x = (None, 1)
    else:
        x = _shape(rng, rng.choice([0, 2, 2, 3]), none=0.1)
    return TV, kw, x


def gen_encoding(rng):
    layer = rng.choice([CE, CE, HA, HA, DI, DI])
    x = _shape(rng, rng.choice([1, 2, 2, 2, 3, 3]), none=0.1)
    if len(x) > 1 and rng.random() < 0.3:
        x = (*x[:-1], 1)
    if layer == CE:
        kw = {"num_tokens": rng.choice([0] + [rng.randint(1, 10)] * 10)} if rng.random() < 0.95 else {}
        if rng.random() < 0.7:
            kw["output_mode"] = rng.choice(["one_hot", "multi_hot", "count", "binary", "int"])
        return layer, kw, x
    if layer == HA:
        kw = {"num_bins": rng.choice([0, -1] + [rng.randint(1, 10)] * 12)}
        if rng.random() < 0.7:
            kw["output_mode"] = rng.choice(["int", "one_hot", "multi_hot", "count", "tf_idf"])
        if rng.random() < 0.1:
            kw["sparse"] = True
        if rng.random() < 0.1:
            kw["mask_value"] = ""
        return layer, kw, x
    r = rng.random()
    if r < 0.6:
        kw = {"bin_boundaries": sorted(rng.sample([-1.0, 0.0, 0.5, 1.0, 2.0, 3.0], rng.randint(0, 4)))}
        if rng.random() < 0.05:
            kw["bin_boundaries"] = kw["bin_boundaries"][::-1]
    elif r < 0.9:
        kw = {"num_bins": rng.choice([-1, 0, 2, 3, 5])}
    elif r < 0.95:
        kw = {"num_bins": 3, "bin_boundaries": [0.0]}
    else:
        kw = {}
    if rng.random() < 0.7:
        kw["output_mode"] = rng.choice(["int", "one_hot", "multi_hot", "count"])
    if rng.random() < 0.05:
        kw["sparse"] = True
    return layer, kw, x


def gen_hashed_crossing(rng):
    kw = {"num_bins": rng.choice([-1, 0] + [rng.randint(1, 20)] * 10)}
    if rng.random() < 0.5:
        kw["output_mode"] = rng.choice(["int", "one_hot", "one_hot", "multi_hot"])
    base = rng.choice([(None,), (None,), (None, 1), (None, 1), (None, None), (None, 3), (None, 2, 1), (2,)])
    xs = [base, base]
    if rng.random() < 0.2:
        xs[1] = rng.choice([(None,), (None, 1), (None, 3), (3,), (None, None)])
    if rng.random() < 0.1:
        xs = xs + [base] if rng.random() < 0.5 else xs[:1]
    return HC, kw, xs


def gen_normalization(rng):
    rank = rng.choice([1, 2, 2, 3, 3, 4])
    x = _shape(rng, rank, none=0.1, batch=0.2)
    kw = {}
    r = rng.random()
    if r < 0.3:
        kw["axis"] = rng.choice([None, 0, 1, 2, -2, 3, (1, 2), (-1, 1), [1]])
    if rng.random() < 0.4:
        axes = kw.get("axis", -1)
        axes = () if axes is None else (axes,) if isinstance(axes, int) else tuple(axes)
        kept = [x[a] if -rank <= a < rank else 3 for a in axes]
        kept = sorted(zip([a % rank if -rank <= a < rank else a for a in axes], kept))
        sizes = [d if is_int(d) else 3 for _, d in kept]
        s = rng.random()
        if s < 0.3 or not sizes:
            kw["mean"], kw["variance"] = 0.5, 2.0
        else:
            if s < 0.5:
                sizes = sizes[1:] or [1]
            elif s < 0.6:
                sizes = [d + 1 for d in sizes]
            elif s < 0.7:
                sizes = [1] * len(sizes)
            def nest(dims):
                return 1.0 if not dims else [nest(dims[1:]) for _ in range(dims[0])]
            kw["mean"] = nest(sizes)
            kw["variance"] = nest(sizes) if rng.random() < 0.9 else 1.0
        if rng.random() < 0.05:
            del kw["variance"]
    return NO, kw, x


def gen_einsum(rng):
    """Equations of the three forms Keras reads, mostly fitting the input, sometimes not."""
    letters = "abcdefgh"
    form = rng.choice(["plain", "plain", "left", "right"])
    n_in = rng.randint(2, 4) if form != "left" else rng.randint(1, 3)
    if form == "right":
        n_in = max(n_in, 2)
    inp = letters[:n_in]
    kept = [c for c in inp[1:] if rng.random() < 0.5] if form != "left" else \
        [c for c in inp if rng.random() < 0.4]
    contracted = [c for c in inp if c not in kept and (form == "left" or c != "a")]
    new = list(letters[n_in:n_in + rng.randint(0, 2)])
    ker = "".join(contracted + new) or "x"
    if form == "left":
        out = "".join(kept + new)
    else:
        out = "a" + "".join(kept + new)
    if not out or not ker:
        out, ker = out or "z", ker
    if rng.random() < 0.05:
        ker += "q"   # a kernel axis found nowhere
    if rng.random() < 0.05:
        out += "w"   # an output axis found nowhere
    eq = {"plain": f"{inp},{ker}->{out}", "left": f"...{inp},{ker}->...{out}",
          "right": f"{inp}...,{ker}->{out}..."}[form]
    elided = 0 if form == "plain" else rng.choice([0, 1, 1, 2])
    rank = n_in + elided
    if form == "left" and rank == n_in:
        rank = n_in + 1 if rng.random() < 0.8 else n_in
    if rng.random() < 0.1:
        rank += rng.choice([-1, 1])
    x = _shape(rng, max(rank, 1), none=0.12, lo=1, hi=5)
    # output_shape: the output axes after the batch (all of them with '...' on the left)
    out_axes = out if form == "left" else out[1:]
    partial = []
    for c in out_axes:
        if c in inp and rng.random() < 0.5:
            i = inp.index(c) + (rank - n_in if form == "left" else 0)
            partial.append(None if rng.random() < 0.3 else x[i] if 0 <= i < len(x) else 3)
        elif c in inp:
            partial.append(None)
        else:
            partial.append(rng.randint(1, 5) if rng.random() < 0.95 else None)
    if rng.random() < 0.08 and partial:
        partial[rng.randrange(len(partial))] = rng.randint(1, 6)
    if rng.random() < 0.05:
        partial = partial + [2]
    output_shape = partial[0] if len(partial) == 1 and rng.random() < 0.5 else tuple(partial)
    kw = {"equation": eq, "output_shape": output_shape}
    if rng.random() < 0.4:
        pick = [c for c in out if rng.random() < 0.5 and (c != "a" or form == "left" or rng.random() < 0.2)]
        kw["bias_axes"] = "".join(pick) or rng.choice([out[-1], out[-1], "z", ""])
    return ED, kw, x


def gen_gqa(rng):
    def dim(none=0.1):
        return None if rng.random() < none else rng.randint(1, 6)

    rank = rng.choice([3, 3, 3, 3, 3, 2, 4])
    batch = None if rng.random() < 0.85 else rng.randint(1, 3)
    feat = dim(0.05)
    query = (batch, *(dim() for _ in range(rank - 2)), feat) if rank > 1 else (batch,)
    value = (batch if rng.random() < 0.95 else rng.randint(1, 3), *(dim() for _ in range(rank - 2)),
             feat if rng.random() < 0.85 else dim(0.1))
    tensors = {"query": query, "value": value}
    if rng.random() < 0.35:
        tensors["key"] = (batch, *(value[1:-1] if rng.random() < 0.8 else (dim() for _ in range(rank - 2))),
                          dim(0.05))
    kv = rng.choice([1, 1, 2, 2, 3, 0] if rng.random() < 0.2 else [1, 2])
    heads = kv * rng.choice([1, 2, 3]) if rng.random() < 0.9 else rng.choice([0, 3, 5])
    kw = {"head_dim": rng.choice([0, 2, 4, 4, 8]) if rng.random() < 0.1 else rng.choice([2, 4, 8]),
          "num_query_heads": heads, "num_key_value_heads": kv}
    if rng.random() < 0.1:
        kw["sliding_window"] = rng.choice([0, 2, 4])
    if rng.random() < 0.1:
        kw["use_gate"] = True
    call_kwargs = {"return_attention_scores": True} if rng.random() < 0.3 else {}
    return GQA, kw, (tensors, call_kwargs)


FAMILIES = {
    "lookup": (gen_lookup, 400),
    "text_vectorization": (gen_text_vectorization, 250),
    "encoding": (gen_encoding, 350),
    "hashed_crossing": (gen_hashed_crossing, 100),
    "normalization": (gen_normalization, 150),
    "einsum": (gen_einsum, 350),
}


@pytest.mark.tf
@keras_warnings
@pytest.mark.parametrize("family", list(FAMILIES))
def test_randomized_conformance(keras_answers, conformance, family):
    gen, count = FAMILIES[family]
    answers = iter(keras_answers["families"][family])   # the same draws, in the same order
    mismatches = run_conformance(
        conformance, "preprocessing", gen, count, f"1234:preprocessing:{family}",
        mine=lambda layer, kwargs, x: ours(layer, (), kwargs, x),
        real=lambda layer, kwargs, x: next(answers), agree=agree)
    assert not mismatches, "\n".join(mismatches[:30])


@pytest.mark.tf
@keras_warnings
def test_randomized_conformance_gqa(keras, conformance):
    mismatches = run_conformance(
        conformance, "attention", gen_gqa, 250, "1234:preprocessing:gqa",
        mine=att.ours, real=lambda layer, kwargs, call: theirs_attention(keras, layer, kwargs, call),
        agree=agree)
    assert not mismatches, "\n".join(mismatches[:30])


def test_names_that_may_hold_anything_are_never_errors():
    """A size-valued argument held in a function parameter arrives as its name: it may be
    None, an int or a tuple at run time, so it decides nothing."""
    assert ours(SL, (), {"vocabulary": "vocab", "output_mode": "tf_idf"}, (None, 3)) == (None, UNK)
    assert ours(TV, (), {"output_mode": "multi_hot", "output_sequence_length": "n"}, (None,)) == (None, UNK)
    assert ours(ED, (), {"equation": "abc,cd->abd", "output_shape": "shape"}, (None, 5, 3)) is None
