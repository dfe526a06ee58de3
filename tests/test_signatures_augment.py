"""Signatures of the image augmentation layers (kerasshape/signatures/augment.py), row by
row and against real Keras, in the format of tests/test_signatures_misc.py.
"""

from __future__ import annotations

from collections import Counter

import pytest

from kerasshape.signatures import TABLE
from kerasshape.signatures.augment import RGB_ONLY, SHAPE_PRESERVING

OTHERS = ("RandomPerspective", "ContrastLimitedAdaptiveHistogramEqualization")

from .conformance_lib import run_conformance
from .test_signatures import _rows, _shape, agree, keras_warnings, ours
from .test_signatures_misc import theirs as _misc_theirs

CF = {"data_format": "channels_first"}

# The constructor arguments each layer needs (all others take Keras's defaults).
ARGS = {
    "AugMix": {}, "AutoContrast": {}, "CutMix": {}, "Equalization": {}, "MixUp": {},
    "RandomColorJitter": {}, "RandomElasticTransform": {}, "RandomErasing": {},
    "RandomGaussianBlur": {}, "RandomInvert": {}, "RandomPerspective": {},
    "RandomPosterization": {"factor": (1, 4)}, "RandomSharpness": {"factor": 0.5},
    "RandomShear": {"x_factor": 0.2}, "Solarization": {},
    "ContrastLimitedAdaptiveHistogramEqualization": {"value_range": (0, 255)},
    "RandAugment": {}, "RandomColorDegeneration": {"factor": 0.5}, "RandomGrayscale": {},
    "RandomHue": {"factor": 0.5}, "RandomSaturation": {"factor": 0.5},
}


def _rows_for(layer):
    kw = ARGS[layer]
    rows = [
        (layer, kw, (None, 8, 8, 3), (None, 8, 8, 3)),
        (layer, kw, (2, 6, 5, 3), (2, 6, 5, 3)),
        (layer, kw, (8, 8, 3), (8, 8, 3)),
        (layer, kw, (None, None, None, 3), (None, None, None, 3)),
        (layer, kw, (None, 8, 8, 8, 3), "KS101"),
        (layer, kw, (None, 8), "KS101"),
        (layer, kw, (None,), "KS101"),
        (layer, kw, (2, 3, 4, 5, 6, 3), "KS101"),
    ]
    if layer == "ContrastLimitedAdaptiveHistogramEqualization":
        rows[1] = (layer, kw, (2, 16, 8, 3), (2, 16, 8, 3))
        rows[3] = (layer, kw, (None, None, 8, 3), None)
        rows += [(layer, kw, (None, 6, 8, 3), None), (layer, kw, (None, 8, 8, 1), None)]
    elif layer == "RandomPerspective":
        rows += [(layer, kw, (None, 1, 8, 3), None), (layer, kw, (None, 8, 8, 1), (None, 8, 8, 1)),
                 (layer, {**kw, **CF}, (None, 3, 8, 1), None),
                 (layer, {**kw, **CF}, (None, 3, 8, 8), (None, 3, 8, 8))]
    elif layer in SHAPE_PRESERVING:
        rows += [
            (layer, kw, (None, 8, 8, 1), (None, 8, 8, 1)),
            (layer, kw, (None, 8, 8), (None, 8, 8)),
            (layer, {**kw, **CF}, (None, 3, 8, 8), (None, 3, 8, 8)),
            (layer, kw, (None, 8, 8, None), (None, 8, 8, None)),
        ]
    else:  # the channel count decides on data: unknown unless it is 3
        rows += [
            (layer, kw, (None, 8, 8, None), None),
            (layer, kw, (None, 8, 8, 5), None),
        ]
    return rows


CASES = [row for layer in sorted(ARGS) for row in _rows_for(layer)]

RMS = "RMSNormalization"
OTHER_CASES = [
    (RMS, {}, (None, 4), (None, 4)),
    (RMS, {"axis": 1}, (None, 3, None), (None, 3, None)),
    (RMS, {"axis": (1, 2)}, (None, 3, 5), (None, 3, 5)),
    (RMS, {"axis": -3}, (2, 3, 4, 5), (2, 3, 4, 5)),
    (RMS, {}, (None, 3, None), "KS103"),
    (RMS, {"axis": -3}, (None, 3, 5), "KS103"),
    (RMS, {"axis": 3}, (None, 3, 5), "KS203"),
    (RMS, {"axis": (1, 3)}, (None, 4), "KS203"),
]
for _n in (1, 2, 3):
    for _k in ("Average", "Max"):
        _l = f"Adaptive{_k}Pooling{_n}D"
        OTHER_CASES += [
            (_l, {"output_size": 4}, (None, *(9,) * _n, 3), (None, *(4,) * _n, 3)),
            (_l, {"output_size": (2,) * _n}, (None, *(None,) * _n, 3), (None, *(2,) * _n, 3)),
            (_l, {"output_size": 4, **CF}, (None, 3, *(9,) * _n), (None, 3, *(4,) * _n)),
            (_l, {"output_size": 2, **CF}, (8, 5, *(None,) * _n), (8, 5, *(2,) * _n)),
            (_l, {"output_size": 3}, (2, *(2,) * _n, 6), (2, *(3,) * _n, 6)),
            (_l, {"output_size": 4}, (None, 4), None),
            (_l, {"output_size": 0}, (None, *(9,) * _n, 3), None),
            (_l, {"output_size": 1}, (None, *(1,) * _n, 1), (None, *(1,) * _n, 1)),
        ]
