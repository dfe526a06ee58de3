"""Attention layers: called on several tensors (query, value, key)."""

from __future__ import annotations

from ..shapes import ShapeError, differs, fmt, is_int
from . import Size, positive, signature


def _last_defined(layer: str, shapes: dict) -> None:
    # the projections build kernels on the last axis of every input
    for name, shape in shapes.items():
        if shape is not None and shape[-1] is None:
            raise ShapeError("KS103", f"{layer} needs a defined last axis on `{name}`, got {fmt(shape)}",
                             found=fmt(shape))


@signature("MultiHeadAttention", min_ndim=2, positional="num_heads key_dim value_dim",
           inputs="query value key?", call_args="return_attention_scores")
def multi_head_attention(x: tuple, num_heads: Size, key_dim: Size, output_shape=None,
                         return_attention_scores: bool = False):
    """query (batch, Tq, dim), value (batch, Tv, dim_v) -> (batch, Tq, output_shape or dim)"""
    query, value, key = x
    positive("MultiHeadAttention", "num_heads", num_heads)
    positive("MultiHeadAttention", "key_dim", key_dim)
    key = value if key is None else key
    _last_defined("MultiHeadAttention", {"query": query, "value": value, "key": key})
    # Keras compares value and key on every axis but the batch and the last: exactly, so a
    # None against a size also fails
    if len(value) != len(key) or any(
            differs(a, b) or (a is None) != (b is None) and (is_int(a) or is_int(b))
            for a, b in zip(value[1:-1], key[1:-1])):
        raise ShapeError("KS301", "MultiHeadAttention needs `value` and `key` equal on every axis "
                         f"but the last, got value {fmt(value)} and key {fmt(key)}",
                         found=f"{fmt(value)}, {fmt(key)}")
    if output_shape is None:
        out = query
    elif is_int(output_shape):
        out = (*query[:-1], output_shape)
    elif isinstance(output_shape, tuple):
        out = (*query[:-1], *output_shape)
    else:
        return None
    if return_attention_scores:
        # Keras's symbolic scores: (batch, num_heads, Tq, Tq)
        return [out, (query[0], num_heads, query[1], query[1])]
    return out
