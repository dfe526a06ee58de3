"""Signatures of kerasshape/signatures/audio.py (ReversibleEmbedding, STFTSpectrogram,
MelSpectrogram), row by row and against real Keras: on a symbolic input, then on zeros of
that shape (Keras builds some inputs symbolically that fail on data).
"""

from __future__ import annotations

from collections import Counter

import pytest

from kerasshape.shapes import ShapeError, fmt
from kerasshape.signatures import MISSING, TABLE

from .conformance_lib import REJECTED, run_conformance
from .test_signatures import _shape, agree, keras_warnings

RE, STFT, MEL = "ReversibleEmbedding", "STFTSpectrogram", "MelSpectrogram"
LAYERS = (RE, STFT, MEL)
E = {"input_dim": 10, "output_dim": 4}
REV = {"reverse": True}
CF = {"data_format": "channels_first"}
SMALL = {"fft_length": 64, "sequence_stride": 16, "num_mel_bins": 20}

# layer, constructor kwargs, call kwargs, input, expected (shape, None = unknown, or a code)
CASES = [
    (RE, E, {}, (None, 5), (None, 5, 4)),
    (RE, E, {}, (None, 5, 3), (None, 5, 3, 4)),
    (RE, E, {}, (None,), (None, 4)),
    (RE, E, {}, (), (4,)),
    (RE, {**E, "tie_weights": False}, {}, (2, None), (2, None, 4)),
    (RE, E, REV, (None, 5, 4), (None, 5, 10)),
    (RE, E, REV, (None, 4), (None, 10)),
    (RE, E, REV, (4,), (10,)),
    (RE, {**E, "tie_weights": False}, REV, (3, 7, 4), (3, 7, 10)),
    (RE, E, {"reverse": False}, (None, 5), (None, 5, 4)),
    (RE, E, REV, (None, 5, 3), "KS203"),
    (RE, {**E, "tie_weights": False}, REV, (None, 3), "KS203"),
    (RE, E, REV, (), "KS101"),
    (RE, {"input_dim": 10, "output_dim": 0}, {}, (None, 5), "KS203"),

    (STFT, {}, {}, (None, 1000, 1), (None, 6, 129)),
    (STFT, {}, {}, (None, 1000, 2), (None, 6, 258)),
    (STFT, {"padding": "same"}, {}, (None, 1000, 1), (None, 8, 129)),
    (STFT, {}, {}, (None, None, 1), (None, None, 129)),
    (STFT, {"expand_dims": True}, {}, (None, 1000, 2), (None, 6, 129, 2)),
    (STFT, {"mode": "stft"}, {}, (None, 1000, 1), (None, 6, 258)),
    (STFT, CF, {}, (None, 1, 1000), (None, 129, 6)),
    (STFT, {**CF, "expand_dims": True}, {}, (None, 2, 1000), (None, 2, 6, 129)),
    (STFT, {"frame_length": 64, "frame_step": 16, "fft_length": 100}, {}, (None, 300, 1), (None, 15, 51)),
    (STFT, {"frame_length": 100}, {}, (4, 100, 3), (4, 1, 195)),
    (STFT, {}, {}, (None, 256, 1), (None, 1, 129)),
    (STFT, {}, {}, (None, 100, 1), "KS202"),
    (STFT, {}, {}, (None, 1000, None), "KS103"),
    (STFT, CF, {}, (None, None, 1000), "KS103"),
    (STFT, {}, {}, (None, 1000), "KS101"),
    (STFT, {}, {}, (None, 1000, 1, 1), "KS101"),
    (STFT, {"frame_length": 32, "frame_step": 40}, {}, (None, 100, 1), "KS203"),
    (STFT, {"frame_length": 32, "fft_length": 16}, {}, (None, 100, 1), "KS203"),

    (MEL, {}, {}, (None, 16000), (None, 128, 32)),
    (MEL, {}, {}, (16000,), (128, 32)),
    (MEL, {}, {}, (None, None), (None, 128, None)),
    (MEL, SMALL, {}, (None, 50), (None, 20, 4)),
    (MEL, SMALL, {}, (None, 47), None),                        # Keras says 4 symbolically, 3 on data
    (MEL, SMALL, {}, (3, 33), (3, 20, 3)),
    (MEL, {"num_mel_bins": 64}, {}, (2, 4096), (2, 64, 9)),
    (MEL, {"sequence_stride": 512}, {}, (None, 2047), None),   # Keras says 5 symbolically, 4 on data
    (MEL, SMALL, {}, (None, 32), "KS203"),
    (MEL, {}, {}, (None, 1000), "KS203"),
    (MEL, {}, {}, (None, 16000, 1), None),   # fails on data (1 sample per row)
    (MEL, SMALL, {}, (None, 3, 500), None),  # Keras says (None, 20, 1), its data gives (2, 3, 20, 32)
    (MEL, {}, {}, (), "KS101"),
    (MEL, {"fft_length": 64, "sequence_length": 128}, {}, (None, 500), "KS203"),
]


