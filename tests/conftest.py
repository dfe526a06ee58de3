"""Shared pytest setup: the `tf` marker and the Keras conformance summary."""

from __future__ import annotations

import os

import pytest

CONFORMANCE_KEY = pytest.StashKey[list]()


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite tests/golden/* from the current output (review the diff)")


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "tf: needs TensorFlow/Keras (skipped when keras does not import)")
    config.stash[CONFORMANCE_KEY] = []


@pytest.fixture(scope="session")
def keras():
    """Real Keras, imported once and quietly; tests that use it skip when it does not import."""
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
    try:
        import keras as real_keras
    except Exception as exc:  # no TensorFlow, or a broken install
        pytest.skip(f"keras does not import: {exc}")
    return real_keras


@pytest.fixture
def conformance(request):
    """Lines for the per-layer summary printed at the end of the run."""
    return request.config.stash[CONFORMANCE_KEY]


def pytest_terminal_summary(terminalreporter, config):
    lines = config.stash.get(CONFORMANCE_KEY, [])
    if lines:
        terminalreporter.section("kerasshape vs Keras (randomized conformance)")
        for line in lines:
            terminalreporter.write_line(line)
