"""The abstract interpreter: runs a module's libcst tree with shapes instead of tensors.

Statements run in source order like Python would; every value is abstract (see
``values.py``). Keras calls go to ``keras_calls.py`` (layers, models) which reads the
signature table; anything not understood becomes ``UNKNOWN`` and checking stops
quietly there. ``analyze_source`` is the single entry point every view reads.
"""

from __future__ import annotations

import builtins
import math
import os
import tokenize
from io import BytesIO

import libcst as cst

from .analysis import Analysis
from .diagnostics import Diagnostic, suppressed
from .data import NOT_DATA
from .shapes import UNK, add, floordiv, is_int, mul, sub
from .values import (
    UNKNOWN, Array, BoundMethod, ClassV, DatasetV, DictV, FracSym, FuncV, InstanceV, LayerV, ListV,
    ModelV, PartialV, Ref,
    SequentialV, SuperV, Sym, Tensor, Unknown, is_const, join,
)

MAX_DEPTH = 12          # nested user-function calls interpreted
MAX_UNROLL = 256        # loop iterations unrolled
MAX_STEPS = 200_000     # statements interpreted per module (guards against blow-ups)
MAX_MODULES = 24        # project modules loaded for one file's helpers
MAX_MODULE_BYTES = 1_000_000

# Imports that are never the project's own modules.
_LIBRARIES = frozenset({
    "keras", "tensorflow", "tf_keras", "keras_core", "numpy", "scipy", "pandas", "sklearn", "torch", "jax",
    "matplotlib", "PIL", "cv2", "tensorflow_datasets", "tensorflow_hub", "h5py", "six",
})
_STDLIB = frozenset(getattr(__import__("sys"), "stdlib_module_names", ()))
_PARSED: dict = {}


def _parse_file(path: str):
    """A project module's tree, cached per process by path, size and modification time."""
    try:
        st = os.stat(path)
        if st.st_size > MAX_MODULE_BYTES:
            return None
        key = (path, st.st_size, st.st_mtime_ns)
        if key in _PARSED:
            return _PARSED[key]
        with open(path, "rb") as fh:
            module = cst.parse_module(decode(fh.read()))
    except Exception:
        return None
    if len(_PARSED) > 128:
        _PARSED.clear()
    _PARSED[key] = module
    return module


class _Return(Exception):
    def __init__(self, value):
        self.value = value


class _Break(Exception):
    pass


class _Continue(Exception):
    pass


class _Stop(Exception):
    """Every path through a block ended (return/raise on both branches)."""


class _Budget(Exception):
    pass


def positions(module: cst.Module) -> dict:
    """Every node's source range, from one code generation pass over the module.

    The provider is run directly: ``MetadataWrapper.resolve`` would also walk the whole
    tree once more for batchable providers, of which there are none here.
    """
    from libcst.metadata import MetadataWrapper, PositionProvider

    provider = PositionProvider()
    try:
        provider._gen_impl(module)
        return provider._computed
    except Exception:  # a libcst without these internals: the public, slower way
        return dict(MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider))


class Unit:
    """One parsed module: the file analysed, or a project module it imports helpers from."""

    def __init__(self, module: cst.Module, path: str) -> None:
        self.module = module
        self.path = path
        self._positions = None
        self.globals = None        # Env after its top level ran (imported modules)

    def positions(self) -> dict:
        if self._positions is None:
            self._positions = positions(self.module)
        return self._positions


class Env:
    __slots__ = ("vars", "parent")

    def __init__(self, parent: "Env | None" = None, vars: dict | None = None) -> None:
        self.vars = vars if vars is not None else {}
        self.parent = parent

    def get(self, name: str):
        env = self
        while env is not None:
            if name in env.vars:
                return env.vars[name]
            env = env.parent
        return _MISSING

    def copy(self) -> "Env":
        return Env(self.parent, dict(self.vars))


_MISSING = object()


def seq_items(v):
    """The items of a known sequence value, or None."""
    if isinstance(v, tuple):
        return list(v)
    if isinstance(v, (Array, Tensor)) and v.shape and is_int(v.shape[0]) and 0 < v.shape[0] <= 256:
        # the rows of data, or of a constant tensor (tf.linspace(0.0, 0.1, 12)): a symbolic
        # tensor (one that depends on an Input) cannot be iterated
        if isinstance(v, Tensor):
            if v.deps != frozenset():
                return None
            return [Tensor(v.shape[1:], origin=v.origin, node=v.node, deps=frozenset())
                    for _ in range(v.shape[0])]
        if v.values is not None and len(v.values) == v.shape[0]:
            return list(v.values)
        return [Array(v.shape[1:], v.kind, v.node, v.origin) for _ in range(v.shape[0])]
    if isinstance(v, ListV) and not v.uncertain:
        return list(v.items)
    if isinstance(v, range):
        return list(v)
    if isinstance(v, DictV) and not v.uncertain:
        return list(v.items)      # iterating a dict gives its keys
    return None


