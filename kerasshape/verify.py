"""`kerasshape verify`: build the file's models with real Keras and compare the shapes.

The checked files run in a child process (``_verify_child``, sandboxed by
``_verify_sandbox``): this module never imports Keras, TensorFlow or the checked code.
All files run in one child, one after the other; the time limit applies to each file,
and a file that hangs or kills the process is reported and the rest run in a new child.

Static models are matched to Keras's by the statement that builds them, layers by their
Keras name. Each compared shape is ``agree`` (the sizes kerasshape knows are Keras's),
``differ``, or ``unknown`` (kerasshape had no answer, or Keras built nothing there). An
error kerasshape reports counts as ``agree`` when Keras raises in the same statement,
``differ`` when the statement ran and Keras did not raise; a Keras error where kerasshape
said nothing is a missed bug, also ``differ``.
"""

from __future__ import annotations

import ast
import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field

from .diagnostics import CODES, noqa_codes

DEFAULT_TIMEOUT = 60.0
IMPORT_ALLOWANCE = 180.0   # importing Keras and its backend, on top of the first file's limit
BACKENDS = ("tensorflow", "jax", "torch")
NOT_RUN = {   # error kinds that mean the file could not be verified, in the user's words
    "import": "needs a module that is not installed",
    "data": "needs a data file that is not there",
    "download": "needs a download",
    "network": "needs network access",
    "blocked": "did something verify does not do",
    "timeout": "did not finish within the time limit",
    "crash": "ended the Python process",
    "exit": "called sys.exit",
    "file": "raised an error outside Keras",
    "backend": "uses TensorFlow operations, which need the tensorflow backend",
}


# ------------------------------------------------------------------ results

@dataclass
class Row:
    model: str
    name: str
    cls: str
    line: int | None
    static: object        # a JSON shape (list), a list of them, or None
    keras: object
    status: str           # agree | differ | unknown
    static_text: str = ""
    note: str = ""

    def to_dict(self) -> dict:
        return {"layer": self.name, "class": self.cls, "line": self.line, "static": self.static,
                "keras": self.keras, "status": self.status, "note": self.note or None}


@dataclass
class ErrorCheck:
    """A static error diagnostic, or a Keras error, and what the other side did."""
    line: int | None
    code: str | None      # the kerasshape code, None for an error only Keras raised
    message: str
    keras: str | None     # "ValueError: ..." where Keras raised
    status: str           # agree | differ | unknown
    verdict: str          # confirmed | silenced | not raised | not reached | missed bug

    def to_dict(self) -> dict:
        return {"line": self.line, "code": self.code, "message": self.message,
                "keras_error": self.keras, "status": self.status, "verdict": self.verdict}


@dataclass
class FileReport:
    path: str
    models: list = field(default_factory=list)    # (title dict, [Row])
    errors: list = field(default_factory=list)    # ErrorCheck
    problem: str | None = None    # why the file could not be (fully) run
    not_verified: bool = False    # nothing of it could be checked
    seconds: float | None = None

    def rows(self) -> list:
        return [r for _, rows in self.models for r in rows]

    def counts(self) -> dict:
        out = {"agree": 0, "differ": 0, "unknown": 0}
        for item in [*self.rows(), *self.errors]:
            out[item.status] += 1
        return out

    def to_dict(self) -> dict:
        return {"path": self.path, **self.counts(), "problem": self.problem,
                "verified": not self.not_verified, "seconds": self.seconds,
                "models": [{**title, "layers": [r.to_dict() for r in rows]} for title, rows in self.models],
                "errors": [e.to_dict() for e in self.errors]}


@dataclass
class Report:
    device: dict
    timeout: float
    files: list = field(default_factory=list)
    setup_error: str | None = None

    def counts(self) -> dict:
        out = {"agree": 0, "differ": 0, "unknown": 0}
        for f in self.files:
            for k, v in f.counts().items():
                out[k] += v
        return out

    def exit_code(self) -> int:
        if self.counts()["differ"]:
            return 1
        if self.setup_error or any(f.not_verified for f in self.files):
            return 2
        return 0

    def to_dict(self) -> dict:
        return {"device": self.device, "timeout": self.timeout, "setup_error": self.setup_error,
                **self.counts(), "files": [f.to_dict() for f in self.files]}


