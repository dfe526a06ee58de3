"""Data: the arrays user code makes and what happens where they meet a model.

Arrays (``values.Array``) come from numpy (``np.random.rand(100, 1440, 3)``, ``np.zeros``,
``np.array`` of literals, ``reshape``, ``concatenate``, slicing, arithmetic), from
``keras.datasets.X.load_data()`` (their real shapes), ``keras.utils.to_categorical``,
``pad_sequences`` and ``train_test_split``; ``tf.data`` datasets (``values.DatasetV``) from
``Dataset.from_tensor_slices`` and their ``batch``/``map``/``zip``. Shape arithmetic reuses
the ops table (``numpy.X`` runs the ``keras.ops.X`` row: NumPy's rules, which keras.ops
follows). Anything read from files is unknown and never checked.

The checks run at ``fit``/``evaluate``/``predict``/``*_on_batch`` and ``model(x)``, with
Keras 3's own rules: the data's rank against each model input after Keras's squeeze or
expand of a trailing 1 axis (``Functional._adjust_input_rank``), then the sizes a
functional model's input spec checks; the sample counts of x and y; the target against
the output for the compiled loss (``categorical``/``binary_crossentropy`` need equal
shapes, ``sparse_categorical_crossentropy`` labels one rank lower, elementwise losses
broadcast: a warning where Keras trains on a broadcast target).
"""

from __future__ import annotations

import libcst as cst

from .ops import broadcast, getitem_shape, lookup as ops_lookup
from .resolve import canonical, keras_kind
from .shapes import UNK, ShapeError, fmt, is_int
from .values import (
    UNKNOWN, Array, BoundMethod, ClassV, DatasetV, DictV, FuncV, InstanceV, LayerV, ListV, ModelV,
    Ref, SequentialV, Sym, Tensor, find_values,
)

NOT_DATA = object()

# name -> (train count, test count, x per sample, x kind, y per sample, y labels)
DATASETS = {
    "mnist": (60000, 10000, (28, 28), "int", (), (0, 9)),
    "fashion_mnist": (60000, 10000, (28, 28), "int", (), (0, 9)),
    "cifar10": (50000, 10000, (32, 32, 3), "int", (1,), (0, 9)),
    "cifar100": (50000, 10000, (32, 32, 3), "int", (1,), (0, 99)),
    "boston_housing": (404, 102, (13,), "float", (), None),
    "imdb": (25000, 25000, (), "object", (), (0, 1)),
    "reuters": (8982, 2246, (), "object", (), (0, 45)),
}

# keras.losses classes -> the function they run
LOSS_CLASSES = {
    "CategoricalCrossentropy": "categorical_crossentropy",
    "SparseCategoricalCrossentropy": "sparse_categorical_crossentropy",
    "BinaryCrossentropy": "binary_crossentropy",
    "MeanSquaredError": "mean_squared_error", "MeanAbsoluteError": "mean_absolute_error",
    "MeanAbsolutePercentageError": "mean_absolute_percentage_error",
    "MeanSquaredLogarithmicError": "mean_squared_logarithmic_error",
}
LOSS_ALIASES = {"mse": "mean_squared_error", "mae": "mean_absolute_error",
                "mape": "mean_absolute_percentage_error", "msle": "mean_squared_logarithmic_error"}
SAME_SHAPE = {"categorical_crossentropy", "binary_crossentropy"}
ELEMENTWISE = {"mean_squared_error", "mean_absolute_error", "mean_absolute_percentage_error",
               "mean_squared_logarithmic_error"}
TRAIN = {"fit", "evaluate", "train_on_batch", "test_on_batch"}
PREDICT = {"predict", "predict_on_batch"}
# they run the model's train_step(data) / test_step(data)
STEPS = {"fit": "train_step", "train_on_batch": "train_step", "evaluate": "test_step",
         "test_on_batch": "test_step"}
SAME_FIRST_LAYERS = {"Dense", "Conv1D", "Conv2D", "Conv3D"}   # check the last axis on data

# numpy functions whose shapes follow the keras.ops row of the same name (NumPy's rules)
NUMPY_AS_OPS = frozenset({
    "reshape", "concatenate", "stack", "expand_dims", "squeeze", "transpose", "swapaxes",
    "moveaxis", "repeat", "tile", "ravel", "broadcast_to", "sum", "mean", "max", "min", "std",
    "var", "prod", "argmax", "argmin", "abs", "sqrt", "exp", "log", "clip", "round", "flip",
    "sort", "matmul", "add", "subtract", "multiply", "divide", "square", "tanh", "maximum",
    "minimum", "amax", "amin", "pad",
})

_RANDOM_SIZE = {"random": 0, "random_sample": 0, "sample": 0, "ranf": 0, "standard_normal": 0,
                "normal": 2, "uniform": 2, "binomial": 2, "poisson": 1, "exponential": 1,
                "randint": 2, "choice": 1, "beta": 2, "gamma": 2, "logistic": 2, "laplace": 2}


class _Later:
    """A part of a message computed only when the message is: where data was made needs the
    file's positions, a pass over the whole file that lint skips when nothing is reported."""

    def __init__(self, fn) -> None:
        self.fn = fn

    def __format__(self, spec: str) -> str:
        return format(self.fn(), spec)

    __str__ = lambda self: self.fn()  # noqa: E731


class Loss:
    """A keras.losses object: the loss function it runs."""

    def __init__(self, name: str) -> None:
        self.name = name


def _kind_of(dtype, default):
    if dtype is None:
        return default
    name = dtype.path.rsplit(".", 1)[-1] if isinstance(dtype, Ref) else dtype
    if not isinstance(name, str):
        return None
    if name.startswith(("float", "double", "half")):
        return "float"
    if name.startswith(("int", "uint", "long")):
        return "int"
    if name.startswith("bool"):
        return "bool"
    if name.startswith("str"):
        return "str"
    return None


def _dim(v):
    if is_int(v):
        return v if v >= 0 else UNK
    if isinstance(v, Sym):     # a named size: numpy raises unless it is an int
        return v.name
    if isinstance(v, Array) and v.shape == () and v.size:
        return v.size
    return UNK


def dims_of(v, keep: bool = False):
    """A size argument (an int, a tuple or list of ints) -> a shape; None if not one.
    ``keep`` keeps negative sizes (reshape's -1) for the ops table to judge."""
    def dim(x):
        return x if keep and is_int(x) else _dim(x)

    if is_int(v) or isinstance(v, Sym) and v.certain_int:
        return (dim(v),)
    if isinstance(v, tuple):
        return tuple(dim(x) for x in v)
    if isinstance(v, ListV) and not v.uncertain:
        return tuple(dim(x) for x in v.items)
    return None


