"""User classes: subclassed Keras models and custom layers, and plain objects.

A class statement makes a ``ClassV``; calling it makes an ``InstanceV`` and interprets
``__init__`` with ``self`` bound, so ``self.dense = Dense(64)`` is remembered. Calling an
instance of a Keras ``Layer``/``Model`` subclass on tensors does what Keras's
``Layer.__call__`` does: ``build(input_shape)`` once, then ``compute_output_shape`` when the
class defines one (Keras then never traces ``call``), else ``call`` interpreted on the
tensors. The outputs are recorded as one layer call, so a functional model that uses the
custom layer lists it as one layer, like ``model.summary()``.

Anything else (a method of a library base class, a class with an unknown base) gives
``UNKNOWN``: nothing is checked downstream of it.
"""

from __future__ import annotations

import libcst as cst

from .resolve import canonical, keras_kind
from .values import (
    Array, NOTFOUND, UNKNOWN, BoundMethod, ClassV, DictV, FuncV, InstanceV, LayerApp, LayerV, ListV,
    ModelV, Ref, SequentialV, SuperV, Sym, Tensor, is_const,
)

_LAYER_BASES = {"keras.layers.Layer", "keras.Layer", "keras.engine.base_layer.Layer",
                "keras.engine.topology.Layer", "keras.layers.Wrapper", "keras.Operation"}

KERAS_STEPS = {"train_step", "test_step", "predict_step"}
DATA_METHODS = {"compile", "fit", "evaluate", "predict", "train_on_batch", "predict_on_batch",
                "test_on_batch"}


def keras_base(path: str) -> str | None:
    """"layer", "model" or None for a library base class given by its path."""
    path = canonical(path)
    if path in _LAYER_BASES:
        return "layer"
    kind = keras_kind(path)
    if kind is None:
        return None
    if kind[0] in ("model", "sequential"):
        return "model"
    if kind[0] in ("layer", "unknown_layer", "input"):
        return "layer"
    return None


def table_base(cls: ClassV) -> str | None:
    """The layer of the signature table a user class extends, if any (along its bases)."""
    from .signatures import TABLE

    for base in cls.bases:
        if isinstance(base, ClassV):
            found = table_base(base)
            if found is not None:
                return found
        elif isinstance(base, str):
            kind = keras_kind(base)
            if kind is not None and kind[0] == "layer" and kind[1] in TABLE:
                return kind[1]
    return None


