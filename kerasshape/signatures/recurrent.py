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
    positive(name, "units", units)
    out = (x[0], x[1], units) if return_sequences else (x[0], units)
    if return_state:
        return [out] + [(x[0], units)] * states
    return out


@signature("LSTM", ndim=3, defined=(-1,), weights=(-1,), positional=RNN_ARGS)
def lstm(x: Shape, units: Size, return_sequences: bool = False, return_state: bool = False):
    """(batch, time, features) -> (batch, time, units) or (batch, units); + [h, c] states"""
    return _rnn("LSTM", x, units, return_sequences, return_state, states=2)


@signature("GRU", ndim=3, defined=(-1,), weights=(-1,), positional=GRU_ARGS)
def gru(x: Shape, units: Size, return_sequences: bool = False, return_state: bool = False):
    """(batch, time, features) -> (batch, time, units) or (batch, units); + [h] state"""
    return _rnn("GRU", x, units, return_sequences, return_state, states=1)


@signature("SimpleRNN", ndim=3, defined=(-1,), weights=(-1,), positional=SIMPLE_RNN_ARGS)
def simple_rnn(x: Shape, units: Size, return_sequences: bool = False, return_state: bool = False):
    """(batch, time, features) -> (batch, time, units) or (batch, units); + [h] state"""
    return _rnn("SimpleRNN", x, units, return_sequences, return_state, states=1)


@signature("TimeDistributed", min_ndim=3, wrapper="layer", positional="layer")
def time_distributed(x: Shape, layer: Applied) -> Shape:
    """(batch, time, *rest) -> (batch, time, *layer((batch, *rest))[1:])"""
    inner = layer((x[0], *x[2:]))
    return (inner[0], x[1], *inner[1:])


@signature("Bidirectional", min_ndim=3, wrapper="layer",
           positional="layer merge_mode weights backward_layer")
def bidirectional(x: Shape, layer: Applied, merge_mode="concat", backward_layer=None):
    """(batch, time, features) -> layer's output, last axis doubled (concat) or kept; None: both"""
    if backward_layer is not None:
        return None  # Keras reports the forward layer's shape; the backward one may differ
    if merge_mode not in ("concat", "sum", "mul", "ave", None):
        raise ShapeError("KS203", f"Bidirectional merge_mode must be 'concat', 'sum', 'mul', "
                         f"'ave' or None, got merge_mode={merge_mode!r}",
                         found=f"merge_mode={merge_mode!r}")
    out = layer(x)
    if out is None or isinstance(out, list):
        return None  # return_state=True: the states do not pass through `layer`
    if merge_mode == "concat":
        return (*out[:-1], mul(out[-1], 2))
    if merge_mode is None:
        return [out, out]
    return out
