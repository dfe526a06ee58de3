"""`kerasshape server` driven by a real LSP client session over stdio.

The client here speaks JSON-RPC with Content-Length framing itself: initialize,
initialized, didOpen, publishDiagnostics, hover, didChange, shutdown, exit.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

SOURCE = """\
import keras
from keras import layers

inputs = keras.Input(shape=(20, 8))
x = layers.LSTM(64, return_sequences=True)(inputs)
dense = layers.Dense(3)
y = dense(x)
flat = layers.Dense(5)(keras.Input((4,)))
bad = layers.LSTM(16)(flat)
model = keras.Model(inputs, y)
print(x)
"""


class Client:
    """A minimal LSP client: framed JSON-RPC over the server's stdin/stdout."""

    def __init__(self, cwd: Path) -> None:
        env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
        self.proc = subprocess.Popen([sys.executable, "-m", "kerasshape", "server"], cwd=cwd, env=env,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
        self.messages: queue.Queue = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        out = self.proc.stdout
        while True:
            headers = {}
            while True:
                line = out.readline()
                if not line:
                    self.messages.put(None)
                    return
                line = line.decode("ascii").strip()
                if not line:
                    break
                key, _, value = line.partition(":")
                headers[key.strip().lower()] = value.strip()
            body = out.read(int(headers["content-length"]))
            self.messages.put(json.loads(body.decode("utf-8")))

    def send(self, payload: dict) -> None:
        body = json.dumps(payload).encode("utf-8")
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def notify(self, method: str, params: dict) -> None:
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method: str, params: dict | None, timeout: float = 60) -> dict:
        self.next_id += 1
        rid = self.next_id
        message = {"jsonrpc": "2.0", "id": rid, "method": method}
        if params is not None:
            message["params"] = params
        self.send(message)
        reply = self.wait(lambda m: m.get("id") == rid and "method" not in m, timeout)
        assert "error" not in reply, reply
        return reply["result"]

    def wait(self, match, timeout: float = 60) -> dict:
        """The next message that ``match`` accepts (others are dropped)."""
        while True:
            try:
                message = self.messages.get(timeout=timeout)
            except queue.Empty:
                raise AssertionError("the server sent nothing matching in time") from None
            if message is None:
                err = self.proc.stderr.read().decode("utf-8", "replace")
                raise AssertionError(f"the server closed its output\n{err}")
            if match(message):
                return message

    def diagnostics(self, uri: str, timeout: float = 60) -> list:
        message = self.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                            and m["params"]["uri"] == uri, timeout)
        return message["params"]["diagnostics"]

    def hover(self, uri: str, line: int, character: int):
        return self.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                   "position": {"line": line, "character": character}})

    def close(self) -> int:
        try:
            self.request("shutdown", None)
            self.notify("exit", {})
            return self.proc.wait(timeout=30)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
            self.proc.stdin.close()
            self.proc.stdout.close()
            self.proc.stderr.close()


@pytest.fixture
def client(tmp_path):
    pytest.importorskip("pygls")
    c = Client(tmp_path)
    result = c.request("initialize", {"processId": os.getpid(), "rootUri": tmp_path.as_uri(),
                                      "capabilities": {}})
    c.capabilities = result["capabilities"]
    c.server_info = result.get("serverInfo", {})
    c.notify("initialized", {})
    yield c
    if c.proc.poll() is None:
        c.close()


def open_doc(client, path: Path, text: str, version: int = 1) -> str:
    uri = path.as_uri()
    client.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "python", "version": version, "text": text}})
    return uri


