"""Recurrent layers and their wrappers."""

from __future__ import annotations

from ..shapes import Shape, ShapeError, mul
from . import Applied, Size, positive, signature

RNN_ARGS = ("units activation recurrent_activation use_bias kernel_initializer "
            "recurrent_initializer bias_initializer unit_forget_bias kernel_regularizer "
            "recurrent_regularizer bias_regularizer activity_regularizer kernel_constraint "
            "recurrent_constraint bias_constraint dropout recurrent_dropout seed "
            "return_sequences return_state")
GRU_ARGS = RNN_ARGS.replace("unit_forget_bias ", "")
SIMPLE_RNN_ARGS = ("units activation use_bias kernel_initializer recurrent_initializer "
                   "bias_initializer kernel_regularizer recurrent_regularizer bias_regularizer "
                   "activity_regularizer kernel_constraint recurrent_constraint bias_constraint "
                   "dropout recurrent_dropout return_sequences return_state")


def _rnn(name: str, x: Shape, units: Size, return_sequences: bool, return_state: bool,
         states: int):
    # go_backwards (a parameter below) leaves the shapes alone; Bidirectional checks it
    positive(name, "units", units)
    out = (x[0], x[1], units) if return_sequences else (x[0], units)
    if return_state:
        return [out] + [(x[0], units)] * states
    return out


@signature("LSTM", ndim=3, defined=(-1,), weights=(-1,), positional=RNN_ARGS, reuse_checked=False)
def lstm(x: Shape, units: Size, return_sequences: bool = False, return_state: bool = False,
         go_backwards: bool = False):
    """(batch, time, features) -> (batch, time, units) or (batch, units); + [h, c] states"""
    return _rnn("LSTM", x, units, return_sequences, return_state, states=2)


@signature("GRU", ndim=3, defined=(-1,), weights=(-1,), positional=GRU_ARGS, reuse_checked=False)
def gru(x: Shape, units: Size, return_sequences: bool = False, return_state: bool = False,
        go_backwards: bool = False):
    """(batch, time, features) -> (batch, time, units) or (batch, units); + [h] state"""
    return _rnn("GRU", x, units, return_sequences, return_state, states=1)


@signature("SimpleRNN", ndim=3, defined=(-1,), weights=(-1,), positional=SIMPLE_RNN_ARGS,
           reuse_checked=False)
def simple_rnn(x: Shape, units: Size, return_sequences: bool = False, return_state: bool = False,
               go_backwards: bool = False):
    """(batch, time, features) -> (batch, time, units) or (batch, units); + [h] state"""
    return _rnn("SimpleRNN", x, units, return_sequences, return_state, states=1)


@signature("TimeDistributed", min_ndim=3, wrapper="layer", positional="layer")
def time_distributed(x: Shape, layer: Applied) -> Shape:
    """(batch, time, *rest) -> (batch, time, *layer((batch, *rest))[1:])"""
    inner = layer((x[0], *x[2:]))
    if isinstance(inner, list):
        return None  # a layer with several outputs (return_state=True): not followed
    return (inner[0], x[1], *inner[1:])


# ------------------------------------------------------------------ cells and RNN(cell)
#
# A cell's function is one step as RNN(cell) runs it: (batch, features) -> [output, states],
# states a shape where Keras's state_size is an int (GRUCell, SimpleRNNCell) and a list of
# shapes where it is a list (LSTMCell [h, c], StackedRNNCells: one entry per cell). RNN
# returns the states in that structure: RNN([LSTMCell, GRUCell], return_state=True) gives
# [output, [h1, c1], h2]. A cell called directly on tensors has an unknown output.

CELL_NAMES = ("LSTMCell", "GRUCell", "SimpleRNNCell", "StackedRNNCells")
RNN_LAYER_ARGS = "cell return_sequences return_state go_backwards stateful unroll zero_output_for_mask"
RECURRENT = {"RNN", "LSTM", "GRU", "SimpleRNN", "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D"}
_CELL_ARGS = ("units activation recurrent_activation use_bias kernel_initializer "
              "recurrent_initializer bias_initializer unit_forget_bias kernel_regularizer "
              "recurrent_regularizer bias_regularizer kernel_constraint recurrent_constraint "
              "bias_constraint dropout recurrent_dropout")
LSTM_CELL_ARGS = _CELL_ARGS + " seed"
GRU_CELL_ARGS = _CELL_ARGS.replace("unit_forget_bias ", "") + " reset_after seed"
SIMPLE_RNN_CELL_ARGS = _CELL_ARGS.replace("recurrent_activation ", "").replace(
    "unit_forget_bias ", "") + " seed"


@signature("LSTMCell", defined=(-1,), weights=(-1,), cell=True,
           positional=LSTM_CELL_ARGS, reuse_checked=False)
def lstm_cell(x: Shape, units: Size) -> list:
    """(batch, features) -> [(batch, units), [h, c]]: one step of RNN(LSTMCell(units))"""
    positive("LSTMCell", "units", units)
    return [(x[0], units), [(x[0], units), (x[0], units)]]


@signature("GRUCell", defined=(-1,), weights=(-1,), cell=True,
           positional=GRU_CELL_ARGS, reuse_checked=False)
def gru_cell(x: Shape, units: Size) -> list:
    """(batch, features) -> [(batch, units), h]: one step of RNN(GRUCell(units))"""
    positive("GRUCell", "units", units)
    return [(x[0], units), (x[0], units)]


