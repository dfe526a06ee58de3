"""The layer-signature table: what each Keras layer does to shapes.

One decorated function per layer, in one module per family (``core``, ``conv``,
``recurrent``, ``reshaping``, ``merge``). The decorator states the input
requirements in Keras's own words (``ndim``, ``min_ndim``, the axes whose size
must be defined); the function takes the input shape and the constructor
arguments that change the output shape, with Keras's names and defaults, and
returns the output shape (a list of shapes for several outputs).

Adding a layer is one small entry::

    @signature("RepeatVector", ndim=2, positional="n")
    def repeat_vector(x: Shape, n: Size) -> Shape:
        \"\"\"(batch, features) -> (batch, n, features)\"\"\"
        return (x[0], n, x[1])

Parameters annotated ``Size``/``Sizes`` accept a value kerasshape could not
evaluate (it arrives as ``UNK``); for any other parameter an unknown value makes
the output unknown and the function is not called.

This package imports neither libcst nor TensorFlow.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Callable, Union

from ..shapes import UNK, Shape, ShapeError  # noqa: F401  (re-exported for families)

Size = Union[int, None, str, object]       # a dim-valued argument (UNK when not known)
Sizes = Union[int, tuple, object]          # an int or tuple of them (UNK when not known)
Applied = Callable[[tuple], tuple]         # a wrapped layer, shape -> shape


class _Missing:
    def __repr__(self) -> str:
        return "<missing>"


MISSING = _Missing()

AxesRule = Union[tuple, Callable[[dict], tuple]]


@dataclass(frozen=True)
class Signature:
    name: str
    fn: Callable
    params: tuple                     # shape-affecting parameters, in fn order
    defaults: dict                    # their Keras defaults
    positional: tuple                 # Keras constructor's positional order
    sizes: frozenset                  # params that accept an unknown value as UNK
    ndim: int | None = None
    min_ndim: int | None = None
    max_ndim: int | None = None
    defined: AxesRule = ()            # axes that must not be None (weights are built on them)
    weights: AxesRule = ()            # axes fixed once the layer is built (reuse check)
    many: bool = False                # takes a list of tensors (merge layers)
    wrapper: str | None = None        # name of the parameter holding a wrapped layer
    doc: str = ""
    inputs: tuple = ()                # call arguments that are tensors: ("query", "value", "key")
    required_inputs: int = 0          # how many of them must be given
    call_args: tuple = ()             # call arguments that change the output shape
    cell: bool = False                # an RNN cell: fn is one step as RNN(cell) runs it
    reuse_checked: bool = True        # Keras's InputSpec refuses a reuse on another size (a
    #                                   Dense, a Conv); RNNs and LayerNormalization build the
    #                                   graph anyway and fail on the first batch (KS105)

    def axes(self, rule: AxesRule, args: dict) -> tuple:
        return rule(args) if callable(rule) else rule

    def bind(self, pos: list, kw: dict) -> dict:
        """Bind constructor arguments like Keras does; returns only the shape ones.

        Values not given take the Keras default; a required one not given is MISSING.
        """
        bound: dict = {}
        for name, value in zip(self.positional, pos):
            bound[name] = value
        for name, value in kw.items():
            bound[name] = value
        out = {}
        for name in self.params:
            out[name] = bound.get(name, self.defaults.get(name, MISSING))
        return out

    def expects(self) -> str:
        """The rank requirement in words, for messages."""
        if self.ndim is not None:
            return f"{self.ndim}D"
        if self.min_ndim is not None and self.max_ndim is not None:
            return f"{self.min_ndim}D to {self.max_ndim}D"
        if self.min_ndim is not None:
            return f"{self.min_ndim}D or higher"
        if self.max_ndim is not None:
            return f"{self.max_ndim}D or lower"
        return "any rank"

    def undefined(self, x: tuple, args: dict) -> tuple:
        """The ``defined`` axes that are None in ``x``; axes outside ``x`` are left to ``fn``."""
        return tuple(a for a in self.axes(self.defined, args)
                     if -len(x) <= a < len(x) and x[a] is None)

    def rank_ok(self, rank: int) -> bool:
        if self.ndim is not None and rank != self.ndim:
            return False
        if self.min_ndim is not None and rank < self.min_ndim:
            return False
        if self.max_ndim is not None and rank > self.max_ndim:
            return False
        return True


TABLE: dict[str, Signature] = {}
FUNCTIONS: dict[str, str] = {}   # lowercase functional forms -> class: concatenate -> Concatenate
FUNCTION_DEFAULTS: dict[str, dict] = {}  # class -> defaults its function adds: dot(axes=-1)
SOURCES: dict[str, Callable] = {}  # layers that make a tensor from arguments: Input


def signature(name: str, *, ndim: int | None = None, min_ndim: int | None = None,
              max_ndim: int | None = None, defined: AxesRule = (), weights: AxesRule = (),
              positional: str | None = None, many: bool = False, wrapper: str | None = None,
              aliases: tuple = (), function: str | None = None, inputs: str | None = None,
              call_args: str = "", function_defaults: dict | None = None, cell: bool = False,
              reuse_checked: bool = True):
    """Register a layer's shape function under its Keras class name (and aliases).

    ``inputs="query value key?"`` names the tensors a layer is called with when there are
    several (``?`` marks optional ones): the function then receives a tuple of their shapes
    (None for one not given). ``call_args`` names call arguments that change the output
    shape (``return_attention_scores``); the function receives them as keywords.
    ``cell=True`` marks an RNN cell: its function takes one step's input shape and returns
    ``[output, states]`` for RNN(cell) (states a shape for an int state_size, else a list);
    a cell called directly on tensors has an unknown output.
    """
    tensor_names = tuple(n.rstrip("?") for n in (inputs or "").split())
    required = sum(1 for n in (inputs or "").split() if not n.endswith("?"))
    call_names = tuple(call_args.split())

    def register(fn: Callable) -> Callable:
        params = [p for p in list(inspect.signature(fn).parameters.values())[1:]
                  if p.name not in call_names]
        names = tuple(p.name for p in params)
        defaults = {p.name: p.default for p in params if p.default is not inspect.Parameter.empty}
        sizes = frozenset(p.name for p in params
                          if str(p.annotation).split(" ")[0] in ("Size", "Sizes"))
        order = tuple(positional.split()) if positional is not None else names
        sig = Signature(
            name=name, fn=fn, params=names, defaults=defaults, positional=order, sizes=sizes,
            ndim=ndim, min_ndim=min_ndim, max_ndim=max_ndim, defined=defined, weights=weights,
            many=many, wrapper=wrapper,
            doc=fn.__doc__.strip().splitlines()[0] if fn.__doc__ else "",
            inputs=tensor_names, required_inputs=required, call_args=call_names, cell=cell,
            reuse_checked=reuse_checked,
        )
        for key in (name, *aliases):
            TABLE[key] = sig
        if function:
            FUNCTIONS[function] = name
            if function_defaults:
                FUNCTION_DEFAULTS[name] = dict(function_defaults)
        return fn

    return register


def source(name: str, *, aliases: tuple = ()):
    """Register a function that makes an input tensor's shape from arguments."""

    def register(fn: Callable) -> Callable:
        for key in (name, *aliases):
            SOURCES[key] = fn
        return fn

    return register


def lookup(name: str) -> Signature | None:
    return TABLE.get(name)


def channel_axis(args: dict) -> int:
    """The channels axis for a ``data_format`` argument (Keras's default: last)."""
    data_format = args.get("data_format")
    return 1 if isinstance(data_format, str) and data_format.lower() == "channels_first" else -1


def positive(layer: str, name: str, value) -> None:
    """Keras's constructors reject a size argument (units, filters, n) that is 0 or less."""
    if isinstance(value, int) and not isinstance(value, bool) and value <= 0:
        raise ShapeError("KS203", f"{layer} needs a positive `{name}`, got {name}={value}",
                         found=f"{name}={value}", hint=f"pass {name} >= 1")


def load() -> None:
    """Import every family module so their entries register."""
    from . import attention, conv, core, merge, misc, padding, pooling, recurrent, reshaping  # noqa: F401
    from . import einsum, preprocessing  # noqa: F401
    from . import conv_recurrent  # noqa: F401
    from . import augment  # noqa: F401
    from . import audio  # noqa: F401


load()