def test_session_diagnostics_and_hover(client, tmp_path):
    assert client.server_info.get("name") == "kerasshape"
    assert client.capabilities.get("hoverProvider")
    uri = open_doc(client, tmp_path / "model.py", SOURCE)

    [diag] = client.diagnostics(uri)
    assert diag["code"] == "KS101" and diag["source"] == "kerasshape"
    assert diag["severity"] == 1
    assert "expects a 3D input" in diag["message"] and "hint:" in diag["message"]
    assert diag["range"]["start"] == {"line": 8, "character": 6}
    assert diag["range"]["end"]["line"] == 8 and diag["range"]["end"]["character"] > 6
    assert diag["codeDescription"]["href"].endswith("/rules/KS101.md")

    # on the name an assignment binds: the tensor's shape
    h = client.hover(uri, 4, 0)
    assert "x: (None, 20, 64)" in h["contents"]["value"]
    assert h["range"] == {"start": {"line": 4, "character": 0}, "end": {"line": 4, "character": 1}}
    # a layer: its class and output shape; a model: its inputs and outputs
    assert "dense: Dense -> (None, 20, 3)" in client.hover(uri, 5, 2)["contents"]["value"]
    assert "model: Model (None, 20, 8) -> (None, 20, 3)" in client.hover(uri, 9, 1)["contents"]["value"]
    # a later use of the name shows the binding above it
    assert "x: (None, 20, 64)" in client.hover(uri, 10, 6)["contents"]["value"]
    # nothing to say on a keyword or a blank line
    assert client.hover(uri, 0, 2) is None
    assert client.hover(uri, 2, 0) is None

    # the user fixes the file: the diagnostic goes away and the hovers follow the new text
    fixed = SOURCE.replace("bad = layers.LSTM(16)(flat)", "bad = layers.Dense(16)(flat)")
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                             "contentChanges": [{"text": fixed}]})
    assert client.diagnostics(uri) == []
    assert "bad: (None, 16)" in client.hover(uri, 8, 1)["contents"]["value"]

    assert client.close() == 0


def test_save_and_config_and_no_keras(client, tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.kerasshape]\nignore = ["KS101"]\n')
    ignored = open_doc(client, tmp_path / "ignored.py", SOURCE)
    assert client.diagnostics(ignored) == []
    plain = open_doc(client, tmp_path / "plain.py", "x = 1\n")
    assert client.diagnostics(plain) == []
    assert client.hover(plain, 0, 0) is None
    client.notify("textDocument/didSave", {"textDocument": {"uri": ignored}})
    assert client.diagnostics(ignored) == []
    assert client.close() == 0


def test_server_without_pygls_says_how_to_install(tmp_path):
    # a sitecustomize that hides pygls, as if it were not installed
    (tmp_path / "sitecustomize.py").write_text(
        "import sys\n"
        "class _Hide:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('pygls', 'lsprotocol'):\n"
        "            raise ModuleNotFoundError(name, name=name)\n"
        "sys.meta_path.insert(0, _Hide())\n")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(tmp_path), str(ROOT)]))
    proc = subprocess.run([sys.executable, "-m", "kerasshape", "server"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert proc.returncode == 2
    assert "pip install 'kerasshape[lsp]'" in proc.stderr
    assert proc.stdout == ""


def test_typing_fast_is_analysed_once_it_pauses(client, tmp_path):
    uri = open_doc(client, tmp_path / "model.py", SOURCE)
    assert [d["code"] for d in client.diagnostics(uri)] == ["KS101"]
    fixed = SOURCE.replace("layers.LSTM(16)(flat)", "layers.Dense(16)(flat)")
    worse = fixed + "z = layers.Reshape((7, 7))(layers.Dense(50)(flat))\n"
    for version, text in [(2, fixed), (3, SOURCE), (4, worse)]:
        client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                                 "contentChanges": [{"text": text}]})
    # analysed once the changes pause: the text as it is after the last change
    message = client.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                          and m["params"].get("version") == 4)
    assert [d["code"] for d in message["params"]["diagnostics"]] == ["KS201"]
    # a hover right after a change answers for the new text
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 5},
                                             "contentChanges": [{"text": SOURCE.replace("64", "32")}]})
    assert "x: (None, 20, 32)" in client.hover(uri, 4, 0)["contents"]["value"]
    client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    cleared = client.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                          and m["params"]["diagnostics"] == [])
    assert cleared["params"]["uri"] == uri
    assert client.close() == 0