class Interpreter:
    def __init__(self, module: cst.Module, path: str) -> None:
        from .classes import Classes
        from .data import Data
        from .keras_calls import KerasCalls

        self.module = module
        self.path = path
        self.main = self.unit = Unit(module, path)
        self.units: dict = {os.path.abspath(path): self.main}   # modules loaded, by path
        self.diagnostics: list[Diagnostic] = []
        self.depth = 0             # nesting of branches whose condition is not known
        self.calls: list = []      # stack of (FuncV, call node) being interpreted
        self.steps = 0
        self.funcs: list[FuncV] = []
        self.tensor_tests: set = set()   # ids of tensors made by `a > b`: truth unknown
        self._returns: list[list] = []
        self._assigned: dict = {}
        self.uncertain_exit = False
        self.quiet = 0             # > 0: shapes only, no diagnostics (a trace Keras does not do)
        self.keras = KerasCalls(self)
        self.data = Data(self)
        self.classes = Classes(self)
        self.globals = Env()
        self.hovers = None         # [(Name node, value)] of assignments, when hovers are asked for
        self.size_names: dict = {}  # named size -> the node that named it (one value per name)
        self._named_nodes: set = set()
        self._lengths: dict = {}         # "len(vocabulary)" -> the lists it has named
        self._rebound: dict = {}     # name -> how many values it has named
        self.naming = False        # unpacking an assignment (not a loop target): names sizes

    # ------------------------------------------------------------ positions
    def pos(self, node):
        """(line, col, end_line, end_col) of a node; computed once per file, on demand."""
        rng = self.unit.positions().get(node)
        if rng is None:
            # a node of another module (a helper imported from the project)
            for unit in self.units.values():
                if unit is not self.unit:
                    rng = unit.positions().get(node)
                    if rng is not None:
                        break
        if rng is None:
            return (1, 0, 1, 0)
        return (rng.start.line, rng.start.column, rng.end.line, rng.end.column)

    def line(self, node) -> int:
        return self.pos(node)[0] if node is not None else 0

    def where(self, node, here) -> str:
        """``line 12``, or ``model.py line 12`` for a node of another module than ``here``."""
        unit = self.unit_of(node)
        if unit is None or unit is here:
            return f"line {self.line(node)}"
        return f"{os.path.basename(unit.path)} line {self.line(node)}"

    def unit_of(self, node):
        if node in self.unit.positions():
            return self.unit
        for unit in self.units.values():
            if node in unit.positions():
                return unit
        return None

    def code(self, node) -> str:
        try:
            return self.unit.module.code_for_node(node).strip()
        except Exception:  # pragma: no cover - defensive
            return "?"

    def report(self, node, code: str, message: str, expected=None, found=None, hint=None) -> None:
        if self.quiet:
            return
        line, col, end_line, end_col = self.pos(node)
        unit = self.unit_of(node) or self.unit
        via = tuple(f"{f.name}() called at {self.where(n, unit)}" for f, n in reversed(self.calls)
                    if n is not None)
        if via:
            message = f"{message} (via {via[0]})"
        call_site = None
        if unit is not self.main:
            for _, n in self.calls:
                if n is not None and self.unit_of(n) is self.main:
                    call_site = self.pos(n)[:2]
                    break
        self.diagnostics.append(Diagnostic(
            path=unit.path, line=line, col=col, end_line=end_line, end_col=end_col, code=code,
            message=message, expected=expected, found=found, hint=hint, via=via,
            call_site=call_site))

    # ------------------------------------------------------------ running
    def run(self) -> None:
        try:
            self.exec_block(self.module.body, self.globals)
        except (_Return, _Stop, _Break, _Continue):
            pass
        # Functions nobody called in this file still build models: run each once, with its
        # defaults and a named symbolic value for every other parameter.
        called = {id(f.node) for f in self.funcs if f.calls}
        done: set = set()
        i = 0
        while i < len(self.funcs):
            fn = self.funcs[i]
            i += 1
            key = id(fn.node)
            if fn.calls == 0 and key not in called and key not in done:
                done.add(key)
                before = len(self.keras.models)
                self.call_function(fn, [], {}, fn.node, symbolic=True)
                for model in self.keras.models[before:]:
                    # a template: Keras never builds it in this program (show says so)
                    if getattr(model, "uncalled", None) is None:
                        model.uncalled = fn.name

    def tick(self) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise _Budget()

    def exec_block(self, body, env: Env) -> None:
        for stmt in body:
            self.exec_stmt(stmt, env)

    def exec_body(self, node, env: Env) -> None:
        """The statements of an indented block or a one-line suite."""
        body = node.body if hasattr(node, "body") else node
        self.exec_block(body, env)

    def exec_stmt(self, stmt, env: Env) -> None:
        self.tick()
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                self.exec_small(small, env)
            return
        method = getattr(self, "stmt_" + type(stmt).__name__, None)
        if method is not None:
            method(stmt, env)

    def exec_small(self, node, env: Env) -> None:
        if isinstance(node, cst.Expr):
            self.eval(node.value, env)
        elif isinstance(node, cst.Assign):
            value = self.eval(node.value, env)
            if len(node.targets) == 1 and isinstance(node.targets[0].target, cst.Name):
                value = self.size_name(node.targets[0].target.value, value, node)
            self.naming = True         # h, w = img.shape[:2]: the names are sizes too
            try:
                for target in node.targets:
                    self.assign(target.target, value, env, node.value)
            finally:
                self.naming = False
        elif isinstance(node, cst.AnnAssign):
            if node.value is not None:
                value = self.eval(node.value, env)
                if isinstance(node.target, cst.Name):
                    value = self.size_name(node.target.value, value, node)
                self.assign(node.target, value, env, node.value)
        elif isinstance(node, cst.AugAssign):
            left = self.eval(node.target, env)
            right = self.eval(node.value, env)
            op = type(node.operator).__name__.replace("Assign", "")
            self.assign(node.target, self.binop(op, left, right, node), env, node)
        elif isinstance(node, cst.Return):
            raise _Return(self.eval(node.value, env) if node.value is not None else None)
        elif isinstance(node, cst.Raise):
            raise _Stop()
        elif isinstance(node, cst.Break):
            raise _Break()
        elif isinstance(node, cst.Continue):
            raise _Continue()
        elif isinstance(node, cst.Import):
            for alias in node.names:
                full = self.dotted(alias.name)
                unit = self.project_module(full, 0) if alias.asname is not None or "." not in full \
                    else None
                if unit is not None:
                    env.vars[alias.asname.name.value if alias.asname is not None else full] = unit
                elif alias.asname is not None:
                    env.vars[alias.asname.name.value] = Ref(full)
                else:
                    first = full.split(".")[0]
                    env.vars[first] = Ref(first)
        elif isinstance(node, cst.ImportFrom):
            self.import_from(node, env)
        elif isinstance(node, (cst.Global, cst.Nonlocal)):
            # The function rebinds a name of an outer scope: from here on, the outer value is
            # no longer known (assignments inside the function stay visible to the function).
            outer = env.parent
            if isinstance(node, cst.Global):
                while outer is not None and outer.parent is not None:
                    outer = outer.parent
            for item in node.names:
                name = item.name.value
                target = outer
                while target is not None and name not in target.vars and isinstance(node, cst.Nonlocal):
                    target = target.parent
                if target is not None:
                    if name in env.vars:
                        continue
                    env.vars[name] = target.vars.get(name, UNKNOWN)
                    target.vars[name] = UNKNOWN
        elif isinstance(node, cst.Del):
            pass

    def dotted(self, node) -> str:
        if isinstance(node, cst.Name):
            return node.value
        if isinstance(node, cst.Attribute):
            return self.dotted(node.value) + "." + node.attr.value
        return "?"

    def import_from(self, node: cst.ImportFrom, env: Env) -> None:
        level = len(node.relative)
        base = self.dotted(node.module) if node.module is not None else ""
        unit = self.project_module(base, level)
        if (unit is not None or level) and not isinstance(node.names, cst.ImportStar):
            for alias in node.names:
                name = self.dotted(alias.name)
                value = unit.globals.vars.get(name, _MISSING) if unit is not None else _MISSING
                if value is _MISSING:  # `from package import module`
                    value = self.project_module(f"{base}.{name}" if base else name, level) or UNKNOWN
                env.vars[self.alias_name(alias)] = value
            return
        if node.relative or node.module is None:
            names = node.names
            if not isinstance(names, cst.ImportStar):
                for alias in names:
                    env.vars[self.alias_name(alias)] = UNKNOWN
            return
        base = self.dotted(node.module)
        if isinstance(node.names, cst.ImportStar):
            from .resolve import canonical
            from .signatures import FUNCTIONS, SOURCES, TABLE

            if canonical(base) == "keras.layers":
                for name in (*TABLE, *SOURCES, *FUNCTIONS):
                    env.vars[name] = Ref(base + "." + name)
            return
        for alias in node.names:
            full = base + "." + self.dotted(alias.name)
            env.vars[self.alias_name(alias)] = _CONSTANTS.get(full, Ref(full))

    # ------------------------------------------------------------ project modules
    def project_module(self, dotted: str, level: int):
        """The project's own module an import names, loaded (its top level interpreted in a
        separate interpreter, so its models and diagnostics stay its own); None for a
        library or a module that is not a file next to the code."""
        if not os.path.isfile(self.unit.path):
            return None
        parts = [p for p in dotted.split(".") if p] if dotted else []
        if not level and (not parts or parts[0] in _LIBRARIES or parts[0] in _STDLIB):
            return None
        here = os.path.dirname(os.path.abspath(self.unit.path))
        if level:
            for _ in range(level - 1):
                here = os.path.dirname(here)
            roots = [here]
        else:
            roots = [here]
            for _ in range(3):
                parent = os.path.dirname(roots[-1])
                if parent == roots[-1]:
                    break
                roots.append(parent)
        for root in roots:
            base = os.path.join(root, *parts)
            candidates = (base + ".py", os.path.join(base, "__init__.py")) if parts else \
                (os.path.join(base, "__init__.py"),)
            for candidate in candidates:
                if os.path.isfile(candidate):
                    return self.load_module(os.path.abspath(candidate))
        return None

    def load_module(self, path: str):
        unit = self.units.get(path)
        if unit is not None:
            return unit if unit.globals is not None else None   # still loading: a cycle
        if len(self.units) >= MAX_MODULES:
            return None
        module = _parse_file(path)
        if module is None:
            return None
        # shown like the analysed file's path: relative when that one is
        unit = Unit(module, path if os.path.isabs(self.main.path) else os.path.relpath(path))
        self.units[path] = unit
        sub = Interpreter(module, path)
        sub.main = sub.unit = unit
        sub.units = self.units
        try:
            sub.exec_block(module.body, sub.globals)
        except (_Return, _Stop, _Break, _Continue, _Budget, RecursionError):
            pass
        except Exception:  # an analysis bug in a helper module must not lose this file's run
            pass
        unit.globals = sub.globals
        return unit

    def alias_name(self, alias) -> str:
        if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
            return alias.asname.name.value
        return self.dotted(alias.name).split(".")[0]

    # ------------------------------------------------------------ statements
    def stmt_FunctionDef(self, node: cst.FunctionDef, env: Env) -> None:
        defaults = {}
        for param in (*node.params.posonly_params, *node.params.params, *node.params.kwonly_params):
            if param.default is not None:
                defaults[param.name.value] = self.eval(param.default, env)
        fn = FuncV(node=node, env=env, defaults=defaults, name=node.name.value, unit=self.unit)
        env.vars[node.name.value] = fn
        self.funcs.append(fn)

    def stmt_ClassDef(self, node: cst.ClassDef, env: Env) -> None:
        self.classes.define(node, env)

    def stmt_If(self, node: cst.If, env: Env) -> None:
        test = self.truth(self.eval(node.test, env))
        orelse = node.orelse
        if test is True:
            self.exec_body(node.body, env)
            return
        if test is False:
            if isinstance(orelse, cst.If):
                self.stmt_If(orelse, env)
            elif orelse is not None:
                self.exec_body(orelse.body, env)
            return
        if isinstance(orelse, cst.If):
            other = [orelse]
        elif orelse is not None:
            other = orelse.body.body
        else:
            other = []
        self.branches([node.body.body, other], env)

    def branches(self, blocks, env: Env) -> None:
        """Run blocks as alternatives (condition unknown) and join what they leave."""
        self.depth += 1
        results = []
        # Keras runs one branch: its automatic layer names (dense, dense_1) count only that
        # branch's layers. Each branch starts from the same counters; after the join they
        # are the largest of the branches', right whenever the branches make the same layers.
        before = dict(self.keras.counters)
        after: dict = {}
        try:
            for block in blocks:
                self.keras.counters = dict(before)
                benv = env.copy()
                ended = False
                try:
                    self.exec_block(block, benv)
                except _Return as r:
                    self.calls_returns().append(r.value)
                    ended = True
                except (_Break, _Continue):
                    self.uncertain_exit = True
                    ended = True
                except _Stop:
                    ended = True
                if not ended:
                    results.append(benv)
                for key, n in self.keras.counters.items():
                    after[key] = max(after.get(key, 0), n)
        finally:
            self.depth -= 1
            self.keras.counters = {**before, **after}
        if not results:
            raise _Stop()
        merged = results[0].vars
        for other in results[1:]:
            merged = self.join_vars(merged, other.vars)
        env.vars = merged

    def join_vars(self, a: dict, b: dict) -> dict:
        out = {}
        for name in a.keys() | b.keys():
            if name in a and name in b:
                out[name] = join(a[name], b[name])
            else:
                out[name] = a.get(name, b.get(name))
        return out

    def calls_returns(self) -> list:
        return self._returns[-1] if self._returns else []

    def stmt_For(self, node: cst.For, env: Env) -> None:
        iterable = self.eval(node.iter, env)
        items = seq_items(iterable)
        if items is None and _takes_one(node.iter):
            # for batch in ds.take(1): the first element, once (the usual peek at the data)
            items = [iterable.element if isinstance(iterable, DatasetV) and
                     iterable.element is not None else UNKNOWN]
        if items is not None and len(items) <= MAX_UNROLL:
            saved, self.uncertain_exit = self.uncertain_exit, False
            at_start = dict(env.vars)
            sizes = self.keras.sequential_sizes()
            try:
                self.unroll(node, items, env)
            finally:
                if self.uncertain_exit:
                    # a break/continue under a condition kerasshape cannot decide: the loop
                    # may have stopped after any pass
                    env.vars = self.join_vars(at_start, env.vars)
                    self.forget_loop_constants(node, env)
                    self.keras.taint_grown(sizes)
                self.uncertain_exit = saved
            return
        self.unknown_loop(node, env)

    def unroll(self, node: cst.For, items: list, env: Env) -> None:
        for i, item in enumerate(items):
            before = dict(env.vars) if i == 0 and len(items) > 2 else None
            events = self.keras.events
            self.assign(node.target, item, env, node.iter)
            try:
                self.exec_body(node.body, env)
            except _Continue:
                pass
            except _Break:
                return
            if before is not None and self.keras.events == events:
                # A loop whose first pass builds nothing (a training or data loop) is not
                # unrolled further: what it changes is joined with what was there before, and
                # the other passes are read as a loop of unknown length (a dict or list they
                # change in place is no longer certain).
                env.vars = self.join_vars(before, env.vars)
                self.forget_loop_constants(node, env)
                self.assign(node.target, UNKNOWN, env, node.iter)
                if len(items) > 1:
                    self.unknown_loop(node, env)
                return
        if node.orelse is not None:
            self.exec_body(node.orelse.body, env)

    def unknown_loop(self, node, env: Env) -> None:
        # The body may run any number of times: once, joined with not at all.
        self.depth += 1
        try:
            benv = env.copy()
            if isinstance(node, cst.For):
                self.assign(node.target, UNKNOWN, benv, node.iter)
            try:
                self.exec_body(node.body, benv)
            except (_Return, _Stop, _Break, _Continue):
                pass
        finally:
            self.depth -= 1
        env.vars = self.join_vars(env.vars, benv.vars)
        self.forget_loop_constants(node, env)

    def forget_loop_constants(self, node, env: Env) -> None:
        """After a loop run a number of times kerasshape does not follow, a constant the body
        assigns (a counter, an accumulator) may hold any value: it becomes unknown."""
        for name in self.assigned_names(node):
            if name in env.vars and is_const(env.vars[name]):
                env.vars[name] = UNKNOWN

    def assigned_names(self, node) -> frozenset:
        key = id(node)
        if key not in self._assigned:
            names: set = set()
            _bound_names(node.body.body if isinstance(node.body, cst.IndentedBlock) else [node.body], names)
            self._assigned[key] = frozenset(names)
        return self._assigned[key]

    def stmt_While(self, node: cst.While, env: Env) -> None:
        self.eval(node.test, env)
        self.unknown_loop(node, env)

    def stmt_Try(self, node, env: Env) -> None:
        try:
            self.exec_body(node.body, env)
        except (_Stop, _Break, _Continue):
            pass
        if node.handlers:
            self.depth += 1
            try:
                for handler in node.handlers:
                    henv = env.copy()
                    try:
                        self.exec_body(handler.body, henv)
                    except (_Return, _Stop, _Break, _Continue):
                        continue
                    env.vars = self.join_vars(env.vars, henv.vars)
            finally:
                self.depth -= 1
        if getattr(node, "orelse", None) is not None:
            self.exec_body(node.orelse.body, env)
        if getattr(node, "finalbody", None) is not None:
            self.exec_body(node.finalbody.body, env)

    stmt_TryStar = stmt_Try

    def stmt_With(self, node: cst.With, env: Env) -> None:
        for item in node.items:
            self.eval(item.item, env)
            if item.asname is not None:
                self.assign(item.asname.name, UNKNOWN, env, item.item)
        self.exec_body(node.body, env)

    def stmt_Match(self, node, env: Env) -> None:
        self.branches([case.body.body for case in node.cases] + [[]], env)

    # ------------------------------------------------------------ named sizes
    def size_name(self, name: str, value, node):
        """A value known only at run time, bound to a name, becomes the named size ``name``.

        ``num_classes = len(np.unique(y))`` then ``Dense(num_classes)`` gives
        ``(None, num_classes)``: exact, though its number is not known. Used as anything but
        a size it is as unknown as before. A name stands for one value: another value bound
        to it later (a second statement, or the same one on a loop's next pass) is another
        size, ``num_classes#2``, so two sizes of one name are the same size.
        """
        scalar = isinstance(value, Array) and value.shape == () and value.kind == "int"
        # a text written in place (x_train.shape[1]) takes the name; a dim read off a tensor
        # (units = x.shape[-1] giving e1 + e2 + 10) keeps its form, equal to the tensor's
        renamed = isinstance(value, Sym) and not value.name.isidentifier() and not value.from_shape
        if not (isinstance(value, Unknown) or scalar or renamed) or name.startswith("_") or \
                name == "self":
            return value
        if self.depth:
            return value
        if self.size_names.setdefault(name, node) is not node or id(node) in self._named_nodes:
            # another value of the name (a second binding, a loop's next pass): a size of
            # its own, never the same as the first (num_categories#2)
            count = self._rebound[name] = self._rebound.get(name, 1) + 1
            name = f"{name}#{count}"
        self._named_nodes.add(id(node))
        if scalar:   # np.max(y) + 1: still data, and the named size where one is wanted
            return Array((), "int", value.node, value.origin, value.vrange, size=name)
        return Sym(name, certain_int=renamed and value.certain_int)

    def length_name(self, text: str, obj):
        """The named length of one list: ``len(vocabulary)``; another list written the same
        way is ``len(vocabulary)#2``. None when the text is too long to name."""
        if len(text) > 40 or "\n" in text:
            return None
        seen = self._lengths.setdefault(text, [])
        version = getattr(obj, "mutations", 0)   # a list grown since is another length
        for i, (other, v) in enumerate(seen):
            if other is obj and v == version:
                break
        else:
            seen.append((obj, version))
            i = len(seen) - 1
        return text if i == 0 else f"{text}#{i + 1}"

    def inline_size(self, node, base, text: str | None = None):
        """``x.shape[1]`` or ``len(x)`` known only at run time, written in a size: its text.

        The same text names the same size while ``x`` is the same value (a named size, or
        data or a tensor whose dim is not known); for any other ``x`` (a list that may grow)
        only where the text is first written, once. Anything else stays unknown.
        """
        text = self.code(node) if text is None else text
        if len(text) > 40 or "\n" in text or self.depth:
            return UNKNOWN
        if isinstance(base, ListV) and base.uncertain and text.startswith("len("):
            # a list of a length known at run time: one name while it is the same list, not
            # grown since (a lookup layer's vocabulary names its length the same way)
            name = self.length_name(text, base)
            return UNKNOWN if name is None else Sym(name, certain_int=True)
        stable = isinstance(base, (Sym, Array, Tensor))
        seen = self.size_names.setdefault(text, (node, base if stable else None))
        if not isinstance(seen, tuple):
            return UNKNOWN
        if stable and seen[1] is base:
            return Sym(text, certain_int=True)
        if seen[1] is None and seen[0] is node and id(node) not in self._named_nodes:
            self._named_nodes.add(id(node))
            return Sym(text, certain_int=True)
        return UNKNOWN

    # ------------------------------------------------------------ assignment
    def assign(self, target, value, env: Env, value_node) -> None:
        if isinstance(target, cst.Name):
            env.vars[target.value] = value
            self.keras.named(target.value, value)
            if self.hovers is not None and self.unit is self.main:
                self.hovers.append((target, value))
        elif isinstance(target, (cst.Tuple, cst.List)):
            self.unpack(target, value, env, value_node)
        elif isinstance(target, cst.Subscript):
            container = self.eval(target.value, env)
            if isinstance(container, Array):
                container.values = None   # pool_sizes[0] = 3: the literal values are gone
            if isinstance(container, (DictV, ListV)):
                key = self.subscript_key(target, env)
                if isinstance(container, DictV) and is_const(key) and not self.depth > container.depth:
                    container.items[key] = value
                elif isinstance(container, ListV) and is_int(key) and not container.uncertain and \
                        not self.depth > container.depth and -len(container.items) <= key < len(container.items):
                    container.items[key] = value     # shape = list(input_shape); shape[-1] *= 2
                else:
                    container.uncertain = True
        elif isinstance(target, cst.Attribute):
            obj = self.eval(target.value, env)
            if isinstance(obj, InstanceV):
                self.classes.set_attr(obj, target.attr.value, value)

    def unpack(self, target, value, env: Env, value_node) -> None:
        names = [el.value for el in target.elements]
        starred = [i for i, n in enumerate(names) if isinstance(n, cst.StarredElement)]
        items = seq_items(value)
        if items is None and isinstance(value, ListV) and value.origin:
            items = value.items
        if isinstance(value, Tensor) and value.single and len(names) > 1:
            self.keras.unpack_tensor(target, value, len(names))
        if items is None or (not starred and len(items) != len(names)) or \
                (starred and len(items) < len(names) - 1):
            if items is not None and isinstance(value, ListV) and value.origin:
                self.keras.unpack_count(target, value, len(names))
            for n in names:
                target_ = n.value if isinstance(n, cst.StarredElement) else n
                value_ = self.size_name(target_.value, UNKNOWN, target_) if self.naming and \
                    isinstance(target_, cst.Name) and not isinstance(n, cst.StarredElement) else UNKNOWN
                self.assign(target_, value_, env, value_node)
            return
        if starred:
            i = starred[0]
            tail = len(names) - i - 1
            parts = items[:i] + [tuple(items[i:len(items) - tail])] + items[len(items) - tail:]
        else:
            parts = items
        for n, v in zip(names, parts):
            if isinstance(n, cst.Name) and self.naming:
                v = self.size_name(n.value, v, n)      # h, w = img.shape[:2]
            self.assign(n.value if isinstance(n, cst.StarredElement) else n, v, env, value_node)

    # ------------------------------------------------------------ expressions
    def eval(self, node, env: Env):
        method = getattr(self, "ev_" + type(node).__name__, None)
        if method is None:
            return UNKNOWN
        return method(node, env)

    def ev_Integer(self, node, env):
        try:
            return int(node.value.replace("_", ""), 0)
        except ValueError:
            return int(node.value.replace("_", "").lstrip("0") or "0")

    def ev_Float(self, node, env):
        try:
            return float(node.value.replace("_", ""))
        except ValueError:
            return UNKNOWN

    def ev_Imaginary(self, node, env):
        return UNKNOWN

    def ev_SimpleString(self, node, env):
        try:
            value = node.evaluated_value
        except Exception:
            return UNKNOWN
        return value if isinstance(value, str) else UNKNOWN

    ev_ConcatenatedString = ev_SimpleString

    def ev_Name(self, node, env):
        name = node.value
        if name == "True":
            return True
        if name == "False":
            return False
        if name == "None":
            return None
        value = env.get(name)
        if isinstance(value, Ref) and value.path.startswith("six.moves."):
            value = Ref("builtins." + value.path[10:])
        if value is _MISSING:
            if hasattr(builtins, name):
                return Ref("builtins." + name)
            return UNKNOWN
        return value

    def ev_Attribute(self, node, env):
        return self.attribute(self.eval(node.value, env), node.attr.value, node)

    def attribute(self, obj, attr: str, node):
        if isinstance(obj, (Array, DatasetV)):
            return self.data.attribute(obj, attr, node)
        if isinstance(obj, Ref):
            return _CONSTANTS.get(obj.path + "." + attr, Ref(obj.path + "." + attr))
        if isinstance(obj, Unit):
            if obj.globals is None:
                return UNKNOWN
            value = obj.globals.vars.get(attr, _MISSING)
            return value if value is not _MISSING else UNKNOWN
        if isinstance(obj, (Tensor, LayerV, SequentialV, ModelV)):
            return self.keras.attribute(obj, attr, node)
        if isinstance(obj, (InstanceV, ClassV, SuperV)):
            return self.classes.attribute(obj, attr, node)
        if isinstance(obj, tuple) and attr in ("rank", "ndims"):
            return len(obj)        # x.shape.rank: a TensorShape's rank
        if isinstance(obj, (ListV, DictV, tuple, str)):
            return BoundMethod(obj, attr)
        if isinstance(obj, (Sym, Unknown)) and attr == "reshape":
            return BoundMethod(obj, attr)
        return UNKNOWN

    def ev_Tuple(self, node, env):
        items = self.elements(node.elements, env)
        return tuple(items) if items is not None else UNKNOWN

    def elements(self, elements, env):
        out = []
        for el in elements:
            if isinstance(el, cst.StarredElement):
                items = seq_items(self.eval(el.value, env))
                if items is None:
                    return None
                out.extend(items)
            else:
                out.append(self.eval(el.value, env))
        return out

    def ev_List(self, node, env):
        items = self.elements(node.elements, env)
        if items is None:
            return ListV([], uncertain=True, depth=self.depth)
        return ListV(items, depth=self.depth, row=None if items else "empty")

    def ev_Set(self, node, env):
        return UNKNOWN

    def ev_Dict(self, node, env):
        out = {}
        for el in node.elements:
            if isinstance(el, cst.DictElement):
                key = self.eval(el.key, env)
                if not is_const(key):
                    return DictV({}, uncertain=True, depth=self.depth)
                out[key] = self.eval(el.value, env)
            else:
                other = self.eval(el.value, env)
                if not isinstance(other, DictV) or other.uncertain:
                    return DictV({}, uncertain=True, depth=self.depth)
                out.update(other.items)
        return DictV(out, depth=self.depth)

    def ev_ListComp(self, node, env):
        return self.comprehension(node, env)

    def comprehension(self, node, env):
        """[elt for x in <known> for y in <known> if <known>]; a dict comprehension gives a
        DictV. Anything not known (an iterable, a condition) makes the result uncertain."""
        is_dict = isinstance(node, cst.DictComp)
        out: list = []
        cenv = Env(env)

        def run(comp) -> bool:
            items = seq_items(self.eval(comp.iter, cenv))
            if items is None or len(items) > MAX_UNROLL:
                return False
            for item in items:
                self.assign(comp.target, item, cenv, comp.iter)
                keep = True
                for cond in comp.ifs:
                    truth = self.truth(self.eval(cond.test, cenv))
                    if truth is None:
                        return False
                    keep = keep and truth
                if not keep:
                    continue
                if comp.inner_for_in is not None:
                    if not run(comp.inner_for_in):
                        return False
                elif is_dict:
                    out.append((self.eval(node.key, cenv), self.eval(node.value, cenv)))
                else:
                    out.append(self.eval(node.elt, cenv))
                if len(out) > MAX_UNROLL:
                    return False
            return True

        ok = run(node.for_in)
        if is_dict:
            if not ok or not all(is_const(k) for k, _ in out):
                return DictV({}, uncertain=True, depth=self.depth)
            return DictV(dict(out), depth=self.depth)
        if not ok:
            # [str(folder / f) for f in os.listdir(folder)], [f"{d}/{f}" ...]: file names;
            # [float(v) for v in fields]: numbers, a row of a table
            number = _makes_number(node)
            return ListV([], uncertain=True, depth=self.depth, of_str=_makes_str(node),
                         row=((), number) if number else None)
        return ListV(out, depth=self.depth)

    ev_DictComp = comprehension

    def ev_GeneratorExp(self, node, env):
        value = self.comprehension(node, env)
        return tuple(value.items) if not value.uncertain else UNKNOWN

    def ev_Subscript(self, node, env):
        result = self.subscript(node, env)
        if isinstance(result, Unknown) and _shape_index(node):
            return self.inline_size(node, self.eval(node.value.value, env))
        if isinstance(result, tuple) and any(isinstance(d, Unknown) for d in result) and \
                _shape_slice(node) is not None:
            return self.inline_slice(node, result, env)
        return result

    def inline_slice(self, node, dims: tuple, env):
        """``x_train.shape[1:]`` of data whose rank is known and sizes are not: each unknown
        size is the named size ``x_train.shape[1]``, as if written one by one."""
        base = self.eval(node.value.value, env)
        shape = getattr(base, "shape", None) if isinstance(base, (Array, Tensor)) else None
        if not isinstance(shape, tuple):
            return dims
        picked = list(range(len(shape)))[_shape_slice(node)]
        if len(picked) != len(dims):
            return dims
        owner = self.code(node.value.value)
        return tuple(self.inline_size(node, base, f"{owner}.shape[{i}]") if isinstance(d, Unknown)
                     else d for i, d in zip(picked, dims))

    def subscript(self, node, env):
        value = self.eval(node.value, env)
        if isinstance(value, Array):
            picked = self.array_index(value, node, env)
            if picked is not None:
                return picked
            return self.data.getitem(value, self.tensor_key(node, env), node)
        if isinstance(value, Tensor):
            return self.keras.getitem(value, self.tensor_key(node, env), node)
        key = self.subscript_key(node, env)
        if key is _MISSING:
            return UNKNOWN
        if isinstance(value, DictV):
            if value.uncertain or not is_const(key):
                return UNKNOWN
            return value.items.get(key, UNKNOWN)
        if isinstance(value, ListV) and value.uncertain and value.of_str and isinstance(key, slice):
            return ListV([], uncertain=True, depth=self.depth, of_str=True)   # files[:300]
        if isinstance(value, ListV) and value.origin and isinstance(key, int):
            items = value.items
        else:
            items = seq_items(value)
        if items is None:
            return UNKNOWN
        if isinstance(key, bool) or not isinstance(key, (int, slice)):
            return UNKNOWN
        try:
            result = items[key]
        except (IndexError, ValueError, TypeError):
            return UNKNOWN
        if isinstance(key, slice):
            return tuple(result) if isinstance(value, tuple) else ListV(list(result), depth=self.depth)
        return result

    def array_index(self, arr: Array, node, env):
        """``x[idx]`` with an array of indices (a permutation) or a boolean mask: the rows
        picked, as many as the indices (a mask's count is not known)."""
        if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index) or \
                not isinstance(node.slice[0].slice.value, (cst.Name, cst.Attribute)) or \
                arr.shape is None or not arr.shape:
            return None
        idx = self.eval(node.slice[0].slice.value, env)
        if not isinstance(idx, Array) or idx.kind not in ("int", "bool") or \
                idx.shape is None or len(idx.shape) != 1:
            return None
        rows = idx.shape[0] if idx.kind == "int" else UNK
        return Array((rows, *arr.shape[1:]), arr.kind, arr.node or node, arr.origin)

    def subscript_key(self, node, env):
        if len(node.slice) != 1:
            return _MISSING
        sl = node.slice[0].slice
        if isinstance(sl, cst.Index):
            return self.eval(sl.value, env)
        if isinstance(sl, cst.Slice):
            parts = []
            for part in (sl.lower, sl.upper, sl.step):
                v = None if part is None else self.eval(part, env)
                if v is not None and not isinstance(v, int):
                    return _MISSING
                parts.append(v)
            return slice(*parts)
        return _MISSING

    def tensor_key(self, node, env):
        """The index of ``x[...]`` on a tensor as Python would pass it: one part, or a tuple
        of parts (int, slice, None, Ellipsis); UNK for a part that is not known statically."""
        parts = []
        for el in node.slice:
            sl = el.slice
            if isinstance(sl, cst.Slice):
                bounds = []
                for b in (sl.lower, sl.upper, sl.step):
                    v = None if b is None else self.eval(b, env)
                    bounds.append(v if v is None or (isinstance(v, int) and not isinstance(v, bool))
                                  else UNK)
                parts.append(slice(*bounds))
            elif isinstance(sl.value, cst.Ellipsis):
                parts.append(Ellipsis)
            else:
                v = self.eval(sl.value, env)
                if isinstance(v, Ref) and v.path.endswith(".newaxis"):  # tf.newaxis, np.newaxis
                    v = None
                parts.append(v if v is None or isinstance(v, (int, tuple)) else UNK)
        if len(parts) == 1 and not isinstance(node.slice[0].comma, cst.Comma):
            return parts[0]
        return tuple(parts)

    def ev_BinaryOperation(self, node, env):
        left = self.eval(node.left, env)
        right = self.eval(node.right, env)
        return self.binop(type(node.operator).__name__, left, right, node)

    def binop(self, op: str, left, right, node=None):
        if op in ("Multiply", "Add") and any(isinstance(v, (ListV, tuple, str)) for v in (left, right)) \
                and any(isinstance(v, Array) and v.shape == () for v in (left, right)):
            return UNKNOWN    # [0] * int(n) repeats a Python list: not NumPy arithmetic
        if isinstance(left, Array) or isinstance(right, Array):
            out = self.data.binop(op, left, right, node)
            if out is not None:
                return out
        if isinstance(left, Tensor) or isinstance(right, Tensor):
            if op == "MatrixMultiply":
                return self.keras.op_call("keras.ops.matmul", [left, right], {}, node,
                                          disp=self.code(node) if node is not None else "@")
            return self.keras.tensor_op([v for v in (left, right) if isinstance(v, Tensor)], node,
                                        broadcast=op in _ARITH, others=(left, right))
        if isinstance(left, Sym) or isinstance(right, Sym):
            return _sym_binop(op, left, right)
        if op == "Multiply" and (isinstance(left, ListV) and is_int(right) or
                                 is_int(left) and isinstance(right, ListV)):
            items, n = (left, right) if isinstance(left, ListV) else (right, left)
            if not items.uncertain and len(items.items) * max(n, 0) <= 10_000:
                return ListV(items.items * max(n, 0), depth=self.depth)   # [None] * nlayers
            return UNKNOWN
        if isinstance(left, ListV) and isinstance(right, ListV) and op == "Add":
            of_str = all(v.of_str or (not v.uncertain and all(isinstance(i, str) for i in v.items))
                         for v in (left, right))
            return ListV(left.items + right.items, uncertain=left.uncertain or right.uncertain,
                         depth=self.depth, of_str=of_str)
        if not (is_const(left) and is_const(right)):
            return UNKNOWN
        fn = _BINOPS.get(op)
        if fn is None:
            return UNKNOWN
        try:
            result = fn(left, right)
        except Exception:
            return UNKNOWN
        if isinstance(result, (str, tuple)) and len(result) > 10_000:
            return UNKNOWN
        if isinstance(result, int) and not isinstance(result, bool) and abs(result) > 1 << 64:
            return UNKNOWN
        return result

    def ev_UnaryOperation(self, node, env):
        value = self.eval(node.expression, env)
        op = type(node.operator).__name__
        if isinstance(value, Array) and op != "Not":
            return value
        if isinstance(value, Tensor):
            if op == "Not":  # bool() of a symbolic tensor raises in Keras; not a shape
                return UNKNOWN
            return self.keras.tensor_op([value], node, broadcast=True, others=(value,))
        if op == "Not":
            t = self.truth(value)
            return UNKNOWN if t is None else (not t)
        if isinstance(value, (int, float)) and not isinstance(value, bool) or isinstance(value, bool):
            try:
                return {"Minus": lambda v: -v, "Plus": lambda v: +v, "BitInvert": lambda v: ~v}[op](value)
            except Exception:
                return UNKNOWN
        return UNKNOWN

    def ev_BooleanOperation(self, node, env):
        left = self.eval(node.left, env)
        t = self.truth(left)
        if t is None:
            self.eval(node.right, env)
            return UNKNOWN
        is_and = isinstance(node.operator, cst.And)
        if is_and:
            return self.eval(node.right, env) if t else left
        return left if t else self.eval(node.right, env)

    def ev_Comparison(self, node, env):
        left = self.eval(node.left, env)
        result = True
        for i, target in enumerate(node.comparisons):
            right = self.eval(target.comparator, env)
            op = type(target.operator).__name__
            if i == 0 and len(node.comparisons) == 1 and op in _ELEMENTWISE and \
                    (isinstance(left, Array) or isinstance(right, Array)):
                out = self.data.binop(op, left, right, node)
                if out is not None:
                    out.kind, out.vrange = "bool", None
                    return out
            if i == 0 and len(node.comparisons) == 1 and op in _ELEMENTWISE and \
                    (isinstance(left, Tensor) or isinstance(right, Tensor)) and \
                    all(isinstance(v, (Tensor, int, float)) for v in (left, right)):
                # `x > 0` on tensors is elementwise (ops.greater): a tensor, broadcast; as an
                # `if` test its truth is not known (autograph decides at run time)
                out = self.keras.op_call("keras.ops.greater", [left, right], {}, node,
                                         disp=self.code(node))
                self.tensor_tests.add(id(out))
                return out
            if op in ("Is", "IsNot") and (left is None or right is None) and \
                    _surely_not_none_or_const(left) and _surely_not_none_or_const(right):
                ok = (left is right) if op == "Is" else (left is not right)
            elif op in ("In", "NotIn") and is_const(left) and _members(right) is not None:
                ok = (left in _members(right)) == (op == "In")   # name in NUMERIC_FEATURES
            elif is_const(left) and is_const(right) and op in _CMPS:
                try:
                    ok = _CMPS[op](left, right)
                except Exception:
                    return UNKNOWN
            else:
                return UNKNOWN
            result = result and ok
            left = right
        return bool(result)

    def ev_IfExp(self, node, env):
        t = self.truth(self.eval(node.test, env))
        if t is True:
            return self.eval(node.body, env)
        if t is False:
            return self.eval(node.orelse, env)
        return join(self.eval(node.body, env), self.eval(node.orelse, env))

    def ev_Lambda(self, node, env):
        defaults = {}
        for param in (*node.params.posonly_params, *node.params.params, *node.params.kwonly_params):
            if param.default is not None:
                defaults[param.name.value] = self.eval(param.default, env)
        return FuncV(node=node, env=env, defaults=defaults, name="<lambda>", unit=self.unit)

    def ev_NamedExpr(self, node, env):
        value = self.eval(node.value, env)
        self.assign(node.target, value, env, node.value)
        return value

    def ev_Call(self, node: cst.Call, env):
        func = self.eval(node.func, env)
        args, kwargs = [], {}
        for arg in node.args:
            value = self.eval(arg.value, env)
            if arg.star == "*":
                items = seq_items(value)
                if items is None:
                    return UNKNOWN
                args.extend(items)
            elif arg.star == "**":
                if not isinstance(value, DictV) or value.uncertain:
                    return UNKNOWN
                kwargs.update({k: v for k, v in value.items.items() if isinstance(k, str)})
            elif arg.keyword is not None:
                kwargs[arg.keyword.value] = value
            else:
                args.append(value)
        if isinstance(func, Ref) and func.path == "builtins.super" and not args:
            owner, obj = env.get("__class__"), env.get(" self")
            return SuperV(owner, obj) if isinstance(owner, ClassV) else UNKNOWN
        result = self.call(func, args, kwargs, node)
        if isinstance(result, Unknown) and isinstance(func, Ref) and func.path == "builtins.len" \
                and len(args) == 1 and not kwargs and len(node.args) == 1 and not node.args[0].star:
            return self.inline_size(node, args[0])     # len(lookup.get_vocabulary())
        return result

    def truth(self, value):
        """True/False when a value's truth is known statically, else None."""
        if is_const(value):
            return bool(value)
        if isinstance(value, Tensor) and id(value) in self.tensor_tests:
            return None
        if isinstance(value, (Tensor, LayerV, SequentialV, ModelV, FuncV, Ref, ClassV, InstanceV)):
            return True
        if isinstance(value, ListV) and not value.uncertain:
            return bool(value.items)
        return None

    # ------------------------------------------------------------ calls
    def call(self, func, args: list, kwargs: dict, node):
        if _may_write(func):
            for a in (*args, *kwargs.values()):
                if isinstance(a, Array) and a.values is not None:
                    a.values = None   # np.random.shuffle(a), a function that writes into it
        if isinstance(func, Ref):
            if func.path.startswith("builtins."):
                return self.builtin(func.path[9:], args, kwargs)
            if func.path.startswith("math."):
                return _math_call(func.path[5:], args, kwargs)
            if func.path == "functools.partial" and args:
                return PartialV(args[0], tuple(args[1:]), dict(kwargs))
            if func.path in _LOOKUP_TABLES:
                return Ref(func.path)    # the table: its .lookup(keys) keeps the keys' shape
            if func.path in _FILE_LISTS:
                # file names: a list of str of a length known only at run time
                return ListV([], uncertain=True, depth=self.depth, of_str=True)
            weights = self.weight_values(func.path, args, kwargs, node)
            if weights is not None:
                return weights
            out = self.data.call_ref(func.path, args, kwargs, node)
            if out is not NOT_DATA:
                return out
            return self.keras.call_ref(func, args, kwargs, node)
        if isinstance(func, PartialV):
            return self.call(func.func, [*func.args, *args], {**func.kwargs, **kwargs}, node)
        if isinstance(func, FuncV):
            return self.call_function(func, args, kwargs, node)
        if isinstance(func, (LayerV, SequentialV, ModelV)):
            return self.keras.call_object(func, args, kwargs, node)
        if isinstance(func, ClassV):
            return self.classes.instantiate(func, args, kwargs, node)
        if isinstance(func, InstanceV):
            return self.classes.method(BoundMethod(func, "__call__"), args, kwargs, node)
        if isinstance(func, BoundMethod):
            return self.method(func, args, kwargs, node)
        return self.opaque_call(args, kwargs, node)

    def weight_values(self, path: str, args, kwargs, node):
        """Weights made by hand in a custom layer's ``build``: an initializer object called
        on a shape (``keras.initializers.GlorotUniform()((d, units))``,
        ``tf.random_normal_initializer()(shape=...)``) gives values of that shape, and
        ``keras.Variable``/``backend.Variable`` holds them (or ``initializer=, shape=``).
        None for any other call."""
        from .keras_calls import shape_value
        from .resolve import canonical

        path = canonical(path)
        if path.endswith(_INITIALIZED):
            shape = shape_value(args[0] if args else kwargs.get("shape"))
            return Array(shape, "float", node, "initializer") if shape is not None else UNKNOWN
        made = path.startswith("keras.initializers.") and path.count(".") == 2 or \
            path.startswith("tensorflow.") and path.endswith("_initializer") and path.count(".") == 1
        if made:
            return Ref(path + _INITIALIZED)
        if path == "tensorflow.Variable":
            value = args[0] if args else kwargs.get("initial_value")
            if isinstance(value, FuncV):   # tf.Variable(initial_value=lambda: ...): its value
                value = self.call_function(value, [], {}, node)
                return Array(value.shape, value.kind, node, "Variable") \
                    if isinstance(value, Array) else UNKNOWN
            return None
        if path in ("keras.Variable", "keras.backend.Variable", "keras.variables.Variable"):
            value = args[0] if args else kwargs.get("initializer")
            shape = kwargs.get("shape", args[1] if len(args) > 1 else None)
            if isinstance(value, Array) and shape is None:
                return Array(value.shape, value.kind, node, "Variable")
            dims = shape_value(shape) if shape is not None else None
            return Array(dims, "float", node, "Variable") if dims is not None else UNKNOWN
        return None

    def opaque_call(self, args, kwargs, node):
        """A call kerasshape cannot follow (a custom layer, another library). Given tensors,
        it is taken to make a tensor of unknown shape from them: `show` still lists what led
        there, and nothing is checked downstream (its graph connections are unknown too)."""
        from .keras_calls import gather_tensors

        tensors = gather_tensors([*args, *kwargs.values()])
        if not tensors:
            return UNKNOWN
        return Tensor(None, origin="a call kerasshape does not follow", node=node, deps=None,
                      parents=tuple(tensors))

    def method(self, bm: BoundMethod, args, kwargs, node):
        obj, name = bm.obj, bm.name
        if isinstance(obj, (Array, DatasetV)):
            return self.data.method(obj, name, args, kwargs, node)
        if isinstance(obj, (InstanceV, SuperV)):
            return self.classes.method(bm, args, kwargs, node)
        if isinstance(obj, (SequentialV, ModelV, LayerV, Tensor)):
            return self.keras.method(obj, name, args, kwargs, node)
        if isinstance(obj, ListV):
            if name in ("append", "extend", "insert", "pop", "remove", "clear"):
                obj.mutations += 1
                obj.row = _grown_row(obj.row, args[0]) if name == "append" and len(args) == 1 \
                    else (obj.row if name in ("pop", "remove") else "mixed")
            if self.depth > obj.depth and name in ("append", "extend", "insert", "pop", "remove",
                                                   "clear", "reverse", "sort"):
                obj.uncertain = True
                return UNKNOWN
            if name == "append" and len(args) == 1:
                obj.items.append(args[0])
                return None
            if name == "extend" and len(args) == 1:
                items = seq_items(args[0])
                if items is None:
                    obj.uncertain = True
                else:
                    obj.items.extend(items)
                return None
            if name == "insert" and len(args) == 2 and isinstance(args[0], int):
                obj.items.insert(args[0], args[1])
                return None
            if name == "pop" and obj.items and not args:
                return obj.items.pop()
            if name in ("index", "count", "copy"):
                return UNKNOWN
            obj.uncertain = True
            return UNKNOWN
        if isinstance(obj, DictV):
            if name == "get" and args and is_const(args[0]) and not obj.uncertain:
                return obj.items.get(args[0], args[1] if len(args) > 1 else None)
            if name in ("keys", "values", "items") and not obj.uncertain:
                data = {"keys": list(obj.items.keys()), "values": list(obj.items.values()),
                        "items": [tuple(kv) for kv in obj.items.items()]}[name]
                return ListV(data, depth=self.depth)
            if name in ("update", "pop", "setdefault", "clear", "popitem"):
                obj.uncertain = True
            return UNKNOWN
        if isinstance(obj, (Sym, Unknown)) and name == "reshape":
            return self.reshape_unknown(args, kwargs, node)
        return UNKNOWN

    def reshape_unknown(self, args, kwargs, node):
        """``x.reshape((x.shape[0], x.shape[1], 1))`` on data kerasshape never saw (loaded
        from a file): whatever ``x`` held, the result has the shape asked for (a ``-1`` or a
        size not known stays unknown). Numpy and tf raise when the sizes do not fit."""
        from .keras_calls import dimval

        target = args[0] if len(args) == 1 else (tuple(args) if args else kwargs.get("shape"))
        if isinstance(target, ListV) and not target.uncertain:
            target = tuple(target.items)
        if is_int(target):
            target = (target,)
        if not isinstance(target, tuple) or not target:
            return UNKNOWN
        dims = tuple(UNK if d == -1 else d for d in (dimval(v) for v in target))
        if any(is_int(d) and d < 0 for d in dims):
            return UNKNOWN
        return Array(dims, None, node, self.code(node) if len(self.code(node)) <= 40 else "reshape")

    def builtin(self, name: str, args, kwargs):
        if name == "isinstance" and len(args) == 2 and not kwargs:
            return _isinstance(args[0], args[1])
        if name == "int" and len(args) == 1 and not kwargs:
            if isinstance(args[0], FracSym):
                return _frac_int(args[0])
            if isinstance(args[0], Sym) and args[0].certain_int:
                return args[0]
        if name in ("int", "float") and len(args) == 1 and isinstance(args[0], (Unknown, Sym)):
            # int(fields[-1]) of a value known at run time: a number, whatever it is (a
            # table's rows made of them have a rank); a name bound to it is a named size
            return Array((), name, None, f"{name}()")
        try:
            if name == "range" and args and all(isinstance(a, int) and not isinstance(a, bool) for a in args):
                r = range(*args)
                return r if len(r) <= 100_000 else UNKNOWN
            if name == "len" and len(args) == 1 and isinstance(args[0], Array):
                return args[0].shape[0] if args[0].shape and is_int(args[0].shape[0]) else UNKNOWN
            if name == "len" and len(args) == 1:
                items = seq_items(args[0])
                if items is not None:
                    return len(items)
                if isinstance(args[0], (str, DictV)) and not getattr(args[0], "uncertain", False):
                    return len(args[0]) if isinstance(args[0], str) else len(args[0].items)
                return UNKNOWN
            if name in ("int", "float", "bool", "abs", "round", "max", "min", "sum", "divmod", "pow") \
                    and all(is_const(a) for a in args) and all(is_const(v) for v in kwargs.values()):
                return getattr(builtins, name)(*args, **kwargs)
            if name in ("max", "min", "sum") and len(args) == 1:
                items = seq_items(args[0])
                if items is not None and all(is_const(i) for i in items):
                    return getattr(builtins, name)(items)
            if name in ("sorted", "list") and len(args) == 1 and isinstance(args[0], ListV) and \
                    args[0].uncertain and args[0].of_str:
                return ListV([], uncertain=True, depth=self.depth, of_str=True)
            if name == "sorted" and len(args) == 1 and not kwargs:
                items = seq_items(args[0])
                if items is not None and all(isinstance(i, (int, float, str)) for i in items) and \
                        len({type(i) is str for i in items}) <= 1:
                    return ListV(sorted(items), depth=self.depth)
                return ListV([], uncertain=True, depth=self.depth)
            if name in ("tuple", "list") and len(args) == 1:
                items = seq_items(args[0])
                if items is None:
                    return UNKNOWN if name == "tuple" else ListV([], uncertain=True, depth=self.depth)
                return tuple(items) if name == "tuple" else ListV(items, depth=self.depth)
            if name in ("tuple", "list") and not args:
                return () if name == "tuple" else ListV([], depth=self.depth)
            if name == "dict" and not args:
                return DictV(dict(kwargs), depth=self.depth)
            if name == "dict" and len(args) == 1:
                # dict([(layer.name, layer.output) for layer in model.layers])
                if isinstance(args[0], DictV):
                    return DictV({**args[0].items, **kwargs}, uncertain=args[0].uncertain,
                                 depth=self.depth)
                pairs = seq_items(args[0])
                if pairs is None or not all(isinstance(p, tuple) and len(p) == 2 and is_const(p[0])
                                            for p in pairs):
                    return DictV({}, uncertain=True, depth=self.depth)
                return DictV({**dict(pairs), **kwargs}, depth=self.depth)
            if name in ("zip", "enumerate", "reversed"):
                lists = [seq_items(a) for a in args]
                if any(x is None for x in lists) or not lists:
                    return UNKNOWN
                if name == "zip":
                    return ListV([tuple(t) for t in zip(*lists)], depth=self.depth)
                if name == "enumerate":
                    start = args[1] if len(args) > 1 and isinstance(args[1], int) else 0
                    return ListV(list(enumerate(lists[0], start)), depth=self.depth)
                return ListV(list(reversed(lists[0])), depth=self.depth)
        except Exception:
            return UNKNOWN
        return UNKNOWN

    def call_function(self, fn: FuncV, args, kwargs, node, symbolic: bool = False):
        fn.calls += 1
        if len(self.calls) >= MAX_DEPTH or sum(1 for f, _ in self.calls if f is fn) >= 2:
            return UNKNOWN
        params = fn.node.params
        fenv = Env(fn.env if not fn.is_method else fn.env.parent)
        positional = [*params.posonly_params, *params.params]
        rest = list(args)
        for i, param in enumerate(positional):
            pname = param.name.value
            if rest:
                value = rest.pop(0)
            elif pname in kwargs:
                value = kwargs.pop(pname)
            elif pname in fn.defaults and not (symbolic and fn.defaults[pname] is None):
                value = fn.defaults[pname]
            elif symbolic:
                # nobody called it: `None` defaults are usually placeholders callers fill in
                value = Sym(pname)
            else:
                value = UNKNOWN
            fenv.vars[pname] = value
        if isinstance(params.star_arg, cst.Param):
            fenv.vars[params.star_arg.name.value] = tuple(rest) if not symbolic else UNKNOWN
        for param in params.kwonly_params:
            pname = param.name.value
            if pname in kwargs:
                fenv.vars[pname] = kwargs.pop(pname)
            elif pname in fn.defaults and not (symbolic and fn.defaults[pname] is None):
                fenv.vars[pname] = fn.defaults[pname]
            else:
                fenv.vars[pname] = Sym(pname) if symbolic else UNKNOWN
        if params.star_kwarg is not None:
            fenv.vars[params.star_kwarg.name.value] = DictV(dict(kwargs), depth=self.depth) \
                if not symbolic else UNKNOWN
        if fn.owner is not None and positional:
            # what a zero-argument super() reads, like Python's __class__ cell
            fenv.vars["__class__"] = fn.owner
            fenv.vars[" self"] = fenv.vars.get(positional[0].name.value, UNKNOWN)
        self.calls.append((fn, None if symbolic else node))
        self._returns.append([])
        saved_depth, saved_unit = self.depth, self.unit
        self.unit = fn.unit or saved_unit
        try:
            if isinstance(fn.node, cst.Lambda):
                raise _Return(self.eval(fn.node.body, fenv))
            body = fn.node.body
            self.exec_body(body, fenv)
            result = None
        except _Return as r:
            result = r.value
        except (_Stop, _Break, _Continue):
            result = _MISSING
        finally:
            self.depth, self.unit = saved_depth, saved_unit
            self.calls.pop()
            returns = self._returns.pop()
        values = returns + ([] if result is _MISSING else [result])
        if not values:
            return UNKNOWN
        out = values[0]
        for v in values[1:]:
            out = join(out, v)
        return out


