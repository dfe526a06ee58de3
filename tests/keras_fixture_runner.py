"""Run fixture files with real Keras and report what happened, as JSON.

    python tests/keras_fixture_runner.py FIXTURE.py ...

Each file runs in this one process (``runpy.run_path``) after
``keras.backend.clear_session()``, so Keras's automatic layer names (``dense``,
``lstm_1``) start afresh per file, as in a fresh process. Every ``Sequential`` and
functional ``Model`` the file constructs itself is recorded with the line of the call
that made it (models Keras makes internally, such as a Sequential's inner functional
graph, are left out). The last line on stdout is ``KERAS_FIXTURES_JSON <json>``::

    {"keras": "3.15.1", "files": {path: {
        "error": null | {"type": ..., "message": ..., "line": deepest line in the file},
        "models": [{"line": 12, "class": "Functional", "built": true,
                    "outputs": [[null, 10]] | null,
                    "layers": {"dense": [null, 10], "lstm": [[null, 8], [null, 8]]}}]}}}
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import runpy
import sys
import tempfile
import traceback
import warnings

MARKER = "KERAS_FIXTURES_JSON "
APPLICATIONS = "/keras/src/applications/"   # models built inside keras.applications


def _shape(tensor):
    shape = getattr(tensor, "shape", None)
    if shape is None:
        return None
    return [None if d is None else int(d) for d in shape]


def _flatten(struct) -> list:
    """Tensors of a nested output structure in the user's order (dicts as written)."""
    if isinstance(struct, dict):
        return [t for v in struct.values() for t in _flatten(v)]
    if isinstance(struct, (list, tuple)):
        return [t for v in struct for t in _flatten(v)]
    return [struct]


def _outputs(model):
    if id(model) in FIRST_OUTPUTS and not hasattr(model, "_outputs_struct"):
        return [_shape(t) for t in _flatten(FIRST_OUTPUTS[id(model)][1])]  # a subclassed model
    try:
        struct = getattr(model, "_outputs_struct", None)
        if struct is None:
            struct = model.outputs
        if struct is None:
            return None
        return [_shape(t) for t in _flatten(struct)]
    except Exception:  # an unbuilt Sequential has no outputs
        return None


# the output of each layer's first call (layers inside a subclassed model have no
# `.output`: they are not nodes of a functional graph)
FIRST_OUTPUTS: dict = {}


def _layers(model, out: dict) -> dict:
    for layer in getattr(model, "layers", []):
        nodes = getattr(layer, "_inbound_nodes", None) if hasattr(layer, "layers") else None
        try:
            if nodes:
                # a model used as a layer of a functional model: what model.summary() shows,
                # the output of its (last) call in that graph, not its own `.output`
                tensors = nodes[-1].output_tensors
                output = tensors[0] if len(tensors) == 1 else list(tensors)
            else:
                output = layer.output
        except Exception:  # never called, or not built
            output = FIRST_OUTPUTS.get(id(layer), (None, None))[1]
        if output is None:
            shape = None
        elif isinstance(output, (list, tuple)):
            shape = [_shape(t) for t in output]
        else:
            shape = _shape(output)
        out.setdefault(layer.name, shape)
        if hasattr(layer, "layers"):  # a model used as a layer: its layers too
            _layers(layer, out)
    return out


def run_file(path: str, keras, created: list, current: dict) -> dict:
    keras.backend.clear_session()
    created.clear()
    FIRST_OUTPUTS.clear()
    current["path"] = path
    error = None
    sink = io.StringIO()
    try:
        with contextlib.redirect_stdout(sink), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # like `python fixture.py`: modules next to it import (`from cnn_blocks import ...`)
            sys.path.insert(0, os.path.dirname(path))
            try:
                runpy.run_path(path, run_name="__main__")
            finally:
                sys.path.remove(os.path.dirname(path))
    except BaseException as exc:  # noqa: BLE001 - every failure is data here
        if isinstance(exc, KeyboardInterrupt):
            raise
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == path]
        error = {"type": type(exc).__name__, "message": str(exc)[:500],
                 "line": frames[-1].lineno if frames else None}
    finally:
        current["path"] = None
    models = []
    for model, line in created:
        models.append({"line": line, "class": type(model).__name__,
                       "built": bool(getattr(model, "built", False)),
                       "outputs": _outputs(model), "layers": _layers(model, {})})
    return {"error": error, "models": models}


def install_recorder(keras, created: list, current: dict) -> None:
    """Record each Sequential / Functional constructed directly by the running fixture, and
    each instance of a Model subclass it defines (at the line that instantiates it)."""
    from keras.src.models.functional import Functional
    from keras.src.models.sequential import Sequential

    for cls in (Functional, Sequential):
        original = cls.__init__

        def __init__(self, *args, _original=original, _app=cls is Functional, **kwargs):
            caller = sys._getframe(1)
            while _app and caller.f_back is not None and \
                    APPLICATIONS in caller.f_code.co_filename.replace("\\", "/"):
                caller = caller.f_back   # keras.applications.X(...): the line that calls it
            _original(self, *args, **kwargs)
            if current["path"] is not None and caller.f_code.co_filename == current["path"]:
                created.append((self, caller.f_lineno))

        cls.__init__ = __init__

    from keras.src.models.model import Model

    model_init = Model.__init__

    def subclass_init(self, *args, _original=model_init, **kwargs):
        _original(self, *args, **kwargs)
        if current["path"] is None or type(self) in (Functional, Sequential) or \
                any(m is self for m, _ in created):
            return
        # a subclassed model: the line that instantiates it, above its own __init__ chain
        frame, line = sys._getframe(1), None
        while frame is not None:
            if frame.f_code.co_filename == current["path"]:
                line = frame.f_lineno
                if frame.f_code.co_name != "__init__":
                    break
            frame = frame.f_back
        if line is not None:
            created.append((self, line))

    Model.__init__ = subclass_init

    from keras.src.layers.layer import Layer

    layer_call = Layer.__call__

    def recording_call(self, *args, _original=layer_call, **kwargs):
        out = _original(self, *args, **kwargs)
        if current["path"] is not None and id(self) not in FIRST_OUTPUTS:
            FIRST_OUTPUTS[id(self)] = (self, out)  # keeps the layer alive: ids stay unique
        return out

    Layer.__call__ = recording_call


def main(argv: list[str]) -> int:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    warnings.simplefilter("ignore")
    try:
        import keras
    except Exception as exc:  # noqa: BLE001
        print(MARKER + json.dumps({"import_error": f"{type(exc).__name__}: {exc}"}))
        return 0
    created: list = []
    current: dict = {"path": None}
    install_recorder(keras, created, current)
    files = {}
    paths = [os.path.abspath(path) for path in argv]
    with tempfile.TemporaryDirectory() as scratch:
        os.chdir(scratch)   # what a fixture saves (model.save("s2s.keras")) lands here
        for path, full in zip(argv, paths):
            files[path] = run_file(full, keras, created, current)
    sys.stdout.flush()
    print(MARKER + json.dumps({"keras": keras.__version__, "files": files}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
