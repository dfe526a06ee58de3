"""The child process of `kerasshape verify`: runs checked files with real Keras.

    python -m kerasshape._verify_child FILE ...

Started by ``verify.py`` (never imported by ``lint`` or ``show``). It imports Keras with
whatever backend ``KERAS_BACKEND`` names, installs the sandbox (``_verify_sandbox``),
then runs each file in turn with ``runpy`` after ``keras.backend.clear_session()`` (so
automatic layer names start afresh, as in a fresh process). It records every model the
file builds, by the line that made it, and the output shape of every layer it calls.

Results go to the original stdout as JSON lines, one event each, flushed at once so the
parent can enforce its time limit per file: ``{"event": "ready", ...}`` after Keras
imported, ``{"event": "start", "path": ...}`` and ``{"event": "result", ...}`` per file.
Anything else the file prints (Python or C) goes to stderr.
"""

from __future__ import annotations

import gc
import json
import os
import runpy
import sys
import tempfile
import time
import traceback
import warnings

APPLICATIONS = "/keras/src/applications/"   # models built inside keras.applications
BACKEND = None   # the Keras backend in use, once Keras imported
FRAMEWORKS = ("keras", "tensorflow", "tf_keras", "jax", "jaxlib", "torch", "optree", "ml_dtypes")


def _shape(tensor):
    shape = getattr(tensor, "shape", None)
    if shape is None:
        return None
    try:
        return [None if d is None else int(d) for d in shape]
    except Exception:  # noqa: BLE001 - a symbolic size (JAX's shape polymorphism): unknown
        try:
            return [d if isinstance(d, int) else None for d in shape]
        except Exception:  # noqa: BLE001
            return None


def _shapes(output):
    if isinstance(output, dict):
        return [_shapes(v) for v in output.values()]
    if isinstance(output, (list, tuple)):
        return [_shapes(t) for t in output]
    return _shape(output)


def _flatten(struct) -> list:
    if isinstance(struct, dict):
        return [t for v in struct.values() for t in _flatten(v)]
    if isinstance(struct, (list, tuple)):
        return [t for v in struct for t in _flatten(v)]
    return [struct]


class Recorder:
    """Models made by the running file, and the first output of every layer called."""

    def __init__(self):
        self.path: str | None = None
        self.models: list = []         # (model, line)
        self.first: dict = {}          # id(layer) -> (layer, output)

    def clear(self, path: str | None) -> None:
        self.path = path
        self.models.clear()
        self.first.clear()

    def install(self) -> None:
        # Keras is imported by verify.load_keras(); these are its own classes
        Layer = sys.modules["keras.src.layers.layer"].Layer
        Functional = sys.modules["keras.src.models.functional"].Functional
        Model = sys.modules["keras.src.models.model"].Model
        Sequential = sys.modules["keras.src.models.sequential"].Sequential

        rec = self
        for cls in (Functional, Sequential):
            original = cls.__init__

            def __init__(self, *args, _original=original, _app=cls is Functional, **kwargs):
                caller = sys._getframe(1)
                while _app and caller.f_back is not None and \
                        APPLICATIONS in caller.f_code.co_filename.replace("\\", "/"):
                    caller = caller.f_back   # keras.applications.X(...): the line calling it
                _original(self, *args, **kwargs)
                if rec.path is not None and caller.f_code.co_filename == rec.path:
                    rec.models.append((self, caller.f_lineno))

            cls.__init__ = __init__

        model_init = Model.__init__

        def subclass_init(self, *args, _original=model_init, **kwargs):
            _original(self, *args, **kwargs)
            if rec.path is None or type(self) in (Functional, Sequential) or \
                    any(m is self for m, _ in rec.models):
                return
            frame, line = sys._getframe(1), None   # the line instantiating the subclass
            while frame is not None:
                if frame.f_code.co_filename == rec.path:
                    line = frame.f_lineno
                    if frame.f_code.co_name != "__init__":
                        break
                frame = frame.f_back
            if line is not None:
                rec.models.append((self, line))

        Model.__init__ = subclass_init

        layer_call = Layer.__call__

        def recording_call(self, *args, _original=layer_call, **kwargs):
            out = _original(self, *args, **kwargs)
            if rec.path is not None and id(self) not in rec.first:
                rec.first[id(self)] = (self, out)   # keeps the layer alive: ids stay unique
            return out

        Layer.__call__ = recording_call

    # ---------------------------------------------------------------- reading shapes

    def layer_shape(self, layer):
        nodes = getattr(layer, "_inbound_nodes", None) if hasattr(layer, "layers") else None
        if nodes:
            # a model used as a layer of a functional model: what model.summary() shows, the
            # output of its (last) call in that graph, not its own Input-based `.output`
            tensors = nodes[-1].output_tensors
            return _shapes(tensors[0] if len(tensors) == 1 else list(tensors))
        try:
            output = layer.output
        except Exception:  # noqa: BLE001 - never called, or inside a subclassed model
            output = self.first.get(id(layer), (None, None))[1]
        return None if output is None else _shapes(output)

    def layers(self, model, out: dict) -> dict:
        for layer in getattr(model, "layers", []):
            out.setdefault(layer.name, self.layer_shape(layer))
            if hasattr(layer, "layers"):   # a model used as a layer: its layers too
                self.layers(layer, out)
        return out

    def outputs(self, model):
        if id(model) in self.first and not hasattr(model, "_outputs_struct"):
            return [_shape(t) for t in _flatten(self.first[id(model)][1])]   # subclassed
        try:
            struct = getattr(model, "_outputs_struct", None)
            if struct is None:
                struct = model.outputs
            return None if struct is None else [_shape(t) for t in _flatten(struct)]
        except Exception:  # noqa: BLE001 - an unbuilt Sequential has no outputs
            return None

    def report(self) -> dict:
        models = [{"line": line, "class": type(model).__name__, "name": model.name,
                   "built": bool(getattr(model, "built", False)),
                   "outputs": self.outputs(model), "layers": self.layers(model, {})}
                  for model, line in self.models]
        called = {}
        for layer, output in self.first.values():
            called.setdefault(layer.name, _shapes(output))
        return {"models": models, "called": called}


