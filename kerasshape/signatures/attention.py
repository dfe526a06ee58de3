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


def _dot_attention(layer: str, xs: list, return_attention_scores: bool):
    if not 2 <= len(xs) <= 3:
        raise ShapeError("KS301", f"{layer} is called on [query, value] or [query, value, key], "
                         f"got {len(xs)} tensors")
    query, value = xs[0], xs[1]
    key = xs[2] if len(xs) > 2 else value
    out = (*query[:-1], value[-1])
    if return_attention_scores:
        if len(key) < 2:
            return None
        return [out, (*query[:-1], key[-2])]
    return out


@signature("Attention", many=True, call_args="return_attention_scores")
def attention(xs: list, return_attention_scores: bool = False):
    """[query (batch, Tq, dim), value (batch, Tv, dim_v)] -> (batch, Tq, dim_v); scores (batch, Tq, Tv)"""
    return _dot_attention("Attention", xs, return_attention_scores)


@signature("AdditiveAttention", many=True, call_args="return_attention_scores", positional="use_scale")
def additive_attention(xs: list, use_scale: bool = True, return_attention_scores: bool = False):
    """[query (batch, Tq, dim), value (batch, Tv, dim_v)] -> (batch, Tq, dim_v); scores (batch, Tq, Tv)"""
    if use_scale and xs and xs[0][-1] is None:
        # the learned scale has one entry per query feature
        raise ShapeError("KS103", f"AdditiveAttention(use_scale=True) needs a defined last axis on "
                         f"the query, got {fmt(xs[0])}", found=fmt(xs[0]))
    return _dot_attention("AdditiveAttention", xs, return_attention_scores)
