"""What the interpreter does when user code calls into Keras.

Layer construction binds arguments like Keras does; calling a layer checks its input
requirements (rank, defined axes, the axes fixed by an earlier build) and computes the
output through the signature table; ``Sequential``/``Model`` values record what
``show`` lists. Every check fires only on facts that are known.
"""

from __future__ import annotations

import itertools
import re

import libcst as cst

from .analysis import LayerSummary, ModelSummary
from .applications import (
    ApplicationModel, call_application, inner_layer, make_application, vgg_layers,
)
from .ops import call as ops_call, getitem_shape, lookup as ops_lookup
from .resolve import canonical, keras_kind
from .shapes import UNK, ShapeError, VocabSize, differs, fmt, is_int
from .signatures import FUNCTION_DEFAULTS, MISSING, SOURCES, TABLE
from .values import (
    UNKNOWN, Array, BoundMethod, DictV, FuncV, InstanceV, LayerApp, LayerV, ListV, ModelV, Ref,
    SequentialV, Sym, Tensor, Unknown, find_values, is_const,
)

RNNS = {"LSTM", "GRU", "SimpleRNN"}
CONV_LIKE = {"Conv2D", "Conv2DTranspose", "MaxPooling2D", "AveragePooling2D", "UpSampling2D",
             "Convolution2D", "MaxPool2D", "AvgPool2D", "Convolution2DTranspose"}
MODEL_METHODS_UNKNOWN = {"compile", "fit", "evaluate", "predict", "summary", "save", "load_weights",
                         "train_on_batch", "predict_on_batch", "test_on_batch", "get_layer",
                         "save_weights", "to_json", "get_config", "count_params"}


MODEL_METHODS_DATA = {"compile", "fit", "evaluate", "predict", "train_on_batch", "predict_on_batch",
                      "test_on_batch"}


class _Unknowable(Exception):
    """A wrapped layer's output cannot be computed (unknown argument)."""


# keras.layers names a few classes otherwise than the class itself (which names the layer)
EXPORTED_AS = {"GroupQueryAttention": "GroupedQueryAttention"}


def snake_case(name: str) -> str:
    """Keras's automatic layer names: Conv2DTranspose -> conv2d_transpose."""
    name = EXPORTED_AS.get(name, name)
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


def dimval(v):
    """An abstract value used as a size -> a dim."""
    if is_int(v):
        return v
    if v is None:
        return None
    if isinstance(v, Sym):
        return v.name
    if isinstance(v, Array) and v.size is not None:
        return v.size
    return UNK


def shape_value(v):
    """An abstract value used as a shape tuple -> tuple of dims, or None if not a sequence."""
    if is_int(v):
        return (v,)
    if isinstance(v, tuple):
        return tuple(dimval(x) for x in v)
    if isinstance(v, ListV) and not v.uncertain:
        return tuple(dimval(x) for x in v.items)
    return None


def arg_value(v, size: bool):
    """An abstract value -> what a signature function receives (UNK when not known)."""
    if isinstance(v, bool) or isinstance(v, (int, float, str)) or v is None:
        return v
    if isinstance(v, Sym):
        return v.name if size else UNK
    if isinstance(v, Array) and v.size is not None:
        return v.size if size else UNK
    if isinstance(v, Array) and v.values is not None:
        return v.values      # a padding table made with convert_to_tensor([[0, 0], [1, 1]])
    if isinstance(v, tuple):
        return tuple(arg_value(x, size) for x in v)
    if isinstance(v, ListV) and not v.uncertain:
        return tuple(arg_value(x, size) for x in v.items)
    if isinstance(v, (LayerV, VocabSize)):
        return v
    return UNK


def _rank_fits(found, expected) -> bool:
    """The ranks a functional model runs on (Functional._adjust_input_rank): the same rank,
    or one more or less through a trailing size-1 axis it squeezes or adds."""
    if len(found) == len(expected):
        return True
    if len(found) == len(expected) + 1:
        return found[-1] == 1 and is_int(found[-1])
    if len(found) + 1 == len(expected):
        return expected[-1] == 1 and is_int(expected[-1])
    return False


def shape_attr(t: Tensor):
    """``t.shape`` as the user's code sees it: a tuple of ints, None and unknown values."""
    if t.shape is None:
        return UNKNOWN
    return tuple(Sym(d, certain_int=True, from_shape=True) if isinstance(d, str) else (UNKNOWN if d is UNK else d)
                 for d in t.shape)


def has_float(v) -> bool:
    """A float where Keras wants an int size (``units=64 / 2``)."""
    if isinstance(v, float):
        return True
    if isinstance(v, tuple):
        return any(has_float(x) for x in v)
    if isinstance(v, ListV) and not v.uncertain:
        return any(has_float(x) for x in v.items)
    return False


def has_unk(v) -> bool:
    if v is UNK:
        return True
    if isinstance(v, tuple):
        return any(has_unk(x) for x in v)
    return False


def tensors_in(value, depth: int = 0):
    """The tensors of a tensor, list/tuple/dict of tensors; None if anything else is there."""
    if isinstance(value, Tensor):
        return [value]
    if depth > 16:  # deeper than any model's inputs; also a list that holds itself
        return None
    if isinstance(value, (tuple, ListV)):
        items = list(value) if isinstance(value, tuple) else (None if value.uncertain else value.items)
        if items is None:
            return None
        out = []
        for item in items:
            sub = tensors_in(item, depth + 1)
            if sub is None:
                return None
            out.extend(sub)
        return out
    if isinstance(value, DictV) and not value.uncertain:
        return tensors_in(tuple(value.items.values()), depth + 1)
    return None


def gather_tensors(values) -> list:
    """Every tensor among values, inside tuples, lists and dicts too; other values ignored."""
    return find_values(values, Tensor)


def union_deps(tensors):
    deps = frozenset()
    for t in tensors:
        if t.deps is None:
            return None
        deps |= t.deps
    return deps