def apply(layer, kwargs, call, x):
    """What the engine does with one call; raises ShapeError with the code it reports."""
    sig = TABLE[layer]
    args = sig.bind([], kwargs)
    if MISSING in args.values():
        raise ShapeError("KS203", f"{layer} misses a required argument")
    if not sig.rank_ok(len(x)):
        raise ShapeError("KS101", f"{layer} expects {sig.expects()}, got {fmt(x)}")
    if sig.undefined(x, args):
        raise ShapeError("KS103", "undefined axis")
    return sig.fn(x, **args, **call)


def ours(layer, kwargs, call, x):
    try:
        return apply(layer, kwargs, call, x)
    except ShapeError as err:
        return err.code


def _rows(table):
    return [pytest.param(*row, id=f"{i}-{row[0]}") for i, row in enumerate(table)]


@pytest.mark.parametrize("layer, kwargs, call, x, expected", _rows(CASES))
def test_output_shape(layer, kwargs, call, x, expected):
    got = ours(layer, kwargs, call, x)
    assert got == expected, f"{layer}({kwargs})({call}) on {x}: {got} != {expected}"


def test_rows_and_metadata():
    count = Counter(row[0] for row in CASES)
    assert set(count) == set(LAYERS) and min(count.values()) >= 8
    for name in LAYERS:
        assert "->" in TABLE[name].doc, name
    assert TABLE[RE].call_args == ("reverse",)
    assert TABLE[STFT].ndim == 3 and (TABLE[MEL].min_ndim, TABLE[MEL].max_ndim) == (1, None)


# -------------------------------------------------------------- against real Keras

def _zeros(layer, kwargs, x):
    """Zeros of shape x: a None batch is 2; a None length is long enough for the layer."""
    import numpy as np

    long = 4 * kwargs.get("fft_length", 2048) + 3 if layer == MEL else 300
    dims = [2 if i == 0 and d is None and len(x) > 1 else (long if d is None else d)
            for i, d in enumerate(x)]
    if layer == RE and x and x[-1] is None and kwargs.get("reverse_call"):
        dims[-1] = kwargs["output_dim"]  # an unknown hidden size: the one that works
    return np.zeros(dims, "float32")


def theirs(keras, layer, kwargs, call, x):
    """Keras's output shape on a symbolic input, or REJECTED when it (or a call on zeros) raises."""
    dtype = "int32" if layer == RE and not call.get("reverse") else "float32"
    try:
        out = getattr(keras.layers, layer)(**kwargs)(keras.Input(batch_shape=x, dtype=dtype), **call)
        data = _zeros(layer, {**kwargs, "reverse_call": call.get("reverse")}, x).astype(dtype)
        getattr(keras.layers, layer)(**kwargs)(data, **call)
    except Exception:  # noqa: BLE001 - Keras refusing the layer
        return REJECTED
    return tuple(out.shape)


