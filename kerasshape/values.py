"""Abstract values the interpreter carries instead of real Python objects.

Constants are plain Python values (int, float, str, bool, None, tuples of values);
everything else is one of the classes below. ``UNKNOWN`` is the top of the lattice:
it never causes a diagnostic.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from .shapes import join_shape

_ids = itertools.count(1)


class Unknown:
    __slots__ = ("reason",)

    def __init__(self, reason: str = "") -> None:
        self.reason = reason

    def __repr__(self) -> str:
        return f"Unknown({self.reason!r})"


UNKNOWN = Unknown()


@dataclass(eq=False)
class Sym:
    """A value not known statically: a named size if used as a dim (a function parameter,
    ``num_classes = len(np.unique(y))``). ``certain_int`` when it is surely an int (``len(x)``,
    ``x.shape[1]``, arithmetic on those), not possibly a tuple or anything else."""

    name: str
    certain_int: bool = False
    from_shape: bool = False   # a dim read off a tensor's or an array's shape


@dataclass(frozen=True)
class FracSym:
    """A float known as a named size times a fraction: ``n / 2`` or ``n * 0.5`` is
    FracSym("n", 2). Not a size itself; ``int()`` of it is the size ``n // 2`` (sizes are
    never negative, so truncation is the floor). Only exact fractions are kept: a divisor
    that is an int, or a factor that is a binary fraction (0.5, 0.25, 1.0)."""

    dim: str
    den: int


@dataclass(eq=False)
class Ref:
    """A name that refers into a module: ``tf.keras.layers`` -> Ref("tensorflow.keras.layers")."""

    path: str


@dataclass(eq=False)
class ListV:
    items: list
    uncertain: bool = False
    depth: int = 0                 # uncertainty depth at creation
    origin: str | None = None      # "LSTM(return_state=True)" for layer outputs
    mutations: int = 0             # append/extend/pop... calls: a length named before is stale
    of_str: bool = False           # every item is a str (file names from glob or os.listdir)
    row: object = None             # a list grown from [] by append: the shape every item has
    #                                (a tuple), "empty" before the first, "mixed" if they differ


@dataclass(eq=False)
class DictV:
    items: dict
    uncertain: bool = False
    depth: int = 0


@dataclass(eq=False)
class LayerApp:
    """One call of a layer on tensors: what `show` lists."""

    layer: "LayerV"
    inputs: list
    node: object
    seq: int
    output: object = None          # shape, list of shapes, or None
    why_unknown: str | None = None


@dataclass(eq=False)
class Tensor:
    shape: tuple | None
    origin: str = ""               # "Dense", "Input", "Flatten"; rendered "from Dense at line 11"
    node: object = None            # where it was made
    deps: frozenset | None = frozenset()   # ids of the Input tensors it depends on; None unknown
    input_id: int | None = None    # set on Input tensors
    app: LayerApp | None = None    # the layer call that produced it
    parents: tuple = ()            # tensors it was computed from
    id: int = field(default_factory=lambda: next(_ids))
    name: str | None = None        # the user's variable name for Inputs
    single: bool = False           # certainly the only output of a layer call (unpacking fails)


@dataclass(eq=False)
class Array:
    """Data made by numpy, tf or keras.utils (not a node of a Keras graph): its shape (int
    dims, or UNK where kerasshape does not know), the element kind ("int", "float", "bool",
    "str", or None), where it was made, and for integer labels the range of their values
    ``(low, high)`` (inclusive) where known."""

    shape: tuple | None
    kind: str | None = None
    node: object = None
    origin: str = ""               # "np.random.rand", "mnist.load_data()"
    vrange: tuple | None = None
    size: str | None = None        # a scalar bound to a name: the named size it is
    values: tuple | None = None    # a small 1-D int array of literals: its values


@dataclass(eq=False)
class DatasetV:
    """A ``tf.data.Dataset``: the structure of one element (an Array, or a tuple/DictV of
    them), whether ``batch()`` gave it a batch axis, and where it was made."""

    element: object
    node: object = None
    batched: bool = False


@dataclass(eq=False)
class LayerV:
    cls: str                       # Keras class name
    sig: object                    # Signature or None (no signature: outputs unknown)
    args: dict                     # bound shape arguments
    node: object                   # the construction call
    src: str                       # as written: "L.LSTM"
    name: str                      # Keras name: "lstm_1"
    input_shape: tuple | None = None   # input_shape=/input_dim= given to the layer
    input_shape_given: bool = False    # ... even when its value is not known
    built: tuple | None = None     # the input shape it was first built on
    built_uncertain: bool = False
    depth: int = 0
    bad: bool = False              # construction already failed (reported)
    output_tensor: object = None   # InputLayer: the tensor it makes; others: the first output
    calls: int = 0                 # how many times it was called on tensors
    adapted: bool = False          # adapt()/build() ran: built on data kerasshape does not see


@dataclass(eq=False)
class SequentialV:
    node: object
    name: str
    display: str | None = None
    entries: list = field(default_factory=list)   # (LayerV | ModelValue, node)
    input: Tensor | None = None
    output: Tensor | None = None
    apps: list = field(default_factory=list)
    uncertain: bool = False
    depth: int = 0


@dataclass(eq=False)
class ModelV:
    node: object
    name: str
    display: str | None = None
    inputs: list = field(default_factory=list)
    outputs: list = field(default_factory=list)
    input_struct: object = None
    output_struct: object = None


@dataclass(eq=False)
class FuncV:
    node: object                   # libcst FunctionDef
    env: object                    # defining Env
    defaults: dict
    name: str
    calls: int = 0
    is_method: bool = False
    owner: object = None           # ClassV that defines it, for methods
    unit: object = None            # the module it is defined in (engine.Unit)


@dataclass(eq=False)
class ClassV:
    """A class defined in the user's code; ``keras`` says whether it subclasses a Keras
    Layer ("layer") or Model ("model")."""

    node: object                   # libcst ClassDef
    name: str
    env: object                    # the class body's Env: methods and class attributes
    bases: tuple = ()              # ClassV, or the canonical path of a library class, or None
    keras: str | None = None

    def lookup(self, name: str, skip_self: bool = False):
        """The attribute ``name`` along the bases (depth-first, like simple MROs), or NOTFOUND."""
        if not skip_self and name in self.env.vars:
            return self.env.vars[name]
        for base in self.bases:
            if isinstance(base, ClassV):
                value = base.lookup(name)
                if value is not NOTFOUND:
                    return value
        return NOTFOUND


NOTFOUND = Unknown("not found")


@dataclass(eq=False)
class InstanceV:
    """An object of a user class. Keras layers and models among them also carry the
    ``LayerV`` that stands for them in a model's layer list and what their calls did."""

    cls: ClassV
    node: object                   # where it was made
    attrs: dict = field(default_factory=dict)
    depth: int = 0
    layer: object = None           # LayerV: its name and class in `show`
    functional: object = None      # ModelV when __init__ called super().__init__(inputs, outputs)
    built: bool = False
    input: object = None           # the first tensor(s) it was called on, and its output
    output: object = None
    apps: list = field(default_factory=list)   # layer calls made inside its first call()
    display: str | None = None