_INITIALIZED = ".<initializer object>"

_CONSTANTS = {f"{module}.{name}": value for module in ("math", "numpy")
              for name, value in (("pi", math.pi), ("e", math.e), ("tau", math.tau))}

_PY_TYPES = {"tuple": tuple, "list": ListV, "dict": DictV, "int": int, "float": float,
             "str": str, "bool": bool}


def _isinstance(value, kinds):
    """``isinstance(data, tuple)`` for the builtin types, when the value's kind is certain
    (a tensor or data is none of them); unknown otherwise."""
    kinds = kinds if isinstance(kinds, tuple) else (kinds,)
    if not kinds or not all(isinstance(k, Ref) and k.path[9:] in _PY_TYPES and
                            k.path.startswith("builtins.") for k in kinds):
        return UNKNOWN
    types = tuple(_PY_TYPES[k.path[9:]] for k in kinds)
    if isinstance(value, (Tensor, Array, LayerV, ModelV, SequentialV)):
        return False
    if isinstance(value, bool):
        return bool in types or int in types
    if isinstance(value, (tuple, ListV, DictV, int, float, str)) and value is not None:
        return isinstance(value, types)
    return UNKNOWN


def _members(container):
    """The items of a list/dict whose items are all known constants, else None."""
    if isinstance(container, ListV) and not container.uncertain and \
            all(is_const(v) for v in container.items):
        return container.items
    if isinstance(container, DictV) and not container.uncertain:
        return list(container.items)
    return None