# ------------------------------------------------------------------ comparing shapes

def _nested(shape) -> bool:
    return isinstance(shape, list) and any(isinstance(d, list) for d in shape)


def compare_shapes(ours, theirs, names: dict | None = None) -> str:
    """agree / differ / unknown, comparing the sizes kerasshape knows: ints exactly, and
    named sizes (``maxlen``, ``maxlen // 2 - 1``) through ``names``, the value Keras gave
    each name where kerasshape first showed it alone (learned here as the rows go by)."""
    if ours is None or theirs is None:
        return "unknown"
    if _nested(ours) or _nested(theirs):
        if not (_nested(ours) and _nested(theirs)) or len(ours) != len(theirs):
            return "differ"
        parts = [compare_shapes(a, b, names) for a, b in zip(ours, theirs)]
        if "differ" in parts:
            return "differ"
        return "agree" if "agree" in parts else "unknown"
    if len(ours) != len(theirs):
        return "differ"
    for a, b in zip(ours, theirs):
        if isinstance(a, int) and not isinstance(a, bool) and a != b:
            return "differ"
        if isinstance(a, str) and names is not None and isinstance(b, int) and not isinstance(b, bool):
            value = named_value(a, names)
            if value is None and not _is_expression(a):
                names[a] = b
            elif value is not None and value != b:
                return "differ"
    return "agree"


_OPS = (" + ", " - ", " * ", " // ")


def _is_expression(dim: str) -> bool:
    return dim.startswith("-") or any(op in dim for op in _OPS)


def named_value(dim: str, names: dict):
    """A named size's value given the names' values (``maxlen // 2 - 1`` with maxlen = 6:
    2), or None when a name in it has no value yet."""
    if dim in names:
        return names[dim]
    if not _is_expression(dim):
        return None
    text = dim
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, f"({names[name]})")
    if not set(text) <= set("0123456789+-*/() "):
        return None
    try:
        return eval(text, {"__builtins__": {}})  # noqa: S307 - digits and + - * // ( ) only
    except (SyntaxError, ZeroDivisionError):
        return None


def _json_shape(shape):
    from .shapes import to_json

    if isinstance(shape, list):
        return [_json_shape(s) for s in shape]
    return to_json(shape)


def fmt_keras(shape) -> str:
    if shape is None:
        return "-"
    if _nested(shape) or (isinstance(shape, list) and not shape):
        return "[" + ", ".join(fmt_keras(s) for s in shape) + "]"
    inner = ", ".join("None" if d is None else str(d) for d in shape)
    return f"({inner},)" if len(shape) == 1 else f"({inner})"


# ------------------------------------------------------------------ statements of a file

class Source:
    def __init__(self, path: str):
        self.path = path
        try:
            with open(path, "rb") as fh:
                text = fh.read().decode("utf-8", errors="replace")
            tree = ast.parse(text)
            self.spans = [(n.lineno, n.end_lineno or n.lineno) for n in ast.walk(tree)
                          if isinstance(n, ast.stmt)]
        except (OSError, SyntaxError, ValueError):
            text, self.spans = "", []
        self.lines = text.splitlines()

    def statement(self, line: int) -> tuple[int, int]:
        spans = [s for s in self.spans if s[0] <= line <= s[1]]
        return min(spans, key=lambda s: s[1] - s[0]) if spans else (line, line)

    def same_statement(self, a: int, b: int) -> bool:
        first, last = self.statement(a)
        return first <= b <= last

    def silenced(self, line: int) -> bool:
        """A `# noqa` for kerasshape codes somewhere in the statement of ``line``."""
        first, last = self.statement(line)
        for text in self.lines[first - 1:last]:
            codes = noqa_codes(text)
            if codes is not None and (not codes or any(c.startswith("KS") for c in codes)):
                return True
        return False


# ------------------------------------------------------------------ one file

def _match_model(src: Source, ours, recorded: list, used: set):
    first, last = src.statement(ours.line)
    candidates = [i for i, m in enumerate(recorded) if first <= m["line"] <= last and i not in used]
    if not candidates:
        return None
    best = min(candidates, key=lambda i: (abs(recorded[i]["line"] - ours.line), i))
    used.add(best)
    return recorded[best]