class Classes:
    def __init__(self, interp) -> None:
        self.interp = interp
        self.trained: dict = {}    # id -> (instance whose train_step() was read, data known)
        self.read_steps: dict = {}  # (id of instance, id of step) -> read on known data

    @property
    def keras(self):
        return self.interp.keras

    # ------------------------------------------------------------ class statements
    def define(self, node: cst.ClassDef, env) -> ClassV:
        from .engine import Env

        bases, kind = [], None
        for arg in node.bases:
            value = self.interp.eval(arg.value, env)
            if isinstance(value, ClassV):
                bases.append(value)
                kind = kind or value.keras
            elif isinstance(value, Ref):
                bases.append(canonical(value.path))
                kind = kind or keras_base(value.path)
            else:
                bases.append(None)
        cls = ClassV(node=node, name=node.name.value, env=Env(env), bases=tuple(bases), keras=kind)
        body = node.body.body if isinstance(node.body, cst.IndentedBlock) else ()
        for stmt in body:
            if isinstance(stmt, cst.FunctionDef):
                self.interp.stmt_FunctionDef(stmt, cls.env)
                fn = cls.env.vars[stmt.name.value]
                fn.is_method = True
                fn.owner = cls
                fn.name = f"{cls.name}.{stmt.name.value}"
                if kind == "model" and stmt.name.value in KERAS_STEPS:
                    # Keras calls it with data: read (quietly) at fit(), never as a function
                    # nobody called, whose unknown arguments would be checked aloud
                    fn.calls = 1
            elif isinstance(stmt, cst.SimpleStatementLine):
                for small in stmt.body:
                    if isinstance(small, (cst.Assign, cst.AnnAssign)):
                        self.interp.exec_small(small, cls.env)
        env.vars[cls.name] = cls
        return cls

    # ------------------------------------------------------------ instances
    def instantiate(self, cls: ClassV, args, kwargs, node):
        interp = self.interp
        inst = InstanceV(cls=cls, node=node, depth=interp.depth)
        if cls.keras is not None:
            self.keras.events += 1
            name = kwargs.get("name") if isinstance(kwargs.get("name"), str) else \
                self.keras.auto_name(_snake(cls.name))
            inst.layer = LayerV(cls.name, None, {}, node, cls.name, name, depth=interp.depth)
            self.keras.instances[id(inst.layer)] = inst   # get_layer(name) finds the object
            if cls.keras == "model":
                self.keras.models.append(inst)
        init = cls.lookup("__init__")
        base = table_base(cls)
        if isinstance(init, FuncV):
            interp.call_function(init, [inst, *args], dict(kwargs), node)
        elif base is not None:
            self.subclass_layer(inst, base, args, kwargs, node)
        elif cls.keras == "model" and init is NOTFOUND:
            # keras.Model.__init__ itself: `MyModel(inputs, outputs)` of a subclass that only
            # overrides train_step() is a functional model
            self.functional_init(inst, args, kwargs, node)
        return inst

    def subclass_layer(self, inst: InstanceV, base: str, args, kwargs, node) -> None:
        """A subclass of a layer of the table (``class StdConv(layers.Conv2D)``), constructed
        with these arguments: unless it defines compute_output_shape, Keras computes its
        symbolic output with the inherited one, so the base's signature gives its shapes."""
        if isinstance(inst.cls.lookup("compute_output_shape"), FuncV):
            return
        layer = self.keras.make_layer(base, list(args), dict(kwargs), inst.node,
                                      subclass=inst.cls.name)
        layer.name = inst.layer.name
        inst.layer = layer

    def set_attr(self, inst: InstanceV, name: str, value) -> None:
        if self.interp.depth > inst.depth:
            old = inst.attrs.get(name, NOTFOUND)
            if old is NOTFOUND or old is not value:
                from .values import join
                value = UNKNOWN if old is NOTFOUND else join(old, value)
        inst.attrs[name] = value
        if isinstance(value, (SequentialV, ModelV, InstanceV)) and getattr(value, "display", 1) is None:
            value.display = name

    def attribute(self, obj, attr: str, node):
        if isinstance(obj, InstanceV):
            if attr in obj.attrs:
                return obj.attrs[attr]
            if obj.functional is not None and attr in ("input", "output", "inputs", "outputs"):
                return self.keras.attribute(obj.functional, attr, node)
            value = obj.cls.lookup(attr)
            if isinstance(value, FuncV):
                return value if _static(value) else BoundMethod(obj, attr)
            if value is not NOTFOUND:
                return value
            if obj.cls.keras is not None:
                if attr == "name" and obj.layer is not None:
                    return obj.layer.name
                if attr == "output" and obj.layer is not None and obj.layer.calls == 1 and \
                        obj.depth == 0 and obj.output is not None:
                    return obj.output     # a custom layer called once: what that call gave
                return BoundMethod(obj, attr)
            return UNKNOWN
        if isinstance(obj, ClassV):
            value = obj.lookup(attr)
            return UNKNOWN if value is NOTFOUND else value
        if isinstance(obj, SuperV):
            value = obj.cls.lookup(attr, skip_self=True)
            if isinstance(value, FuncV):
                return value if _static(value) else BoundMethod(obj, attr)
            if value is NOTFOUND and attr == "__init__" and obj.cls.keras is not None:
                return BoundMethod(obj, attr)
            return UNKNOWN
        return UNKNOWN

    def method(self, bm: BoundMethod, args, kwargs, node):
        obj, name = bm.obj, bm.name
        if isinstance(obj, SuperV):
            fn = obj.cls.lookup(name, skip_self=True)
            if isinstance(fn, FuncV):
                return self.interp.call_function(fn, [obj.obj, *args], kwargs, node)
            if name == "__init__" and isinstance(obj.obj, InstanceV):
                base = table_base(obj.cls)
                if base is not None and obj.obj.cls is not None:
                    self.subclass_layer(obj.obj, base, args, kwargs, node)
                else:
                    self.functional_init(obj.obj, args, kwargs, node)
            return UNKNOWN
        fn = obj.cls.lookup(name)
        if isinstance(fn, FuncV):
            return self.interp.call_function(fn, [obj, *args], kwargs, node)
        if obj.cls.keras is None:
            return UNKNOWN
        if obj.cls.keras == "model" and (name in DATA_METHODS or name == "__call__" and args and
                                         isinstance(args[0], Array)):
            return self.interp.data.instance_method(obj, name, args, kwargs, node)
        if name == "__call__":
            return self.call_instance(obj, args, kwargs, node)
        if name == "build":
            shape = args[0] if args else kwargs.get("input_shape")
            self.build(obj, shape, node)
            return None
        if name == "add_weight":
            return self.weight(args, kwargs, node)
        return UNKNOWN

    def functional_init(self, inst: InstanceV, args, kwargs, node) -> None:
        """``super().__init__(inputs, outputs)`` in a Model subclass: a functional model."""
        if "inputs" in kwargs or len(args) >= 2:
            model = self.keras.make_model(args, kwargs, node)
            if isinstance(model, ModelV):
                # one model, listed at the line that instantiates the class
                inst.functional = model
                model.node = inst.node
                model.display = inst.display
                if inst in self.keras.models:
                    self.keras.models.remove(inst)

    def weight(self, args, kwargs, node):
        from .keras_calls import shape_value

        shape = kwargs.get("shape", args[1] if len(args) > 1 else None)
        if shape is None and "shape" not in kwargs and len(args) < 2:
            shape = ()
        dims = shape_value(shape) if shape != () else ()
        return Tensor(dims, origin="a weight", node=node, deps=frozenset())

    def build(self, inst: InstanceV, shape, node) -> None:
        """``model.build((None, 28, 28, 1))``. Keras 3 runs the class's own ``build`` with the
        shape; without one it only marks the model built and never traces ``call`` (data of
        another shape may come later). kerasshape traces ``call`` for ``show``'s shapes, but
        reports nothing from that trace."""
        from .keras_calls import shape_value

        dims = shape_value(shape)
        if dims is None or inst.built:
            return
        t = Tensor(dims, origin="build()", node=node)
        t.input_id = t.id
        t.deps = frozenset({t.id})
        own_build = inst.cls.lookup("build")
        if isinstance(own_build, FuncV):
            inst.built = True
            self.interp.call_function(own_build, [inst, _shape_struct(t)], {}, node)
        self.interp.quiet += 1
        try:
            self.call_instance(inst, [t], {}, node, first=True)
        finally:
            self.interp.quiet -= 1

    # ------------------------------------------------------------ trainers
    @staticmethod
    def train_step(inst: InstanceV, name: str = "train_step"):
        """The class's own ``train_step`` (a trainer, the keras.io GAN/VAE pattern), or
        ``test_step``, if any."""
        if inst.cls.keras != "model":
            return None
        fn = inst.cls.lookup(name)
        return fn if isinstance(fn, FuncV) else None

    def trainer_only(self, inst: InstanceV) -> bool:
        """A Model subclass with its own ``train_step`` and no ``call``: Keras never calls it
        on data (``fit`` runs ``train_step``), so it has no shapes of its own."""
        return self.train_step(inst) is not None and inst.functional is None and \
            not isinstance(inst.cls.lookup("call"), FuncV) and table_base(inst.cls) is None

    def train(self, inst: InstanceV, step: FuncV, data, node) -> None:
        """``fit``/``train_on_batch`` on a trainer: ``train_step(data)`` read once, on one
        batch, so the models it holds are built on the tensors it computes (a GAN's generator
        on ``keras.random.normal((batch_size, latent_dim))``); ``evaluate`` and its
        ``test_step`` alike. Quietly: a train step is eager, gradient-tape code kerasshape
        reads only in part, so it gives shapes, never diagnostics."""
        key = (id(inst), id(step))
        if self.read_steps.get(key, False):
            return     # read once on known data (a later fit() on unknown data adds nothing)
        self.read_steps[key] = data is not UNKNOWN
        if step.node.name.value == "train_step":
            self.trained[id(inst)] = (inst, self.trained.get(id(inst), (inst, False))[1] or
                                      data is not UNKNOWN)
        keras = self.keras
        start = len(keras.apps_log)
        self.interp.quiet += 1
        try:
            self.interp.call_function(step, [inst, data], {}, node)
        finally:
            self.interp.quiet -= 1
        if self.trainer_only(inst) and not inst.apps:
            inst.apps = keras.apps_log[start:]

    def call_instance(self, inst: InstanceV, args, kwargs, node, first: bool = False):
        """``layer(x)`` for an instance of a Keras Layer/Model subclass."""
        from .keras_calls import gather_tensors, union_deps

        keras = self.keras
        keras.events += 1
        if inst.functional is not None:
            return keras.call_object(inst.functional, args, kwargs, node)
        x = args[0] if args else kwargs.get(_first_call_param(inst.cls), UNKNOWN)
        if inst.layer is not None and inst.layer.sig is not None:
            # a subclass of a table layer: the inherited shapes
            disp = self.interp.code(node.func) if isinstance(node, cst.Call) else inst.cls.name
            return keras.apply(inst.layer, x, node, disp=disp, call=(args, kwargs))
        tensors = gather_tensors([x])
        if not tensors:
            return UNKNOWN
        extra = gather_tensors([*args[1:], *(v for k, v in kwargs.items() if k != "inputs")])
        linked = tensors + extra
        disp = self.interp.code(node.func) if isinstance(node, cst.Call) else inst.cls.name
        app = LayerApp(inst.layer, linked, node, next(keras.seq))
        first = first or not inst.built
        start = len(keras.apps_log)
        result = UNKNOWN
        shape_arg = _shape_struct(x)
        if not inst.built:
            inst.built = True
            build = inst.cls.lookup("build")
            if isinstance(build, FuncV) and shape_arg is not UNKNOWN:
                self.interp.call_function(build, [inst, shape_arg], {}, node)
        cos = inst.cls.lookup("compute_output_shape")
        call = inst.cls.lookup("call")
        why = None
        if isinstance(cos, FuncV):
            if shape_arg is UNKNOWN:
                why = "its input shape is unknown"
            else:
                result = _tensors_from_shapes(
                    self.interp.call_function(cos, [inst, shape_arg], {}, node))
                why = "its compute_output_shape() gives no known shape"
        elif isinstance(call, FuncV):
            result = self.interp.call_function(call, [inst, *args], dict(kwargs), node)
            why = "its call() gives no known shape"
        else:
            why = f"{inst.cls.name} has no call() kerasshape can read"
        deps = union_deps(linked)
        outs = _wrap(result, lambda t: Tensor(t.shape, origin=disp, node=node, deps=deps, app=app,
                                              parents=tuple(linked)))
        if outs is None:
            app.output = None
            app.why_unknown = why
            outs = Tensor(None, origin=disp, node=node, deps=deps, app=app, parents=tuple(linked))
        else:
            app.output = _shapes_of(outs)
            if app.output is None:
                app.why_unknown = why
        if inst.layer is not None:
            inst.layer.calls += 1       # .output is refused by Keras after a second call
        if first:
            inst.input = x
            inst.output = outs
            inst.apps = keras.apps_log[start:]
        keras.apps_log.append(app)
        return outs

    # ------------------------------------------------------------ show
    def summary(self, inst: InstanceV):
        from .analysis import LayerSummary, ModelSummary

        keras = self.keras
        s = ModelSummary(name=inst.display or inst.layer.name, line=self.interp.line(inst.node),
                         kind="Subclassed", built=inst.built)
        trainer = self.trainer_only(inst)
        if trainer:
            trained = id(inst) in self.trained
            s.kind, s.built = "Trainer", trained
            s.note = (f"{inst.cls.name} defines train_step() and no call(): Keras never calls it "
                      "on data, so it has no shapes of its own; " +
                      ("no fit() here reaches its train_step()" if not trained else
                       "fit() ran its train_step() on a batch, which built the models it holds"
                       if self.trained[id(inst)][1] else
                       "fit() ran its train_step() on data kerasshape does not know"))
        if inst.built and not trainer:
            s.inputs = [t.shape for t in _tensor_list(inst.input)] or [None]
            s.outputs = [t.shape for t in _tensor_list(inst.output)] or [None]
        why = "the model is not built" if not inst.built else "not called"
        if trainer:
            why = "not called on known tensors in train_step()" if s.built else "train_step() did not run"
        for item in _layers_of(inst):
            if isinstance(item, LayerV):
                app = next((a for a in inst.apps if a.layer is item), None)
                s.layers.append(keras.layer_summary(app) if app is not None else LayerSummary(
                    line=self.interp.line(item.node), name=item.name, cls=item.cls,
                    output_shape=None, source=item.src, why_unknown=why))
                continue
            if isinstance(item, InstanceV):  # a custom layer: its first call inside this model
                app = next((a for a in inst.apps if a.layer is item.layer), None)
                if app is not None:
                    s.layers.append(keras.layer_summary(app))
                    continue
            # a model held by the model (a VAE's encoder): `show` lists that model itself, with
            # its own output once built (its `.output` in Keras), else the output of its first
            # call inside this model
            out = _model_output(item)
            if out is None and isinstance(item, (SequentialV, ModelV)):
                held = keras.model_layers.get(id(item))
                app = next((a for a in inst.apps if held is not None and a.layer is held[0]), None)
                if app is not None:
                    s.layers.append(keras.layer_summary(app))
                    continue
            name = item.layer.name if isinstance(item, InstanceV) else item.name
            cls = item.cls.name if isinstance(item, InstanceV) else \
                ("Sequential" if isinstance(item, SequentialV) else "Functional")
            s.layers.append(LayerSummary(
                line=self.interp.line(item.node), name=name, cls=cls, output_shape=out,
                source=item.display or name,
                why_unknown=None if out is not None else
                "the model is not built" if not _model_built(item) else why))
        return s