class KerasCalls:
    def __init__(self, interp) -> None:
        self.interp = interp
        self.counters: dict[str, int] = {}
        self.seq = itertools.count()
        self.models: list = []
        self.saved: dict = {}          # path -> the model saved there (load_model gives it)
        self.instances: dict = {}      # id(LayerV) -> the InstanceV of a user class it stands for
        self.input_tensors: dict[int, Tensor] = {}
        self.events = 0        # Keras values made or used: tells loops that build something
        self.data_format = "channels_last"   # set_image_data_format() changes it
        self.building = None   # (model name, node) while a Sequential is built later:
                               # messages then say "when model is built at line 12"
        self.apps_log: list = []             # every layer call, in order
        self.model_layers: dict = {}         # id(model) -> (LayerV standing for it, model)

    # ------------------------------------------------------------ helpers
    def auto_name(self, base: str) -> str:
        n = self.counters.get(base, 0)
        self.counters[base] = n + 1
        return base if n == 0 else f"{base}_{n}"

    def origin(self, t: Tensor) -> str:
        if t.node is None:
            return t.origin or "an earlier expression"
        at = self.interp.where(t.node, self.interp.unit)
        where = f"{t.origin} at {at}"
        if t.input_id is not None and t.name:
            return f"`{t.name}` (Input at {at})"
        return where

    def report(self, node, code, message, **kw):
        if self.building is not None:
            # the line is looked up only now: positions cost a pass over the whole file
            name, at = self.building
            message = f"{message} (when {name} is built at line {self.interp.line(at)})"
        self.interp.report(node, code, message, **kw)

    def named(self, name: str, value) -> None:
        if isinstance(value, Tensor) and value.input_id is not None and value.name is None:
            value.name = name
        elif isinstance(value, (SequentialV, ModelV, InstanceV)) and value.display is None:
            value.display = name
            if isinstance(value, InstanceV) and value.functional is not None:
                value.functional.display = value.functional.display or name

    # ------------------------------------------------------------ dispatch
    def call_ref(self, ref, args, kwargs, node):
        kind = keras_kind(ref.path)
        if kind is None:
            path = canonical(ref.path)
            if path in ("keras.models.load_model", "keras.saving.load_model"):
                return self.load_model(args, kwargs)
            tensors = gather_tensors([*args, *kwargs.values()])
            if path.startswith(("keras.backend.", "keras.config.")) and \
                    not ((tensors or makes_tensor(path, args)) and ops_lookup(path) is not None):
                return self.config_call(path.rsplit(".", 1)[1], args, kwargs)
            if path.split(".")[0] in ("keras", "tensorflow", "jax") and (tensors or makes_tensor(path, args)):
                return self.op_call(path, args, kwargs, node)
            return self.interp.opaque_call(args, kwargs, node)
        what, cls = kind
        if what == "input":
            return self.make_input(cls, args, kwargs, node)
        if what in ("layer", "unknown_layer"):
            return self.make_layer(cls, args, kwargs, node)
        if what == "function":
            inputs = args[0] if args else kwargs.pop("inputs", MISSING)
            kwargs = {**FUNCTION_DEFAULTS.get(cls, {}), **kwargs}
            layer = self.make_layer(cls, args[1:], kwargs, node)
            if inputs is MISSING:
                return UNKNOWN
            return self.apply(layer, inputs, node, disp=self.interp.code(node.func))
        if what == "sequential":
            return self.make_sequential(args, kwargs, node)
        if what == "model":
            return self.make_model(args, kwargs, node)
        if what == "application":
            return make_application(self, cls, args, kwargs, node)
        return UNKNOWN

    def load_model(self, args, kwargs):
        """``load_model(path)`` of a path this file saved a model to, earlier and for sure:
        that model (the same layers and shapes; Keras rebuilds it from the saved config)."""
        path = args[0] if args else kwargs.get("filepath")
        if not isinstance(path, str) or self.interp.depth > 0:
            return UNKNOWN
        model = self.saved.get(path)
        return model if model is not None else UNKNOWN

    def config_call(self, name: str, args, kwargs):
        """The global image data format: conv layers without data_format= follow it."""
        if name == "set_image_data_format":
            value = args[0] if args else kwargs.get("data_format")
            ok = isinstance(value, str) and value in ("channels_first", "channels_last")
            self.data_format = value if ok else UNKNOWN
            return None
        if name == "set_image_dim_ordering":  # Keras 1/2 only
            self.data_format = UNKNOWN
            return None
        if name == "image_data_format":
            return self.data_format
        if name == "epsilon":
            return 1e-7  # a float, whatever set_epsilon() made it: `x + K.epsilon()` keeps x's shape
        return UNKNOWN

    def call_object(self, obj, args, kwargs, node):
        first = "inputs"
        if isinstance(obj, LayerV) and obj.sig is not None and obj.sig.inputs:
            first = obj.sig.inputs[0]     # mha(query=x, value=x, key=x): all by keyword
        x = args[0] if args else kwargs.get(first, MISSING)
        if x is MISSING:
            return UNKNOWN
        if isinstance(obj, (SequentialV, ModelV)) and isinstance(x, Array):
            return self.interp.data.call_model(obj, x, node)
        disp = None
        if isinstance(node, cst.Call) and not isinstance(node.func, cst.Call):
            disp = self.interp.code(node.func)
        if isinstance(obj, LayerV):
            # tensors given by keyword (initial_state=, mask=) are inputs of the graph too
            extra = gather_tensors([*args[1:], *(v for k, v in kwargs.items() if k != first)])
            return self.apply(obj, x, node, disp=disp, extra=extra, call=(args, kwargs))
        if isinstance(obj, SequentialV):
            return self.as_layer_call(obj, x, node, self.call_sequential(obj, x, node, disp))
        if isinstance(obj, ModelV):
            return self.as_layer_call(obj, x, node, self.call_model(obj, x, node, disp))
        return UNKNOWN

    def as_layer_call(self, model, x, node, out):
        """A model called on tensors is one layer of the model that calls it (`show` lists
        `encoder (Functional)`, like model.summary())."""
        outs = tensors_in(out) if isinstance(out, (Tensor, ListV)) else None
        if not outs:
            return out
        layer = self.model_layers.get(id(model))
        if layer is None:
            cls = "Sequential" if isinstance(model, SequentialV) else "Functional"
            layer = LayerV(cls, None, {}, model.node, model.display or model.name, model.name)
            self.model_layers[id(model)] = (layer, model)
        else:
            layer = layer[0]
        app = LayerApp(layer, tensors_in(x) or [], node, next(self.seq))
        app.output = outs[0].shape if isinstance(out, Tensor) else [t.shape for t in outs]
        if app.output is None:
            app.why_unknown = "the model's output is unknown here"
        self.apps_log.append(app)
        for t in outs:
            if t.app is None:
                t.app = app
        return out

    # ------------------------------------------------------------ inputs
    def make_input(self, cls, args, kwargs, node):
        self.events += 1
        names = ("shape", "batch_size")
        bound = dict(zip(names, args))
        bound.update({k: v for k, v in kwargs.items()})
        fn = SOURCES[cls]
        call_args = {}
        for key in ("shape", "batch_shape", "batch_input_shape", "input_shape"):
            if key in bound:
                value = bound[key]
                if is_int(value):
                    call_args[key] = value  # Keras 3 wants a tuple: the source function says so
                    continue
                if isinstance(value, Sym) and value.certain_int and key == "shape":
                    # Input(shape=(num_states)): the parentheses make no tuple; Keras 3 raises
                    # "Cannot convert '3' to a shape" whatever the number is
                    self.report(node, "KS204", f"{self.interp.code(node.func)}: Input needs a tuple "
                                f"for `shape`, got shape={value.name}, a number",
                                found=f"shape={value.name}", hint=f"write shape=({value.name},)")
                    call_args[key] = UNKNOWN
                    continue
                if has_float(value):
                    self.report(node, "KS204", f"{self.interp.code(node.func)}: {key}={value!r} "
                                "is not a shape: Keras 3 needs integer sizes",
                                found=f"{key}={value!r}", hint="use // for integer division, or int(...)")
                    call_args[key] = UNKNOWN
                    continue
                call_args[key] = shape_value(value) if value is not None else None
                if value is not None and call_args[key] is None:
                    call_args[key] = UNKNOWN
        if "batch_size" in bound:
            call_args["batch_size"] = dimval(bound["batch_size"])
        name = bound.get("name") if isinstance(bound.get("name"), str) else None
        shape = None
        if any(v is UNKNOWN for v in call_args.values()) or \
                bound.get("tensor") is not None or bound.get("input_tensor") is not None:
            shape = None  # the shape comes from a tensor kerasshape does not follow
        else:
            try:
                shape = fn(**call_args)
            except ShapeError as err:
                self.report(node, err.code, f"{self.interp.code(node.func)}: {err.message}", hint=err.hint)
            except TypeError:
                shape = None
        t = Tensor(shape, origin="Input", node=node, deps=None, name=name)
        t.input_id = t.id
        t.deps = frozenset({t.id})
        self.input_tensors[t.id] = t
        layer_name = name or self.auto_name("input_layer")
        if cls == "InputLayer":
            layer = LayerV("InputLayer", None, {}, node, self.interp.code(node.func), layer_name,
                           depth=self.interp.depth)
            layer.output_tensor = t
            return layer
        return t

    # ------------------------------------------------------------ layers
    def make_layer(self, cls, args, kwargs, node, subclass: str | None = None):
        """A layer of the table; ``subclass`` names a user class that extends it (its
        shapes are the base's: Keras uses the inherited compute_output_shape)."""
        self.events += 1
        sig = TABLE.get(cls)
        if sig is not None:
            cls = sig.name  # aliases are the same class: Convolution2D is Conv2D
        if subclass is not None:
            cls = subclass
        src = self.interp.code(node.func) if isinstance(node, cst.Call) else cls
        name = kwargs.get("name") if isinstance(kwargs.get("name"), str) else \
            self.auto_name(snake_case(cls))
        layer = LayerV(cls, sig, {}, node, src, name, depth=self.interp.depth)
        for key in ("input_dim", "input_shape"):
            # Layer.__init__ takes these as the model's input, unless the layer has its own
            # argument of that name (Embedding's input_dim is its vocabulary size)
            own = sig.params + sig.positional if sig is not None else ()
            if key in kwargs and kwargs[key] is not None and key not in own:
                layer.input_shape_given = True
                layer.input_shape = shape_value(kwargs[key])
                break
        if "batch_input_shape" in kwargs:
            self.report(node, "KS204",
                        f"{src}(batch_input_shape=...) is not accepted by Keras 3 layers "
                        "(Unrecognized keyword arguments)",
                        hint="start the model with keras.Input(batch_shape=...) instead")
            layer.bad = True
        if sig is not None:
            layer.args = sig.bind(list(args), kwargs)
            if "data_format" in layer.args and layer.args["data_format"] is None:
                layer.args["data_format"] = self.data_format  # keras.config's global default
            if any(v is MISSING for v in layer.args.values()):
                layer.sig = None  # Keras raises a TypeError for a missing argument
            if cls in ("StringLookup", "IntegerLookup") and isinstance(node, cst.Call):
                vocab = self.vocabulary_length(node, sig, layer.args.get("vocabulary"))
                if vocab is not None:
                    layer.args["vocabulary"] = vocab
            for pname in sig.sizes:
                value = layer.args.get(pname)
                if has_float(value):
                    self.report(node, "KS203",
                                f"{src} needs integer sizes, got {pname}={value!r}",
                                expected="an int", found=f"{pname}={value!r}",
                                hint="use // for integer division, or int(...)")
                    layer.bad = True
                    break
        elif cls == "Lambda":
            # Lambda(function, output_shape=None, mask=None, arguments=None): kept to be run
            layer.args = dict(zip(("function", "output_shape", "mask", "arguments"), args))
            given = ("function", "output_shape", "arguments")
            layer.args.update({k: v for k, v in kwargs.items() if k in given})
        return layer

    def vocabulary_length(self, node, sig, value):
        """A vocabulary made from data (a list of unknown length, a 1-D array): its number of
        terms as the named size ``len(vocabulary)``, one name per list (``#2`` for another)."""
        if isinstance(value, ListV) and value.uncertain:
            pass
        elif isinstance(value, Array) and value.shape is not None and len(value.shape) == 1:
            if is_int(value.shape[0]):
                return None      # a literal-sized array: counted like a list, not named
        else:
            return None
        arg = next((a for a in node.args if a.keyword is not None and a.keyword.value == "vocabulary"),
                   None)
        if arg is None:
            pos = sig.positional.index("vocabulary") if "vocabulary" in sig.positional else -1
            plain = [a for a in node.args if a.keyword is None and a.star == ""]
            arg = plain[pos] if 0 <= pos < len(plain) else None
        if arg is None:
            return None
        if isinstance(value, Array) and isinstance(value.shape[0], str):
            return VocabSize(value.shape[0])
        dim = self.interp.length_name(f"len({self.interp.code(arg.value)})", value)
        return VocabSize(dim) if dim is not None else None

    def apply(self, layer: LayerV, x, node, disp=None, where=None, extra=(), call=None):
        """Call a layer on a tensor (or list of tensors); check, compute, record.

        ``call`` holds the call's (args, kwargs) for layers called on several named tensors
        (``mha(query, value)``) or with call arguments that change the output shape."""
        self.events += 1
        disp = disp or layer.src
        sig = layer.sig
        tensors = tensors_in(x) or []
        linked = tensors + list(extra)
        if not tensors and not isinstance(x, (Tensor, tuple, ListV)):
            return UNKNOWN
        app = LayerApp(layer, linked, node, next(self.seq))
        self.apps_log.append(app)
        if where is not None:
            where.append(app)
        if layer.bad:
            return self.unknown_output(layer, linked, node, app, "its construction fails in Keras")
        if sig is None and layer.cls == "Lambda":
            return self.lambda_call(layer, x, linked, node, app, disp)
        if sig is None:
            return self.unknown_output(layer, linked, node, app, f"no signature for {layer.cls}")
        if sig.cell:
            return self.unknown_output(layer, linked, node, app, "an RNN cell called directly")
        call_kwargs = {}
        if sig.call_args:
            given = call[1] if call is not None else {}
            for name in sig.call_args:
                if name in given:
                    if not is_const(given[name]):
                        return self.unknown_output(layer, linked, node, app, f"`{name}` is not known")
                    call_kwargs[name] = given[name]
        if sig.inputs:
            pos, kw = call if call is not None else ([x], {})
            named = dict(zip(sig.inputs, pos))
            named.update({k: v for k, v in kw.items() if k in sig.inputs})
            if any(name not in named for name in sig.inputs[:sig.required_inputs]) or \
                    not all(isinstance(v, Tensor) for v in named.values()):
                return self.unknown_output(layer, linked, node, app, "its input tensors are not known")
            if any(v.shape is None for v in named.values()):
                return self.unknown_output(layer, linked, node, app, "an input shape is unknown")
            pairs = [(named[n], named[n].shape) for n in sig.inputs if n in named]
            arg = tuple(named[n].shape if n in named else None for n in sig.inputs)
        elif sig.many:
            items = tensors_in(x) if isinstance(x, (tuple, ListV)) else None
            if not items:
                return self.unknown_output(layer, linked, node, app, "its inputs are not a known list")
            shapes = [t.shape for t in items]
            if any(s is None for s in shapes):
                return self.unknown_output(layer, linked, node, app, "an input shape is unknown")
            pairs = list(zip(items, shapes))
        else:
            if not isinstance(x, Tensor):
                return self.unknown_output(layer, linked, node, app, "it is not called on one tensor")
            if x.shape is None:
                return self.unknown_output(layer, linked, node, app, "its input shape is unknown")
            pairs = [(x, x.shape)]
        # 1. rank, as Keras's InputSpec checks it
        for t, shape in pairs:
            if not sig.rank_ok(len(shape)):
                self.rank_error(layer, sig, t, shape, node, disp)
                return self.unknown_output(layer, linked, node, app, "the call fails in Keras")
        # 2. axes the weights are built on must be defined (unless adapt() already built the
        # layer on data: Keras does not build it again on the symbolic input)
        for t, shape in ([] if layer.adapted else pairs):
            for axis in sig.axes(sig.defined, layer.args):
                if -len(shape) <= axis < len(shape) and shape[axis] is None:
                    self.report(
                        node, "KS103",
                        f"{disp} needs a defined size on axis {axis} to build its weights, "
                        f"got {fmt(shape)} from {self.origin(t)}",
                        expected=f"axis {axis} defined", found=fmt(shape),
                        hint=self.undefined_hint(t))
                    return self.unknown_output(layer, linked, node, app, "the call fails in Keras")
        # 3. a layer called again must see the sizes it was built on
        if not sig.many and not sig.inputs:
            shape = pairs[0][1]
            weight_axes = sig.axes(sig.weights, layer.args)
            if layer.built is not None and not layer.built_uncertain:
                if len(layer.built) == len(shape):
                    for axis in weight_axes:
                        if -len(shape) <= axis < len(shape) and differs(layer.built[axis], shape[axis]):
                            if not sig.reuse_checked:
                                # Keras builds this graph (no InputSpec on that axis); the
                                # weights sized for the first input fail on the first batch
                                self.report(
                                    node, "KS105",
                                    f"{disp} was built on inputs with axis {axis} = "
                                    f"{layer.built[axis]} ({fmt(layer.built)}), now called on "
                                    f"{fmt(shape)} from {self.origin(pairs[0][0])}: Keras builds "
                                    "the model, but its weights fit the first input and the "
                                    "first fit/predict fails",
                                    expected=f"axis {axis} = {layer.built[axis]}", found=fmt(shape),
                                    hint="use a separate layer object for inputs of another size")
                                break
                            self.report(
                                node, "KS102",
                                f"{disp} was built on inputs with axis {axis} = {layer.built[axis]} "
                                f"({fmt(layer.built)}), now called on {fmt(shape)} from "
                                f"{self.origin(pairs[0][0])}",
                                expected=f"axis {axis} = {layer.built[axis]}", found=fmt(shape),
                                hint="use a separate layer object for inputs of another size")
                            return self.unknown_output(layer, linked, node, app, "the call fails in Keras")
            elif layer.built is None:
                layer.built = shape
                layer.built_uncertain = self.interp.depth > layer.depth
        # 4. the signature computes the output
        kwargs = {}
        for pname in sig.params:
            value = layer.args.get(pname)
            if pname == sig.wrapper:
                wrapped = self.wrapped(value, disp, layer.cls)
                if wrapped is None:
                    return self.unknown_output(layer, linked, node, app, "the wrapped layer is unknown")
                kwargs[pname] = wrapped
                continue
            value = arg_value(value, pname in sig.sizes)
            if pname not in sig.sizes and has_unk(value):
                return self.unknown_output(layer, linked, node, app, f"`{pname}` is not known statically")
            kwargs[pname] = value
        if not sig.inputs:
            arg = [s for _, s in pairs] if sig.many else pairs[0][1]
        try:
            out = sig.fn(arg, **kwargs, **call_kwargs)
        except ShapeError as err:
            if layer.adapted and err.code == "KS103":
                return self.unknown_output(layer, linked, node, app, "built by adapt() on data")
            found = ", ".join(self.origin(t) for t, _ in pairs)
            message = f"{disp}: {err.message}" if not err.message.startswith(layer.cls) else \
                f"{disp}{err.message[len(layer.cls):]}"
            if err.code not in ("KS301",):
                message += f" (input from {found})"
            self.report(node, err.code, message, expected=err.expected, found=err.found, hint=err.hint)
            return self.unknown_output(layer, linked, node, app, "the call fails in Keras")
        except _Unknowable:
            return self.unknown_output(layer, linked, node, app, "the wrapped layer's output is unknown")
        return self.outputs(layer, linked, node, app, out, disp)

    def wrapped(self, value, outer: str, cls: str = ""):
        """A wrapper's argument as its function gets it: a layer as a function shape -> shape,
        a list of layers (RNN's cells) as a list of them; None when not known. TimeDistributed
        also takes a model with one input and one output."""
        if isinstance(value, LayerV):
            return self.applied(value, outer)
        if cls == "TimeDistributed" and isinstance(value, (ModelV, SequentialV, InstanceV)):
            return self.applied_model(value, outer)
        items = tensors_or_items(value)
        if items is not None and all(isinstance(v, LayerV) for v in items):
            return [self.applied(v, outer) for v in items]
        return None

    def applied(self, inner: LayerV, outer: str):
        """A wrapped layer as a function shape -> shape(s), with the same input checks; it
        carries the layer's signature and arguments (``run.signature``, ``run.args``) for
        wrappers that check them."""

        def run(shape):
            sig = inner.sig
            if sig is None or inner.bad or sig.many:
                raise _Unknowable()
            if not sig.rank_ok(len(shape)):
                raise ShapeError("KS101", f"{outer} gives the wrapped {inner.src} a {len(shape)}D input "
                                 f"{fmt(shape)}, but it expects {sig.expects()}",
                                 found=fmt(shape))
            for axis in sig.axes(sig.defined, inner.args):
                if -len(shape) <= axis < len(shape) and shape[axis] is None:
                    raise ShapeError("KS103", f"{outer}: the wrapped {inner.src} needs a defined size "
                                     f"on axis {axis}, got {fmt(shape)}", found=fmt(shape))
            kwargs = {}
            for pname in sig.params:
                value = inner.args.get(pname)
                if pname == sig.wrapper:
                    kwargs[pname] = self.wrapped(value, inner.src, inner.cls)
                    if kwargs[pname] is None:
                        raise _Unknowable()
                    continue
                value = arg_value(value, pname in sig.sizes)
                if pname not in sig.sizes and has_unk(value):
                    raise _Unknowable()
                kwargs[pname] = value
            out = sig.fn(shape, **kwargs)
            if out is None:
                raise _Unknowable()
            return out

        run.signature = inner.sig
        run.args = {} if inner.sig is None else {  # what a wrapper may check (go_backwards)
            p: arg_value(inner.args.get(p), p in inner.sig.sizes)
            for p in inner.sig.params if p != inner.sig.wrapper}
        return run

    def applied_model(self, model, outer: str):
        """A model wrapped in TimeDistributed, as a function shape -> shape: Keras asks the
        model for its output shape on each step's input."""
        if isinstance(model, InstanceV):
            model = model.functional
        expected = out = None
        if isinstance(model, ModelV) and len(model.inputs) == 1 and len(model.outputs) == 1:
            expected, out = model.inputs[0].shape, model.outputs[0].shape
        elif isinstance(model, SequentialV) and not model.uncertain and model.input is not None \
                and isinstance(model.output, Tensor):
            expected, out = model.input.shape, model.output.shape
        if expected is None or out is None:
            return None
        name = model.display or model.name

        def run(shape):
            if len(shape) != len(expected):
                raise _Unknowable()  # Keras may add or drop a size-1 axis: not decided here
            if self.incompatible(shape, expected):
                raise ShapeError("KS104", f"the wrapped model {name} expects steps of shape "
                                 f"{fmt(expected)}, got {fmt(shape)}",
                                 expected=fmt(expected), found=fmt(shape))
            return (shape[0], *out[1:])

        run.signature = None
        run.args = {}
        return run

    def outputs(self, layer, tensors, node, app, out, disp):
        deps = union_deps(tensors)
        if isinstance(out, list):
            app.output = out

            def value(s):  # nested lists too: RNN(stacked cells, return_state=True)
                if isinstance(s, list):
                    return ListV([value(i) for i in s], origin=f"{disp}", depth=self.interp.depth)
                return Tensor(s, origin=disp, node=node, deps=deps, app=app, parents=tuple(tensors))
            result = value(out)
            layer.calls += 1
            if layer.calls == 1:
                layer.output_tensor = result     # lstm.output: [outputs, state_h, state_c]
            return result
        app.output = out
        if out is None:
            app.why_unknown = "the output depends on values not known statically"
        t = Tensor(out, origin=disp, node=node, deps=deps, app=app, parents=tuple(tensors),
                   single=out is not None)
        layer.calls += 1
        if layer.calls == 1:
            layer.output_tensor = t
        return t

    def unknown_output(self, layer, tensors, node, app, why):
        deps = union_deps(tensors)
        app.output = None
        app.why_unknown = why
        count = self.output_count(layer)
        if count > 1:
            items = [Tensor(None, origin=layer.src, node=node, deps=deps, app=app, parents=tuple(tensors))
                     for _ in range(count)]
            return ListV(items, origin=layer.src, depth=self.interp.depth)
        return Tensor(None, origin=layer.src, node=node, deps=deps, app=app, parents=tuple(tensors))

    def output_count(self, layer) -> int:
        """How many tensors a call returns, found by running the signature on a dummy shape."""
        sig = layer.sig
        if sig is None or sig.many or sig.wrapper or sig.ndim is None:
            return 1
        kwargs = {}
        for pname in sig.params:
            value = arg_value(layer.args.get(pname), pname in sig.sizes)
            if pname not in sig.sizes and has_unk(value):
                return 1
            kwargs[pname] = value
        try:
            out = sig.fn((None,) + (UNK,) * (sig.ndim - 1), **kwargs)
        except Exception:
            return 1
        return len(out) if isinstance(out, list) else 1

    def rank_error(self, layer, sig, t, shape, node, disp):
        indesc = sig.doc.split(" -> ")[0] if sig.doc.startswith("(") else ""
        expected = sig.expects()
        message = (f"{disp} expects a {expected} input{' ' + indesc if indesc else ''}, "
                   f"got {len(shape)}D {fmt(shape)} from {self.origin(t)}")
        ks = {"ndim": sig.ndim, "min_ndim": sig.min_ndim, "max_ndim": sig.max_ndim}
        keras_words = ", ".join(f"{k}={v}" for k, v in ks.items() if v is not None)
        self.report(node, "KS101", message, expected=keras_words, found=f"ndim={len(shape)}",
                    hint=self.rank_hint(layer, sig, t, shape))

    def rank_hint(self, layer, sig, t, shape):
        producer = t.app.layer if t.app is not None else None
        pline = self.interp.line(t.node) if t.node is not None else 0
        cls = layer.cls
        if cls in RNNS and len(shape) == 2:
            if producer is not None and producer.cls in RNNS:
                return f"pass return_sequences=True to the {producer.src} at line {pline}"
            return ("to feed the same vector at every time step, put RepeatVector(n) before it; "
                    "for data, shape it (batch, timesteps, features)")
        if cls in RNNS and len(shape) > 3:
            return "merge the extra axes first, e.g. Reshape((timesteps, -1)) or TimeDistributed(Flatten())"
        if cls in CONV_LIKE and len(shape) == 3:
            return "add a channels axis, e.g. keras.Input(shape=(h, w, 1)) or Reshape((h, w, 1))"
        if cls in CONV_LIKE and len(shape) == 2:
            return "reshape the vector to (height, width, channels) with Reshape first"
        if cls == "RepeatVector" and len(shape) == 3:
            if producer is not None and producer.cls in RNNS and \
                    producer.args.get("return_sequences") is True:
                return f"drop return_sequences=True from the {producer.src} at line {pline}"
            return "Flatten (or pool over time) before repeating"
        if cls == "TimeDistributed" and len(shape) < 3:
            if producer is not None and producer.cls in RNNS:
                return f"pass return_sequences=True to the {producer.src} at line {pline}"
            return "TimeDistributed needs a time axis: (batch, time, ...); put RepeatVector(n) first"
        return None

    def undefined_hint(self, t):
        producer = t.app.layer if t.app is not None else None
        if producer is not None and producer.cls == "Flatten":
            return "give the Input fixed sizes, or use GlobalAveragePooling instead of Flatten"
        return "give this axis a fixed size in keras.Input(shape=...)"

    # ------------------------------------------------------------ unpacking
    def unpack_count(self, target, value: ListV, n: int) -> None:
        have = len(value.items)
        producer = value.items[0].app.layer if value.items and isinstance(value.items[0], Tensor) \
            and value.items[0].app is not None else None
        what = "too many" if have > n else "not enough"
        detail = f": {value.origin} returns {have} tensors" if value.origin.startswith("the model") else ""
        if producer is not None and producer.cls in RNNS:
            states = "output, state_h, state_c" if producer.cls == "LSTM" else "output, state"
            detail = f": {producer.src}(return_state=True) returns {have} tensors ({states})"
        self.report(target, "KS303",
                    f"unpacking {have} tensors into {n} names ({what} values to unpack){detail}",
                    expected=f"{have} names", found=f"{n} names")

    def unpack_tensor(self, target, t: Tensor, n: int) -> None:
        layer = t.app.layer
        hint = None
        if layer.cls in RNNS and len(t.shape or ()) == 2:
            hint = f"pass return_state=True to the {layer.src} to get its states"
        self.report(target, "KS303",
                    f"unpacking one tensor from {self.origin(t)} into {n} names: "
                    "iterating over a symbolic KerasTensor is not supported",
                    found="1 tensor", expected=f"{n} tensors", hint=hint)

    # ------------------------------------------------------------ tensor ops
    def tensor_op(self, tensors, node, broadcast=False, others=()):
        """An operation kerasshape does not follow on tensors: a tensor of unknown shape.
        With ``broadcast``, ``others`` are the operands of an arithmetic operator."""
        if broadcast and others:
            # a None operand is a size known only at run time (``tf.shape(x)[1]``, whose
            # static value is None): a scalar, as in ``tf.range(n)[:, None] >= j - n + m``
            others = tuple(0 if o is None else o for o in others)
            return self.op_call("keras.ops.add" if len(others) == 2 else "keras.ops.negative",
                                list(others), {}, node,
                                disp=self.interp.code(node) if node is not None else "expression")
        return Tensor(None, origin="expression", node=node, deps=union_deps(tensors),
                      parents=tuple(tensors))

    def op_call(self, path, args, kwargs, node, disp=None):
        """A keras.ops / tf / backend function (or an operator) on tensors, through the ops
        table: the output's shape, or an unknown shape when the table cannot tell."""
        tensors = gather_tensors([*args, *kwargs.values()])
        if tensors:
            self.events += 1     # an op on graph tensors builds the graph (a loop's pass counts)
        if disp is None:
            disp = (dotted(node.func) or self.interp.code(node.func)) if isinstance(node, cst.Call) \
                else path
        deps = None if any(_opaque(v) for v in (*args, *kwargs.values())) else union_deps(tensors)

        def result(shape):
            return Tensor(shape, origin=disp, node=node, deps=deps, parents=tuple(tensors))

        entry = ops_lookup(path)
        if entry is None:
            return result(None)
        try:
            bound = entry.signature.bind(*args, **kwargs)
        except TypeError:
            return result(None)
        params = entry.signature.parameters
        for pname, value in list(bound.arguments.items()):
            kind = entry.kinds.get(pname, "value")
            if params[pname].kind == params[pname].VAR_POSITIONAL and kind == "shape":
                value = tuple(operand_shape(v) for v in value)   # einsum's operands
                if None in value:
                    return result(None)
                bound.arguments[pname] = value
                continue
            if params[pname].kind in (params[pname].VAR_POSITIONAL, params[pname].VAR_KEYWORD):
                continue
            if kind == "operand" and isinstance(value, Sym) and value.certain_int:
                value = ()      # a named size (len(vocab) // 50) is an int: a scalar operand
            elif kind in ("shape", "maybe_shape", "operand"):
                value = operand_shape(value)
            elif kind == "shapes":
                items = tensors_or_items(value)
                value = None if items is None else [operand_shape(v) for v in items]
                if value is not None and any(v is None for v in value):
                    value = None
            elif kind == "dims":
                value = value if is_int(value) else shape_value(value)
            elif pname in ("dtype", "name") and not isinstance(value, (str, type(None))):
                value = None    # tf.float32, "float32": never a shape; the functions ignore it
            else:
                value = arg_value(value, False)
                if has_unk(value) or isinstance(value, LayerV):
                    return result(None)
            if value is None and kind not in ("value", "maybe_shape"):
                return result(None)
            bound.arguments[pname] = value
        try:
            out = ops_call(entry, bound)
        except ShapeError as err:
            found = ", ".join(self.origin(t) for t in tensors)
            self.report(node, err.code, f"{disp}: {err.message} (input from {found})",
                        expected=err.expected, found=err.found, hint=err.hint)
            return result(None)
        if entry.returns == "dims" and out is not None:
            # a size not known when the graph is built: Keras's ops.shape gives None, and
            # tf.shape's entry is a tensor whose static value is None; as a dim of a new
            # shape (a reshape target, random_normal((batch, dim))) both stay None
            keep_none = True
            return tuple(Sym(d, certain_int=True, from_shape=True) if isinstance(d, str) else
                         (d if is_int(d) or (d is None and keep_none) else UNKNOWN) for d in out)
        if isinstance(out, list):
            return ListV([result(s) for s in out], depth=self.interp.depth, origin=disp)
        return result(out)

    def lambda_call(self, layer, x, linked, node, app, disp):
        """Keras 3's Lambda: ``output_shape`` (without the batch axis, or a function of the
        input shape) when given, else the output of running the function on the input."""
        given = layer.args.get("output_shape")
        if given is not None:
            several = tensors_in(x) if isinstance(x, (tuple, ListV)) else None
            if isinstance(given, FuncV) and isinstance(x, Tensor) and x.shape is not None:
                given = self.interp.call_function(given, [shape_attr(x)], {}, node)
                out = shape_value(given) if isinstance(given, tuple) else None
            elif isinstance(given, FuncV) and several and all(t.shape is not None for t in several):
                # a Lambda on a list of tensors: Keras passes the list of their shapes
                given = self.interp.call_function(
                    given, [ListV([shape_attr(t) for t in several], depth=self.interp.depth)], {}, node)
                out = shape_value(given) if isinstance(given, tuple) else None
            else:
                dims = shape_value(given) if not is_int(given) else None
                first = (tensors_in(x) or [None])[0]
                batch = first.shape[0] if first is not None and first.shape else UNK
                out = (batch, *dims) if dims is not None else None
            if out is None:
                return self.unknown_output(layer, linked, node, app, "`output_shape` is not known")
            return self.outputs(layer, linked, node, app, out, disp)
        fn = layer.args.get("function")
        extra = layer.args.get("arguments")
        kwargs = dict(extra.items) if isinstance(extra, DictV) and not extra.uncertain else {}
        if not isinstance(fn, (FuncV, Ref)) or (extra is not None and not kwargs):
            return self.unknown_output(layer, linked, node, app, "its function is not known")
        result = self.interp.call(fn, [x], kwargs, node)
        items = tensors_in(result) if isinstance(result, (tuple, ListV)) else None
        if items and all(t.shape is not None for t in items):
            return self.outputs(layer, linked, node, app, [t.shape for t in items], disp)
        if not isinstance(result, Tensor) or result.shape is None:
            return self.unknown_output(layer, linked, node, app, "its function's output is not known")
        return self.outputs(layer, linked, node, app, result.shape, disp)

    def getitem(self, t: Tensor, key, node):
        """``x[...]`` on a tensor; ``key`` is the tuple of index parts (ints, slices, None,
        Ellipsis, UNKNOWN for a part not known statically)."""
        out = None
        if t.shape is not None and key is not None:
            try:
                out = getitem_shape(t.shape, key)
            except ShapeError as err:
                self.report(node, err.code, f"{self.interp.code(node)}: {err.message} "
                            f"(input from {self.origin(t)})",
                            expected=err.expected, found=err.found, hint=err.hint)
        name = dotted(node.value) if isinstance(node, cst.Subscript) else None
        return Tensor(out, origin=f"{name}[...]" if name else "indexing", node=node, deps=t.deps,
                      parents=(t,))

    # ------------------------------------------------------------ Sequential
    def sequential_sizes(self) -> dict:
        return {id(m): len(m.entries) for m in self.models if isinstance(m, SequentialV)}

    def taint_grown(self, sizes: dict) -> None:
        """Sequentials that grew in a loop that may have stopped early: their layers after
        that point are not certain."""
        for m in self.models:
            if isinstance(m, SequentialV) and len(m.entries) != sizes.get(id(m), 0):
                m.uncertain = True
                m.output = None

    def make_sequential(self, args, kwargs, node):
        self.events += 1
        name = kwargs.get("name") if isinstance(kwargs.get("name"), str) else self.auto_name("sequential")
        seq = SequentialV(node=node, name=name, depth=self.interp.depth)
        self.models.append(seq)
        layers = args[0] if args else kwargs.get("layers")
        if layers is None:
            return seq
        items = tensors_or_items(layers)
        if items is None:
            seq.uncertain = True
            return seq
        arg_node = None
        for arg in node.args:
            if (arg.keyword is None and arg.star == "" and arg_node is None) or \
                    (arg.keyword is not None and arg.keyword.value == "layers"):
                arg_node = arg.value
                break
        nodes = [el.value for el in arg_node.elements] \
            if isinstance(arg_node, (cst.List, cst.Tuple)) and len(arg_node.elements) == len(items) \
            and not any(isinstance(el, cst.StarredElement) for el in arg_node.elements) \
            else [node] * len(items)
        for item, item_node in zip(items, nodes):
            self.seq_add(seq, item, item_node)
        return seq

    def seq_add(self, seq: SequentialV, item, node) -> None:
        self.events += 1
        if self.interp.depth > seq.depth:
            seq.uncertain = True
        if seq.uncertain:
            seq.entries.append((item, node))
            seq.output = None
            return
        first = seq.entries[0] if len(seq.entries) == 1 else (None, None)
        if seq.input is None and isinstance(first[0], ApplicationModel) and first[0].inputs:
            # Keras builds a Sequential from the input_shape of a functional first layer
            # once a second layer comes
            t = Tensor(first[0].inputs[0].shape, origin=f"the input of {first[0].name}", node=first[1])
            t.input_id, t.deps = t.id, frozenset({t.id})
            out = self.call_object(first[0], [t], {}, first[1])
            seq.input, seq.output = t, out if isinstance(out, Tensor) else Tensor(None, node=node)
        if isinstance(item, Tensor) and item.input_id is not None and not seq.entries and seq.input is None:
            seq.input = item
            seq.output = item
            return
        if isinstance(item, LayerV) and item.cls == "InputLayer":
            if not seq.entries and seq.input is None:
                seq.input = item.output_tensor
                seq.output = seq.input
            return
        if isinstance(item, LayerV):
            if not seq.entries and seq.input is None and item.input_shape_given:
                shape = (None, *item.input_shape) if item.input_shape is not None else None
                t = Tensor(shape, origin=f"input_shape of {item.src}", node=item.node)
                t.input_id = t.id
                t.deps = frozenset({t.id})
                seq.input = seq.output = t
            seq.entries.append((item, node))
            if seq.output is not None:
                disp = self.interp.code(node) if isinstance(node, (cst.Name, cst.Attribute)) else None
                out = self.apply(item, seq.output, node, disp=disp, where=seq.apps)
                seq.output = out if isinstance(out, Tensor) else Tensor(None, node=node)
            return
        seq.entries.append((item, node))
        if isinstance(item, InstanceV) and item.cls.keras is not None and seq.output is not None:
            out = self.interp.classes.call_instance(item, [seq.output], {}, node)
            if isinstance(out, Tensor) and out.app is not None:
                seq.apps.append(out.app)
            seq.output = out if isinstance(out, Tensor) else Tensor(None, node=node)
        elif isinstance(item, (SequentialV, ModelV)) and seq.output is not None:
            out = self.call_object(item, [seq.output], {}, node)
            if isinstance(out, Tensor) and out.app is not None:
                seq.apps.append(out.app)
            seq.output = out if isinstance(out, Tensor) else Tensor(None, node=node)
        elif seq.output is not None:
            seq.output = Tensor(None, node=node)

    def build_sequential(self, seq: SequentialV, shape, node) -> None:
        if seq.input is not None or seq.uncertain:
            return
        t = Tensor(shape, origin="build()", node=node)
        t.input_id = t.id
        t.deps = frozenset({t.id})
        entries, seq.entries = seq.entries, []
        seq.input = seq.output = t
        # Keras raises where the model is built; the mistake is the layer, so the
        # diagnostic stays on the layer's line and says where the build happens
        saved = self.building
        self.building = (seq.display or seq.name, node)
        try:
            for item, item_node in entries:
                self.seq_add(seq, item, item_node)
        finally:
            self.building = saved

    def call_sequential(self, seq: SequentialV, x, node, disp):
        self.events += 1
        if not isinstance(x, Tensor) or seq.uncertain:
            return Tensor(None, node=node, deps=x.deps if isinstance(x, Tensor) else None)
        if seq.input is None:
            if x.shape is not None:
                self.build_sequential(seq, x.shape, node)
            return Tensor(seq.output.shape if isinstance(seq.output, Tensor) else None,
                          origin=disp or seq.name, node=node, deps=x.deps, parents=(x,))
        out_shape = seq.output.shape if isinstance(seq.output, Tensor) else None
        return self.model_output(seq.input.shape, out_shape,
                                 x, node, disp or seq.display or seq.name)

    def model_output(self, expected, out_shape, x: Tensor, node, disp, model=None):
        shape = None
        if x.shape is not None and expected is not None:
            if self.incompatible(x.shape, expected):
                self.report(node, "KS104",
                            f"{disp} expects input {fmt(expected)}, got {fmt(x.shape)} from {self.origin(x)}",
                            expected=fmt(expected), found=fmt(x.shape))
                return Tensor(None, origin=disp, node=node, deps=x.deps, parents=(x,))
            if _rank_fits(x.shape, expected) and out_shape is not None:
                shape = (x.shape[0], *out_shape[1:])
                if model is not None and len(x.shape) == len(expected) and any(
                        e is None and d is not None for e, d in zip(expected[1:], x.shape[1:])):
                    # sizes the model's Input leaves undefined are defined here: Keras runs
                    # the graph again on them (a fully convolutional net on 512x512 images)
                    again = self.replay(model, [x.shape])
                    if again is not None and len(again) == 1:
                        shape = again[0]
        return Tensor(shape, origin=disp, node=node, deps=x.deps, parents=(x,))

    def replay(self, model: ModelV, shapes: list):
        """The output shapes of a functional model's graph run on inputs of ``shapes``: each
        layer's signature again, in order. None when any step is not a table layer with one
        output (an op, a custom layer, a nested model, extra tensors such as initial states)
        or would fail: then the first run's shapes stand."""
        memo = {id(t): s for t, s in zip(model.inputs, shapes)}
        budget = [2000]

        def shape_of(t):
            if id(t) in memo:
                return memo[id(t)]
            budget[0] -= 1
            app = t.app if isinstance(t, Tensor) else None
            if app is None or budget[0] < 0 or not getattr(t, "single", False):
                raise _Unknowable()
            layer = app.layer
            sig = layer.sig if isinstance(layer, LayerV) else None
            if sig is None or layer.bad or sig.inputs or sig.call_args or \
                    (not sig.many and len(app.inputs) != 1):
                raise _Unknowable()
            ins = [shape_of(i) for i in app.inputs]
            if any(i is None for i in ins):
                raise _Unknowable()
            if sig.many:
                kwargs = {}
                for pname in sig.params:
                    value = arg_value(layer.args.get(pname), pname in sig.sizes)
                    if pname not in sig.sizes and has_unk(value):
                        raise _Unknowable()
                    kwargs[pname] = value
                out = sig.fn(ins, **kwargs)
            else:
                out = self.applied(layer, layer.src)(ins[0])
            if out is None or isinstance(out, list):
                raise _Unknowable()
            memo[id(t)] = out
            return out

        try:
            return [shape_of(t) for t in model.outputs]
        except (_Unknowable, ShapeError, RecursionError):
            return None

    @staticmethod
    def incompatible(found, expected) -> bool:
        """Keras's check of a model's input (InputSpec with allow_last_axis_squeeze): a
        trailing size-1 axis is dropped from both, then the dims are compared pairwise."""
        if found and found[-1] == 1:
            found = found[:-1]
        if expected and expected[-1] == 1:
            expected = expected[:-1]
        return any(differs(a, b) for a, b in zip(expected, found))

    # ------------------------------------------------------------ functional Model
    def make_model(self, args, kwargs, node):
        self.events += 1
        inputs = kwargs.get("inputs", args[0] if args else MISSING)
        outputs = kwargs.get("outputs", args[1] if len(args) > 1 else MISSING)
        if inputs is MISSING or outputs is MISSING:
            return UNKNOWN
        name = kwargs.get("name") if isinstance(kwargs.get("name"), str) else self.auto_name("functional")
        model = ModelV(node=node, name=name, input_struct=inputs, output_struct=outputs)
        self.models.append(model)
        ins, outs = tensors_in(inputs), tensors_in(outputs)
        if ins is None or outs is None:
            return model
        model.inputs, model.outputs = ins, outs
        if all(t.input_id is not None for t in ins) and outs:
            given = {t.input_id for t in ins}
            for out in outs:
                if out.deps is None:
                    continue
                missing = [self.input_tensors[i] for i in sorted(out.deps - given) if i in self.input_tensors]
                if missing:
                    names = ", ".join(self.origin(t) for t in missing)
                    self.report(node, "KS302",
                                f"model output from {self.origin(out)} is not connected to its inputs: "
                                f"it depends on {names}, which is not in inputs=",
                                hint="pass that Input in inputs=, or build the output from the given inputs")
                    break
        return model

    def call_model(self, model: ModelV, x, node, disp):
        if isinstance(model, ApplicationModel):
            return call_application(self, model, x, node, disp)
        self.events += 1
        ins = tensors_in(x)
        if not model.inputs or ins is None:
            return UNKNOWN
        deps = union_deps(ins)
        if len(model.inputs) == 1 and len(model.outputs) == 1 and isinstance(x, Tensor):
            return self.model_output(model.inputs[0].shape, model.outputs[0].shape, x, node,
                                     disp or model.display or model.name, model)
        name = disp or model.display or model.name
        same_ranks = False
        if len(ins) == len(model.inputs):
            same_ranks = True
            for t, expected in zip(ins, model.inputs):
                if t.shape is None or expected.shape is None or not _rank_fits(t.shape, expected.shape):
                    same_ranks = False
                if t.shape is not None and expected.shape is not None and \
                        self.incompatible(t.shape, expected.shape):
                    self.report(node, "KS104",
                                f"{name} expects input {fmt(expected.shape)}, "
                                f"got {fmt(t.shape)} from {self.origin(t)}",
                                expected=fmt(expected.shape), found=fmt(t.shape))
                    same_ranks = False
                    break
        batch = ins[0].shape[0] if same_ranks and ins else None
        outs = [Tensor((batch, *o.shape[1:]) if same_ranks and o.shape is not None else None,
                       origin=name, node=node, deps=deps, parents=tuple(ins))
                for o in model.outputs]
        if len(outs) == 1:
            return outs[0]
        return ListV(outs, depth=self.interp.depth, origin=f"the model {name}")

    # ------------------------------------------------------------ attributes and methods
    def attribute(self, obj, attr, node):
        if isinstance(obj, Tensor):
            if attr == "shape":
                return shape_attr(obj)
            if attr == "ndim":
                return len(obj.shape) if obj.shape is not None else UNKNOWN
            return BoundMethod(obj, attr)
        if isinstance(obj, LayerV):
            if attr == "output" and (obj.cls == "InputLayer" or obj.calls == 1) \
                    and obj.depth == 0 and obj.output_tensor is not None:
                return obj.output_tensor  # Keras refuses .output of a layer called twice
            # an InputLayer's .input is [] in Keras 3 (its .output is the tensor): not followed
            if attr == "input" and obj.calls == 1 and obj.depth == 0 and \
                    isinstance(obj.output_tensor, Tensor) and len(obj.output_tensor.parents) == 1:
                return obj.output_tensor.parents[0]
            if attr == "name":
                return obj.name
            return BoundMethod(obj, attr)
        if isinstance(obj, (ModelV, SequentialV)) and attr in ("input_shape", "output_shape"):
            # Keras 3's Functional/Sequential: the shape tuple (a list of them for several)
            tensors = (obj.inputs if isinstance(obj, ModelV) else [obj.input]) \
                if attr == "input_shape" else \
                (obj.outputs if isinstance(obj, ModelV) else [obj.output])
            if getattr(obj, "uncertain", False) or not tensors or \
                    not all(isinstance(t, Tensor) and t.shape is not None for t in tensors):
                return UNKNOWN
            shapes = [shape_attr(t) for t in tensors]
            return shapes[0] if len(shapes) == 1 else ListV(shapes, depth=self.interp.depth)
        if isinstance(obj, SequentialV):
            if attr in ("input", "inputs") and obj.input is not None and not obj.uncertain:
                return obj.input if attr == "input" else ListV([obj.input])
            if attr in ("output", "outputs") and isinstance(obj.output, Tensor) and not obj.uncertain:
                return obj.output if attr == "output" else ListV([obj.output])
            if attr == "name":
                return obj.name
            if attr == "layers":
                items = [item for item, _ in obj.entries]
                if obj.uncertain or not all(
                        isinstance(i, (LayerV, SequentialV, ModelV, InstanceV)) for i in items):
                    return UNKNOWN
                return ListV(items, depth=self.interp.depth)
            return BoundMethod(obj, attr)
        if isinstance(obj, ModelV):
            if attr == "input":
                return obj.input_struct
            if attr == "output":
                return obj.output_struct
            if attr == "inputs":
                return ListV(list(obj.inputs)) if obj.inputs else UNKNOWN
            if attr == "outputs":
                return ListV(list(obj.outputs)) if obj.outputs else UNKNOWN
            if attr == "name":
                return obj.name
            if attr == "layers":
                if isinstance(obj, ApplicationModel):
                    return self.application_layers(obj, node)
                return self.chain_layers(obj)
            return BoundMethod(obj, attr)
        return UNKNOWN

    def application_layers(self, model: ApplicationModel, node):
        """``vgg.layers`` of a VGG model: its InputLayer, then each layer, chained (so
        ``vgg.layers[1].input`` is the model's input); unknown for other models."""
        tensor = model.bound.get("input_tensor") if model.bound else None
        shape = tensor.shape if isinstance(tensor, Tensor) else model.built_on
        top = bool(model.bound.get("include_top")) if model.bound else False
        rows = vgg_layers(model.app, shape, top, model.bound.get("classes") if model.bound else None) \
            if self.data_format == "channels_last" else None
        if rows is None or not model.inputs or not model.outputs:
            return UNKNOWN
        prev = model.inputs[0]
        layers = [LayerV("InputLayer", None, {}, prev.node, "InputLayer",
                         getattr(prev, "name", None) or "input_layer", output_tensor=prev)]
        for name, cls, out_shape in rows:
            out = Tensor(out_shape, origin=f"{model.name}.get_layer({name!r})", node=node,
                         deps=prev.deps, parents=(prev,))
            layers.append(LayerV(cls, None, {}, node, f"{model.name}.get_layer({name!r})", name,
                                 output_tensor=out, calls=1))
            prev = out
        return ListV(layers, depth=self.interp.depth)

    def application_layer(self, model: ApplicationModel, layer, node):
        """``resnet50.get_layer("conv4_block6_2_relu")`` of a keras.applications model: a
        layer whose ``.output`` is that feature map (the backbone pattern of U-Nets and
        DeepLab), when the table knows the layer; else unknown."""
        tensor = model.bound.get("input_tensor") if model.bound else None
        shape = tensor.shape if isinstance(tensor, Tensor) else model.built_on
        found = inner_layer(model.app, shape, layer) if self.data_format == "channels_last" \
            else None
        if found is None or not model.outputs:
            return UNKNOWN
        cls, out_shape = found
        last = model.outputs[0]
        out = Tensor(out_shape, origin=f"{model.name}.get_layer({layer!r})", node=node,
                     deps=last.deps, parents=last.parents)
        return LayerV(cls, None, {}, node, f"{model.name}.get_layer({layer!r})", layer,
                      output_tensor=out, calls=1)

    def model_layer(self, model: ModelV, name):
        """``model.get_layer("encoder")`` of a functional model: the layer of that name called
        in its graph (a model held inside it is that model, so ``.predict`` works on it);
        unknown for a name it does not find once, or a layer kerasshape has no signature for."""
        if not isinstance(name, str) or not model.outputs:
            return UNKNOWN
        inputs = {id(t) for t in model.inputs}
        seen, stack, found = set(), list(model.outputs), {}
        while stack and len(seen) < 100_000:
            t = stack.pop()
            if not isinstance(t, Tensor) or id(t) in seen or id(t) in inputs:
                continue
            seen.add(id(t))
            if t.app is not None and t.app.layer is not None and t.app.layer.name == name:
                found[id(t.app.layer)] = t.app.layer
            stack.extend(t.parents)
        if not found:
            for t in model.inputs:   # an input named by Input(name="image")
                if _input_name(t) == name:
                    return LayerV("InputLayer", None, {}, t.node, "InputLayer", name, output_tensor=t)
        if len(found) != 1:
            return UNKNOWN
        layer = next(iter(found.values()))
        for standing, held in self.model_layers.values():
            if standing is layer:
                return held
        if id(layer) in self.instances:
            return self.instances[id(layer)]     # a custom layer: the user's object
        return layer if layer.sig is not None else UNKNOWN

    def chain_layers(self, model: ModelV):
        """``model.layers`` of a functional model that is one chain of layers (an InputLayer,
        then each layer once, each called on the previous one's output); else unknown: Keras
        orders branching graphs its own way."""
        if len(model.inputs) != 1 or len(model.outputs) != 1:
            return self.graph_layers(model)
        start, t, layers = model.inputs[0], model.outputs[0], []
        while t is not start:
            app = t.app
            if app is None or len(app.inputs) != 1 or len(t.parents) != 1 or \
                    any(app.layer is other for other in layers):
                return UNKNOWN
            layers.append(app.layer)
            t = t.parents[0]
        first = LayerV("InputLayer", None, {}, start.node, "InputLayer",
                       "input_layer", output_tensor=start)
        return ListV([first, *reversed(layers)], depth=self.interp.depth)

    def graph_layers(self, model: ModelV):
        """``model.layers`` of a functional model with several inputs or outputs, in Keras's
        order (ops/function.py map_graph): by depth from the inputs, and within one depth by
        first visit of a depth-first walk from the outputs. Unknown if any tensor on the way
        was not made by a layer kerasshape recorded (an op, a nested model)."""
        inputs = {id(t): t for t in model.inputs}
        index: dict = {}        # operation -> first-visit order
        ops: dict = {}          # id -> operation (a LayerV, or an Input tensor)
        order: list = []        # nodes, deepest (nearest the inputs) first
        parents_of: dict = {}   # node id -> parent node ids
        op_of: dict = {}        # node id -> operation id
        done: set = set()
        budget = [5000]

        def node_of(t):
            if id(t) in inputs:
                return ("in", id(t)), id(t), t, ()
            app = t.app
            if app is None or not isinstance(app.layer, LayerV) or not app.inputs:
                return None
            return ("app", id(app)), id(app.layer), app.layer, tuple(app.inputs)

        def visit(t) -> bool:
            budget[0] -= 1
            found = node_of(t) if isinstance(t, Tensor) and budget[0] > 0 else None
            if found is None:
                return False
            key, op_id, op, parents = found
            ops[op_id] = op
            index.setdefault(op_id, len(index))
            if key in done:
                return True
            parents_of[key] = []
            op_of[key] = op_id
            for p in parents:
                if not visit(p):
                    return False
                parents_of[key].append(node_of(p)[0])
            done.add(key)
            order.append(key)
            return True

        if not all(visit(t) for t in model.outputs):
            return UNKNOWN
        node_depth: dict = {}
        op_depth: dict = {}
        for key in reversed(order):
            depth = max(node_depth.setdefault(key, 0), op_depth.get(op_of[key], 0))
            op_depth[op_of[key]] = node_depth[key] = depth
            for p in parents_of[key]:
                node_depth[p] = max(depth + 1, node_depth.get(p, 0))
        by_depth: dict = {}
        for op_id, depth in op_depth.items():
            by_depth.setdefault(depth, []).append(op_id)
        layers = []
        for depth in sorted(by_depth, reverse=True):
            for op_id in sorted(by_depth[depth], key=index.__getitem__):
                op = ops[op_id]
                if isinstance(op, Tensor):
                    op = LayerV("InputLayer", None, {}, op.node, "InputLayer",
                                getattr(op, "name", None) or "input_layer", output_tensor=op)
                layers.append(op)
        return ListV(layers, depth=self.interp.depth)

    def method(self, obj, name, args, kwargs, node):
        if isinstance(obj, (SequentialV, ModelV)) and name == "save":
            path = args[0] if args else kwargs.get("filepath")
            if isinstance(path, str):
                # load_model(path) later in this file gives a model of this architecture; a
                # save in a branch or loop, or of a model still growing, is not followed
                certain = self.interp.depth == 0 and not getattr(obj, "uncertain", False)
                self.saved[path] = obj if certain else None
            return None
        if isinstance(obj, (SequentialV, ModelV)) and name in MODEL_METHODS_DATA:
            return self.interp.data.model_method(obj, name, args, kwargs, node)
        if isinstance(obj, ApplicationModel) and name == "get_layer":
            return self.application_layer(obj, args[0] if args else kwargs.get("name"), node)
        if isinstance(obj, ModelV) and name == "get_layer":
            return self.model_layer(obj, args[0] if args else kwargs.get("name"))
        if isinstance(obj, LayerV) and name in ("adapt", "build", "set_weights", "load_weights"):
            obj.adapted = True   # built outside the graph, on shapes kerasshape does not see
            return None
        if isinstance(obj, SequentialV):
            if name == "add" and args:
                arg_node = node.args[0].value if isinstance(node, cst.Call) and node.args else node
                self.seq_add(obj, args[0], arg_node)
                return None
            if name == "pop":
                obj.uncertain = True
                return UNKNOWN
            if name == "build":
                shape = shape_value(args[0]) if args else shape_value(kwargs.get("input_shape"))
                if shape is not None:
                    self.build_sequential(obj, shape, node)
                return None
        return UNKNOWN

    # ------------------------------------------------------------ show
    def summaries(self) -> list:
        out, seen = [], set()
        for m in self.models:
            if id(m.node) in seen:
                continue
            seen.add(id(m.node))
            out.append(self.summary(m))
        out.sort(key=lambda s: s.line)
        return out

    def layer_summary(self, app: LayerApp) -> LayerSummary:
        return LayerSummary(line=self.interp.line(app.layer.node), name=app.layer.name, cls=app.layer.cls,
                            output_shape=app.output, source=app.layer.src, why_unknown=app.why_unknown)

    def summary(self, m) -> ModelSummary:
        s = self.summary_of(m)
        fn = getattr(m, "uncalled", None)
        if fn is not None and s.note is None:
            s.note = (f"built in {fn}(), which this file never calls: read with a named "
                      "value for each parameter without a default")
        s.uncalled = fn
        return s

    def summary_of(self, m) -> ModelSummary:
        if isinstance(m, InstanceV):
            return self.interp.classes.summary(m)
        line = self.interp.line(m.node)
        if isinstance(m, SequentialV):
            built = m.input is not None
            s = ModelSummary(name=m.display or m.name, line=line, kind="Sequential", built=built)
            if built:
                s.inputs = [m.input.shape]
                s.outputs = [m.output.shape if isinstance(m.output, Tensor) and not m.uncertain else None]
                s.layers = [self.layer_summary(app) for app in m.apps]
                applied = {id(app.layer) for app in m.apps}
                for item, _ in m.entries:
                    if isinstance(item, LayerV) and id(item) not in applied:
                        s.layers.append(LayerSummary(
                            line=self.interp.line(item.node), name=item.name, cls=item.cls,
                            output_shape=None, source=item.src,
                            why_unknown="added under a condition kerasshape cannot decide"))
            else:
                for item, _ in m.entries:
                    if isinstance(item, LayerV):
                        s.layers.append(LayerSummary(line=self.interp.line(item.node), name=item.name,
                                                     cls=item.cls, output_shape=None, source=item.src,
                                                     why_unknown="the model is not built"))
            return s
        s = ModelSummary(name=m.display or m.name, line=line, kind="Functional")
        s.inputs = [t.shape for t in m.inputs]
        s.outputs = [t.shape for t in m.outputs]
        apps, seen, stack = [], set(), list(m.outputs)
        stop = {t.id for t in m.inputs}
        visited = set()
        while stack:
            t = stack.pop()
            if t.id in visited or t.id in stop:
                continue
            visited.add(t.id)
            if t.app is not None and id(t.app) not in seen:
                seen.add(id(t.app))
                apps.append(t.app)
            stack.extend(t.parents)
        layers_seen = set()
        for app in sorted(apps, key=lambda a: a.seq):
            if id(app.layer) in layers_seen:
                continue
            layers_seen.add(id(app.layer))
            s.layers.append(self.layer_summary(app))
        return s