def _layer_rows(model_name: str, ours, theirs, called: dict, ran: bool, stopped: bool,
                lines_run: set | None, names: dict | None = None) -> list:
    from .summary import format_shape

    rows = []
    for layer in ours.layers:
        static = _json_shape(layer.output_shape)
        note = ""
        if ran and lines_run is not None and layer.line not in lines_run:
            # a branch the run did not take: a layer of this name in Keras is another one
            rows.append(Row(model_name, layer.name, layer.cls, layer.line, static, None, "unknown",
                            format_shape(layer.output_shape),
                            "Keras raised first" if stopped else "its line did not run"))
            continue
        if theirs is not None and layer.name in theirs["layers"]:
            keras = theirs["layers"][layer.name]
        else:
            keras = called.get(layer.name)
            if keras is None:
                note = ("the file did not run" if not ran else
                        "Keras raised first" if stopped else "Keras built no layer of this name")
        status = compare_shapes(static, keras, names)
        if static is None and keras is not None:
            note = layer.why_unknown or "kerasshape could not infer it"
        rows.append(Row(model_name, layer.name, layer.cls, layer.line, static, keras, status,
                        format_shape(layer.output_shape), note))
    return rows


def _output_row(ours, theirs, names: dict | None = None) -> Row | None:
    from .summary import format_shape

    static = [_json_shape(s) for s in ours.outputs]
    keras = theirs["outputs"] if theirs is not None else None
    if not static and keras is None:
        return None
    if static and len(static) == 1 and keras is not None and len(keras) == 1:
        static_one, keras_one = static[0], keras[0]
    else:
        static_one, keras_one = (static or None), keras
    text = ", ".join(format_shape(s) for s in ours.outputs) if ours.outputs else "unknown"
    status = compare_shapes(static_one, keras_one, names)
    return Row(ours.name, "(outputs)", "", ours.line, static_one, keras_one, status, text,
               "" if theirs is not None else "Keras built no model here")


def compare_file(path: str, analysis, result: dict | None, problem: str | None = None) -> FileReport:
    src = Source(path)
    report = FileReport(path, problem=problem)
    result = result or {"models": [], "called": {}, "error": None, "executed": []}
    report.seconds = result.get("seconds")
    recorded, called = result.get("models", []), result.get("called", {})
    executed = set(result.get("executed", []))
    ran = bool(executed) or bool(recorded)
    # lines that ran in the file or the modules next to it; None: not traced
    lines_run = executed | set(result.get("executed_near", [])) if "executed" in result else None
    names: dict = {}   # named size -> the value Keras gave it
    for final in (False, True):   # learn the names' values first, then compare every row
        used: set = set()
        for ours in analysis.models:
            theirs = _match_model(src, ours, recorded, used)
            rows = _layer_rows(ours.name, ours, theirs, called, ran, bool(result.get("error")),
                               lines_run, names)
            out = _output_row(ours, theirs, names)
            if out is not None:
                rows.append(out)
            title = {"name": ours.name, "line": ours.line, "kind": ours.kind,
                     "keras": theirs["name"] if theirs else None}
            if final:
                report.models.append((title, rows))
    for i, theirs in enumerate(recorded):
        if i in used:
            continue
        rows = [Row(theirs["name"], name, "", None, None, shape, "unknown", "unknown",
                    "kerasshape found no model here")
                for name, shape in theirs["layers"].items()]
        report.models.append(({"name": theirs["name"], "line": theirs["line"], "kind": theirs["class"],
                               "keras": theirs["name"], "static": False}, rows))
    report.errors = _check_errors(src, analysis, result.get("error"), executed)
    return report


def _diag_line(path: str, d) -> int | None:
    """The line of the checked file a diagnostic stands for (the call into a helper module)."""
    if os.path.abspath(d.path) == os.path.abspath(path):
        return d.line
    return d.call_site[0] if d.call_site else None