def _shape_index(node) -> bool:
    """``x.shape[1]``, ``x.shape[-1]``: one int index into a ``.shape``."""
    if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
        return False
    index = node.slice[0].slice.value
    if isinstance(index, cst.UnaryOperation) and isinstance(index.operator, cst.Minus):
        index = index.expression
    return isinstance(index, cst.Integer) and isinstance(node.value, cst.Attribute) and \
        node.value.attr.value == "shape" and \
        isinstance(node.value.value, (cst.Name, cst.Attribute, cst.Subscript))


def _shape_slice(node) -> slice | None:
    """``x.shape[1:]``, ``x.shape[:-1]``: a slice of constant ints into a ``.shape``."""
    if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Slice) or \
            not isinstance(node.value, cst.Attribute) or node.value.attr.value != "shape" or \
            not isinstance(node.value.value, (cst.Name, cst.Attribute)):
        return None
    sl = node.slice[0].slice
    bounds = []
    for part in (sl.lower, sl.upper, sl.step):
        if part is None:
            bounds.append(None)
            continue
        neg = isinstance(part, cst.UnaryOperation) and isinstance(part.operator, cst.Minus)
        value = part.expression if neg else part
        if not isinstance(value, cst.Integer):
            return None
        bounds.append(-int(value.value) if neg else int(value.value))
    return slice(*bounds)