# ------------------------------------------------------------------ one file

class LineTracer:
    """The lines that ran, of the checked file and of the modules next to it (to tell
    'not raised' from 'not reached', and a branch Keras did not take)."""

    def __init__(self):
        self.path = self.folder = None
        self.lines: set = set()
        self.near: set = set()

    def _local(self, frame, event, arg):
        if event == "line":
            (self.lines if frame.f_code.co_filename == self.path else self.near).add(frame.f_lineno)
        return self._local

    def _global(self, frame, event, arg):
        name = frame.f_code.co_filename
        if name == self.path or (name.startswith(self.folder) and "-packages" not in name):
            (self.lines if name == self.path else self.near).add(frame.f_lineno)
            return self._local
        return None

    def start(self, path: str) -> None:
        self.path, self.folder = path, os.path.dirname(path) + os.sep
        self.lines, self.near = set(), set()
        sys.settrace(self._global)

    def stop(self) -> tuple[list, list]:
        sys.settrace(None)
        return sorted(self.lines), sorted(self.near)


def _framework_frame(filename: str) -> bool:
    """A frame of Keras or of its backend (where Keras's own errors are raised)."""
    for name in FRAMEWORKS:
        module = sys.modules.get(name)
        root = getattr(module, "__file__", None)
        if root and filename.startswith(os.path.dirname(root) + os.sep):
            return True
    return False


def describe_error(exc: BaseException, path: str) -> dict:
    from . import _verify_sandbox as sandbox

    tb = traceback.extract_tb(exc.__traceback__)
    lines = [f.lineno for f in tb if f.filename == path]
    # where the raise happened after the checked file's last frame: Keras, or elsewhere
    last_user = max((i for i, f in enumerate(tb) if f.filename == path), default=-1)
    after = tb[last_user + 1:]
    in_framework = any(_framework_frame(f.filename) for f in after)
    tf_frames = any("tensorflow" in f.filename.replace("\\", "/").split("/") for f in after)
    if isinstance(exc, sandbox.VerifyBlocked):
        kind = exc.kind
    elif tf_frames and BACKEND not in (None, "tensorflow"):
        kind = "backend"   # TensorFlow ops on the tensors of another backend
    elif isinstance(exc, ModuleNotFoundError) and not in_framework:
        kind = "import"
    elif isinstance(exc, (FileNotFoundError, IsADirectoryError, PermissionError)) and not in_framework:
        kind = "data"
    elif isinstance(exc, SystemExit):
        kind = "exit"
    elif in_framework:
        kind = "keras"
    else:
        kind = "file"
    message = " ".join(str(exc).replace("\x1b[1m", "").replace("\x1b[0m", "").split())
    return {"type": type(exc).__name__, "message": message[:800], "kind": kind,
            "line": lines[-1] if lines else None, "lines": lines,
            "module": getattr(exc, "name", None) if isinstance(exc, ModuleNotFoundError) else None}