@dataclass(eq=False)
class SuperV:
    """``super()`` inside a method: attribute lookups skip the defining class."""

    cls: ClassV
    obj: object


@dataclass(eq=False)
class BoundMethod:
    obj: object
    name: str


@dataclass(eq=False)
class PartialV:
    """``functools.partial(func, *args, **kwargs)``: calling it calls func with those first."""

    func: object
    args: tuple
    kwargs: dict


_CONST = (int, float, str, bool, type(None), complex, bytes)


def is_const(v) -> bool:
    """A plain Python constant (or a tuple of them)."""
    return isinstance(v, _CONST) or (isinstance(v, tuple) and all(is_const(x) for x in v))


def join(a, b):
    """The value that covers both (after the two branches of an ``if``)."""
    if a is b:
        return a
    if isinstance(a, Tensor) and isinstance(b, Tensor):
        deps = None if a.deps is None or b.deps is None else a.deps | b.deps
        return Tensor(join_shape(a.shape, b.shape), origin=a.origin if a.origin == b.origin else "if/else",
                      node=a.node, deps=deps, parents=(a, b))
    if isinstance(a, tuple) and isinstance(b, tuple) and len(a) == len(b):
        return tuple(join(x, y) for x, y in zip(a, b))
    if isinstance(a, Array) and isinstance(b, Array):
        return Array(join_shape(a.shape, b.shape), a.kind if a.kind == b.kind else None, a.node,
                     a.origin if a.origin == b.origin else "if/else")
    if isinstance(a, (int, float, str, bool, type(None))) and type(a) is type(b) and a == b:
        return a
    if isinstance(a, Sym) and isinstance(b, Sym) and a.name == b.name:
        # one name is one size (a second binding is name#2): the same value on both sides
        return Sym(a.name, a.certain_int and b.certain_int, a.from_shape and b.from_shape)
    return UNKNOWN


def find_values(values, kinds, skip_uncertain: bool = False, limit: int = 64) -> list:
    """Values of the given classes among ``values``, inside tuples, lists and dicts too, in
    order; bounded, and safe on a list that holds itself (``x.append(x)``)."""
    out, stack, seen, budget = [], list(reversed(list(values))), set(), 10_000
    while stack and len(out) < limit and budget > 0:
        budget -= 1
        v = stack.pop()
        if isinstance(v, kinds):
            out.append(v)
        elif isinstance(v, tuple):
            stack.extend(reversed(v))
        elif isinstance(v, (ListV, DictV)) and not (skip_uncertain and v.uncertain):
            if id(v) in seen:
                continue
            seen.add(id(v))
            stack.extend(reversed(v.items if isinstance(v, ListV) else list(v.items.values())))
    return out