_SYM_OPS = {"Add": add, "Subtract": sub, "Multiply": mul, "FloorDivide": floordiv}
_LOOKUP_TABLES = frozenset({"tensorflow.lookup.StaticHashTable", "tensorflow.lookup.StaticVocabularyTable",
                            "tensorflow.lookup.experimental.DenseHashTable",
                            "tensorflow.lookup.experimental.MutableHashTable"})
_FILE_LISTS = frozenset({"glob.glob", "glob.iglob", "os.listdir", "tensorflow.io.gfile.glob",
                         "tensorflow.io.gfile.listdir"})


def _sym_binop(op: str, left, right):
    """Arithmetic on named sizes: ``maxlen + 1`` is the named size ``maxlen + 1``."""
    frac = _sym_fraction(op, left, right)
    if frac is not None:
        return frac
    fn = _SYM_OPS.get(op)
    dims = [v.name if isinstance(v, Sym) else v for v in (left, right)]
    if fn is None or not all(isinstance(d, str) or is_int(d) for d in dims):
        return UNKNOWN
    out = fn(*dims)
    if is_int(out):
        return out
    certain = all(v.certain_int if isinstance(v, Sym) else is_int(v) for v in (left, right))
    return Sym(out, certain_int=certain) if isinstance(out, str) else UNKNOWN


