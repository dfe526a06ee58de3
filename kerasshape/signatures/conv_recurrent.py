"""Convolutional recurrent layers: ConvLSTM1D/2D/3D.

Each step runs a convolution over (batch, *spatial, channels) (or channels first); the output
and both states have the convolution's output shape. Keras builds the cell on the spatial
sizes too, so every axis but the batch and the time must be defined.
"""

from __future__ import annotations

from ..shapes import Shape, ShapeError, conv_length, fmt, is_int
from . import Sizes, signature
from .conv import _check_positive, _data_format, _join, _padding, _sizes, _split

CONV_LSTM_ARGS = ("filters kernel_size strides padding data_format dilation_rate activation "
                  "recurrent_activation use_bias kernel_initializer recurrent_initializer "
                  "bias_initializer unit_forget_bias kernel_regularizer recurrent_regularizer "
                  "bias_regularizer activity_regularizer kernel_constraint recurrent_constraint "
                  "bias_constraint dropout recurrent_dropout seed return_sequences return_state "
                  "go_backwards stateful")


def _steps_defined(n: int) -> tuple:
    """Every axis after (batch, time): the spatial ones and the channels, either order."""
    return tuple(range(2, n + 3))


def _channels(args: dict) -> tuple:
    """The channels axis of the sequence: 2 (channels_first) or -1; () when not known."""
    data_format = args.get("data_format")
    if data_format is not None and not isinstance(data_format, str):
        return ()
    return (2,) if isinstance(data_format, str) and data_format.lower() == "channels_first" \
        else (-1,)


def _conv_lstm(name: str, n: int, x: Shape, filters, kernel_size, strides, padding, data_format,
               dilation_rate, return_sequences: bool, return_state: bool):
    # Keras's ConvLSTMCell takes filters=0 (a negative count fails on the kernel shape) and
    # strides=0 (then computing the output size fails: the same outcome, said earlier here)
    if is_int(filters) and filters < 0:
        raise ShapeError("KS203", f"{name} needs filters >= 0, got filters={filters}",
                         found=f"filters={filters}", hint="pass filters >= 1")
    kernel = _sizes(name, "kernel_size", kernel_size, n)
    stride = _sizes(name, "strides", strides, n)
    dilation = _sizes(name, "dilation_rate", dilation_rate, n)
    if any(is_int(s) and s > 1 for s in stride) and any(is_int(d) and d > 1 for d in dilation):
        raise ShapeError("KS203", f"{name} cannot combine strides={fmt(stride)} > 1 with "
                         f"dilation_rate={fmt(dilation)} > 1", hint="set one of them to 1")
    data_format = _data_format(name, data_format)
    padding = _padding(name, padding)
    if data_format is None or padding is None:
        return None
    batch, spatial, _ = _split((x[0], *x[2:]), data_format)
    if padding == "same":
        kernel, dilation = (1,) * n, (1,) * n
    out = tuple(conv_length(size, k, padding, s, d)
                for size, k, s, d in zip(spatial, kernel, stride, dilation))
    if padding == "valid":
        _check_positive(name, x, out, kernel, "kernel_size")
    state = _join(batch, out, filters, data_format)
    output = (batch, x[1], *state[1:]) if return_sequences else state
    return [output, state, state] if return_state else output


@signature("ConvLSTM1D", ndim=4, defined=_steps_defined(1), weights=_channels,
           positional=CONV_LSTM_ARGS, reuse_checked=False)
def conv_lstm1d(x: Shape, filters: Sizes, kernel_size: Sizes, strides: Sizes = 1,
                padding: str = "valid", data_format: str | None = None, dilation_rate: Sizes = 1,
                return_sequences: bool = False, return_state: bool = False,
                go_backwards: bool = False):
    """(batch, time, steps, c) -> (batch, [time,] steps', filters), steps' as Conv1D's; + [h, c]"""
    return _conv_lstm("ConvLSTM1D", 1, x, filters, kernel_size, strides, padding, data_format,
                      dilation_rate, return_sequences, return_state)


@signature("ConvLSTM2D", ndim=5, defined=_steps_defined(2), weights=_channels,
           positional=CONV_LSTM_ARGS, reuse_checked=False)
def conv_lstm2d(x: Shape, filters: Sizes, kernel_size: Sizes, strides: Sizes = 1,
                padding: str = "valid", data_format: str | None = None, dilation_rate: Sizes = 1,
                return_sequences: bool = False, return_state: bool = False,
                go_backwards: bool = False):
    """(batch, time, h, w, c) -> (batch, [time,] h', w', filters), as Conv2D's; + [h, c]"""
    return _conv_lstm("ConvLSTM2D", 2, x, filters, kernel_size, strides, padding, data_format,
                      dilation_rate, return_sequences, return_state)


@signature("ConvLSTM3D", ndim=6, defined=_steps_defined(3), weights=_channels,
           positional=CONV_LSTM_ARGS, reuse_checked=False)
def conv_lstm3d(x: Shape, filters: Sizes, kernel_size: Sizes, strides: Sizes = 1,
                padding: str = "valid", data_format: str | None = None, dilation_rate: Sizes = 1,
                return_sequences: bool = False, return_state: bool = False,
                go_backwards: bool = False):
    """(batch, time, d, h, w, c) -> (batch, [time,] d', h', w', filters), as Conv3D's; + [h, c]"""
    return _conv_lstm("ConvLSTM3D", 3, x, filters, kernel_size, strides, padding, data_format,
                      dilation_rate, return_sequences, return_state)
