"""MultiHeadAttention: called on (query, value[, key]) with a call argument that changes outputs."""

from __future__ import annotations


import pytest

from kerasshape.shapes import ShapeError, fmt
from kerasshape.signatures import TABLE

from .test_signatures import REJECTED, agree, concrete, keras_warnings
from .conformance_lib import run_conformance

MHA = "MultiHeadAttention"
Q, V = (None, 10, 32), (None, 20, 16)

# layer, constructor kwargs, call: ({tensor name: shape}, {call kwargs}), expected
CASES = [
    (MHA, {"num_heads": 4, "key_dim": 8}, ({"query": Q, "value": V}, {}), (None, 10, 32)),
    (MHA, {"num_heads": 4, "key_dim": 8}, ({"query": Q, "value": Q}, {}), (None, 10, 32)),
    (MHA, {"num_heads": 2, "key_dim": 8, "output_shape": 64}, ({"query": Q, "value": V}, {}), (None, 10, 64)),
    (MHA, {"num_heads": 2, "key_dim": 8, "output_shape": (4, 5)}, ({"query": Q, "value": V}, {}),
     (None, 10, 4, 5)),
    (MHA, {"num_heads": 2, "key_dim": 8}, ({"query": Q, "value": V}, {"return_attention_scores": True}),
     [(None, 10, 32), (None, 2, 10, 10)]),
    (MHA, {"num_heads": 3, "key_dim": 4}, ({"query": (2, 7, 5), "value": (2, 9, 6)},
                                            {"return_attention_scores": True}),
     [(2, 7, 5), (2, 3, 7, 7)]),
    (MHA, {"num_heads": 2, "key_dim": 8}, ({"query": Q, "value": V, "key": (None, 20, 3)}, {}), (None, 10, 32)),
    (MHA, {"num_heads": 2, "key_dim": 8}, ({"query": Q, "value": V, "key": (None, 21, 16)}, {}), "KS301"),
    (MHA, {"num_heads": 2, "key_dim": 8}, ({"query": Q, "value": (None, None, 16),
                                            "key": (None, 20, 16)}, {}), "KS301"),
    (MHA, {"num_heads": 2, "key_dim": 8}, ({"query": (None, None, 32), "value": (None, None, 16)}, {}),
     (None, None, 32)),
    (MHA, {"num_heads": 2, "key_dim": 8}, ({"query": (None, 10, None), "value": V}, {}), "KS103"),
    (MHA, {"num_heads": 2, "key_dim": 8}, ({"query": Q, "value": (None, 20, None)}, {}), "KS103"),
    (MHA, {"num_heads": 0, "key_dim": 8}, ({"query": Q, "value": V}, {}), "KS203"),
    (MHA, {"num_heads": 2, "key_dim": 8}, ({"query": (None, 4, 6, 8), "value": (None, 5, 6, 3)}, {}),
     (None, 4, 6, 8)),
]


ATT, ADD = "Attention", "AdditiveAttention"
CASES += [
    (ATT, {}, ({"inputs": [Q, (None, 20, 32)]}, {}), (None, 10, 32)),
    (ATT, {}, ({"inputs": [Q, V]}, {}), (None, 10, 16)),
    (ATT, {}, ({"inputs": [Q, V, (None, 7, 3)]}, {"return_attention_scores": True}),
     [(None, 10, 16), (None, 10, 7)]),
    (ATT, {}, ({"inputs": [Q, V]}, {"return_attention_scores": True}), [(None, 10, 16), (None, 10, 20)]),
    (ATT, {"score_mode": "concat"}, ({"inputs": [Q, V]}, {}), (None, 10, 16)),
    (ATT, {}, ({"inputs": [Q]}, {}), "KS301"),
    (ATT, {}, ({"inputs": [Q, V, V, V]}, {}), "KS301"),
    (ATT, {}, ({"inputs": [(None, 4), (None, 5)]}, {}), (None, 5)),
    (ADD, {}, ({"inputs": [Q, V]}, {}), (None, 10, 16)),
    (ADD, {}, ({"inputs": [(None, 10, None), V]}, {}), "KS103"),
    (ADD, {"use_scale": False}, ({"inputs": [(None, 10, None), V]}, {}), (None, 10, 16)),
    (ADD, {}, ({"inputs": [Q, V]}, {"return_attention_scores": True}), [(None, 10, 16), (None, 10, 20)]),
    (ADD, {}, ({"inputs": [Q]}, {}), "KS301"),
]