_INT_OPS = {"Add": lambda a, b: a + b, "Subtract": lambda a, b: a - b,
            "Multiply": lambda a, b: a * b, "FloorDivide": lambda a, b: a // b if b else None}


def _int_literal(value, depth: int = 0):
    """A literal of ints, 1-D or 2-D and small (``[[0, 0], [1, 1]]``), as nested tuples."""
    items = list(value) if isinstance(value, tuple) else \
        (value.items if isinstance(value, ListV) and not value.uncertain else None)
    if items is None or not 0 < len(items) <= 64:
        return None
    if all(is_int(i) for i in items):
        return tuple(items)
    if depth > 0:
        return None
    rows = [_int_literal(i, 1) for i in items]
    if any(r is None for r in rows) or len({len(r) for r in rows}) != 1:
        return None
    return tuple(rows)


def _int_values(op, left, right):
    """The values of a small 1-D int array of literals after ``* 2`` or ``+ other``."""
    fn = _INT_OPS.get(op)
    if fn is None:
        return None
    a = left.values if isinstance(left, Array) else ((left,) if is_int(left) else None)
    b = right.values if isinstance(right, Array) else ((right,) if is_int(right) else None)
    if a is None or b is None or not all(is_int(v) for v in (*a, *b)) or \
            not (len(a) == len(b) or len(a) == 1 or len(b) == 1):
        return None
    n = max(len(a), len(b))
    if isinstance(left, Array) and isinstance(right, Array) and len(a) != len(b):
        return None
    out = tuple(fn(a[i % len(a)], b[i % len(b)]) for i in range(n))
    return None if any(v is None for v in out) else out


def _file_names(value) -> bool:
    """A list of str of a length known at run time (``sorted(glob(...))[:300]``)."""
    return isinstance(value, ListV) and value.uncertain and value.of_str


def _batch_tensors(x, origin: str, node):
    """The symbolic batch Keras builds a subclassed model on from data ``x``: a tensor per
    array, (None, *rows), in the same dict/tuple/list structure; None unless every size
    past the batch axis is known (ints or named sizes)."""
    if isinstance(x, DictV):
        if x.uncertain or not x.items:
            return None
        items = {k: _batch_tensors(v, origin, node) for k, v in x.items.items()}
        return None if any(v is None for v in items.values()) else DictV(items)
    if isinstance(x, (tuple, ListV)) and not isinstance(x, str):
        seq = list(x) if isinstance(x, tuple) else (None if x.uncertain else x.items)
        if not seq or not all(isinstance(v, (Array, Tensor)) for v in seq):
            return None    # a list of numbers is one array, not several inputs
        items = [_batch_tensors(v, origin, node) for v in seq]
        if any(v is None for v in items):
            return None
        return tuple(items) if isinstance(x, tuple) else ListV(items)
    xs = data_shape(x)
    if not xs or not all(is_int(d) or isinstance(d, str) for d in xs[1:]):
        return None
    t = Tensor((None, *xs[1:]), origin=origin, node=node)
    t.input_id, t.deps = t.id, frozenset({t.id})
    return t


def data_shape(v):
    """The shape of data: an Array, a tensor not made from a model's inputs, or a number."""
    if isinstance(v, Array):
        return v.shape
    if isinstance(v, Tensor) and v.input_id is None and v.deps == frozenset():
        return None if v.shape is None else tuple(UNK if d is None or isinstance(d, str) else d
                                                  for d in v.shape)
    if isinstance(v, (int, float)) and not isinstance(v, bool) or \
            isinstance(v, Sym) and v.certain_int:
        return ()    # a number (len(x), x.shape[1]: one known only at run time too)
    return None


class Ragged(Exception):
    pass


def literal_shape(v, depth=0):
    """np.array of nested lists: (shape, kind); Ragged for sequences of different lengths;
    None when something is not known."""
    if isinstance(v, bool):
        return (), "bool"
    if isinstance(v, int):
        return (), "int"
    if isinstance(v, float):
        return (), "float"
    if isinstance(v, str):
        return (), "str"
    if isinstance(v, Array):
        return v.shape, v.kind
    if depth > 8:
        return None
    if isinstance(v, ListV) and v.uncertain and isinstance(v.row, tuple):
        # grown by append in a loop run an unknown number of times: rows of one shape
        return (UNK, *v.row[0]), v.row[1]
    items = list(v) if isinstance(v, tuple) else \
        (v.items if isinstance(v, ListV) and not v.uncertain else None)
    if items is None:
        return None
    subs = [literal_shape(x, depth + 1) for x in items]
    if any(s is None or s[0] is None for s in subs):
        return None
    if not subs:
        return (0,), "float"
    first = subs[0][0]
    for s, _ in subs[1:]:
        if len(s) != len(first) or any(is_int(a) and is_int(b) and a != b for a, b in zip(s, first)):
            raise Ragged(f"{fmt(first)} and {fmt(s)}")
    shape = tuple(d if all(s[i] == d for s, _ in subs) else UNK for i, d in enumerate(first))
    kinds = {k for _, k in subs}
    kind = kinds.pop() if len(kinds) == 1 else ("float" if kinds <= {"int", "float", "bool"} else None)
    return (len(items), *shape), kind


class Data:
    def __init__(self, interp) -> None:
        self.interp = interp
        self.losses: dict = {}       # id(model) -> loss name (or None: not known)

    # ------------------------------------------------------------ helpers
    def made(self, shape, kind, node, origin=None, vrange=None) -> Array:
        if origin is None:
            origin = (_dotted(node.func) if isinstance(node, cst.Call) else None) or "an expression"
        return Array(shape, kind, node, origin, vrange)

    def where(self, v) -> str:
        if isinstance(v, (Array, Tensor)) and v.node is not None:
            return f"{v.origin} at {self.interp.where(v.node, self.interp.unit)}"
        return "an earlier expression"

    def report(self, node, code, message, **kw) -> None:
        self.interp.report(node, code, message, **kw)

    # ------------------------------------------------------------ calls
    def call_ref(self, path: str, args, kwargs, node):
        """numpy, keras.datasets, keras.utils, sklearn and tf.data calls; NOT_DATA for
        anything else (the Keras and ops code paths)."""
        head = path.split(".", 1)[0]
        if head not in ("numpy", "keras", "tensorflow", "sklearn", "tf_keras", "keras_core"):
            return NOT_DATA
        path = canonical(path)
        if path.startswith("numpy."):
            return self.numpy(path[6:], args, kwargs, node)
        if path.startswith("keras.datasets.") and path.endswith(".load_data"):
            return self.load_data(path.split(".")[2], kwargs, node)
        if path in ("keras.utils.to_categorical", "keras.utils.np_utils.to_categorical"):
            return self.to_categorical(args, kwargs, node)
        if path.endswith(".pad_sequences") and path.startswith("keras."):
            return self.pad_sequences(args, kwargs, node)
        if path.startswith("sklearn.") and path.endswith(".train_test_split"):
            return self.train_test_split(args, kwargs, node)
        if path.startswith("tensorflow.data.Dataset."):
            return self.dataset_make(path.rsplit(".", 1)[1], args, kwargs, node)
        if path.startswith("keras.") and path.endswith(".image_dataset_from_directory"):
            return self.image_dataset(args, kwargs, node)
        if path.startswith("keras.") and path.endswith(".timeseries_dataset_from_array"):
            return self.timeseries_dataset(args, kwargs, node)
        if path.startswith("keras.losses."):
            name = path.rsplit(".", 1)[1]
            if name in LOSS_CLASSES:
                return Loss(LOSS_CLASSES[name])
            return NOT_DATA
        if path in ("tensorflow.constant", "tensorflow.convert_to_tensor", "keras.ops.array",
                    "keras.ops.convert_to_tensor"):
            value = args[0] if args else kwargs.get("value", kwargs.get("x", UNKNOWN))
            if isinstance(value, (ListV, tuple, Array)) and not _has_tensor(value):
                return self.array(value, kwargs.get("dtype", args[1] if len(args) > 1 else None),
                                  node)
            return NOT_DATA
        found = _arrays([*args, *kwargs.values()])
        if any(isinstance(a, Array) for a in found) and \
                not any(isinstance(a, Tensor) and data_shape(a) is None for a in found):
            # a tf / keras.ops function on data (layers and models take arrays as weights,
            # `Embedding(weights=[matrix])`: those go their usual way); with a graph tensor
            # among its operands (a weight in a custom layer's call) it builds the graph
            entry = ops_lookup(path)
            if entry is not None and keras_kind(path) is None:
                return self.via_ops(entry, args, kwargs, node, None)
        return NOT_DATA

    def numpy(self, name, args, kwargs, node):
        if name.startswith("random."):
            return self.random(name[7:], args, kwargs, node)
        if name in ("zeros", "ones", "empty"):
            shape = dims_of(args[0] if args else kwargs.get("shape"))
            dtype = args[1] if len(args) > 1 else kwargs.get("dtype")
            return self.made(shape, _kind_of(dtype, "float"), node) if shape is not None else UNKNOWN
        if name == "full":
            shape = dims_of(args[0] if args else kwargs.get("shape"))
            fill = args[1] if len(args) > 1 else kwargs.get("fill_value")
            kind = _kind_of(kwargs.get("dtype"), "int" if is_int(fill) else "float")
            return self.made(shape, kind, node) if shape is not None else UNKNOWN
        if name in ("zeros_like", "ones_like", "empty_like", "full_like", "copy", "asarray_chkfinite"):
            a = args[0] if args else kwargs.get("a")
            if isinstance(a, Array):
                return self.made(a.shape, _kind_of(kwargs.get("dtype"), a.kind), node)
            return UNKNOWN
        if name in ("array", "asarray", "asanyarray", "float32", "float64", "int32", "int64"):
            value = args[0] if args else kwargs.get("object", kwargs.get("a", UNKNOWN))
            dtype = kwargs.get("dtype", args[1] if len(args) > 1 else None)
            if name.startswith(("float", "int")):
                dtype = name
            return self.array(value, dtype, node)
        if name == "arange":
            nums = list(args)
            if len(nums) == 1 and not kwargs and isinstance(nums[0], Sym) and nums[0].certain_int:
                return self.made((nums[0].name,), "int", node)     # np.arange(num_features)
            if not nums or any(k in kwargs for k in ("start", "stop", "step")) or \
                    not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in nums):
                return self.made((UNK,), None, node)
            try:
                n = len(range(*nums)) if all(is_int(v) for v in nums) else UNK
            except (TypeError, ValueError):
                n = UNK
            kind = "int" if all(is_int(v) for v in nums) else "float"
            r = range(*nums) if kind == "int" and is_int(n) and n else None
            vr = (min(r[0], r[-1]), max(r[0], r[-1])) if r is not None else None
            return self.made((n,), _kind_of(kwargs.get("dtype"), kind), node, vrange=vr)
        if name == "linspace":
            num = args[2] if len(args) > 2 else kwargs.get("num", 50)
            out = self.made((_dim(num),), "float", node)
            start = args[0] if args else kwargs.get("start")
            stop = args[1] if len(args) > 1 else kwargs.get("stop")
            endpoint = kwargs.get("endpoint", True)
            if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (start, stop)) \
                    and is_int(num) and 0 < num <= 256 and endpoint in (True, False) and \
                    len(args) <= 3 and set(kwargs) <= {"start", "stop", "num", "endpoint"}:
                # drop rates: np.linspace(0, 0.1, depth)[i] > 0.0 decides a branch
                steps = (num - 1) if endpoint else num
                step = (stop - start) / steps if steps else 0.0
                values = [float(start + i * step) for i in range(num)]
                if endpoint and num > 1:
                    values[-1] = float(stop)     # NumPy puts the end point exactly
                out.values = tuple(values)
            return out
        if name in ("eye", "identity"):
            n = args[0] if args else kwargs.get("N", kwargs.get("n"))
            m = args[1] if len(args) > 1 and name == "eye" else kwargs.get("M")
            return self.made((_dim(n), _dim(n if m is None else m)), "float", node)
        if name in ("hstack", "vstack", "column_stack", "dstack"):
            return self.stacks(name, args, kwargs, node)
        if name == "meshgrid" and args and not kwargs.get("sparse", False):
            # n 1-D arrays -> n arrays of their lengths ("xy" swaps the first two)
            lengths = [data_shape(a) for a in args]
            if any(s is None or len(s) != 1 for s in lengths) or \
                    kwargs.get("indexing", "xy") not in ("xy", "ij"):
                return UNKNOWN
            dims = [s[0] for s in lengths]
            if kwargs.get("indexing", "xy") == "xy" and len(dims) > 1:
                dims[0], dims[1] = dims[1], dims[0]
            return ListV([self.made(tuple(dims), getattr(a, "kind", None), node) for a in args],
                         depth=self.interp.depth)
        if name == "concatenate" and "axis" in kwargs and kwargs["axis"] is None:
            return UNKNOWN    # NumPy flattens first
        entry = ops_lookup("keras.ops." + name) if name in NUMPY_AS_OPS else None
        if entry is not None:
            return self.via_ops(entry, args, kwargs, node, name)
        return UNKNOWN

    def random(self, name, args, kwargs, node):
        if name == "default_rng":
            return Ref("numpy.random")    # a Generator: rng.random(size), rng.normal(...)
        if name == "integers":
            name = "randint"
        if name == "permutation" and len(args) == 1 and not kwargs:
            # permutation(n): the indices 0..n-1 shuffled; permutation(x): x's rows shuffled
            if isinstance(args[0], Array):
                return self.made(args[0].shape, args[0].kind, node)
            if is_int(args[0]) or isinstance(args[0], Sym):
                return self.made((_dim(args[0]),), "int", node)
            return UNKNOWN
        if name in ("rand", "randn"):
            if kwargs or not all(is_int(a) or isinstance(a, Sym) or a is UNKNOWN for a in args):
                return UNKNOWN
            return self.made(tuple(_dim(a) for a in args), "float", node)
        if name not in _RANDOM_SIZE:
            return UNKNOWN
        pos = _RANDOM_SIZE[name]
        size = args[pos] if len(args) > pos else kwargs.get("size")
        if name == "randint" and len(args) == 2 and "high" in kwargs:
            size = args[1]
        if size is None:
            return UNKNOWN if name in ("choice",) else self.made((), "float", node)
        shape = dims_of(size)
        if shape is None:
            return UNKNOWN
        kind, vrange = "float", None
        if name == "randint":
            kind = "int"
            low = args[0] if args else kwargs.get("low")
            high = args[1] if len(args) > 1 and not ("high" in kwargs) else kwargs.get("high")
            if is_int(low) and high is None:
                vrange = (0, low - 1)
            elif is_int(low) and is_int(high):
                vrange = (low, high - 1)
            # the range is what the labels reach only if the largest value is certain to be
            # drawn: with few samples it may not be (8 draws in [0, 4) miss 3 one time in 10)
            count = 1
            for d in shape:
                count = count * d if is_int(d) and is_int(count) else None
            if vrange is not None and (count is None or vrange[1] <= vrange[0] or
                                       (1 - 1 / (vrange[1] - vrange[0] + 1)) ** count > 1e-9):
                vrange = None
        elif name in ("binomial", "poisson"):
            kind = "int"
        elif name == "choice":
            a = args[0] if args else kwargs.get("a")
            kind = "int" if is_int(a) else (a.kind if isinstance(a, Array) else None)
        return self.made(shape, _kind_of(kwargs.get("dtype"), kind), node, vrange=vrange)

    def array(self, value, dtype, node):
        if isinstance(value, Tensor):
            value = data_shape(value)
            return UNKNOWN if value is None else self.made(value, _kind_of(dtype, None), node)
        try:
            found = literal_shape(value)
        except Ragged as err:
            self.report(node, "KS405",
                        f"{self.interp.code(node.func) if isinstance(node, cst.Call) else 'array'}: "
                        f"the sequences have different shapes ({err}); NumPy and TensorFlow "
                        "refuse to make one array of them",
                        hint="pad them to one length first (keras.utils.pad_sequences), or use a "
                        "ragged tensor")
            return UNKNOWN
        if found is None:
            return UNKNOWN
        shape, kind = found
        vrange = value.vrange if isinstance(value, Array) else None
        out = self.made(shape, _kind_of(dtype, kind), node, vrange=vrange)
        literal = _int_literal(value)
        if out.kind == "int" and literal is not None:
            # np.array([1, 1, 1]) * pool_size: pool_sizes[i] is 2; a padding table given to
            # ops.pad as ops.convert_to_tensor([[0, 0], [1, 1], ...]) keeps its numbers
            out.values = literal
        return out

    def stacks(self, name, args, kwargs, node):
        items = args[0] if args else kwargs.get("tup")
        items = list(items) if isinstance(items, tuple) else \
            (items.items if isinstance(items, ListV) and not items.uncertain else None)
        if not items:
            return UNKNOWN
        shapes = [data_shape(a) for a in items]
        if any(s is None for s in shapes):
            return UNKNOWN
        if name == "hstack":
            axis = 0 if all(len(s) == 1 for s in shapes) else 1
            shapes2 = shapes
        elif name == "vstack":
            shapes2, axis = [s if len(s) >= 2 else (1, *s) for s in shapes], 0
        else:
            return UNKNOWN
        entry = ops_lookup("keras.ops.concatenate")
        fake = [Array(s) for s in shapes2]
        return self.via_ops(entry, [tuple(fake)], {"axis": axis}, node, name)

    def via_ops(self, entry, args, kwargs, node, name):
        """A numpy (or tf/keras.ops on data) function through the ops table's row."""
        try:
            bound = entry.signature.bind(*args, **kwargs)
        except TypeError:
            return UNKNOWN
        params = entry.signature.parameters
        kind = None
        for pname, value in list(bound.arguments.items()):
            pk = entry.kinds.get(pname, "value")
            if params[pname].kind in (params[pname].VAR_POSITIONAL, params[pname].VAR_KEYWORD):
                if pk != "value":
                    return UNKNOWN
                continue          # arguments that do not change the shape, as op_call does
            if pk in ("shape", "maybe_shape", "operand"):
                if isinstance(value, Array):
                    kind = kind or value.kind
                if isinstance(value, (ListV, tuple)) and not _has_tensor(value):
                    try:          # NumPy takes a list as an array: np.swapaxes(bags, 0, 1)
                        found = literal_shape(value)
                    except Ragged:
                        found = None
                    value, kind = (found[0], kind or found[1]) if found else (None, kind)
                else:
                    value = data_shape(value)
            elif pk == "shapes":
                items = list(value) if isinstance(value, tuple) else \
                    (value.items if isinstance(value, ListV) and not value.uncertain else None)
                value = None if items is None else [data_shape(v) for v in items]
                if value is not None and any(v is None for v in value):
                    value = None
                if items:
                    kinds = {getattr(v, "kind", None) for v in items}
                    kind = kinds.pop() if len(kinds) == 1 else None
            elif pk == "dims":
                value = value if is_int(value) else dims_of(value, keep=True)
            else:
                value = _tuples(value)        # [[0, 0], [2, 2]] -> ((0, 0), (2, 2))
                if isinstance(value, Ref) and pname == "dtype":
                    value = value.path.rsplit(".", 1)[-1]     # tf.float32 -> "float32"
                if not _plain(value):
                    return UNKNOWN
            if value is None and pk not in ("value", "maybe_shape"):
                return UNKNOWN
            bound.arguments[pname] = value
        try:
            out = entry.fn(*bound.args, **bound.kwargs)
        except ShapeError as err:
            disp = _dotted(node.func) if isinstance(node, cst.Call) else entry.name
            shown = ", ".join(self.where(a) for a in _arrays([*args, *kwargs.values()]))
            self.report(node, err.code, f"{disp}: {err.message}" + (f" (data from {shown})" if shown else ""),
                        expected=err.expected, found=err.found, hint=err.hint)
            return UNKNOWN
        except Exception:
            return UNKNOWN
        if entry.returns != "shape" or not isinstance(out, tuple):
            return UNKNOWN
        if name in ("argmax", "argmin", "argsort"):
            kind = "int"
        return self.made(tuple(UNK if d is None or isinstance(d, str) else d for d in out), kind, node)

    def load_data(self, name, kwargs, node):
        row = DATASETS.get(name)
        if row is None:
            return UNKNOWN
        n_train, n_test, x_tail, x_kind, y_tail, y_range = row
        if (name in ("imdb", "reuters") and ("maxlen" in kwargs or "test_split" in kwargs)) or \
                (name == "boston_housing" and kwargs):
            n_train = n_test = UNK
        if name == "cifar100" and kwargs.get("label_mode", "fine") != "fine":
            y_range = (0, 19) if kwargs.get("label_mode") == "coarse" else None
        origin = f"{name}.load_data()"
        y_kind = "float" if name == "boston_housing" else "int"

        def part(n):
            return (self.made((n, *x_tail), x_kind, node, origin),
                    self.made((n, *y_tail), y_kind, node, origin, y_range))

        return (part(n_train), part(n_test))

    def to_categorical(self, args, kwargs, node):
        y = args[0] if args else kwargs.get("x", kwargs.get("y"))
        n = args[1] if len(args) > 1 else kwargs.get("num_classes")
        if not isinstance(y, Array) or y.shape is None:
            return UNKNOWN
        shape = y.shape[:-1] if len(y.shape) > 1 and y.shape[-1] == 1 else y.shape
        if n is None:
            n = y.vrange[1] + 1 if y.vrange is not None else UNK
        elif not is_int(n):
            n = UNK
        if is_int(n) and y.vrange is not None and y.vrange[1] >= n:
            self.report(node, "KS405",
                        f"to_categorical: labels go up to {y.vrange[1]} ({self.where(y)}) but "
                        f"num_classes={n}: NumPy raises IndexError on the label {n}",
                        hint=f"num_classes={y.vrange[1] + 1}, or labels in [0, {n})")
            return UNKNOWN
        return self.made((*shape, n), "float", node, "to_categorical")

    def pad_sequences(self, args, kwargs, node):
        seqs = args[0] if args else kwargs.get("sequences")
        maxlen = args[1] if len(args) > 1 else kwargs.get("maxlen")
        n = UNK
        if isinstance(seqs, Array) and seqs.shape:
            n = seqs.shape[0]
        elif isinstance(seqs, ListV) and not seqs.uncertain:
            n = len(seqs.items)
        return self.made((n, _dim(maxlen) if maxlen is not None else UNK), "int", node, "pad_sequences")

    def train_test_split(self, args, kwargs, node):
        if not args:
            return UNKNOWN
        out = []
        for a in args:
            if isinstance(a, Array) and a.shape:
                part = Array((UNK, *a.shape[1:]), a.kind, a.node, a.origin, a.vrange)
                out += [part, Array(part.shape, a.kind, a.node, a.origin, a.vrange)]
            else:
                out += [UNKNOWN, UNKNOWN]
        return ListV(out, depth=self.interp.depth)

    # ------------------------------------------------------------ arrays
    def attribute(self, obj, attr, node):
        if isinstance(obj, DatasetV):
            return BoundMethod(obj, attr)
        shape = obj.shape
        if attr == "shape":
            return UNKNOWN if shape is None else \
                tuple(d if is_int(d) else (Sym(d, certain_int=True, from_shape=True) if isinstance(d, str) else UNKNOWN)
                      for d in shape)
        if attr == "ndim":
            return UNKNOWN if shape is None else len(shape)
        if attr == "T":
            return self.made(None if shape is None else tuple(reversed(shape)), obj.kind, node, obj.origin)
        if attr == "size":
            if shape is not None and all(is_int(d) for d in shape):
                n = 1
                for d in shape:
                    n *= d
                return n
            return UNKNOWN
        if attr in ("dtype", "flat", "real", "imag"):
            return UNKNOWN
        return BoundMethod(obj, attr)

    def getitem(self, arr: Array, key, node):
        if arr.values is not None and is_int(key) and -len(arr.values) <= key < len(arr.values) \
                and isinstance(arr.values[key], (int, float)):
            return arr.values[key]
        if arr.shape is None or key is None:
            return self.made(None, arr.kind, node, arr.origin)
        try:
            out = getitem_shape(arr.shape, key)
        except ShapeError:
            out = None
        if out is None:
            return self.made(None, arr.kind, node, arr.origin)
        # a part of random labels may miss the largest value: its range is not kept
        return Array(out, arr.kind, arr.node or node, arr.origin)

    def binop(self, op, left, right, node):
        a, b = data_shape(left), data_shape(right)
        if isinstance(left, Tensor) or isinstance(right, Tensor):
            # data with a tensor (a graph tensor, or one made by tf.random.uniform((batch, 1)))
            # is a tensor: the tensor code decides, and keeps its None sizes
            return None
        kinds = {getattr(v, "kind", "float" if isinstance(v, float) else "int") for v in (left, right)}
        kind = "float" if op in ("Divide", "Power") or "float" in kinds else \
            (kinds.pop() if len(kinds) == 1 else None)
        if a is None or b is None:
            return self.made(None, kind, node, "arithmetic")
        try:
            out = broadcast(a, b)
        except ShapeError:
            out = None
        code = self.interp.code(node) if node is not None else ""
        origin = code if len(code) <= 40 else "arithmetic"
        return Array(out, kind, node, origin, values=_int_values(op, left, right))

    def method(self, obj, name, args, kwargs, node):
        if isinstance(obj, DatasetV):
            return self.dataset_method(obj, name, args, kwargs, node)
        obj.values = None     # a.sort(), a.fill(0): in place; the literal values are not kept
        if name == "reshape":
            newshape = args[0] if len(args) == 1 else (tuple(args) if args else kwargs.get("shape"))
            return self.via_ops(ops_lookup("keras.ops.reshape"), [obj, newshape], {}, node, name)
        if name == "astype":
            dtype = args[0] if args else kwargs.get("dtype")
            return Array(obj.shape, _kind_of(dtype, None), obj.node, obj.origin, obj.vrange)
        if name in ("copy", "clip", "round"):
            return Array(obj.shape, obj.kind, obj.node, obj.origin, obj.vrange)
        if name in ("flatten", "ravel"):
            return self.via_ops(ops_lookup("keras.ops.ravel"), [obj], {}, node, name)
        if name == "transpose":
            axes = args[0] if len(args) == 1 else (tuple(args) if args else kwargs.get("axes"))
            return self.via_ops(ops_lookup("keras.ops.transpose"), [obj, axes], {}, node, name)
        if name in ("squeeze", "sum", "mean", "max", "min", "std", "argmax", "argmin", "prod"):
            entry = ops_lookup("keras.ops." + name)
            if entry is not None:
                return self.via_ops(entry, [obj, *args], kwargs, node, name)
        return UNKNOWN

    # ------------------------------------------------------------ tf.data
    def element(self, value, node, drop_first: bool):
        """One element of ``from_tensor_slices(value)``: a structure of Arrays."""
        if isinstance(value, tuple):
            items = [self.element(v, node, drop_first) for v in value]
            return None if any(i is None for i in items) else tuple(items)
        if isinstance(value, DictV) and not value.uncertain:
            items = {k: self.element(v, node, drop_first) for k, v in value.items.items()}
            return None if any(i is None for i in items.values()) else DictV(items)
        if _file_names(value):
            value = self.made((UNK,), "str", node)  # a list of file names: one str per element
        if isinstance(value, ListV):
            value = self.array(value, None, node)   # TF makes one tensor of a list
        shape = data_shape(value)
        if shape is None or (drop_first and not shape):
            return None
        return Array(shape[1:] if drop_first else shape, getattr(value, "kind", None), node,
                     getattr(value, "origin", "data"), getattr(value, "vrange", None))

    def dataset_make(self, name, args, kwargs, node):
        value = args[0] if args else kwargs.get("tensors", kwargs.get("datasets", UNKNOWN))
        if name in ("from_tensor_slices", "from_tensors"):
            slices = name == "from_tensor_slices"
            if slices:
                parts = list(value) if isinstance(value, tuple) else \
                    list(value.items.values()) if isinstance(value, DictV) and not value.uncertain \
                    else [value]
                arrays = [self.array(p, None, node) if isinstance(p, ListV) else p for p in parts]
                arrays = [self.made((UNK,), "str", node) if _file_names(p) else a
                          for a, p in zip(arrays, parts)]
                if any(a is UNKNOWN and isinstance(p, ListV) for a, p in zip(arrays, parts)):
                    return UNKNOWN
                counts = {s[0] for s in map(data_shape, arrays) if s and is_int(s[0])}
                if len(counts) > 1:
                    self.report(node, "KS402",
                                f"Dataset.from_tensor_slices: the parts hold different numbers "
                                f"of samples ({', '.join(map(str, sorted(counts)))}); TensorFlow "
                                "raises on slicing them together",
                                hint="give every part the same first dimension")
                    return UNKNOWN
            el = self.element(value, node, slices)
            return DatasetV(el, node) if el is not None else UNKNOWN
        if name == "zip":
            parts = value if isinstance(value, tuple) else tuple(args)
            if parts and all(isinstance(p, DatasetV) and p.element is not None for p in parts):
                return DatasetV(tuple(p.element for p in parts), node,
                                batched=all(p.batched for p in parts))
        return UNKNOWN

    def image_dataset(self, args, kwargs, node):
        """``image_dataset_from_directory``: batches of (images, labels), the images resized
        to image_size with the channels of color_mode; ``subset="both"`` gives two."""
        names = ("directory", "labels", "label_mode", "class_names", "color_mode", "batch_size",
                 "image_size", "shuffle", "seed", "validation_split", "subset")
        given = {**dict(zip(names, args)), **kwargs}
        size = given.get("image_size", (256, 256))
        if isinstance(size, ListV) and not size.uncertain:
            size = tuple(size.items)
        channels = {"rgb": 3, "grayscale": 1, "rgba": 4}.get(given.get("color_mode", "rgb"))
        batch = given.get("batch_size", 32)
        fmt_ = given.get("data_format")
        if not (isinstance(size, tuple) and len(size) == 2 and all(is_int(d) and d > 0 for d in size)) \
                or channels is None or not (batch is None or is_int(batch)) or \
                fmt_ not in (None, "channels_last", "channels_first"):
            return UNKNOWN
        image = (size[0], size[1], channels) if fmt_ != "channels_first" else (channels, *size)
        lead = () if batch is None else (None,)
        images = self.made((*lead, *image), "float", node)
        labels, mode = given.get("labels", "inferred"), given.get("label_mode", "int")
        if labels is None or mode is None:
            el = images
        elif mode == "int":
            el = (images, self.made(lead, "int", node))
        elif mode == "binary":
            el = (images, self.made((*lead, 1), "float", node))
        elif mode == "categorical":
            el = (images, self.made((*lead, UNK), "float", node))   # one column per class found
        else:
            return UNKNOWN
        ds = DatasetV(el, node, batched=batch is not None)
        if given.get("subset") == "both":
            return (ds, DatasetV(el, node, batched=batch is not None))
        return ds

    def timeseries_dataset(self, args, kwargs, node):
        """``timeseries_dataset_from_array(data, targets, sequence_length)``: batches of windows
        (batch, sequence_length, *features) with the targets' rows."""
        names = ("data", "targets", "sequence_length", "sequence_stride", "sampling_rate",
                 "batch_size")
        given = {**dict(zip(names, args)), **kwargs}
        data, targets = data_shape(given.get("data")), given.get("targets", UNKNOWN)
        length, rate = given.get("sequence_length"), given.get("sampling_rate", 1)
        batch = given.get("batch_size", 128)
        if data is None or not data or not is_int(length) or length <= 0 or \
                not (batch is None or is_int(batch)):
            return UNKNOWN
        lead = () if batch is None else (None,)
        windows = self.made((*lead, length, *data[1:]), getattr(given.get("data"), "kind", None), node)
        if targets is None:
            return DatasetV(windows, node, batched=batch is not None)
        tshape = data_shape(targets)
        if tshape is None or not tshape:
            return UNKNOWN
        labels = self.made((*lead, *tshape[1:]), getattr(targets, "kind", None), node)
        return DatasetV((windows, labels), node, batched=batch is not None)

    def dataset_method(self, ds: DatasetV, name, args, kwargs, node):
        if name in ("shuffle", "prefetch", "repeat", "cache", "take", "skip", "filter",
                    "with_options", "shard"):
            return ds
        if ds.element is None:
            return UNKNOWN
        if name in ("batch", "padded_batch"):
            size = args[0] if args else kwargs.get("batch_size")
            drop = kwargs.get("drop_remainder", args[-1] if name == "batch" and len(args) > 1 else False)
            n = size if is_int(size) and drop is True else None
            return DatasetV(_map_arrays(ds.element, lambda a: Array(
                None if a.shape is None else (n, *a.shape), a.kind, a.node, a.origin, a.vrange)),
                node, batched=True)
        if name == "unbatch" and ds.batched:
            return DatasetV(_map_arrays(ds.element, lambda a: Array(
                None if not a.shape else a.shape[1:], a.kind, a.node, a.origin, a.vrange)), node)
        if name == "map":
            fn = args[0] if args else kwargs.get("map_func")
            el = ds.element
            call_args = list(el) if isinstance(el, tuple) else [el]
            self.interp.quiet += 1
            try:
                out = self.interp.call(fn, call_args, {}, node)
            finally:
                self.interp.quiet -= 1
            el = self.element(out, node, False) if out is not UNKNOWN else None
            return DatasetV(el, node, ds.batched) if el is not None else UNKNOWN
        return UNKNOWN

    # ------------------------------------------------------------ model methods
    def compile(self, model, args, kwargs) -> None:
        loss = kwargs.get("loss", args[1] if len(args) > 1 else None)
        name = None
        if isinstance(loss, str):
            name = LOSS_ALIASES.get(loss, loss)
        elif isinstance(loss, Loss):
            name = loss.name
        elif isinstance(loss, Ref):
            short = canonical(loss.path).rsplit(".", 1)[-1]
            if canonical(loss.path).startswith("keras.losses."):
                name = LOSS_ALIASES.get(short, short)
        if self.interp.depth > 0 and self.losses.get(id(model), name) != name:
            name = None    # compiled with different losses in branches kerasshape cannot pick
        self.losses[id(model)] = name

    def model_inputs(self, model):
        """[(name, shape)] of the model's inputs and whether it is functional (its input
        spec checks every size); None when not known."""
        if isinstance(model, InstanceV):
            model = model.functional
        if isinstance(model, SequentialV):
            if model.uncertain or model.input is None or model.input.shape is None:
                return None
            return [("input", model.input.shape)], False
        if isinstance(model, ModelV):
            if not model.inputs or any(t.shape is None for t in model.inputs):
                return None
            names = [getattr(t, "name", None) or f"input {i}" for i, t in enumerate(model.inputs)]
            return list(zip(names, [t.shape for t in model.inputs])), True
        return None

    @staticmethod
    def base(model):
        return model.functional if isinstance(model, InstanceV) else model

    def model_output(self, model):
        if isinstance(model, InstanceV) and model.functional is None:
            return model.output.shape if isinstance(model.output, Tensor) else None
        if isinstance(model, InstanceV):
            model = model.functional
        if isinstance(model, SequentialV) and not model.uncertain and isinstance(model.output, Tensor):
            return model.output.shape
        if isinstance(model, ModelV) and len(model.outputs) == 1:
            return model.outputs[0].shape
        return None

    def first_layer(self, model):
        """The class of a Sequential's first layer, when its input spec checks the last axis
        (a Dense; a convolution with its channels last)."""
        if not isinstance(model, SequentialV) or not model.entries:
            return None
        layer = model.entries[0][0]
        if not isinstance(layer, LayerV):
            return None
        cls = layer.cls
        if cls != "Dense" and (layer.args.get("data_format") not in (None, "channels_last") or
                               self.interp.keras.data_format != "channels_last"):
            return None
        return cls

    def arg(self, args, kwargs, i, name):
        if len(args) > i:
            value, key = args[i], i
        else:
            value, key = kwargs.get(name, None), name
        if i == 0 and isinstance(value, InstanceV):
            value = self.sequence_batches(value)
        return value, key

    def sequence_batches(self, inst):
        """A ``keras.utils.Sequence``/``PyDataset`` of the user's: its batches as a dataset
        (read quietly from ``__getitem__(0)``: x, or (x, y), or (x, y, weights))."""
        bases = []
        stack = list(inst.cls.bases)
        while stack and len(bases) < 32:
            b = stack.pop()
            bases.append(b)
            if isinstance(b, ClassV):
                stack.extend(b.bases)
        paths = [canonical(b) for b in bases if isinstance(b, str)]
        if not any(p.endswith((".Sequence", ".PyDataset")) and p.startswith("keras.")
                   for p in paths):
            return inst
        method = inst.cls.lookup("__getitem__")
        if not isinstance(method, FuncV):
            return inst
        self.interp.quiet += 1
        try:
            batch = self.interp.call_function(method, [inst, 0], {}, None)
        finally:
            self.interp.quiet -= 1
        parts = list(batch) if isinstance(batch, tuple) else [batch]
        if not 1 <= len(parts) <= 3 or data_shape(parts[0]) is None:
            return inst
        el = tuple(parts) if len(parts) > 1 else parts[0]
        return DatasetV(el, None, batched=True)

    def arg_code(self, node, key) -> str | None:
        if not isinstance(node, cst.Call):
            return None
        for j, a in enumerate(node.args):
            if (isinstance(key, int) and a.keyword is None and j == key) or \
                    (a.keyword is not None and a.keyword.value == key):
                return self.interp.code(a.value)
        return None

    def model_method(self, model, name, args, kwargs, node, own_step: bool = False):
        """``own_step``: a subclass's own train_step() runs at this fit(): only the data
        adapter's checks (the sample counts) are certain, not what the step feeds the model."""
        if name == "compile":
            self.compile(model, args, kwargs)
            return None
        if name not in TRAIN and name not in PREDICT:
            return NOT_DATA
        x, xkey = self.arg(args, kwargs, 0, "x")
        y, ykey = self.arg(args, kwargs, 1, "y")
        mname = getattr(model, "display", None) or getattr(model, "name", "model")
        what = f"{mname}.{name}"
        if own_step:
            if y is not None and not isinstance(x, DatasetV):
                self.counts([(self.arg_code(node, xkey) or "x", x),
                             (self.arg_code(node, ykey) or "y", y)], node, what)
            return UNKNOWN
        if isinstance(x, DatasetV):
            el, batched = x.element, x.batched
            if isinstance(el, tuple) and len(el) in (2, 3):
                x, y = el[0], el[1]
            else:
                x, y = el, None
            if not self.check_x(model, x, node, what, "the dataset's x", None, batched):
                return UNKNOWN
            if name in TRAIN and y is not None and batched:
                self.check_y(model, x, y, node, what, "the dataset's y", None)
            return UNKNOWN
        xname = self.arg_code(node, xkey) or "x"
        if name in TRAIN and y is not None and not self.counts(
                [(xname, x), (self.arg_code(node, ykey) or "y", y)], node, what,
                self.x_hint(model, x, xname)):
            return UNKNOWN
        ok = self.check_x(model, x, node, what, f"`{xname}`", xname, True)
        if ok and name in TRAIN and y is not None:
            self.check_y(model, x, y, node, what, f"`{self.arg_code(node, ykey) or 'y'}`", x)
            val = kwargs.get("validation_data")
            if name == "fit" and isinstance(val, tuple) and len(val) >= 2:
                if self.check_x(model, val[0], node, what, "validation_data x", None, True) and \
                        self.counts([("validation x", val[0]), ("validation y", val[1])], node, what):
                    self.check_y(model, val[0], val[1], node, what, "validation_data y", None)
        if name in PREDICT and ok:
            out = self.model_output(model)
            xs = data_shape(x)
            if out is not None and xs:
                return self.made((xs[0], *(UNK if d is None else d for d in out[1:])), "float", node)
        return UNKNOWN

    def ensure_built(self, model, x, node) -> None:
        """Keras builds an unbuilt Sequential on the first data it sees."""
        if isinstance(model, SequentialV) and model.input is None and not model.uncertain:
            xs = data_shape(x)
            if xs and all(is_int(d) or isinstance(d, str) for d in xs[1:]):   # named sizes too
                self.interp.keras.build_sequential(model, (None, *xs[1:]), node)

    def check_x(self, model, x, node, what, xdesc, xname, batched) -> bool:
        """False when a diagnostic was reported (later checks would repeat it)."""
        self.ensure_built(model, x, node)
        found = self.model_inputs(model)
        if found is None:
            return True
        inputs, functional = found
        if isinstance(x, DictV) and not x.uncertain and isinstance(self.base(model), ModelV):
            named = {t.name: t for t in self.base(model).inputs if _named_input(t)}
            for key, item in x.items.items():
                t = named.get(key)
                if t is not None and not self.check_one(item, t.shape, functional, None, node, what,
                                                        f"{xdesc}[{key!r}] for input `{key}`",
                                                        None, batched):
                    return False
            return True
        if isinstance(x, DictV) or x is None:
            return True
        if isinstance(x, (tuple, ListV)):
            items = list(x) if isinstance(x, tuple) else (None if x.uncertain else x.items)
            if items is None:
                return True
            if len(inputs) == 1 and len(items) == 1:
                x = items[0]
            elif len(items) != len(inputs) or not all(data_shape(i) is not None for i in items):
                return True
            else:
                for (iname, shape), item in zip(inputs, items):
                    if not self.check_one(item, shape, functional, None, node, what,
                                          f"{xdesc} for input `{iname}`", None, batched):
                        return False
                return True
        if len(inputs) != 1:
            return True
        return self.check_one(x, inputs[0][1], functional, self.first_layer(model), node, what,
                              xdesc, xname, batched)

    def check_one(self, x, ref, functional, first, node, what, xdesc, xname, batched) -> bool:
        xs = data_shape(x)
        if xs is None or ref is None:
            return True
        rank_ok = len(xs) == len(ref) or (len(xs) == len(ref) + 1 and xs[-1] == 1) or \
            (len(xs) == len(ref) - 1 and ref[-1] == 1)
        made = _Later(lambda: self.where(x))  # positions only if a message is made
        if not rank_ok:
            hint = self.rank_hint(x, xs, ref, xname, batched)
            self.report(node, "KS401",
                        f"{what}: {xdesc} has shape {fmt(xs)} ({made}), but the model expects "
                        f"{len(ref)}D input {fmt(ref)}", expected=fmt(ref), found=fmt(xs), hint=hint)
            return False
        adj = xs[:-1] if len(xs) == len(ref) + 1 else (xs + (1,) if len(xs) < len(ref) else xs)
        pairs = list(zip(adj[1:], ref[1:]))
        if not functional:
            pairs = pairs[-1:] if first in SAME_FIRST_LAYERS else []
        for i, (a, b) in enumerate(pairs):
            if is_int(a) and is_int(b) and a != b:
                last = i == len(pairs) - 1
                hint = (f"the data has {a} features on its last axis where the model's Input has "
                        f"{b}: check how they were built (a concatenation, num_classes= of a "
                        "one-hot encoding), or the Input's shape=") if last else \
                    f"make the data and the model's Input agree on axis {i + 1} ({a} vs {b})"
                self.report(node, "KS401",
                            f"{what}: {xdesc} has shape {fmt(xs)} ({made}), but the model expects "
                            f"{fmt(ref)}", expected=fmt(ref), found=fmt(xs), hint=hint)
                return False
        return True

    def rank_hint(self, x, xs, ref, xname, batched):
        name = xname or "x"
        if not batched:
            return "batch the dataset: .batch(32)"
        if xs == tuple(ref[1:]):
            return f"add the batch axis: np.expand_dims({name}, 0)" + (
                f" (or {name[:-3]}[0:1])" if name.endswith("[0]") else "")
        tail = ref[1:]
        if all(is_int(d) for d in (*xs, *tail)):
            total = 1
            for d in xs:
                total *= d
            per = 1
            for d in tail:
                per *= d
            if per and total % per == 0:
                return f"{name}.reshape(({total // per}, {', '.join(map(str, tail))}))"
        return f"reshape {name} to (samples, {', '.join(fmt((d,))[1:-1].rstrip(',') for d in tail)})"

    def x_hint(self, model, x, xname):
        """The reshape that fixes x's rank (it often fixes the sample count too)."""
        found = self.model_inputs(model)
        xs = data_shape(x)
        if found is None or len(found[0]) != 1 or xs is None:
            return None
        ref = found[0][0][1]
        if len(xs) == len(ref) or (len(xs) == len(ref) + 1 and xs[-1] == 1) or \
                (len(xs) == len(ref) - 1 and ref[-1] == 1):
            return None
        return self.rank_hint(x, xs, ref, xname, True)

    def counts(self, named, node, what, hint=None) -> bool:
        sizes = []
        for label, v in named:
            for a in _arrays([v]):
                s = data_shape(a)
                if s and is_int(s[0]):
                    sizes.append((label, s[0], a))
        distinct = {n for _, n, _ in sizes}
        if len(distinct) > 1:
            desc = ", ".join(f"{label} has {n} ({self.where(a)})" for label, n, a in sizes)
            self.report(node, "KS402",
                        f"{what}: x and y hold different numbers of samples: {desc}",
                        hint=hint or "give x and y the same first dimension")
            return False
        return True

    def check_y(self, model, x, y, node, what, ydesc, xvalue) -> None:
        out = self.model_output(model)
        ys = data_shape(y)
        loss = self.losses.get(id(model))
        if out is None or ys is None or loss is None or not ys:
            return
        autoenc = y is x and x is not None
        made = _Later(lambda: self.where(y))
        target = "the reconstruction target (x itself)" if autoenc else ydesc
        if loss == "sparse_categorical_crossentropy":
            t = ys[:-1] if len(ys) == len(out) and ys[-1] == 1 else ys
            if len(t) != len(out) - 1:
                self.report(node, "KS403",
                            f"{what}: {target} has shape {fmt(ys)} ({made}), but "
                            f"sparse_categorical_crossentropy needs integer labels of shape "
                            f"{fmt(out[:-1])} against the output {fmt(out)}",
                            expected=fmt(out[:-1]), found=fmt(ys),
                            hint="for one-hot targets use loss='categorical_crossentropy'")
                return
            n = out[-1]
            if isinstance(y, Array) and y.vrange is not None and is_int(n) and y.vrange[1] >= n:
                self.report(node, "KS403",
                            f"{what}: {target} holds labels up to {y.vrange[1]} ({made}), but the "
                            f"output {fmt(out)} has {n} classes; TensorFlow raises on a label "
                            f"outside [0, {n})", expected=f"labels in [0, {n})",
                            found=f"labels up to {y.vrange[1]}",
                            hint=f"give the last layer {y.vrange[1] + 1} units")
            return
        t, o = _same_rank(ys, out)
        if loss in SAME_SHAPE:
            if len(t) != len(o) or any(is_int(a) and is_int(b) and a != b for a, b in zip(t[1:], o[1:])):
                hint = "make the last layer's units match the target"
                if loss == "categorical_crossentropy" and len(t) == len(o) - 1:
                    hint = f"one-hot encode it: keras.utils.to_categorical(y, num_classes={o[-1]}), " \
                           "or use loss='sparse_categorical_crossentropy'"
                elif len(t) == len(o) and is_int(o[-1]) and is_int(t[-1]) and \
                        loss == "categorical_crossentropy":
                    hint = f"encode the labels with num_classes={o[-1]}, or give the last " \
                           f"layer {t[-1]} units"
                self.report(node, "KS403",
                            f"{what}: {target} has shape {fmt(ys)} ({made}), but {loss} needs "
                            f"the same shape as the output {fmt(out)}",
                            expected=fmt(out), found=fmt(ys), hint=hint)
            return
        if loss in ELEMENTWISE and len(t) == len(o):
            for a, b in zip(t[1:], o[1:]):
                if is_int(a) and is_int(b) and a != b:
                    if a != 1 and b != 1:
                        self.report(node, "KS403",
                                    f"{what}: {target} has shape {fmt(ys)} ({made}), which {loss} "
                                    f"cannot broadcast against the output {fmt(out)}",
                                    expected=fmt(out), found=fmt(ys),
                                    hint="make the model's output shape equal the target's" if autoenc
                                    else "make the last layer's units match the target")
                        return
            for a, b in zip(t[1:], o[1:]):
                if is_int(a) and is_int(b) and a != b:
                    self.report(node, "KS404",
                                f"{what}: {target} has shape {fmt(ys)} ({made}) and the output "
                                f"{fmt(out)}: {loss} silently broadcasts them and trains on "
                                "every pair", expected=fmt(out), found=fmt(ys),
                                hint="make the last layer's units equal the target's size")
                    return

    def instance_method(self, inst, name, args, kwargs, node):
        """A subclassed Model: Keras builds it on the first data it sees (``fit``, ``predict``,
        ``model(x)``); its functional twin (``super().__init__(inputs, outputs)``) is checked
        like a functional model."""
        classes = self.interp.classes
        step = classes.train_step(inst, STEPS[name]) if name in STEPS else None
        if step is not None:
            # fit() runs the class's own train_step(data): read it (quietly) on one batch; what
            # it feeds the model, and which loss it computes, is its own business. Keras first
            # slices x and y together (raising when their sample counts differ).
            x, y = self.arg(args, kwargs, 0, "x")[0], self.arg(args, kwargs, 1, "y")[0]
            if y is not None and not isinstance(x, DatasetV) and not self.counts(
                    [(self.arg_code(node, 0 if args else "x") or "x", x),
                     (self.arg_code(node, 1 if len(args) > 1 else "y") or "y", y)], node,
                    f"{inst.display or inst.cls.name}.{name}"):
                return UNKNOWN
            classes.train(inst, step, self.train_batch(name, args, kwargs, node), node)
        if inst.functional is not None:
            if name == "__call__":
                return self.call_model(inst.functional, args[0], node)
            return self.model_method(inst.functional, name, args, kwargs, node,
                                     own_step=step is not None)
        if name == "compile":
            self.compile(inst, args, kwargs)
            return None
        x = self.arg(args, kwargs, 0, "x")[0]
        if isinstance(x, DatasetV):
            el = x.element
            x = el[0] if isinstance(el, tuple) and x.batched else (el if x.batched else None)
        xs = data_shape(x)
        first = _batch_tensors(x, "the data given to " + name.strip("_"), node)
        if not inst.built and first is not None and not classes.trainer_only(inst):
            # (Keras never calls a trainer without call(): its train_step() did the work)
            self.interp.quiet += step is not None   # its own train_step() may never call it
            try:
                classes.call_instance(inst, [first], {}, node, first=True)
            finally:
                self.interp.quiet -= step is not None
        out = inst.output.shape if isinstance(inst.output, Tensor) else None
        if name in TRAIN and not isinstance(self.arg(args, kwargs, 0, "x")[0], DatasetV):
            y, ykey = self.arg(args, kwargs, 1, "y")
            xname = self.arg_code(node, 0 if args else "x") or "x"
            what = f"{inst.display or inst.cls.name}.{name}"
            if y is not None and self.counts([(xname, x), (self.arg_code(node, ykey) or "y", y)],
                                             node, what) and step is None:
                self.check_y(inst, x, y, node, what, f"`{self.arg_code(node, ykey) or 'y'}`", x)
        if (name in PREDICT or name == "__call__") and out is not None and xs:
            return self.made((xs[0], *(UNK if d is None else d for d in out[1:])), "float", node)
        return UNKNOWN

    def train_batch(self, name, args, kwargs, node):
        """One batch of the data ``fit``/``train_on_batch`` gets, as Keras 3 hands it to
        ``train_step(data)``: x alone, or ``(x, y)`` / ``(x, y, sample_weight)``
        (``pack_x_y_sample_weight``); a batched dataset's element as it is. Arrays become
        tensors with an unknown batch axis; UNKNOWN where the data is not known."""
        x = self.arg(args, kwargs, 0, "x")[0]
        if isinstance(x, DatasetV):
            return _as_batch(x.element, False) if x.batched and x.element is not None else UNKNOWN
        y = self.arg(args, kwargs, 1, "y")[0]
        sw = kwargs.get("sample_weight", args[2] if name.endswith("_on_batch") and len(args) > 2
                        else None)
        if x is None:
            return UNKNOWN
        if y is None:
            data = (x,) if isinstance(x, (tuple, ListV)) else x
        else:
            data = (x, y) if sw is None else (x, y, sw)
        return _as_batch(data, True)

    def call_model(self, model, x, node):
        """``model(x)`` on data: checked like predict; the output is data too."""
        name = getattr(model, "display", None) or getattr(model, "name", "model")
        xname = self.interp.code(node.args[0].value) if isinstance(node, cst.Call) and node.args else "x"
        if not self.check_x(model, x, node, name, f"`{xname}`", xname, True):
            return UNKNOWN
        out = self.model_output(model)
        xs = data_shape(x)
        if out is not None and xs:
            return self.made((xs[0], *(UNK if d is None else d for d in out[1:])), "float", node)
        return UNKNOWN


