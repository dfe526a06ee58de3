"""The command line: arguments, configuration and exit status; no analysis logic.

Exit status (as flake8 and ruff): 0 nothing reported (or ``--exit-zero``),
1 at least one diagnostic, 2 usage error, unreadable path or internal error.

This module stays light to import: the engine loads when a command needs it, and
nothing here ever imports TensorFlow, Keras or numpy.
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from typing import Iterable, Iterator, List, Optional

import typer

from . import __version__
from .diagnostics import CODES, Diagnostic

OK, FOUND, ERROR = 0, 1, 2

# More files than this are checked by a pool of processes (files are independent).
PARALLEL_THRESHOLD = 8

app = typer.Typer(
    name="kerasshape",
    help="Static shape checker for Keras models: finds shape mismatches without running TensorFlow.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class LintFormat(str, Enum):
    text = "text"
    json = "json"
    github = "github"
    sarif = "sarif"


class ShowFormat(str, Enum):
    text = "text"
    json = "json"


class ColorChoice(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


def err(message: str) -> None:
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


def _fail(message: str, code: int = ERROR) -> typer.Exit:
    err(f"kerasshape: {message}")
    return typer.Exit(code)


# ------------------------------------------------------------------ analysis

def analyze_path(path: str, models: bool = False):
    """One file -> Analysis (the engine is imported on first use); lint needs no models."""
    from .engine import analyze_file

    return analyze_file(path, models=models)


def internal_error(path: str, exc: BaseException) -> Diagnostic:
    detail = " ".join(str(exc).split())
    what = f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
    return Diagnostic(path=path, line=1, col=0, code="KS000",
                      message=f"kerasshape failed while analysing this file ({what})",
                      hint="report it with this file; `--ignore KS000` skips it meanwhile")


def check_one(path: str) -> list[Diagnostic]:
    """Diagnostics of one file; an exception of the engine becomes KS000 for the file."""
    try:
        return list(analyze_path(path).diagnostics)
    except Exception as exc:  # noqa: BLE001 - any engine failure is a KS000 for this file
        if os.environ.get("KERASSHAPE_DEBUG"):
            import traceback

            traceback.print_exc()
        return [internal_error(path, exc)]


def check_chunk(paths: list[str]) -> list[Diagnostic]:
    return [d for path in paths for d in check_one(path)]


def _cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def check_files(files: list[str], jobs: int | None = None) -> list[Diagnostic]:
    """Every file checked independently; in a process pool when there are many."""
    workers = min(jobs or _cpu_count(), len(files))
    if workers > 1 and len(files) > PARALLEL_THRESHOLD:
        try:
            return _check_parallel(files, workers)
        except (OSError, ImportError, RuntimeError):
            # no usable process pool here (sandbox, no /dev/shm, broken pool): run serially
            pass
    return check_chunk(files)


def _check_parallel(files: list[str], workers: int) -> list[Diagnostic]:
    from concurrent.futures import ProcessPoolExecutor

    # a few chunks per worker keeps them all busy when file sizes differ
    n_chunks = min(len(files), workers * 4)
    size = -(-len(files) // n_chunks)
    chunks = [files[i:i + size] for i in range(0, len(files), size)]
    out: list[Diagnostic] = []
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for result in pool.map(check_chunk, chunks):
            out.extend(result)
    return out


# ------------------------------------------------------------------ files

def iter_files(paths: Iterable[str], settings) -> Iterator[str]:
    """Python files under the paths, each once; a file named explicitly is always checked."""
    seen: set[str] = set()
    for path in paths:
        found = _walk(path, settings) if os.path.isdir(path) else [path]
        for file in found:
            key = os.path.normcase(os.path.abspath(file))
            if key not in seen:
                seen.add(key)
                yield file


def _walk(root: str, settings) -> Iterator[str]:
    from .files import walk

    return walk(root, settings)


# ------------------------------------------------------------------ commands

def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"kerasshape {__version__}")
        raise typer.Exit(OK)


@app.callback()
def _root(
    version: Optional[bool] = typer.Option(
        None, "--version", "-V", callback=_version_callback, is_eager=True,
        help="Print the version and exit."),
) -> None:
    """Static shape checker for Keras models: finds shape mismatches without running TensorFlow."""


@app.command()
def lint(
    paths: Optional[List[str]] = typer.Argument(
        None, metavar="[PATH]...", help="Files or folders to check (default: the current folder)."),
    format: Optional[LintFormat] = typer.Option(
        None, "--format", "-f", case_sensitive=False, help="Output format (default: text)."),
    select: Optional[str] = typer.Option(
        None, "--select", metavar="CODES", help="Comma-separated code prefixes to report, e.g. KS1,KS201."),
    ignore: Optional[str] = typer.Option(
        None, "--ignore", metavar="CODES", help="Comma-separated code prefixes not to report."),
    exit_zero: bool = typer.Option(
        False, "--exit-zero", help="Exit with status 0 even when diagnostics are reported."),
    no_cache: bool = typer.Option(
        False, "--no-cache", help="Read and write no cache (there is none yet: accepted for scripts)."),
    show_hints: bool = typer.Option(
        True, "--show-hints/--no-hints", help="Print a fix hint under a diagnostic that has one."),
    jobs: Optional[int] = typer.Option(
        None, "--jobs", "-j", min=1, help="Processes to use for many files (default: one per CPU)."),
    statistics: bool = typer.Option(
        False, "--statistics",
        help="After the diagnostics, count them per code (on stderr for formats other than text)."),
    show_source: bool = typer.Option(
        False, "--show-source", help="Print the offending line with carets, then expected and found."),
    color: ColorChoice = typer.Option(
        ColorChoice.auto, "--color", case_sensitive=False,
        help="Colour the text output: auto (a terminal, unless NO_COLOR is set), always, never."),
) -> None:
    """Check Python files for Keras shape errors."""
    from .config import ConfigError, load_settings, split_codes
    from .reporters import render

    paths = list(paths or ["."])
    missing = [p for p in paths if not os.path.exists(p)]
    if missing:
        for p in missing:
            err(f"kerasshape: {p}: no such file or directory")
        raise typer.Exit(ERROR)
    try:
        settings = load_settings(paths[0], warn=lambda m: err(f"kerasshape: warning: {m}"))
        if select is not None:
            settings.select = split_codes(select, "--select")
        if ignore is not None:
            settings.ignore = split_codes(ignore, "--ignore")
    except ConfigError as exc:
        raise _fail(str(exc))
    fmt = format.value if format is not None else (settings.format or "text")

    files = list(iter_files(paths, settings))
    diagnostics, seen = [], set()
    for d in check_files(files, jobs):
        # a helper module's diagnostic comes once, whichever file's call found it first
        key = (os.path.normpath(d.path), d.line, d.col, d.code)
        if key not in seen and settings.wants(d.code, d.path):
            seen.add(key)
            diagnostics.append(d)
    diagnostics.sort(key=Diagnostic.sort_key)

    from .reporters.text import statistics as count_codes, use_color

    colored = fmt == "text" and use_color(sys.stdout, color.value)
    sys.stdout.write(render(fmt, diagnostics, show_hints=show_hints, show_source=show_source,
                            color=colored))
    if statistics:
        if fmt == "text":
            sys.stdout.write(count_codes(diagnostics, color=colored))
        else:  # stdout stays one JSON document / workflow commands only
            sys.stderr.write(count_codes(diagnostics, color=use_color(sys.stderr, color.value)))
    sys.stdout.flush()

    broken = sorted({d.path for d in diagnostics if d.code == "KS000"})
    if broken:
        plural = "s" if len(broken) > 1 else ""
        raise _fail(f"internal error while analysing {len(broken)} file{plural}: "
                    f"{', '.join(broken)} (see KS000 above)")
    if diagnostics and not exit_zero:
        raise typer.Exit(FOUND)


@app.command()
def show(
    file: str = typer.Argument(..., metavar="FILE", help="The Python file to summarise."),
    format: ShowFormat = typer.Option(
        ShowFormat.text, "--format", "-f", case_sensitive=False, help="Output format."),
) -> None:
    """Print every model the file builds and the shape of each layer's output."""
    if not os.path.exists(file):
        raise _fail(f"{file}: no such file or directory")
    if os.path.isdir(file):
        raise _fail(f"{file}: show takes one file, not a folder")
    try:
        analysis = analyze_path(file, models=True)
    except Exception as exc:  # noqa: BLE001
        raise _fail(f"internal error while analysing {file}: {type(exc).__name__}: {exc}")
    if format == ShowFormat.json:
        import json

        sys.stdout.write(json.dumps(analysis.to_dict(), indent=2) + "\n")
    else:
        from .summary import render_text

        sys.stdout.write(render_text(analysis))