def _snake(name: str) -> str:
    from .keras_calls import snake_case
    return snake_case(name)


def _layers_of(inst: InstanceV) -> list:
    """The layers (and models) an instance tracks, in the order its attributes were set."""
    out, seen = [], set()

    def visit(v, depth=0):
        if id(v) in seen or depth > 3:
            return
        if isinstance(v, LayerV):
            seen.add(id(v))
            out.append(v)
        elif isinstance(v, InstanceV) and v.layer is not None:
            seen.add(id(v))
            out.append(v)
        elif isinstance(v, (SequentialV, ModelV)):
            seen.add(id(v))
            out.append(v)
        elif isinstance(v, ListV) and not v.uncertain:
            for item in v.items:
                visit(item, depth + 1)
        elif isinstance(v, tuple):
            for item in v:
                visit(item, depth + 1)
        elif isinstance(v, DictV) and not v.uncertain:
            for item in v.items.values():
                visit(item, depth + 1)

    for value in inst.attrs.values():
        visit(value)
    return out


def _model_built(model) -> bool:
    if isinstance(model, SequentialV):
        return model.input is not None
    if isinstance(model, InstanceV) and model.cls.keras == "model":
        return model.built or model.functional is not None
    return True      # (a functional model; a custom layer is "not called")


def _model_output(model):
    """The output shape(s) of a built model held by another; None where not known."""
    if isinstance(model, InstanceV):
        model = model.functional if model.functional is not None else model
    if isinstance(model, SequentialV):
        ok = not model.uncertain and model.input is not None and isinstance(model.output, Tensor)
        return model.output.shape if ok else None
    if isinstance(model, ModelV):
        shapes = [t.shape if isinstance(t, Tensor) else None for t in model.outputs]
        if not shapes or any(s is None for s in shapes):
            return None
        return shapes[0] if len(shapes) == 1 else shapes
    if isinstance(model, InstanceV) and model.built:
        return _shapes_of(model.output)
    return None