@signature("SimpleRNNCell", defined=(-1,), weights=(-1,), cell=True,
           positional=SIMPLE_RNN_CELL_ARGS, reuse_checked=False)
def simple_rnn_cell(x: Shape, units: Size) -> list:
    """(batch, features) -> [(batch, units), h]: one step of RNN(SimpleRNNCell(units))"""
    positive("SimpleRNNCell", "units", units)
    return [(x[0], units), (x[0], units)]


def _cell_kind(name: str, cell) -> bool:
    """True for a cell of the table, False for a cell kerasshape does not know (a user's
    class, or a recurrent layer: it has a state_size, and Keras builds RNN(LSTM(4)) on a known
    batch size); any other layer is an error, as Keras finds no state_size."""
    sig = getattr(cell, "signature", None)
    if sig is None or sig.name in RECURRENT:
        return False
    if not sig.cell:
        raise ShapeError("KS203", f"{name} needs RNN cells (LSTMCell, GRUCell, SimpleRNNCell, "
                         f"StackedRNNCells), got a {sig.name} layer, which has no state_size",
                         found=sig.name)
    return True


def _stack(name: str, x: Shape, cells) -> list | None:
    """(batch, features) -> [last cell's output, [states of each cell]]"""
    if not isinstance(cells, (list, tuple)):
        raise ShapeError("KS203", f"{name} needs a list of cells", found=type(cells).__name__)
    if not cells:
        raise ShapeError("KS203", f"{name} needs at least one cell, got an empty list",
                         found="[]")
    if not all([_cell_kind(name, cell) for cell in cells]):
        return None
    states = []
    for cell in cells:
        output, state = cell(x)
        states.append(state)
        x = (x[0], output[-1])  # the next cell's step input: this cell's output
    return [output, states]


@signature("StackedRNNCells", wrapper="cells", positional="cells", cell=True)
def stacked_rnn_cells(x: Shape, cells: Applied) -> list | None:
    """(batch, features) -> [(batch, last cell's units), [states of every cell]]"""
    return _stack("StackedRNNCells", x, cells)


@signature("RNN", ndim=3, defined=(-1,), weights=(-1,), wrapper="cell", positional=RNN_LAYER_ARGS,
           reuse_checked=False)
def rnn(x: Shape, cell: Applied, return_sequences: bool = False, return_state: bool = False,
        go_backwards: bool = False):
    """(batch, time, features) -> (batch, [time,] cell's units); + each cell's states"""
    # Keras builds an RNN on other ranks too (its InputSpec is None) and fails on data:
    # (batch, time, a, b) steps on (batch, a, b), which the cell's matmul cannot carry.
    step = (x[0], *x[2:])
    if isinstance(cell, (list, tuple)):
        result = _stack("RNN", step, cell)  # RNN([cells]) stacks them
    else:
        result = cell(step) if _cell_kind("RNN", cell) else None
    if result is None:
        return None
    output, states = result
    out = (x[0], x[1], output[-1]) if return_sequences else (x[0], output[-1])
    if not return_state:
        return out
    states = states if isinstance(states, list) else [states]
    for entry in states:
        if isinstance(entry, list) and any(isinstance(s, list) for s in entry):
            # a StackedRNNCells inside the stack holding an LSTMCell: Keras cannot make
            # the state tensors of a state_size nested two deep
            raise ShapeError("KS203", "RNN(return_state=True) cannot return the states of a "
                             "StackedRNNCells nested in the stack when its cells have "
                             "several states (LSTMCell): Keras fails on them",
                             hint="list all the cells in one StackedRNNCells")
    return [out, *states]


@signature("Bidirectional", min_ndim=3, wrapper="layer",
           positional="layer merge_mode weights backward_layer")
def bidirectional(x: Shape, layer: Applied, merge_mode="concat", backward_layer=None):
    """(batch, time, ...) -> layer's output, last axis doubled (concat) or kept; + states twice"""
    if backward_layer is not None:
        return None  # Keras reports the forward layer's shape; the backward one may differ
    if merge_mode not in ("concat", "sum", "mul", "ave", None):
        raise ShapeError("KS203", f"Bidirectional merge_mode must be 'concat', 'sum', 'mul', "
                         f"'ave' or None, got merge_mode={merge_mode!r}",
                         found=f"merge_mode={merge_mode!r}")
    sig = getattr(layer, "signature", None)
    if sig is not None and sig.name not in RECURRENT:
        raise ShapeError("KS203", f"Bidirectional needs a recurrent layer (RNN, LSTM, GRU, "
                         f"SimpleRNN, ConvLSTM), got {sig.name}", found=sig.name)
    if getattr(layer, "args", {}).get("go_backwards") is True:
        raise ShapeError("KS203", "Bidirectional makes the backward copy with go_backwards=True: "
                         "the forward layer cannot have go_backwards=True too",
                         found="go_backwards=True", hint="drop go_backwards=True")
    out = layer(x)
    if out is None:
        return None
    states = []
    if isinstance(out, list):  # return_state=True: [output, *states]
        out, states = out[0], out[1:]
    if merge_mode == "concat":
        out = (*out[:-1], mul(out[-1], 2))
    # Keras's order: the merged output (both outputs for merge_mode=None), then the
    # forward layer's states, then the backward layer's (the same shapes)
    outs = [out, out] if merge_mode is None else [out]
    if not states:
        return outs if merge_mode is None else out
    return [*outs, *states, *states]