def _sym_fraction(op: str, left, right):
    """``n / 4`` and ``n * 0.5`` of a size n surely an int: a FracSym, exact (a binary
    fraction, or a true division by an int), whose ``int()`` is a size again."""
    if op == "Divide" and isinstance(left, Sym) and left.certain_int and is_int(right) and right > 0:
        return FracSym(left.name, right)
    if op != "Multiply":
        return None
    sym, f = (left, right) if isinstance(left, Sym) else (right, left)
    if not (isinstance(sym, Sym) and sym.certain_int and isinstance(f, float) and f >= 0):
        return None
    num, den = f.as_integer_ratio()
    if den > 1024 or num > 1 << 20:
        return None
    out = mul(sym.name, num)
    return FracSym(out, den) if isinstance(out, str) else None


def _frac_int(value):
    """``int(x)`` or ``math.floor(x)`` of a FracSym: the size ``dim // den``."""
    out = floordiv(value.dim, value.den) if value.den > 1 else value.dim
    if is_int(out):
        return out
    return Sym(out, certain_int=True) if isinstance(out, str) else UNKNOWN


_MATH = frozenset({"sqrt", "floor", "ceil", "log", "log2", "log10", "exp", "pow", "gcd", "prod",
                   "isqrt", "fabs", "trunc", "comb", "factorial", "hypot", "sin", "cos", "tan"})


