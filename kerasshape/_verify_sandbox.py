"""The sandbox `kerasshape verify` runs a checked file in (child process only).

Nothing here is imported by ``lint`` or ``show``. It is installed after Keras has
imported, in the throwaway child process, and never undone:

- no training: ``fit``/``evaluate``/``predict`` and the ``*_on_batch`` methods run one
  step on the first 2 samples of the data they are given (one batch of a dataset or a
  generator), so a shape error that only ``fit`` shows still shows, in milliseconds;
- no downloads: ``keras.datasets.*.load_data`` return zero arrays of the real shapes and
  dtypes, ``keras.utils.get_file`` raises ``VerifyBlocked``, and so does any network
  connection (an audit hook sees every socket the process opens);
- no writes outside a temporary folder: ``open(..., "w")`` and ``Model.save`` are sent
  into it, any other write elsewhere raises ``VerifyBlocked``.
"""

from __future__ import annotations

import builtins
import io
import os
import sys

SAMPLES = 2   # samples of each array fit/predict really run on


class VerifyBlocked(Exception):
    """Something the checked file tried that verify does not do for real."""

    kind = "blocked"


class DownloadBlocked(VerifyBlocked):
    kind = "download"


class NetworkBlocked(VerifyBlocked):
    kind = "network"


# ------------------------------------------------------------------ data: a tiny slice

def _is_dataset(data) -> bool:
    """A tf.data.Dataset, a generator, a keras PyDataset, a torch DataLoader: anything
    iterated batch by batch rather than sliced."""
    if data is None or isinstance(data, (str, bytes, dict, list, tuple)):
        return False
    if hasattr(data, "shape") and hasattr(data, "__getitem__"):
        return False
    return hasattr(data, "__iter__") or hasattr(data, "__next__") or hasattr(data, "__getitem__")