def _as_batch(value, drop_first: bool, depth: int = 0):
    """Data -> the tensors a train step receives: each array's shape with the batch axis
    made unknown (``drop_first``: the data holds every sample; else it is one batch already)."""
    if depth > 4:
        return UNKNOWN
    if isinstance(value, tuple):
        return tuple(_as_batch(v, drop_first, depth + 1) for v in value)
    if isinstance(value, ListV):
        if value.uncertain:
            return UNKNOWN
        return ListV([_as_batch(v, drop_first, depth + 1) for v in value.items])
    if isinstance(value, DictV):
        if value.uncertain:
            return UNKNOWN
        return DictV({k: _as_batch(v, drop_first, depth + 1) for k, v in value.items.items()})
    shape = data_shape(value)
    if not shape:
        return UNKNOWN
    t = Tensor((None, *shape[1:]) if drop_first else shape, origin="a batch of the training data",
               node=getattr(value, "node", None))
    t.input_id, t.deps = t.id, frozenset({t.id})
    return t


def _named_input(t) -> bool:
    """An Input made with ``name=``: its name is the key Keras matches a dict of data by."""
    node = t.node
    return t.input_id is not None and isinstance(t.name, str) and isinstance(node, cst.Call) and \
        any(a.keyword is not None and a.keyword.value == "name" for a in node.args)


