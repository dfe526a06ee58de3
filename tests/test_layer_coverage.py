"""Every keras.layers class is covered or listed with a reason; docs/layers.md is current."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from kerasshape.signatures import SOURCES, TABLE
from kerasshape.signatures.coverage import ENGINE, NOT_YET, markdown

ROOT = Path(__file__).resolve().parent.parent


def test_docs_layers_is_generated_from_the_table():
    assert (ROOT / "docs" / "layers.md").read_text(encoding="utf-8") == markdown(), \
        "run `python -m kerasshape.signatures.coverage > docs/layers.md`"


def test_not_yet_lists_no_covered_layer():
    assert not set(NOT_YET) & (set(TABLE) | set(SOURCES) | set(ENGINE))


@pytest.mark.tf
def test_every_keras_layer_is_covered_or_listed(keras):
    layer_classes = {
        name for name in dir(keras.layers)
        if inspect.isclass(getattr(keras.layers, name)) and issubclass(getattr(keras.layers, name), keras.layers.Layer)
    }
    unaccounted = layer_classes - set(TABLE) - set(SOURCES) - set(NOT_YET) - set(ENGINE)
    assert not unaccounted, f"keras.layers classes neither covered nor listed: {sorted(unaccounted)}"
    assert not set(TABLE) - {name for name in dir(keras.layers)}, "signatures for names keras.layers lacks"