def _slice(data):
    """The first SAMPLES samples of an array, or of each array in a list/tuple/dict."""
    if isinstance(data, dict):
        return {k: _slice(v) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        if data and all(isinstance(v, (int, float, bool)) for v in data):
            return type(data)(data[:SAMPLES])   # a plain list of labels
        return type(data)(_slice(v) for v in data)
    shape = getattr(data, "shape", None)
    if shape is not None and len(shape) >= 1 and hasattr(data, "__getitem__"):
        try:
            return data[:SAMPLES]
        except Exception:  # noqa: BLE001 - not sliceable after all: pass it on unchanged
            return data
    return data


def _one_batch(data):
    take = getattr(data, "take", None)
    if take is not None and type(data).__module__.startswith("tensorflow"):
        return take(1)     # a tf.data.Dataset
    return data


def _lengths(data) -> set:
    """The first-axis lengths of the arrays in data (a list, tuple or dict of them)."""
    if isinstance(data, dict):
        return {n for v in data.values() for n in _lengths(v)}
    if isinstance(data, (list, tuple)):
        if data and all(isinstance(v, (int, float, bool)) for v in data):
            return {len(data)}
        return {n for v in data for n in _lengths(v)}
    shape = getattr(data, "shape", None)
    try:
        return {int(shape[0])} if shape is not None and len(shape) >= 1 else set()
    except (TypeError, ValueError):
        return set()


def _slice_together(*parts):
    """Slice arrays that go together (x, y, sample_weight); when their numbers of samples
    already differ, Keras raises before any training: keep them whole, so it still does."""
    if len(set().union(*(_lengths(p) for p in parts if p is not None))) > 1:
        return parts
    return tuple(_slice(p) for p in parts)


def _small(args: tuple, kwargs: dict, names: tuple, steps: str | None) -> tuple[tuple, dict]:
    """Bind positional args to names, slice the data arguments, force one step."""
    bound = dict(zip(names, args))
    bound.update(kwargs)
    x = bound.get(names[0]) if names else None
    dataset = _is_dataset(x)
    if dataset:
        bound["x"] = _one_batch(x)
    else:
        keys = [k for k in ("x", "y", "sample_weight") if k in bound]
        for key, value in zip(keys, _slice_together(*(bound[k] for k in keys))):
            bound[key] = value
    if steps is not None:
        if dataset:
            bound[steps] = 1
        else:
            bound.pop(steps, None)
    return (), bound


def _small_validation(data):
    if isinstance(data, tuple) and 2 <= len(data) <= 3:
        return _slice_together(*data)
    return _one_batch(data) if _is_dataset(data) else data


def _patch_model(Model) -> None:
    fit, evaluate, predict = Model.fit, Model.evaluate, Model.predict

    def one_step_fit(self, *args, **kwargs):
        _, kw = _small(args, kwargs, ("x", "y", "batch_size", "epochs", "verbose", "callbacks",
                                      "validation_split", "validation_data"), "steps_per_epoch")
        for name in ("callbacks", "validation_split", "validation_freq", "initial_epoch"):
            kw.pop(name, None)   # callbacks write files and logs
        if kw.get("validation_data") is not None:   # checked on a slice too: one step
            kw["validation_data"] = _small_validation(kw["validation_data"])
            if _is_dataset(kw["validation_data"]):
                kw["validation_steps"] = 1
        kw.update(epochs=1, verbose=0)
        return fit(self, **kw)

    def one_step_evaluate(self, *args, **kwargs):
        _, kw = _small(args, kwargs, ("x", "y", "batch_size", "verbose", "sample_weight", "steps"),
                       "steps")
        kw.pop("callbacks", None)
        kw.update(verbose=0)
        return evaluate(self, **kw)

    def one_step_predict(self, *args, **kwargs):
        _, kw = _small(args, kwargs, ("x", "batch_size", "verbose", "steps"), "steps")
        kw.pop("callbacks", None)
        kw.update(verbose=0)
        return predict(self, **kw)

    Model.fit, Model.evaluate, Model.predict = one_step_fit, one_step_evaluate, one_step_predict

    for name, names in (("train_on_batch", ("x", "y", "sample_weight")),
                        ("test_on_batch", ("x", "y", "sample_weight")),
                        ("predict_on_batch", ("x",))):
        original = getattr(Model, name)

        def on_batch(self, *args, _original=original, _names=names, **kwargs):
            _, kw = _small(args, kwargs, _names, None)
            return _original(self, **kw)

        setattr(Model, name, on_batch)


# ------------------------------------------------------------------ datasets: zero arrays

# (train samples, test samples, x sample shape, x dtype, y sample shape, y dtype);
# x None: the sequences of word indices of imdb/reuters
DATASETS = {
    "mnist": (60000, 10000, (28, 28), "uint8", (), "uint8"),
    "fashion_mnist": (60000, 10000, (28, 28), "uint8", (), "uint8"),
    "cifar10": (50000, 10000, (32, 32, 3), "uint8", (1,), "uint8"),
    "cifar100": (50000, 10000, (32, 32, 3), "uint8", (1,), "uint8"),
    "boston_housing": (404, 102, (13,), "float64", (), "float64"),
    "california_housing": (16512, 4128, (8,), "float32", (), "float32"),
    "imdb": (25000, 25000, None, "int64", (), "int64"),
    "reuters": (8982, 2246, None, "int64", (), "int64"),
}
SEQUENCE_LENGTH = 80   # every stub review/newswire has this many word indices


def _zero_data(name: str):
    import numpy as np

    n_train, n_test, x_shape, x_dtype, y_shape, y_dtype = DATASETS[name]

    def part(n):
        if x_shape is None:
            x = np.empty((n,), dtype=object)
            row = [1] + [4] * (SEQUENCE_LENGTH - 1)   # start_char, then one common word
            for i in range(n):
                x[i] = list(row)
        else:
            x = np.zeros((n, *x_shape), dtype=x_dtype)
        return x, np.zeros((n, *y_shape), dtype=y_dtype)

    return part(n_train), part(n_test)


def _patch_datasets(keras) -> None:
    for name in DATASETS:
        getattr(keras.datasets, name, None)   # loads keras.src.datasets.<name> too
        for prefix in ("keras.src.datasets.", "keras.datasets."):
            module = sys.modules.get(prefix + name)
            if module is None:   # an older Keras without this dataset
                continue

            def load_data(*args, _name=name, **kwargs):
                return _zero_data(_name)

            module.load_data = load_data
            if hasattr(module, "get_word_index"):
                module.get_word_index = lambda *a, **k: {"the": 1, "and": 2, "a": 3, "of": 4}

    def get_file(fname=None, origin=None, *args, **kwargs):
        caller = sys._getframe(1).f_code.co_filename.replace("\\", "/")
        if "/keras/src/applications/" in caller:
            return PRETRAINED   # keras.applications(weights="imagenet"): built, not loaded
        raise DownloadBlocked(f"verify does not download: get_file({fname!r}, origin={origin!r}); "
                              "run the file itself to fetch the data")

    for path in ("keras.src.utils.file_utils", "keras.utils", "keras.src.utils"):
        module = sys.modules.get(path)
        if module is not None and hasattr(module, "get_file"):
            module.get_file = get_file


# the path get_file gives keras.applications for pretrained weights: load_weights skips it,
# so the model is built (every check Keras makes on the arguments included) with random weights
PRETRAINED = "kerasshape-verify-pretrained-weights-not-downloaded.weights.h5"


def _patch_load_weights(Model) -> None:
    load_weights = Model.load_weights

    def maybe_load_weights(self, filepath, *args, **kwargs):
        if isinstance(filepath, str) and filepath == PRETRAINED:
            return None
        return load_weights(self, filepath, *args, **kwargs)

    Model.load_weights = maybe_load_weights


# ------------------------------------------------------------------ files and network

# audit events that change files, and how many of their first arguments are paths (the last
# argument of the os.* ones is dir_fd, -1 when there is none)
CHANGES = {"os.remove": 1, "os.rmdir": 1, "os.rename": 2, "shutil.rmtree": 1, "shutil.move": 2,
           "os.mkdir": 1, "os.chmod": 1, "os.chown": 1, "os.symlink": 2,
           "os.link": 2, "os.utime": 1}
WATCHED = {"open", "socket.connect", "socket.getaddrinfo", "socket.sendto", *CHANGES}


class Sandbox:
    """Writes go into ``root``; nothing connects to the network."""

    def __init__(self, root: str):
        self.root = os.path.realpath(root)
        self.redirected: dict[str, str] = {}

    def inside(self, path: str) -> bool:
        real = os.path.realpath(path)
        return real == self.root or real.startswith(self.root + os.sep) or real.startswith("/dev/")

    def redirect(self, path):
        """Where a write to ``path`` goes: the same name, inside the temporary folder."""
        if isinstance(path, int):
            return path
        text = os.fsdecode(os.fspath(path))
        if self.inside(text):
            return path
        key = os.path.abspath(text)
        if key not in self.redirected:
            target = os.path.join(self.root, "writes", key.lstrip(os.sep).replace(":", ""))
            os.makedirs(os.path.dirname(target), exist_ok=True)
            self.redirected[key] = target
        return self.redirected[key]

    def redirect_dir(self, path):
        """A folder the checked code makes: inside the temporary folder, like its files."""
        if isinstance(path, int):
            return path
        text = os.fsdecode(os.fspath(path))
        if self.inside(text):
            return path
        key = os.path.abspath(text)
        target = os.path.join(self.root, "writes", key.lstrip(os.sep).replace(":", ""))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        self.redirected.setdefault(key, target)
        return target

    def read_path(self, path):
        """A file the checked code wrote before reads back from the temporary folder."""
        if isinstance(path, int):
            return path
        try:
            key = os.path.abspath(os.fsdecode(os.fspath(path)))
        except TypeError:
            return path
        return self.redirected.get(key, path)

    def install(self, Model) -> None:
        real_open = io.open
        sandbox = self

        def sandbox_open(file, mode="r", *args, **kwargs):
            if isinstance(mode, str) and any(c in mode for c in "wax+"):
                file = sandbox.redirect(file)
            else:
                file = sandbox.read_path(file)
            return real_open(file, mode, *args, **kwargs)

        builtins.open = io.open = sandbox_open
        real_mkdir = os.mkdir

        def sandbox_mkdir(path, mode=0o777, *args, **kwargs):
            target = sandbox.redirect_dir(path)
            if target is path or not os.path.isdir(target):
                real_mkdir(target, mode, *args, **kwargs)

        os.mkdir = sandbox_mkdir   # os.makedirs("checkpoints") too: made in the temporary folder

        for name in ("save", "save_weights", "export"):
            original = getattr(Model, name, None)
            if original is None:
                continue

            def saving(self, filepath, *args, _original=original, **kwargs):
                return _original(self, sandbox.redirect(filepath), *args, **kwargs)

            setattr(Model, name, saving)

        writes = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC

        busy = []

        def audit(event: str, args: tuple) -> None:
            if busy or event not in WATCHED:
                return
            busy.append(event)
            try:
                check(event, args)
            finally:
                busy.pop()

        def check(event: str, args: tuple) -> None:
            if event in ("socket.connect", "socket.getaddrinfo", "socket.sendto"):
                where = args[1] if event != "socket.getaddrinfo" else args[0]
                if event == "socket.connect" and isinstance(where, (str, bytes)):
                    return   # a Unix socket on this machine
                raise NetworkBlocked(f"verify blocks network access (tried to reach {where!r})")
            if event in CHANGES:   # remove, rename, rmtree...: only inside the temporary folder
                last = args[-1] if args else None
                if event.startswith("os.") and isinstance(last, int) and last >= 0:
                    return   # relative to a folder's descriptor (inside shutil.rmtree): checked there
                paths = [a for a in args[:CHANGES[event]] if isinstance(a, (str, bytes, os.PathLike))]
                for path in paths:
                    if not sandbox.inside(os.fsdecode(path)):
                        raise VerifyBlocked(f"verify blocks {event}({os.fsdecode(path)!r}) "
                                            "outside its temporary folder")
                return
            if event == "open":
                path, mode, flags = args
                if isinstance(path, int) or path is None:
                    return
                write = (isinstance(mode, str) and any(c in mode for c in "wax+")) or \
                        (mode is None and isinstance(flags, int) and flags & writes)
                if write and not sandbox.inside(os.fsdecode(path)):
                    raise VerifyBlocked(f"verify blocks writing {os.fsdecode(path)!r} "
                                        "outside its temporary folder")

        sys.addaudithook(audit)


def install(keras, root: str) -> Sandbox:
    Model = keras.Model   # keras.src.models.model.Model, every model's base class

    _patch_model(Model)
    _patch_load_weights(Model)
    _patch_datasets(keras)
    sandbox = Sandbox(root)
    sandbox.install(Model)
    return sandbox