def _same_rank(t, o):
    """Keras's squeeze_or_expand_to_same_rank on (target, output)."""
    if len(t) == len(o) + 1 and t[-1] == 1:
        t = t[:-1] if len(o) != 1 else t
        o = o + (1,) if len(o) == 1 else o
    if len(o) == len(t) + 1 and o[-1] == 1:
        if len(t) == 1:
            t = t + (1,)
        else:
            o = o[:-1]
    return t, o


def _tuples(v):
    """Known lists, nested too, as tuples; anything else as it is."""
    if isinstance(v, ListV) and not v.uncertain:
        return tuple(_tuples(x) for x in v.items)
    if isinstance(v, tuple):
        return tuple(_tuples(x) for x in v)
    return v


def _plain(v) -> bool:
    if v is None or isinstance(v, (bool, int, float, str)):
        return True
    if isinstance(v, tuple):
        return all(_plain(x) for x in v)
    return False


def _arrays(values) -> list:
    return find_values(values, (Array, Tensor), skip_uncertain=True)


def _has_tensor(v) -> bool:
    return any(isinstance(a, Tensor) for a in _arrays([v]))


def _map_arrays(el, fn):
    if isinstance(el, Array):
        return fn(el)
    if isinstance(el, tuple):
        return tuple(_map_arrays(e, fn) for e in el)
    if isinstance(el, DictV):
        return DictV({k: _map_arrays(v, fn) for k, v in el.items.items()})
    return el


def _dotted(node) -> str | None:
    parts = []
    while isinstance(node, cst.Attribute):
        parts.append(node.attr.value)
        node = node.value
    if isinstance(node, cst.Name):
        parts.append(node.value)
        return ".".join(reversed(parts))
    return None
