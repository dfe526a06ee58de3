"""Attention layers: called on several tensors (query, value, key)."""

from __future__ import annotations

from ..shapes import UNK, ShapeError, differs, fmt, is_int
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


def _exact_differ(a, b) -> bool:
    """Certainly different under Keras's `!=`, where a None against a size is a mismatch too."""
    if is_int(a) and is_int(b):
        return a != b
    if a is UNK or b is UNK:
        return False
    return (a is None) != (b is None)


@signature("GroupQueryAttention", ndim=3,
           positional="head_dim num_query_heads num_key_value_heads dropout use_bias",
           inputs="query value key?", call_args="return_attention_scores")
def group_query_attention(x: tuple, head_dim: Size, num_query_heads: Size,
                          num_key_value_heads: Size, sliding_window=None,
                          return_attention_scores: bool = False):
    """query (batch, Tq, dim), value (batch, Tv, dim) -> (batch, Tq, dim); scores (batch, num_query_heads, Tq, Tv)"""
    layer = "GroupQueryAttention"
    query, value, key = x
    for name, v in (("head_dim", head_dim), ("num_key_value_heads", num_key_value_heads)):
        positive(layer, name, v)
    if is_int(num_query_heads) and num_query_heads <= 0:
        # 0 builds, but the first batch fails on the empty projection
        raise ShapeError("KS203", f"{layer} needs a positive `num_query_heads`, got "
                                  f"num_query_heads={num_query_heads}",
                         found=f"num_query_heads={num_query_heads}", hint="pass num_query_heads >= 1")
    if is_int(num_query_heads) and is_int(num_key_value_heads) and \
            num_query_heads % num_key_value_heads:
        raise ShapeError("KS203", f"{layer} needs num_query_heads divisible by "
                                  f"num_key_value_heads, got {num_query_heads} and "
                                  f"{num_key_value_heads}",
                         found=f"num_query_heads={num_query_heads}, "
                               f"num_key_value_heads={num_key_value_heads}",
                         hint="each key/value head serves a whole group of query heads")
    if sliding_window is not None and (not is_int(sliding_window) or sliding_window <= 0):
        if sliding_window is UNK:
            return None
        raise ShapeError("KS203", f"{layer} needs a positive int `sliding_window` (or None), "
                                  f"got sliding_window={sliding_window!r}",
                         found=f"sliding_window={sliding_window!r}")
    given_key = key is not None
    key = value if key is None else key
    _last_defined(layer, {"query": query, "value": value, "key": key})
    if _exact_differ(query[-1], value[-1]):
        raise ShapeError("KS301", f"{layer} needs `query` and `value` of the same last axis, got "
                                  f"query {fmt(query)} and value {fmt(value)}",
                         found=f"{fmt(query)}, {fmt(value)}",
                         hint="project the value to the query's feature size first")
    if _exact_differ(value[1], key[1]):
        raise ShapeError("KS301", f"{layer} needs `value` and `key` equal on every axis but the "
                                  f"last, got value {fmt(value)} and key {fmt(key)}",
                         found=f"{fmt(value)}, {fmt(key)}")
    batches = [t[0] for t in (query, value, key) if is_int(t[0])]
    if len(set(batches)) > 1:  # the symbolic call takes it; the first batch fails
        raise ShapeError("KS301", f"{layer} needs equal batch sizes, got query {fmt(query)}, "
                                  f"value {fmt(value)}" + (f", key {fmt(key)}" if given_key else ""),
                         found=f"{fmt(query)}, {fmt(value)}")
    if return_attention_scores:
        return [query, (query[0], num_query_heads, query[1], key[1])]
    return query