@app.command()
def server(
    stdio: bool = typer.Option(True, "--stdio", hidden=True,
                               help="Speak LSP on stdin/stdout (the only transport; accepted for editors)."),
) -> None:
    """Run the language server on stdin/stdout: diagnostics as you type, shapes on hover."""
    try:
        from .server import main as serve
    except ImportError as exc:
        if (exc.name or "").split(".")[0] not in ("pygls", "lsprotocol", "cattrs"):
            raise
        raise _fail("the language server needs pygls, which is not installed here; "
                    "install it with: pip install 'kerasshape[lsp]'")
    serve()


@app.command()
def rule(code: str = typer.Argument(..., metavar="CODE", help="A diagnostic code, e.g. KS101.")) -> None:
    """Explain one diagnostic code: what it reports, why, an example and the fix."""
    from .rulepages import read_page, rules_dirs

    wanted = code.strip().upper()
    if wanted.isdigit():
        wanted = "KS" + wanted.zfill(3)
    if wanted not in CODES:
        raise _fail(f"unknown code {code!r}; known codes: {', '.join(CODES)}")
    text = read_page(wanted)
    if text is None:
        where = ", ".join(str(d) for d in rules_dirs())
        raise _fail(f"no rule page for {wanted} (looked in {where})")
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


class VerifyBackend(str, Enum):
    tensorflow = "tensorflow"
    jax = "jax"
    torch = "torch"