def run_file(path: str, keras, recorder: Recorder, tracer: LineTracer, defaults: dict) -> dict:
    try:   # automatic layer names start afresh; the garbage collection is main's, now and then
        keras.backend.clear_session(free_memory=False)
    except TypeError:   # an older Keras
        keras.backend.clear_session()
    recorder.clear(path)
    folder = os.path.dirname(path)
    before = set(sys.modules)
    error = None
    executed, near = [], []
    started = time.perf_counter()
    sys.path.insert(0, folder)   # like `python file.py`: the modules next to it import
    argv, cwd = sys.argv, os.getcwd()
    sys.argv = [path]            # as if run with no arguments (argparse sees its defaults)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tracer.start(path)
            try:
                runpy.run_path(path, run_name="__main__")
            finally:
                executed, near = tracer.stop()
    except BaseException as exc:  # noqa: BLE001 - every failure is data here
        if isinstance(exc, KeyboardInterrupt):
            raise
        error = describe_error(exc, path)
    finally:
        sys.settrace(None)
        recorder.path = None
        sys.argv = argv
        try:
            os.chdir(cwd)
        except OSError:
            pass
        if folder in sys.path:
            sys.path.remove(folder)
    try:
        report = recorder.report()
    except Exception as exc:  # noqa: BLE001
        report = {"models": [], "called": {}}
        error = error or {"type": type(exc).__name__, "message": str(exc)[:800], "kind": "file",
                          "line": None, "lines": []}
    seconds = time.perf_counter() - started
    # the modules the file imported from its own folder go, so another file's may load
    for name in set(sys.modules) - before:
        module_file = getattr(sys.modules.get(name), "__file__", None) or ""
        if module_file and os.path.dirname(os.path.abspath(module_file)) == folder:
            del sys.modules[name]
    _restore(keras, defaults)
    recorder.first.clear()
    recorder.models.clear()
    return {"path": path, "error": error, "executed": executed, "executed_near": near,
            "seconds": round(seconds, 3),
            **report}


def _defaults(keras) -> dict:
    config = keras.config
    return {"floatx": config.floatx(), "image_data_format": config.image_data_format(),
            "dtype_policy": config.dtype_policy()}


def _restore(keras, defaults: dict) -> None:
    """Undo the global settings a file may change (mixed precision, channels_first)."""
    config = keras.config
    for setter, key in ((config.set_floatx, "floatx"),
                        (config.set_image_data_format, "image_data_format"),
                        (config.set_dtype_policy, "dtype_policy")):
        try:
            setter(defaults[key])
        except Exception:  # noqa: BLE001
            pass


# ------------------------------------------------------------------ main

def quiet_environment() -> None:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("TF_FORCE_GPU_ALLOW_GROWTH", "true")
    os.environ.setdefault("XLA_PYTHON_CLIENT_PREALLOCATE", "false")   # JAX's memory growth
    os.environ.setdefault("GRPC_VERBOSITY", "ERROR")
    os.environ.setdefault("ABSL_MIN_LOG_LEVEL", "3")
    os.environ["PYTHONDONTWRITEBYTECODE"] = "1"
    sys.dont_write_bytecode = True
    warnings.simplefilter("ignore")


def main(argv: list[str]) -> int:
    results = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)            # whatever the files print, Python or C, goes to stderr
    sys.stdout = sys.stderr

    def emit(event: dict) -> None:
        results.write(json.dumps(event) + "\n")
        results.flush()

    quiet_environment()
    root = tempfile.mkdtemp(prefix="kerasshape-verify-")
    os.environ["TMPDIR"] = root
    for cache in ("MPLCONFIGDIR", "XDG_CACHE_HOME"):   # matplotlib's font cache and the like
        os.environ[cache] = os.path.join(root, cache.lower())
    tempfile.tempdir = root
    try:
        from .verify import device_info, load_keras

        keras = load_keras()
        try:
            import absl.logging

            absl.logging.set_verbosity(absl.logging.ERROR)
        except Exception:  # noqa: BLE001
            pass
        keras.utils.disable_interactive_logging()
        keras.config.disable_traceback_filtering()   # Keras's frames tell its errors apart
        info = device_info(keras)
        global BACKEND
        BACKEND = info["backend"]
        recorder = Recorder()
        recorder.install()
        from . import _verify_sandbox

        _verify_sandbox.install(keras, root)
        defaults = _defaults(keras)
    except BaseException as exc:  # noqa: BLE001 - no Keras: every file is unverifiable
        emit({"event": "import_error", "message": f"{type(exc).__name__}: {exc}"})
        results.close()
        os._exit(0)
    emit({"event": "ready", **info})
    tracer = LineTracer()
    for i, path in enumerate(argv):
        path = os.path.abspath(path)
        if i and i % 25 == 0:
            gc.collect()   # clear_session's own collection costs 0.2 s a file
        emit({"event": "start", "path": path})
        emit({"event": "result", **run_file(path, keras, recorder, tracer, defaults)})
    results.close()
    os._exit(0)   # threads the files started, and their atexit handlers, must not hold us


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
