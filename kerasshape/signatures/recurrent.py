"""Recurrent layers and their wrappers."""

from __future__ import annotations

from ..shapes import Shape
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