@pytest.mark.tf
@keras_warnings
@pytest.mark.parametrize("layer, kwargs, call, x, expected", _rows(CASES))
def test_matches_keras(keras, layer, kwargs, call, x, expected):
    real = theirs(keras, layer, kwargs, call, x)
    assert agree(expected, real), f"{layer}({kwargs})({call}) on {x}: Keras gives {real}"


# ----------------------------------------------------- randomized conformance

def gen_reversible(rng):
    kw = {"input_dim": rng.randint(1, 12), "output_dim": rng.choice([rng.randint(1, 8)] * 9 + [0])}
    if rng.random() < 0.3:
        kw["tie_weights"] = False
    call = {"reverse": True} if rng.random() < 0.6 else ({"reverse": False} if rng.random() < 0.3 else {})
    x = list(_shape(rng, rng.choice([0, 1, 2, 2, 3, 3, 4]), none=0.15, hi=8))
    if call.get("reverse") and x and rng.random() < 0.6:
        x[-1] = kw["output_dim"]
    return RE, (kw, call), tuple(x)


def gen_stft(rng):
    frame = rng.choice([8, 16, 20, 32, 50, 64])
    kw = {"frame_length": frame}
    if rng.random() < 0.6:
        kw["frame_step"] = rng.randint(1, frame + (4 if rng.random() < 0.1 else 0))
    if rng.random() < 0.4:
        kw["fft_length"] = rng.choice([frame, 2 * frame, 128, frame + 3, max(1, frame - 4)])
    if rng.random() < 0.4:
        kw["padding"] = "same"
    if rng.random() < 0.3:
        kw["mode"] = rng.choice(["stft", "psd", "real", "imag", "angle", "magnitude"])
    if rng.random() < 0.3:
        kw["expand_dims"] = True
    first = rng.random() < 0.3
    if first:
        kw.update(CF)
    n = rng.choice([None, rng.randint(1, 200), rng.randint(frame, 300)])
    c = rng.choice([1, 1, 2, 3, None] if rng.random() < 0.95 else [None])
    x = (rng.choice([None, None, 2]), c, n) if first else (rng.choice([None, None, 2]), n, c)
    if rng.random() < 0.08:
        x = x[:rng.choice([1, 2])] if rng.random() < 0.5 else (*x, 1)
    return STFT, (kw, {}), x


def gen_mel(rng):
    fft = rng.choice([16, 32, 64, 65, 128])
    kw = {"fft_length": fft, "sequence_stride": rng.randint(1, fft), "num_mel_bins": rng.randint(1, 24)}
    if rng.random() < 0.2:
        kw["sequence_length"] = rng.randint(1, fft + (8 if rng.random() < 0.3 else 0))
    rank = rng.choice([0, 1, 2, 2, 2, 2, 3])
    n = rng.choice([None, rng.randint(1, 3 * fft), rng.randint(fft // 2, 5 * fft)])
    x = (*_shape(rng, rank - 1, none=0.0, hi=3, batch=0.3), n) if rank else ()
    return MEL, (kw, {}), x


FAMILIES = {"reversible_emb": (gen_reversible, 150), "stft": (gen_stft, 150), "mel": (gen_mel, 150)}


@pytest.mark.tf
@keras_warnings
@pytest.mark.parametrize("family", list(FAMILIES))
def test_randomized_conformance(keras, conformance, family):
    gen, count = FAMILIES[family]
    mismatches = run_conformance(
        conformance, family, gen, count, f"1234:audio:{family}",
        mine=lambda layer, kwargs, x: ours(layer, *kwargs, x),
        real=lambda layer, kwargs, x: theirs(keras, layer, *kwargs, x), agree=agree)
    assert not mismatches, "\n".join(mismatches[:80])