def _shape_struct(x):
    """What ``build``/``compute_output_shape`` receive: the input shape(s) as tuples."""
    from .keras_calls import shape_attr

    if isinstance(x, Tensor):
        return shape_attr(x)
    if isinstance(x, (tuple, ListV)):
        items = list(x) if isinstance(x, tuple) else (None if x.uncertain else x.items)
        if items is None:
            return UNKNOWN
        shapes = [_shape_struct(i) for i in items]
        if any(s is UNKNOWN for s in shapes):
            return UNKNOWN
        return ListV(shapes) if isinstance(x, ListV) else tuple(shapes)
    return UNKNOWN


def _tensors_from_shapes(value):
    """compute_output_shape's result -> Tensor(s)."""
    from .keras_calls import shape_value

    if isinstance(value, (tuple, ListV)):
        items = list(value) if isinstance(value, tuple) else value.items
        if items and all(isinstance(i, (tuple, ListV)) for i in items):
            outs = [_tensors_from_shapes(i) for i in items]
            return UNKNOWN if any(o is UNKNOWN for o in outs) else ListV(outs)
        dims = shape_value(value)
        return Tensor(dims) if dims is not None else UNKNOWN
    return UNKNOWN


def _wrap(result, make):
    """Re-make the tensors of a call's result as outputs of the layer call; None if no tensors."""
    if isinstance(result, Tensor):
        return make(result)
    if isinstance(result, (tuple, ListV)):
        items = list(result) if isinstance(result, tuple) else (None if result.uncertain else result.items)
        if not items or not any(isinstance(i, Tensor) for i in items) or \
                not all(isinstance(i, Tensor) or is_const(i) or isinstance(i, Sym) for i in items):
            return None
        # (x, height, width): sizes returned beside the tensor keep their values
        outs = [make(i) if isinstance(i, Tensor) else i for i in items]
        return tuple(outs) if isinstance(result, tuple) else ListV(outs)
    return None


