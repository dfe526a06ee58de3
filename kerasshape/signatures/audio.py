"""Audio layers (STFTSpectrogram, MelSpectrogram) and ReversibleEmbedding.

Keras builds these on symbolic inputs from their compute_output_shape; some inputs it
accepts symbolically then fail on data (ReversibleEmbedding(reverse=True) with another last
size than output_dim, MelSpectrogram on a signal too short for its centred frames or of
too few samples). Those are reported like the other data-time failures of the table. Where Keras's
symbolic MelSpectrogram length differs from the length its data gets, the output is unknown.
"""

from __future__ import annotations

import math

from ..shapes import Shape, ShapeError, fmt, is_int
from . import Size, positive, signature


def _int(v) -> bool:
    return is_int(v) and not isinstance(v, bool)


# ------------------------------------------------------------- ReversibleEmbedding

@signature("ReversibleEmbedding", positional="input_dim output_dim", call_args="reverse")
def reversible_embedding(x: Shape, input_dim: Size, output_dim: Size, reverse=False) -> Shape:
    """(batch, ...) of ids -> (batch, ..., output_dim); reverse=True: (..., output_dim) -> (..., input_dim)"""
    positive("ReversibleEmbedding", "input_dim", input_dim)
    positive("ReversibleEmbedding", "output_dim", output_dim)
    if not isinstance(reverse, bool):
        return None
    if not reverse:
        return (*x, output_dim)
    if len(x) == 0:
        raise ShapeError("KS101", "ReversibleEmbedding(reverse=True) expects 1D or higher, got a scalar",
                         found=fmt(x), hint="call it on (..., output_dim) hidden states")
    if _int(x[-1]) and _int(output_dim) and x[-1] != output_dim:
        raise ShapeError(
            "KS203", f"ReversibleEmbedding(reverse=True) multiplies by the (output_dim, input_dim) "
            f"matrix: the last axis must be output_dim={output_dim}, got {fmt(x)}",
            expected=f"last axis {output_dim}", found=fmt(x),
            hint="call reverse=True on hidden states of size output_dim")
    return (*x[:-1], input_dim)


# ------------------------------------------------------------------ STFTSpectrogram

_STFT_MODES = ("log", "magnitude", "psd", "real", "imag", "angle", "stft")


def _stft_channels(args: dict) -> tuple:
    return (1,) if args.get("data_format") == "channels_first" else (-1,)


def _frames(n, frame: int, step: int, padding: str):
    """signal length -> number of frames of a strided 1D convolution (None stays None)"""
    if n is None:
        return None
    if padding == "same":
        return (n - 1) // step + 1
    return (n - frame) // step + 1


def _bad(layer: str, message: str, found: str) -> ShapeError:
    return ShapeError("KS203", f"{layer}: {message}", found=found)


@signature("STFTSpectrogram", ndim=3, defined=_stft_channels,
           positional="mode frame_length frame_step fft_length window periodic scaling padding "
                      "expand_dims data_format")
def stft_spectrogram(x: Shape, mode="log", frame_length=256, frame_step=None, fft_length=None,
                     padding="valid", expand_dims=False, data_format=None) -> Shape:
    """(batch, time, c) -> (batch, frames, (fft_length // 2 + 1) * c), frames as Conv1D's"""
    if not _int(frame_length) or frame_length < 1:
        return None
    if frame_step is not None:
        if not _int(frame_step):
            return None
        if frame_step > frame_length or frame_step < 1:
            raise _bad("STFTSpectrogram", f"frame_step={frame_step} must be in 1..frame_length"
                       f"={frame_length}", f"frame_step={frame_step}")
    if fft_length is not None:
        if not _int(fft_length):
            return None
        if fft_length < frame_length:
            raise _bad("STFTSpectrogram", f"fft_length={fft_length} is less than frame_length="
                       f"{frame_length}", f"fft_length={fft_length}")
    if mode not in _STFT_MODES or padding not in ("valid", "same") \
            or data_format not in (None, "channels_last", "channels_first") \
            or not isinstance(expand_dims, bool):
        return None  # Keras refuses these in the constructor; not reported here
    step = frame_step or frame_length // 2
    if step < 1:
        return None
    fft = fft_length or 2 ** int(math.ceil(math.log2(frame_length)))
    bins = (fft // 2 + 1) * (2 if mode == "stft" else 1)
    first = data_format == "channels_first"
    channels, n = (x[1], x[2]) if first else (x[2], x[1])
    if not _int(channels) or not (n is None or _int(n)):
        return None
    frames = _frames(n, frame_length, step, padding)
    if frames is not None and frames <= 0 and padding == "valid":
        raise ShapeError("KS202", f"STFTSpectrogram: {n} samples are fewer than frame_length="
                         f"{frame_length} (padding='valid')", found=fmt(x),
                         hint="use a longer signal, a smaller frame_length or padding='same'")
    if frames is not None and frames <= 0:
        return None
    if expand_dims:
        return (x[0], channels, frames, bins) if first else (x[0], frames, bins, channels)
    return (x[0], bins * channels, frames) if first else (x[0], frames, bins * channels)


# ------------------------------------------------------------------- MelSpectrogram

@signature("MelSpectrogram", min_ndim=1,
           positional="fft_length sequence_stride sequence_length window sampling_rate num_mel_bins")
def mel_spectrogram(x: Shape, fft_length=2048, sequence_stride=512, sequence_length=None,
                    window="hann", num_mel_bins=128) -> Shape:
    """(batch, samples) or (samples,) -> (batch, num_mel_bins, 1 + samples // sequence_stride); 3D+ unknown"""
    if not all(_int(v) for v in (fft_length, sequence_stride, num_mel_bins)) \
            or (sequence_length is not None and not _int(sequence_length)):
        return None
    length = sequence_length or fft_length
    if fft_length < length:
        raise _bad("MelSpectrogram", f"fft_length={fft_length} is less than sequence_length="
                   f"{length}", f"sequence_length={length}")
    if sequence_stride < 1 or num_mel_bins < 1 or fft_length < 1 or window not in ("hann", "hamming"):
        return None  # fails or behaves oddly in Keras: not guessed
    if len(x) > 2:
        return None  # Keras's symbolic shape is 3D, on data it keeps every leading axis
    n = x[-1]
    head = x[:-1]
    if n is None:
        return (*head, num_mel_bins, None)
    if not _int(n):
        return None
    half = fft_length // 2
    if n <= half:
        raise ShapeError(
            "KS203", f"MelSpectrogram pads the signal by fft_length // 2 = {half} samples on each "
            f"side by reflection, which needs more than {half} samples, got {fmt(x)}",
            expected=f"more than {half} samples", found=fmt(x),
            hint="use a longer signal or a smaller fft_length")
    symbolic = (n + sequence_stride + 1) // sequence_stride
    on_data = 1 + (n + 2 * half - fft_length) // sequence_stride
    if symbolic != on_data:
        return None  # Keras's symbolic length is not the length its data gets
    return (*head, num_mel_bins, on_data)
