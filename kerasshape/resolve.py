"""How a name in the user's code reaches Keras: imports and aliases -> canonical paths.

``tf.keras.layers.LSTM``, ``from tensorflow.keras import layers as L; L.LSTM`` and
``from keras.layers import LSTM`` all resolve to the canonical path
``keras.layers.LSTM``; the interpreter then looks the class up in the signature table.
"""

from __future__ import annotations

from .applications import kind as application
from .signatures import FUNCTIONS, SOURCES, TABLE

# Module prefixes that are Keras under another name, longest first.
_ALIASES = (
    ("tensorflow.python.keras", "keras"),
    ("tensorflow.keras", "keras"),
    ("tensorflow.compat.v2.keras", "keras"),
    ("tensorflow.compat.v1.keras", "keras"),
    ("tf_keras", "keras"),
    ("keras_core", "keras"),       # Keras 3's name before its release (2023)
    ("keras.api", "keras"),
    ("keras.src", "keras"),
    ("keras._tf_keras.keras", "keras"),
)

# Keras 2 submodules of keras.layers (keras.layers.core.Dense, ...), still common in old code.
_LAYER_SUBMODULES = {
    "core", "recurrent", "convolutional", "pooling", "merge", "merging", "normalization",
    "embeddings", "wrappers", "reshaping", "rnn", "convolutional_recurrent", "advanced_activations",
    "noise", "regularization", "activation", "attention", "preprocessing",
}

MODEL_CLASSES = {"Model", "Functional"}
SEQUENTIAL = "Sequential"


def canonical(path: str) -> str:
    """``tensorflow.keras.layers.Dense`` -> ``keras.layers.Dense``."""
    for prefix, repl in _ALIASES:
        if path == prefix or path.startswith(prefix + "."):
            path = repl + path[len(prefix):]
            break
    # keras.layers.experimental.preprocessing.Rescaling (tf.keras 2): keras.layers.Rescaling
    while path.startswith("keras.layers."):
        parts = path.split(".")
        if len(parts) > 3 and (parts[2] in _LAYER_SUBMODULES or parts[2] == "experimental"):
            path = "keras.layers." + ".".join(parts[3:])
        else:
            break
    return path


def keras_kind(path: str) -> tuple[str, str] | None:
    """What a canonical path names: ("layer", cls), ("function", cls), ("input", cls),
    ("sequential", ""), ("model", ""), ("unknown_layer", cls), ("application", name) for
    keras.applications models and preprocess_input, or None for non-Keras."""
    path = canonical(path)
    if not path.startswith("keras."):
        return None
    parts = path.split(".")
    last = parts[-1]
    if path in ("keras.Input", "keras.layers.Input", "keras.layers.InputLayer",
                "keras.engine.input_layer.Input"):
        return ("input", last)
    if path == "keras.Sequential" or last == SEQUENTIAL and parts[1] in ("models", "engine"):
        return ("sequential", "")
    if last in MODEL_CLASSES and (path in ("keras.Model", "keras.models.Model", "keras.Functional")
                                  or parts[1] in ("models", "engine")):
        return ("model", "")
    if parts[1] == "applications":
        name = application(path)
        return ("application", name) if name is not None else None
    if len(parts) == 3 and parts[1] == "layers":
        if last in SOURCES:
            return ("input", last)
        if last in TABLE:
            return ("layer", last)
        if last in FUNCTIONS:
            return ("function", FUNCTIONS[last])
        if last[:1].isupper():
            return ("unknown_layer", last)
    return None


def is_keras_module(path: str) -> bool:
    path = canonical(path)
    return path == "keras" or path in ("keras.layers", "keras.models", "keras.ops", "keras.utils",
                                       "keras.losses", "keras.activations", "keras.backend")