def _tensor_list(value) -> list:
    if isinstance(value, Tensor):
        return [value]
    if isinstance(value, tuple):
        return [v for v in value if isinstance(v, Tensor)]
    if isinstance(value, ListV):
        return [v for v in value.items if isinstance(v, Tensor)]
    if isinstance(value, DictV):
        return [v for v in value.items.values() if isinstance(v, Tensor)]
    return []


def _shapes_of(outs):
    if isinstance(outs, Tensor):
        return outs.shape
    shapes = [t.shape for t in _tensor_list(outs)]
    return shapes if shapes else None


def _static(fn: FuncV) -> bool:
    """A ``@staticmethod``: called on an instance, it gets no ``self``."""
    return any(isinstance(d.decorator, cst.Name) and d.decorator.value == "staticmethod"
               for d in getattr(fn.node, "decorators", ()))


def _first_call_param(cls) -> str:
    """The name of call()'s first argument after self: Keras takes the inputs from it when
    the layer is called with keywords only (``endpoint(logits=x, targets=y)``)."""
    call = cls.lookup("call")
    node = getattr(call, "node", None)
    if isinstance(node, cst.FunctionDef):
        params = list(node.params.posonly_params) + list(node.params.params)
        if len(params) > 1:
            return params[1].name.value
    return "inputs"