def tensors_or_items(value):
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, ListV) and not value.uncertain:
        return list(value.items)
    return None


def dotted(node) -> str | None:
    """``ops.reshape`` / ``x`` as written, read without generating code; None for others."""
    parts = []
    while isinstance(node, cst.Attribute):
        parts.append(node.attr.value)
        node = node.value
    if not isinstance(node, cst.Name):
        return None
    return ".".join([node.value, *reversed(parts)])


def makes_tensor(path: str, args) -> bool:
    """An op that makes a tensor from sizes alone (``ops.zeros((1, 8))``), or from a Python
    number (``tf.cast(d_k, "float32")``: a scalar)."""
    entry = ops_lookup(path)
    if entry is None:
        return False
    if args and isinstance(args[0], (int, float)) and entry.kinds.get(
            next(iter(entry.signature.parameters))) in ("shape", "maybe_shape", "operand"):
        return True
    return not any(k in ("shape", "maybe_shape", "operand", "shapes") for k in entry.kinds.values())


def _input_name(t: Tensor) -> str | None:
    """The ``name=`` an ``Input(...)`` call gave its layer, written as a string literal."""
    if not isinstance(t.node, cst.Call):
        return None
    for arg in t.node.args:
        if arg.keyword is not None and arg.keyword.value == "name" and \
                isinstance(arg.value, cst.SimpleString):
            return arg.value.evaluated_value
    return None


def operand_shape(v):
    """A tensor operand's shape; a Python number is a scalar, ``()``; None when not known."""
    if isinstance(v, Tensor):
        return v.shape
    if isinstance(v, Array):   # data (numpy) mixed into tensor code
        return v.shape
    if isinstance(v, (int, float)):
        return ()
    return None


def _opaque(v) -> bool:
    """A value that might hide tensors kerasshape does not follow (their inputs unknown)."""
    if isinstance(v, tuple):
        return any(_opaque(x) for x in v)
    if isinstance(v, ListV):
        return v.uncertain or any(_opaque(x) for x in v.items)
    return isinstance(v, Unknown) or (isinstance(v, Tensor) and v.deps is None)