def _grown_row(row, item):
    """The shape every item of a list grown by append has, after appending ``item``: the
    rows of a table read line by line (``rows.append([float(v) for v in fields])``)."""
    from .data import Ragged, literal_shape

    if row is None or row == "mixed":
        return row
    try:
        found = literal_shape(item)
    except Ragged:
        return "mixed"
    if found is None or found[0] is None:
        return "mixed"
    shape, kind = found
    if row == "empty":
        return (shape, kind)
    old, old_kind = row
    if len(old) != len(shape) or any(is_int(a) and is_int(b) and a != b for a, b in zip(old, shape)):
        return "mixed"
    merged = tuple(a if a == b else UNK for a, b in zip(old, shape))
    return (merged, old_kind if old_kind == kind else None)


def _surely_not_none_or_const(v) -> bool:
    """A value whose ``is None`` is known: a constant (None included), or a value that is
    surely an object (a layer class given as norm_layer=layers.LayerNormalization)."""
    if isinstance(v, Ref):
        return not v.path.endswith("newaxis")     # np.newaxis is None
    return is_const(v) or isinstance(v, (Tensor, LayerV, SequentialV, ModelV, InstanceV, FuncV,
                                         ClassV, PartialV, ListV, DictV, Array, DatasetV,
                                         BoundMethod, tuple))


