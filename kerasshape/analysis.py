"""The result of analysing one module: what every view (lint, show, verify) reads."""

from __future__ import annotations

from dataclasses import dataclass, field

from .diagnostics import Diagnostic
from .shapes import to_json


@dataclass
class LayerSummary:
    line: int
    name: str             # Keras's name for the layer (given `name=` or the automatic one)
    cls: str              # Keras class name: "LSTM"
    output_shape: object  # a shape tuple, a list of shape tuples (several outputs), or None
    source: str = ""      # the layer as written: "L.LSTM", "encoder"
    why_unknown: str | None = None

    def to_dict(self) -> dict:
        def shape_json(out):  # a list of outputs may nest: RNN(stacked cells, return_state=True)
            return [shape_json(s) for s in out] if isinstance(out, list) else to_json(out)
        shape = shape_json(self.output_shape)
        return {"line": self.line, "name": self.name, "class": self.cls, "output_shape": shape}


@dataclass
class ModelSummary:
    name: str
    line: int
    kind: str                                   # "Sequential" | "Functional" | "Subclassed" | "Trainer"
    inputs: list = field(default_factory=list)  # shapes (None where unknown)
    outputs: list = field(default_factory=list)
    layers: list = field(default_factory=list)  # LayerSummary
    built: bool = True
    note: str | None = None                     # what `show` says about it (a trainer)
    uncalled: str | None = None                 # built only in this function, never called

    def to_dict(self) -> dict:
        out = {
            "name": self.name, "line": self.line, "kind": self.kind,
            "inputs": [to_json(s) for s in self.inputs],
            "outputs": [to_json(s) for s in self.outputs],
            "layers": [layer.to_dict() for layer in self.layers],
        }
        if self.note:
            out["note"] = self.note
        return out


@dataclass
class Analysis:
    path: str
    diagnostics: list = field(default_factory=list)   # Diagnostic, sorted, noqa applied
    models: list = field(default_factory=list)        # ModelSummary, in source order
    skipped: bool = False                             # file never mentions keras/tensorflow
    hovers: list = field(default_factory=list)        # (line, col, end_line, end_col, text) of
                                                      # names bound to tensors/layers (hovers=True)

    def to_dict(self) -> dict:
        return {"models": [m.to_dict() for m in self.models]}


__all__ = ["Analysis", "ModelSummary", "LayerSummary", "Diagnostic"]
