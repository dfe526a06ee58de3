"""``kerasshape server``: a language server (pygls) for editors.

It publishes kerasshape's diagnostics when a document is opened, changed or saved,
and answers hover with the inferred shape of the name under the cursor
(``x: (None, 20, 64)``, ``dense: Dense -> (None, 20, 3)``). The document's text is
analysed statically with ``engine.analyze_source``: the user's code is never imported
or run. ``[tool.kerasshape]`` select/ignore/per-file-ignores apply as under ``lint``.

This module needs pygls (``pip install 'kerasshape[lsp]'``); importing it without
pygls raises ImportError, which ``kerasshape server`` turns into an install hint.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from . import __version__
from .rulepages import help_uri

SOURCE = "kerasshape"

# While the user types, a document is analysed once the changes pause this long.
CHANGE_DELAY = 0.25


@dataclass
class DocState:
    version: int | None = None
    hovers: list = field(default_factory=list)   # (line, col, end_line, end_col, text), 1-based lines


class KerasShapeServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(name="kerasshape", version=__version__,
                         text_document_sync_kind=types.TextDocumentSyncKind.Full)
        self.docs: dict[str, DocState] = {}
        self.pending: dict = {}          # uri -> the timer of an analysis waiting for a pause


server = KerasShapeServer()


# ---------------------------------------------------------------- analysis

def document_path(uri: str) -> str:
    """The file a document stands for (helper modules it imports resolve beside it)."""
    path = to_fs_path(uri) if uri.startswith("file:") else None
    return path or uri


def _settings_for(path: str):
    from .config import ConfigError, load_settings

    start = os.path.dirname(path) if os.path.isabs(path) else os.getcwd()
    try:
        return load_settings(start if os.path.isdir(start) else os.getcwd())
    except ConfigError as exc:
        server.window_log_message(types.LogMessageParams(
            type=types.MessageType.Warning, message=f"kerasshape: {exc}"))
        return None


def analyse(ls: KerasShapeServer, uri: str) -> None:
    """Analyse the document as it is now, publish its diagnostics, keep its hovers."""
    from .engine import analyze_source

    doc = ls.workspace.get_text_document(uri)
    path = document_path(uri)
    text = doc.source
    try:
        analysis = analyze_source(text, path, models=False, hovers=True)
    except Exception as exc:  # noqa: BLE001 - an engine bug must not kill the editor's server
        ls.window_log_message(types.LogMessageParams(
            type=types.MessageType.Error,
            message=f"kerasshape failed on {path}: {type(exc).__name__}: {exc}"))
        return
    settings = _settings_for(path)
    lines = text.splitlines()
    diagnostics = []
    for d in analysis.diagnostics:
        if settings is not None and not settings.wants(d.code, path):
            continue
        item = to_lsp(d, path, lines, doc)
        if item is not None:
            diagnostics.append(item)
    ls.docs[uri] = DocState(version=doc.version, hovers=list(analysis.hovers))
    ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
        uri=uri, version=doc.version, diagnostics=diagnostics))


def _range(doc, line: int, col: int, end_line: int, end_col: int) -> types.Range:
    """libcst's (1-based line, code-point column) -> the client's range (0-based, UTF-16)."""
    server_range = types.Range(start=types.Position(line=max(line - 1, 0), character=max(col, 0)),
                               end=types.Position(line=max(end_line - 1, 0), character=max(end_col, 0)))
    return doc.range_to_client_units(server_range)


def to_lsp(d, path: str, lines: list[str], doc) -> types.Diagnostic | None:
    message = d.message
    if d.path == path:
        line, col = d.line, d.col
        end_line, end_col = d.end_line, d.end_col
    elif d.call_site is not None:
        # in a helper module this document calls: shown at the call
        line, col = d.call_site
        end_line = end_col = None
        message = f"{d.path} line {d.line}: {message}"
    else:
        return None
    if end_line is None or end_col is None:
        text = lines[line - 1] if 1 <= line <= len(lines) else ""
        end_line, end_col = line, max(len(text.rstrip()), col)
    if d.hint:
        message += f"\nhint: {d.hint}"
    severity = (types.DiagnosticSeverity.Warning if d.severity == "warning"
                else types.DiagnosticSeverity.Error)
    return types.Diagnostic(
        range=_range(doc, line, col, end_line, end_col),
        message=message,
        severity=severity,
        code=d.code,
        code_description=types.CodeDescription(href=help_uri(d.code)),
        source=SOURCE,
    )


# ---------------------------------------------------------------- hover

_IDENT = re.compile(r"[A-Za-z_][A-Za-z_0-9]*")


def hover_text(hovers: list, lines: list[str], line: int, col: int) -> tuple[str, tuple] | None:
    """The hover at (1-based line, code-point column): the binding under the cursor, else
    the nearest binding above it of the name under the cursor (a later use of ``x``)."""
    for h in hovers:
        if (h[0], h[1]) <= (line, col) < (h[2], h[3]):
            return h[4], h[:4]
    text = lines[line - 1] if 1 <= line <= len(lines) else ""
    for m in _IDENT.finditer(text):
        if m.start() <= col < m.end():
            name = m.group()
            break
    else:
        return None
    best = None
    for h in hovers:
        if h[4].split(":", 1)[0] == name and (h[0], h[1]) <= (line, col):
            best = h if best is None or (h[0], h[1]) > (best[0], best[1]) else best
    if best is None:
        return None
    return best[4], (line, m.start(), line, m.end())


@server.feature(types.TEXT_DOCUMENT_HOVER)
def hover(ls: KerasShapeServer, params: types.HoverParams) -> types.Hover | None:
    uri = params.text_document.uri
    doc = ls.workspace.get_text_document(uri)
    state = ls.docs.get(uri)
    if state is None or state.version != doc.version:
        analyse(ls, uri)
        state = ls.docs.get(uri)
        if state is None:
            return None
    pos = doc.position_from_client_units(params.position)
    found = hover_text(state.hovers, doc.lines, pos.line + 1, pos.character)
    if found is None:
        return None
    text, (line, col, end_line, end_col) = found
    return types.Hover(
        contents=types.MarkupContent(kind=types.MarkupKind.Markdown,
                                     value=f"```python\n{text}\n```"),
        range=_range(doc, line, col, end_line, end_col))


# ---------------------------------------------------------------- document sync

@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: KerasShapeServer, params: types.DidOpenTextDocumentParams) -> None:
    analyse(ls, params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: KerasShapeServer, params: types.DidChangeTextDocumentParams) -> None:
    import asyncio

    uri = params.text_document.uri
    timer = ls.pending.pop(uri, None)
    if timer is not None:
        timer.cancel()
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:  # not inside the server's event loop: no timers, analyse now
        analyse(ls, uri)
        return

    def run() -> None:
        ls.pending.pop(uri, None)
        if uri not in ls.workspace.text_documents:
            return
        state = ls.docs.get(uri)
        if state is None or state.version != ls.workspace.get_text_document(uri).version:
            analyse(ls, uri)   # (a hover may have analysed this version already)

    ls.pending[uri] = loop.call_later(CHANGE_DELAY, run)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: KerasShapeServer, params: types.DidSaveTextDocumentParams) -> None:
    analyse(ls, params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: KerasShapeServer, params: types.DidCloseTextDocumentParams) -> None:
    timer = ls.pending.pop(params.text_document.uri, None)
    if timer is not None:
        timer.cancel()
    ls.docs.pop(params.text_document.uri, None)
    ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
        uri=params.text_document.uri, diagnostics=[]))


def main() -> None:
    """Serve on stdin/stdout until the client says exit."""
    server.start_io()


__all__ = ["server", "main", "hover_text", "to_lsp"]