SN = "SpectralNormalization"
DENSE4 = ("Dense", {"units": 4})
CONV = ("Conv2D", {"filters": 2, "kernel_size": 3})
OTHER_CASES += [
    (SN, {"layer": DENSE4}, (None, 3), (None, 4)),
    (SN, {"layer": DENSE4}, (None, 5, 3), (None, 5, 4)),
    (SN, {"layer": DENSE4, "power_iterations": 2}, (7, 3), (7, 4)),
    (SN, {"layer": CONV}, (None, 8, 8, 3), (None, 6, 6, 2)),
    (SN, {"layer": ("Embedding", {"input_dim": 10, "output_dim": 4})}, (None, 5), (None, 5, 4)),
    (SN, {"layer": CONV}, (None, 8, 3), "KS101"),
    (SN, {"layer": DENSE4}, (None, None), "KS103"),
    (SN, {"layer": CONV}, (None, 2, 8, 3), "KS202"),
]
CASES += OTHER_CASES


@pytest.mark.parametrize("layer, kwargs, x, expected", _rows(CASES))
def test_output_shape(layer, kwargs, x, expected):
    got = ours(layer, (), kwargs, x)
    assert got == expected, f"{layer}({kwargs}) on {x}: {got} != {expected}"


def test_rows_per_layer():
    count = Counter(row[0] for row in CASES)
    assert {name for name, n in count.items() if n < 8} == set()
    assert set(count) - {r[0] for r in OTHER_CASES} == set(SHAPE_PRESERVING) | set(RGB_ONLY) | set(OTHERS) <= set(TABLE)


def test_signature_metadata():
    for name in {r[0] for r in OTHER_CASES}:
        assert "->" in TABLE[name].doc, name
    for name in ARGS:
        sig = TABLE[name]
        assert sig.doc and "->" in sig.doc, name
        assert (sig.min_ndim, sig.max_ndim) == (3, 4), name


# -------------------------------------------------------------- against real Keras

def theirs(keras, layer, kwargs, x):
    """Keras on a symbolic input, then on zeros of that shape (its rank checks run on data)."""
    import tests.test_signatures_misc as misc

    if layer in ARGS:
        misc.ON_DATA.add(layer)
    if layer == SN:
        try:
            inner = kwargs["layer"]
            obj = keras.layers.SpectralNormalization(
                getattr(keras.layers, inner[0])(**inner[1]),
                **{k: v for k, v in kwargs.items() if k != "layer"})
            dtype = "int32" if inner[0] == "Embedding" else "float32"
            return tuple(obj(keras.Input(batch_shape=x, dtype=dtype)).shape)
        except Exception:  # noqa: BLE001 - Keras refusing the layer
            return "rejected"
    return _misc_theirs(keras, layer, (), kwargs, x)


@pytest.mark.tf
@keras_warnings
@pytest.mark.parametrize("layer, kwargs, x, expected", _rows(CASES))
def test_matches_keras(keras, layer, kwargs, x, expected):
    real = theirs(keras, layer, kwargs, x)
    assert agree(expected, real), f"{layer}({kwargs}) on {x}: Keras gives {real}"


# ----------------------------------------------------- randomized conformance

def gen_augment(rng):
    layer = rng.choice(sorted(ARGS))
    kw = dict(ARGS[layer])
    rank = rng.choice([3, 4, 4, 4, 4, 2, 5, 1])
    hi = 17 if layer == "ContrastLimitedAdaptiveHistogramEqualization" else 6
    x = list(_shape(rng, rank, none=0.1, lo=1, hi=hi, batch=0.2))
    if hi > 6 and rng.random() < 0.5:
        x[-3:-1] = [rng.choice([8, 16]) for _ in x[-3:-1]]
    if x and rng.random() < 0.6:
        x[-1] = 3
    if layer not in RGB_ONLY and rng.random() < 0.2:
        kw.update(CF)
    return layer, kw, tuple(x)


def gen_other(rng):
    if rng.random() < 0.3:
        x = _shape(rng, rng.choice([1, 2, 3, 3, 4]), none=0.15, hi=6)
        kw = {}
        if rng.random() < 0.6:
            kw["axis"] = rng.choice([-1, 1, 2, 3, -2, -3, 0, (1, 2), [1, -1], (1, 4)])
        return RMS, kw, x
    n = rng.choice([1, 2, 3])
    layer = f"Adaptive{rng.choice(['Average', 'Max'])}Pooling{n}D"
    kw = {"output_size": rng.choice([rng.randint(1, 5)] * 6 + [(rng.randint(1, 4),) * n, 0, (2,) * (n + 1)])}
    if rng.random() < 0.3:
        kw.update(CF)
    rank = n + 2 if rng.random() < 0.85 else rng.choice([2, 3, 4, 5, 6])
    return layer, kw, _shape(rng, rank, none=0.15, hi=9)


FAMILIES = {"augment": (gen_augment, 1600), "pool_rms": (gen_other, 600)}


@pytest.mark.tf
@keras_warnings
@pytest.mark.parametrize("family", list(FAMILIES))
def test_randomized_conformance(keras, conformance, family):
    gen, count = FAMILIES[family]
    mismatches = run_conformance(
        conformance, family, gen, count, f"1234:augment:{family}",
        mine=lambda layer, kwargs, x: ours(layer, (), kwargs, x),
        real=lambda layer, kwargs, x: theirs(keras, layer, kwargs, x), agree=agree)
    assert not mismatches, "\n".join(mismatches[:80])