def _check_errors(src: Source, analysis, error: dict | None, executed: set) -> list:
    checks = []
    keras_lines = (error or {}).get("lines") or []
    keras_text = f"{error['type']}: {error['message']}" if error else None
    explained = False
    for d in analysis.diagnostics:
        if d.code in ("KS000", "KS001", "KS002"):
            continue
        line = _diag_line(src.path, d)
        raised_here = line is not None and any(src.same_statement(line, k) or src.same_statement(k, line)
                                               for k in keras_lines)
        if raised_here:
            explained = True
            checks.append(ErrorCheck(line, d.code, d.message, keras_text, "agree", "confirmed"))
            continue
        if CODES.get(d.code) is not None and CODES[d.code].severity != "error":
            continue   # a warning: Keras accepts it by definition
        first, last = src.statement(line) if line else (0, -1)
        if line is not None and any(first <= n <= last for n in executed):
            checks.append(ErrorCheck(line, d.code, d.message, None, "differ", "not raised"))
        else:
            checks.append(ErrorCheck(line, d.code, d.message, None, "unknown", "not reached"))
    if error and not explained:
        line = error.get("line")
        if line is not None and src.silenced(line):
            checks.append(ErrorCheck(line, None, "silenced by # noqa", keras_text, "agree", "silenced"))
        elif error.get("kind") == "keras":
            checks.append(ErrorCheck(line, None, "kerasshape reported nothing here", keras_text,
                                     "differ", "missed bug"))
    return checks


def _problem(error: dict | None, timeout: float) -> str | None:
    if not error:
        return None
    kind = error.get("kind")
    if kind == "keras":
        return None
    where = f" at line {error['line']}" if error.get("line") else ""
    if kind == "import" and error.get("module"):
        return f"needs the module {error['module']!r}, which is not installed{where}"
    if kind == "timeout":
        return f"did not finish within the time limit of {timeout:g} s (--timeout)"
    what = NOT_RUN.get(kind, "failed")
    return f"{what}{where}: {error['type']}: {error['message']}"


# ------------------------------------------------------------------ the child process

def pick_backend(explicit: str | None) -> str | None:
    """The Keras backend to ask for: --backend, else KERAS_BACKEND, else Keras's own
    config (~/.keras/keras.json) when its backend is installed, else the first installed
    of tensorflow, jax, torch (a GPU machine often has JAX or PyTorch but no TensorFlow)."""
    import importlib.util

    if explicit:
        return explicit
    if os.environ.get("KERAS_BACKEND"):
        return None
    home = os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")
    configured = "tensorflow"
    try:
        with open(os.path.join(home, "keras.json"), encoding="utf-8") as fh:
            configured = json.load(fh).get("backend", configured)
    except (OSError, ValueError, AttributeError):
        pass
    if importlib.util.find_spec(configured) is not None:
        return None
    for name in BACKENDS:
        if importlib.util.find_spec(name) is not None:
            return name
    return None


def _child_env(backend: str | None, cpu: bool) -> dict:
    env = dict(os.environ)
    if backend:
        env["KERAS_BACKEND"] = backend
    if cpu:
        env["CUDA_VISIBLE_DEVICES"] = ""
        env["JAX_PLATFORMS"] = "cpu"
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    package_root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env["PYTHONPATH"] = os.pathsep.join(p for p in (env.get("PYTHONPATH"), package_root) if p)
    return env


def _kill(proc: subprocess.Popen) -> None:
    try:
        if os.name == "posix":
            import signal

            os.killpg(proc.pid, signal.SIGKILL)   # the child and whatever the file started
        else:
            proc.kill()
    except (OSError, ProcessLookupError):
        pass
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass


def run_child(files: list[str], timeout: float, backend: str | None, cpu: bool,
              log=None) -> tuple[dict, dict]:
    """Run the files in as few child processes as possible. Returns (device info or
    {"error": ...}, {abs path: result}); a file that times out or kills its process gets
    a result with an error of kind timeout/crash."""
    env = _child_env(backend, cpu)
    results: dict = {}
    device: dict = {}
    pending = [os.path.abspath(f) for f in files]
    while pending:
        with tempfile.TemporaryFile() as stderr:
            proc = subprocess.Popen(
                [sys.executable, "-m", "kerasshape._verify_child", *pending],
                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=stderr, env=env,
                start_new_session=os.name == "posix")
            lines: queue.Queue = queue.Queue()

            def read(stream=proc.stdout, out=lines) -> None:
                for raw in stream:
                    out.put(raw)
                out.put(None)

            threading.Thread(target=read, daemon=True).start()
            current, deadline = None, time.monotonic() + timeout + IMPORT_ALLOWANCE
            finished = False
            while True:
                try:
                    raw = lines.get(timeout=max(0.0, deadline - time.monotonic()))
                except queue.Empty:
                    _kill(proc)
                    if current is None:
                        device = {"error": f"importing Keras took longer than "
                                           f"{timeout + IMPORT_ALLOWANCE:g} s"}
                        return device, results
                    results[current] = {"error": {"type": "TimeoutError", "kind": "timeout",
                                                  "message": f"still running after {timeout:g} s",
                                                  "line": None, "lines": []},
                                        "models": [], "called": {}, "executed": []}
                    break
                if raw is None:
                    proc.wait()
                    if current is not None:
                        stderr.seek(0)
                        tail = stderr.read().decode("utf-8", "replace").strip().splitlines()[-3:]
                        results[current] = {"error": {
                            "type": "ProcessExit", "kind": "crash", "line": None, "lines": [],
                            "message": f"the Python process ended (status {proc.returncode}) "
                                       f"while running it: {' | '.join(tail)}"},
                            "models": [], "called": {}, "executed": []}
                    elif not device:
                        stderr.seek(0)
                        tail = stderr.read().decode("utf-8", "replace").strip().splitlines()[-5:]
                        device = {"error": "the verify process ended before Keras imported "
                                           f"(status {proc.returncode}): {' | '.join(tail)}"}
                        return device, results
                    break
                try:
                    event = json.loads(raw)
                except ValueError:
                    continue
                kind = event.pop("event", None)
                if kind == "import_error":
                    _kill(proc)
                    return {"error": f"Keras does not import: {event['message']}"}, results
                if kind == "ready":
                    device = event
                elif kind == "start":
                    current = event["path"]
                    deadline = time.monotonic() + timeout
                    if log:
                        log(current)
                elif kind == "result":
                    results[event["path"]] = event
                    current = None
                    if all(p in results for p in pending):
                        finished = True
            if finished:
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    _kill(proc)
        left = [p for p in pending if p not in results]
        if left and len(left) == len(pending):   # no progress: never loop on the same file
            results[left[0]] = {"error": {"type": "ProcessExit", "kind": "crash", "line": None,
                                          "lines": [], "message": "the verify process ended"},
                                "models": [], "called": {}, "executed": []}
            left = left[1:]
        pending = left
    return device, results


# ------------------------------------------------------------------ in the child process

def load_keras():
    """Import Keras (with the backend KERAS_BACKEND names). Only the verify child process
    calls this and ``device_info``: they are the only imports of Keras and its backends in
    kerasshape, and ``lint`` and ``show`` never reach them."""
    import keras

    return keras


def device_info(keras) -> dict:
    """The backend, the device it computes on, and the Keras version; with TensorFlow,
    memory growth is turned on so verify shares a GPU with other work."""
    backend = keras.backend.backend()
    device, gpus = "CPU", 0
    try:
        if backend == "tensorflow":
            import tensorflow as tf

            found = tf.config.list_physical_devices("GPU")
            for gpu in found:
                try:
                    tf.config.experimental.set_memory_growth(gpu, True)
                except Exception:  # noqa: BLE001 - already initialised
                    pass
            gpus = len(found)
            if found:
                details = tf.config.experimental.get_device_details(found[0])
                device = f"GPU:0 ({details.get('device_name', 'GPU')})"
        elif backend == "jax":
            import jax

            first = jax.devices()[0]
            if first.platform != "cpu":
                gpus = len(jax.devices())
                device = f"{first.platform.upper()}:0 ({getattr(first, 'device_kind', first.platform)})"
        elif backend == "torch":
            import torch

            if torch.cuda.is_available():
                gpus = torch.cuda.device_count()
                device = f"GPU:0 ({torch.cuda.get_device_name(0)})"
    except Exception as exc:  # noqa: BLE001 - the device is information, never a failure
        device = f"CPU (could not query the GPU: {type(exc).__name__})"
    return {"backend": backend, "device": device, "gpus": gpus, "keras": keras.__version__}


# ------------------------------------------------------------------ entry point