def ours(layer, kwargs, call):
    """What the engine does: bind, check every given tensor's rank and defined axes, compute."""
    sig = TABLE[layer]
    tensors, call_kwargs = call
    args = sig.bind([], kwargs)
    try:
        for shape in ([] if sig.many else tensors.values()):
            if not sig.rank_ok(len(shape)):
                raise ShapeError("KS101", f"{layer} expects {sig.expects()}, got {fmt(shape)}")
            if sig.undefined(shape, args):
                raise ShapeError("KS103", "undefined axis")
        if sig.many:
            for shape in tensors["inputs"]:
                if not sig.rank_ok(len(shape)):
                    raise ShapeError("KS101", f"{layer} expects {sig.expects()}, got {fmt(shape)}")
            return sig.fn(list(tensors["inputs"]), **args, **call_kwargs)
        x = tuple(tensors.get(name) for name in sig.inputs)
        return sig.fn(x, **args, **call_kwargs)
    except ShapeError as err:
        return err.code


def theirs(keras, layer, kwargs, call):
    tensors, call_kwargs = call
    try:
        obj = getattr(keras.layers, layer)(**kwargs)
        if "inputs" in tensors:
            out = obj([keras.Input(batch_shape=concrete(v)) for v in tensors["inputs"]], **call_kwargs)
        else:
            inputs = {k: keras.Input(batch_shape=concrete(v)) for k, v in tensors.items()}
            out = obj(**inputs, **call_kwargs)
    except Exception:  # noqa: BLE001 - Keras refusing the call
        return REJECTED
    if isinstance(out, (list, tuple)):
        return [tuple(t.shape) for t in out]
    return tuple(out.shape)


def rows():
    return [pytest.param(*row, id=f"{i}-{row[0]}") for i, row in enumerate(CASES)]


@pytest.mark.parametrize("layer, kwargs, call, expected", rows())
def test_output_shape(layer, kwargs, call, expected):
    assert ours(layer, kwargs, call) == expected


@pytest.mark.tf
@keras_warnings
@pytest.mark.parametrize("layer, kwargs, call, expected", rows())
def test_matches_keras(keras, layer, kwargs, call, expected):
    real = theirs(keras, layer, kwargs, call)
    assert agree(expected, real), f"{layer}({kwargs}) on {call}: Keras gives {real}"


def gen_attention(rng):
    def dim(none=0.15):
        return None if rng.random() < none else rng.randint(1, 6)

    rank = rng.choice([2, 3, 3, 3, 4])
    batch = None if rng.random() < 0.8 else rng.randint(1, 3)
    query = (batch, *(dim() for _ in range(rank - 1)))
    value = (batch, *(dim() for _ in range(rank - 1)))
    tensors = {"query": query, "value": value}
    if rng.random() < 0.4:
        same = rng.random() < 0.6
        tensors["key"] = (batch, *(value[1:-1] if same else (dim() for _ in range(rank - 2))), dim(0.1))
    kwargs = {"num_heads": rng.choice([0, 1, 2, 3]) if rng.random() < 0.1 else rng.choice([1, 2, 3]),
              "key_dim": rng.randint(1, 8)}
    if rng.random() < 0.3:
        kwargs["output_shape"] = rng.choice([rng.randint(1, 9), (rng.randint(1, 4), rng.randint(1, 4))])
    call_kwargs = {"return_attention_scores": True} if rng.random() < 0.3 else {}
    return MHA, kwargs, (tensors, call_kwargs)


def gen_dot_attention(rng):
    def dim(none=0.15):
        return None if rng.random() < none else rng.randint(1, 6)

    rank = rng.choice([2, 3, 3, 4])
    shapes = [(None, *(dim() for _ in range(rank - 1))) for _ in range(rng.choice([1, 2, 2, 3, 3, 4]))]
    layer = rng.choice([ATT, ADD])
    kwargs = {}
    if layer == ADD and rng.random() < 0.4:
        kwargs["use_scale"] = False
    if layer == ATT and rng.random() < 0.3:
        kwargs["score_mode"] = "concat"
    call_kwargs = {"return_attention_scores": True} if rng.random() < 0.4 else {}
    return layer, kwargs, ({"inputs": shapes}, call_kwargs)


@pytest.mark.tf
@keras_warnings
@pytest.mark.parametrize("gen", [gen_attention, gen_dot_attention])
def test_randomized_conformance(keras, conformance, gen):
    name = MHA if gen is gen_attention else f"{ATT}/{ADD}"
    mismatches = run_conformance(
        conformance, "attention", gen, 300, f"1234:{gen.__name__}",
        mine=ours, real=lambda layer, kwargs, call: theirs(keras, layer, kwargs, call), agree=agree,
        key=lambda layer, kwargs: name)
    assert not mismatches, "\n".join(mismatches[:30])