def _takes_one(node) -> bool:
    """``something.take(1)``: an iterable of one element at most."""
    return isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and \
        node.func.attr.value == "take" and len(node.args) == 1 and \
        isinstance(node.args[0].value, cst.Integer) and node.args[0].value.value == "1"


def _makes_number(node) -> str | None:
    """A list comprehension whose item is ``float(...)`` or ``int(...)``: its kind."""
    elt = getattr(node, "elt", None)
    if isinstance(elt, cst.Call) and isinstance(elt.func, cst.Name) and \
            elt.func.value in ("float", "int") and len(elt.args) == 1:
        return elt.func.value
    return None


def _makes_str(node) -> bool:
    """A list comprehension whose item is surely a str: ``str(...)``, an f-string,
    ``os.path.join(...)``."""
    elt = getattr(node, "elt", None)
    if isinstance(elt, cst.FormattedString):
        return True
    if isinstance(elt, cst.Call):
        func = elt.func
        if isinstance(func, cst.Name) and func.value == "str":
            return True
        if isinstance(func, cst.Attribute) and func.attr.value == "join" and \
                isinstance(func.value, cst.Attribute) and func.value.attr.value == "path":
            return True
    return False


_IN_PLACE = frozenset({"numpy.random.shuffle", "numpy.put", "numpy.copyto", "numpy.place",
                       "numpy.fill_diagonal", "numpy.put_along_axis", "numpy.putmask",
                       "numpy.random.Generator.shuffle"})


def _may_write(func) -> bool:
    """A call that may change an array given to it: the user's own functions, numpy's
    in-place functions, anything outside numpy, Keras and TensorFlow."""
    if not isinstance(func, Ref):
        return True
    head = func.path.split(".", 1)[0]
    return func.path in _IN_PLACE or func.path.endswith(".shuffle") or \
        head not in ("numpy", "keras", "tensorflow", "tf_keras", "keras_core", "math", "builtins")


def _math_call(name: str, args, kwargs):
    """``math.sqrt(64)`` of constants; ``math.floor(n / 2)`` of a size is ``n // 2``."""
    if name in ("floor", "trunc") and len(args) == 1 and isinstance(args[0], FracSym):
        return _frac_int(args[0])
    if name not in _MATH or kwargs or not args or not all(is_const(a) for a in args):
        return UNKNOWN
    if name == "factorial" and not (is_int(args[0]) and 0 <= args[0] <= 100):
        return UNKNOWN
    try:
        return getattr(math, name)(*args)
    except (ValueError, TypeError, OverflowError, ZeroDivisionError):
        return UNKNOWN


def _bound_names(body, names: set) -> None:
    """Names the statements of a block bind, nested blocks included. Only statements are
    walked (fast: no visit of every expression node); a walrus inside an expression is not
    seen, nor are names bound by nested functions and classes (their own scope)."""
    for stmt in body:
        if isinstance(stmt, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
            for small in stmt.body:
                if isinstance(small, cst.Assign):
                    for target in small.targets:
                        _target_names(target.target, names)
                elif isinstance(small, (cst.AugAssign, cst.AnnAssign)):
                    _target_names(small.target, names)
                elif isinstance(small, (cst.Import, cst.ImportFrom)) and \
                        not isinstance(small.names, cst.ImportStar):
                    for alias in small.names:
                        node = alias.asname.name if alias.asname is not None else alias.name
                        while isinstance(node, cst.Attribute):
                            node = node.value
                        _target_names(node, names)
            continue
        if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
            names.add(stmt.name.value)
            continue
        if isinstance(stmt, cst.For):
            _target_names(stmt.target, names)
        elif isinstance(stmt, cst.With):
            for item in stmt.items:
                if item.asname is not None:
                    _target_names(item.asname.name, names)
        blocks = [getattr(stmt, part, None) for part in ("body", "orelse", "finalbody")]
        blocks += [h.body for h in getattr(stmt, "handlers", ())]
        blocks += [c.body for c in getattr(stmt, "cases", ())]
        for block in blocks:
            if isinstance(block, (cst.Else, cst.Finally)):
                block = block.body
            if isinstance(block, cst.If):
                _bound_names([block], names)
            elif isinstance(block, cst.IndentedBlock):
                _bound_names(block.body, names)
            elif isinstance(block, cst.SimpleStatementSuite):
                _bound_names([block], names)


def _target_names(target, names: set) -> None:
    if isinstance(target, cst.Name):
        names.add(target.value)
    elif isinstance(target, (cst.Tuple, cst.List)):
        for el in target.elements:
            _target_names(el.value, names)
    elif isinstance(target, cst.StarredElement):
        _target_names(target.value, names)


_ELEMENTWISE = {"LessThan", "GreaterThan", "LessThanEqual", "GreaterThanEqual", "Equal", "NotEqual"}
_ARITH = {"Add", "Subtract", "Multiply", "Divide", "FloorDivide", "Modulo", "Power", "MatrixMultiply"}

_BINOPS = {
    "Add": lambda a, b: a + b,
    "Subtract": lambda a, b: a - b,
    "Multiply": lambda a, b: a * b,
    "Divide": lambda a, b: a / b,
    "FloorDivide": lambda a, b: a // b,
    "Modulo": lambda a, b: a % b if not isinstance(a, str) else _no(),
    "Power": lambda a, b: a ** b if abs(b) < 256 else _no(),
    "LeftShift": lambda a, b: a << b if b < 64 else _no(),
    "RightShift": lambda a, b: a >> b,
    "BitAnd": lambda a, b: a & b,
    "BitOr": lambda a, b: a | b,
    "BitXor": lambda a, b: a ^ b,
}

_CMPS = {
    "Equal": lambda a, b: a == b,
    "NotEqual": lambda a, b: a != b,
    "LessThan": lambda a, b: a < b,
    "LessThanEqual": lambda a, b: a <= b,
    "GreaterThan": lambda a, b: a > b,
    "GreaterThanEqual": lambda a, b: a >= b,
    "In": lambda a, b: a in b,
    "NotIn": lambda a, b: a not in b,
}


def _no():
    raise ValueError


# ---------------------------------------------------------------- entry points

def decode(data: bytes) -> str:
    """Decode Python source as Python does (BOM, PEP 263 coding cookie, else UTF-8)."""
    encoding, _ = tokenize.detect_encoding(BytesIO(data).readline)
    text = data.decode(encoding)
    if text.startswith("\ufeff"):
        text = text[1:]
    return text


def analyze_file(path: str, models: bool = True) -> Analysis:
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        return Analysis(path, [Diagnostic(path, 1, 0, "KS002", f"cannot read file: {exc.strerror or exc}")])
    return analyze_source(data, path, models=models)


def analyze_source(source, path: str = "<string>", force: bool = False, models: bool = True,
                   hovers: bool = False) -> Analysis:
    """Analyse one module. A file that never mentions keras is skipped before parsing
    (nothing in it can build a Keras model) unless ``force`` is given. ``models=False``
    leaves out the model summaries (lint needs only the diagnostics; summaries need every
    layer's source position, which costs a walk of the whole tree). ``hovers=True`` fills
    ``Analysis.hovers`` with the shape of every name an assignment binds to a tensor, layer
    or model (what the language server shows on hover)."""
    if isinstance(source, bytes):
        if not force and b"keras" not in source:
            return Analysis(path, skipped=True)
        try:
            text = decode(source)
        except (SyntaxError, UnicodeDecodeError, LookupError) as exc:
            return Analysis(path, [Diagnostic(path, 1, 0, "KS002", f"cannot decode file: {exc}")])
    else:
        text = source
        if not force and "keras" not in text:
            return Analysis(path, skipped=True)
    try:
        module = cst.parse_module(text)
    except cst.ParserSyntaxError as exc:
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else "invalid syntax"
        return Analysis(path, [Diagnostic(path, max(exc.raw_line, 1), max(exc.raw_column, 0), "KS001",
                                          f"syntax error: {message}")])
    except Exception as exc:  # libcst can fail on exotic input; never a traceback
        return Analysis(path, [Diagnostic(path, 1, 0, "KS001", f"syntax error: {type(exc).__name__}: {exc}")])
    interp = Interpreter(module, path)
    if hovers:
        interp.hovers = []
    try:
        interp.run()
    except _Budget:
        pass
    except RecursionError:
        interp.diagnostics.append(Diagnostic(path, 1, 0, "KS000",
                                             "internal error: code nested too deeply to analyse"))
    except Exception as exc:  # an analysis bug must not lose the run
        interp.diagnostics.append(Diagnostic(path, 1, 0, "KS000",
                                             f"internal error: {type(exc).__name__}: {exc}"))
    lines = {path: text.splitlines()}
    seen = set()
    diagnostics = []
    for d in sorted(interp.diagnostics, key=lambda d: (d.path != path, d.path, d.line, d.col, d.code,
                                                       d.message)):
        key = (d.path, d.line, d.col, d.code)
        if d.path not in lines:  # in a helper module: its own noqa comments apply
            unit = interp.units.get(os.path.abspath(d.path))
            lines[d.path] = unit.module.code.splitlines() if unit is not None else []
        if key in seen or suppressed(d, lines[d.path]):
            continue
        seen.add(key)
        diagnostics.append(d)
    summaries = []
    try:
        if models:
            summaries = interp.keras.summaries()
    except Exception as exc:
        diagnostics.append(Diagnostic(path, 1, 0, "KS000", f"internal error: {type(exc).__name__}: {exc}"))
    analysis = Analysis(path, diagnostics, summaries)
    if interp.hovers:
        from .hovers import hover_entries

        analysis.hovers = hover_entries(interp, interp.hovers)
    return analysis


__all__ = ["analyze_source", "analyze_file", "Interpreter", "Unknown", "decode"]