def verify_files(files: list[str], timeout: float = DEFAULT_TIMEOUT, backend: str | None = None,
                 cpu: bool = False, log=None) -> Report:
    from .engine import analyze_file

    # Keras runs in the child while this process does the static analysis
    ran: dict = {}
    worker = threading.Thread(target=lambda: ran.update(
        zip(("device", "results"), run_child(files, timeout, pick_backend(backend), cpu, log))),
        daemon=True)
    worker.start()
    analyses = {}
    for path in files:
        try:
            analyses[path] = analyze_file(path, models=True)
        except Exception as exc:  # noqa: BLE001 - an engine bug: compare with nothing
            from .analysis import Analysis

            analyses[path] = Analysis(path)
            analyses[path].problem = f"kerasshape failed on it ({type(exc).__name__}: {exc})"
    worker.join()
    device, results = ran.get("device", {"error": "the verify process failed"}), ran.get("results", {})
    report = Report(device=device, timeout=timeout)
    if "error" in device:
        report.setup_error = device["error"]
    for path in files:
        result = results.get(os.path.abspath(path))
        analysis = analyses[path]
        if result is None:
            fr = compare_file(path, analysis, None, "was not run" + (
                f" ({report.setup_error})" if report.setup_error else ""))
            fr.not_verified = True
            report.files.append(fr)
            continue
        fr = compare_file(path, analysis, result)
        if not any(e.verdict in ("confirmed", "silenced") for e in fr.errors):
            fr.problem = _problem(result.get("error"), timeout)   # an error nobody predicted
        if fr.problem and not result.get("models") and not any(r.status == "agree" for r in fr.rows()):
            fr.not_verified = True   # it stopped before anything could be compared
        report.files.append(fr)
    return report


# ------------------------------------------------------------------ text output

def device_line(device: dict) -> str:
    if "error" in device:
        return f"verify: {device['error']}"
    return (f"verify: Keras {device.get('keras')}, {device.get('backend')} backend, "
            f"device {device.get('device')}")


def _table(title: dict, rows: list) -> list[str]:
    head = f'Model "{title["name"]}" ({title["kind"]}, line {title["line"]})'
    if title.get("static") is False:
        head += ": kerasshape found no model here"
    header = ("Layer (type)", "Line", "kerasshape", "Keras", "")
    cells = [(f"{r.name} ({r.cls})" if r.cls else r.name, "" if r.line is None else str(r.line),
              r.static_text, fmt_keras(r.keras),
              r.status + (f" ({r.note})" if r.note and r.status != "agree" else "")) for r in rows]
    widths = [max(len(c[i]) for c in [header, *cells]) for i in range(4)]
    out = [head]
    for c in [header, *cells]:
        out.append("  " + "   ".join(f"{c[i]:<{widths[i]}}" for i in range(4)) + "   " + c[4])
    if not rows:
        out.append("  (no layers)")
    return [line.rstrip() for line in out]


def render_text(report: Report) -> str:
    out = [device_line(report.device), ""]
    for f in report.files:
        counts = f.counts()
        out.append(f"{f.path}: agree {counts['agree']}, differ {counts['differ']}, "
                   f"unknown {counts['unknown']}" + (f" ({f.seconds:.1f} s)" if f.seconds else ""))
        if f.problem:
            out.append(f"  {'not verified' if f.not_verified else 'stopped early'}: the file {f.problem}")
        for title, rows in f.models:
            out += ["  " + line for line in _table(title, rows)]
        for e in f.errors:
            where = f"line {e.line}" if e.line else "?"
            if e.verdict == "confirmed":
                text = f"{e.code} at {where}: Keras raises there too ({e.keras})"
            elif e.verdict == "silenced":
                text = f"{where}: Keras raises where a # noqa silences kerasshape ({e.keras})"
            elif e.verdict == "missed bug":
                text = f"missed bug at {where}: Keras raises {e.keras}; kerasshape reported nothing"
            elif e.verdict == "not raised":
                text = f"{e.code} at {where}: Keras ran this statement without raising: {e.message}"
            else:
                text = f"{e.code} at {where}: not reached by the run, so not checked"
            out.append(f"  {e.status}: {text}")
        out.append("")
    counts = report.counts()
    out.append(f"agree: {counts['agree']}, differ: {counts['differ']}, unknown: {counts['unknown']}")
    return "\n".join(out) + "\n"


def render_json(report: Report) -> str:
    return json.dumps(report.to_dict(), indent=2) + "\n"