@app.command()
def verify(
    files: List[str] = typer.Argument(..., metavar="FILE...", help="Files whose models to build with Keras."),
    format: ShowFormat = typer.Option(
        ShowFormat.text, "--format", "-f", case_sensitive=False, help="Output format."),
    timeout: float = typer.Option(
        60.0, "--timeout", min=1, help="Seconds each file may run before it is stopped."),
    backend: Optional[VerifyBackend] = typer.Option(
        None, "--backend", case_sensitive=False,
        help="Keras backend (default: KERAS_BACKEND, else Keras's config, else the first installed)."),
    cpu: bool = typer.Option(False, "--cpu", help="Hide the GPUs: run on the CPU."),
) -> None:
    """Build the models with real Keras and compare with the static shapes.

    This RUNS EACH FILE'S OWN CODE, in a separate Python process with a time limit:
    only run it on code you trust. Training is not done for real (fit, evaluate and
    predict run one step on the first 2 samples), keras.datasets return zero arrays,
    downloads and network access are blocked, and files are written to a temporary
    folder. Uses a GPU when the backend sees one. Needs Keras and a backend
    (pip install 'kerasshape[verify]'). Exit status: 0 agree, 1 a shape differs or an
    error is raised by only one side, 2 a file could not be run.
    """
    missing = [f for f in files if not os.path.isfile(f)]
    if missing:
        for f in missing:
            folder = os.path.isdir(f)
            err(f"kerasshape: {f}: " + ("verify takes files, not folders" if folder else "no such file"))
        raise typer.Exit(ERROR)
    from .verify import render_json, render_text, verify_files

    report = verify_files(files, timeout=timeout, backend=backend.value if backend else None, cpu=cpu)
    sys.stdout.write(render_json(report) if format == ShowFormat.json else render_text(report))
    sys.stdout.flush()
    if report.setup_error:
        err(f"kerasshape: {report.setup_error}; verify needs Keras and its backend: "
            "pip install 'kerasshape[verify]' (TensorFlow), or the backend named by --backend")
    else:
        for f in report.files:
            if f.not_verified:
                err(f"kerasshape: {f.path}: not verified: the file {f.problem}")
    raise typer.Exit(report.exit_code())


# ------------------------------------------------------------------ entry point

def main(argv: Optional[List[str]] = None) -> int:
    """Console-script entry point; returns the exit status."""
    try:
        # standalone mode: usage errors print their message and exit 2, --help exits 0;
        # every path out of it is a SystemExit
        app(args=argv, prog_name="kerasshape")
    except SystemExit as exc:
        code = exc.code
        if code is None:
            return OK
        if isinstance(code, int):
            return code
        err(str(code))
        return ERROR
    except KeyboardInterrupt:
        err("kerasshape: interrupted")
        return 130
    except BrokenPipeError:
        # the reader of stdout went away (`kerasshape lint | head`)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return FOUND
    except Exception as exc:  # noqa: BLE001 - a bug in kerasshape itself: exit 2
        import traceback

        traceback.print_exc()
        err(f"kerasshape: internal error: {type(exc).__name__}: {exc}")
        return ERROR
    return OK


if __name__ == "__main__":
    raise SystemExit(main())
