"""Unit tests of the shape domain helpers (no TensorFlow)."""

from __future__ import annotations

import pickle

import pytest

from kerasshape import shapes
from kerasshape.shapes import (
    UNK, ShapeError, SymDim, add, as_tuple, conv_length, deconv_length, differs, floordiv, fmt,
    fully_known, join_dim, join_shape, mul, prod, same, sub, to_json,
)


def same_dim(got, expected) -> bool:
    """Equal as dims: UNK and None only match themselves."""
    if isinstance(got, str) and isinstance(expected, str):  # a named size, computed or not
        return got == expected
    return got is expected or (type(got) is type(expected) and got == expected)


def test_unk_is_a_singleton_that_survives_pickling():
    assert shapes._Unk() is UNK
    assert pickle.loads(pickle.dumps(UNK)) is UNK
    assert repr(UNK) == "?"


@pytest.mark.parametrize("length, kernel, padding, stride, dilation, expected", [
    (28, 3, "valid", 1, 1, 26),
    (28, 3, "same", 1, 1, 28),
    (28, 3, "valid", 2, 1, 13),
    (28, 3, "same", 2, 1, 14),
    (7, 3, "same", 2, 1, 4),           # ceil(7 / 2)
    (7, 2, "valid", 2, 1, 3),          # the last column is dropped
    (10, 3, "valid", 1, 2, 6),         # effective kernel (3 - 1) * 2 + 1 = 5
    (10, 3, "same", 1, 2, 10),
    (2, 3, "valid", 1, 1, 0),          # zero: the caller reports it (KS202)
    (0, 3, "same", 1, 1, 0),
    (10, 3, "causal", 1, 1, 10),
    (None, 3, "valid", 1, 1, None),    # Keras's None stays None
    ("n", 3, "valid", 1, 1, "n - 2"),  # a named size gives a named expression
    ("n", 2, "valid", 2, 1, "n // 2"),
    ("n", 3, "same", 2, 1, "(n + 1) // 2"),
    (UNK, 3, "valid", 1, 1, UNK),
    (10, UNK, "valid", 1, 1, UNK),
    (10, 3, "valid", UNK, 1, UNK),
])
def test_conv_length(length, kernel, padding, stride, dilation, expected):
    assert same_dim(conv_length(length, kernel, padding, stride, dilation), expected)


@pytest.mark.parametrize("length, kernel, padding, stride, output_padding, dilation, expected", [
    (7, 3, "valid", 1, None, 1, 9),
    (7, 3, "same", 1, None, 1, 7),
    (7, 3, "valid", 2, None, 1, 15),    # (7 - 1) * 2 + max(3, 2)
    (7, 3, "same", 2, None, 1, 14),     # 7 * 2
    (7, 2, "valid", 3, None, 1, 21),    # (7 - 1) * 3 + max(2, 3)
    (7, 3, "valid", 2, 1, 1, 16),       # (7 - 1) * 2 + 3 + 1
    (7, 3, "same", 2, 1, 1, 14),        # (7 - 1) * 2 + 3 % 2 + 1
    (7, 4, "same", 2, 0, 1, 12),        # (7 - 1) * 2 + 4 % 2 + 0
    (7, 5, "same", 2, 1, 1, 14),
    (7, 3, "valid", 1, None, 2, 11),    # effective kernel 5
    (7, 3, "same", 1, 0, 3, 7),         # effective kernel 7, odd
    (None, 3, "valid", 2, None, 1, None),
    ("h", 3, "valid", 2, None, 1, "2 * h + 1"),
    (7, 3, "valid", 2, UNK, 1, UNK),
])
def test_deconv_length(length, kernel, padding, stride, output_padding, dilation, expected):
    got = deconv_length(length, kernel, padding, stride, output_padding, dilation)
    assert same_dim(got, expected)


def test_prod_with_none_and_unk():
    assert prod([]) == 1
    assert prod([2, 3, 4]) == 24
    assert prod([2, None, 4]) is None
    assert prod([2, UNK, 4]) is UNK
    assert prod([UNK, None]) is None        # Keras's None wins: Flatten gives None
    assert prod(["n", 3]) == "3 * n"
    assert prod(["h", "w", 8]) == "8 * h * w"
    assert prod(iter([5, 2])) == 10         # any iterable, used once


def test_add_and_mul():
    assert add(2, 3) == 5 and mul(2, 3) == 6
    assert add(None, 3) is None and mul(3, None) is None
    assert add(UNK, 3) is UNK and mul("n", 2) == "2 * n" and mul("n", UNK) is UNK
    assert add(UNK, None) is None


def test_dim_comparisons():
    assert differs(2, 3) and not differs(2, 2)
    assert not differs(2, None) and not differs(2, UNK) and not differs(2, "n")
    assert same(2, 2) and same("n", "n")
    assert not same(None, None) and not same(UNK, UNK) and not same("n", "m")


def test_join_dim():
    assert join_dim(3, 3) == 3
    assert join_dim("n", "n") == "n"
    assert join_dim(None, None) is None
    assert join_dim(3, 4) is UNK
    assert join_dim(3, None) is UNK
    assert join_dim(True, 1) is UNK         # a bool is not the size 1


def test_join_shape():
    assert join_shape((None, 3, 4), (None, 3, 5)) == (None, 3, UNK)
    assert join_shape((None, 3), (None, 3)) == (None, 3)
    assert join_shape((None, 3), (None, 3, 1)) is None   # ranks differ
    assert join_shape(None, (None, 3)) is None
    assert join_shape((), ()) == ()


def test_as_tuple():
    assert as_tuple(3, 2) == (3, 3)
    assert as_tuple((1, 2), 2) == (1, 2)
    assert as_tuple([1, 2], 2) == (1, 2)
    assert as_tuple((1, 2, 3), 2) == (UNK, UNK)
    assert as_tuple((1, "k"), 2) == (1, UNK)
    assert as_tuple(UNK, 2) == (UNK, UNK)
    assert as_tuple(None, 2) == (UNK, UNK)


def test_fmt():
    assert fmt((None, 10, 32)) == "(None, 10, 32)"
    assert fmt((None,)) == "(None,)"
    assert fmt(()) == "()"
    assert fmt((None, UNK, "n_features")) == "(None, ?, n_features)"
    assert fmt(None) == "unknown"


def test_to_json():
    assert to_json((None, 20, 5)) == [None, 20, 5]
    assert to_json((None, "n", UNK)) == [None, "n", None]
    assert to_json(None) is None
    assert to_json(()) == []


def test_fully_known():
    assert fully_known((None, 3, "n"))
    assert not fully_known((None, UNK))
    assert not fully_known(None)


def test_shape_error_carries_its_fields():
    err = ShapeError("KS201", "Reshape cannot turn (None, 6) into (4,)", expected="6 elements",
                     found="4 elements", hint="fix it")
    assert str(err) == "Reshape cannot turn (None, 6) into (4,)"
    assert (err.code, err.expected, err.found, err.hint) == ("KS201", "6 elements", "4 elements",
                                                             "fix it")
    with pytest.raises(ShapeError):
        raise err


def test_public_names_exist():
    assert all(hasattr(shapes, name) for name in shapes.__all__)


def test_named_size_arithmetic_keeps_a_canonical_form():
    h = conv_length("h", 3, "valid", 1)                        # h - 2
    assert h == "h - 2" and add(h, 2) == "h" and sub(h, h) == 0
    assert add("w", "h") == add("h", "w") == "h + w"            # one spelling per value
    assert conv_length(conv_length("h", 2, "valid", 2), 3, "valid", 1) == "h // 2 - 2"
    assert floordiv(mul("n", 4), 2) == "2 * n"                   # exact division stays linear
    assert floordiv(add("n", 5), 2) == "(n + 1) // 2 + 2"        # floor: (n + 5) // 2
    assert mul(conv_length("h", 3, "valid", 1), "w") == "(h - 2) * w"
    assert sub(0, "n") == "-n" and floordiv("n", 0) is UNK and floordiv("n", "m") is UNK


def test_named_size_arithmetic_never_guesses():
    long = "a_rather_long_name_for_a_size_" * 4                 # 120 characters
    assert mul(add(long, 1), add(long, 2)) is UNK               # too long to read: unknown
    # a sum of eight embedding widths (keras-io's decision forests) is still written out
    eight = add(add(add("e1", "e2#2"), add("e3#3", "e4#4")), add(add("e5#5", "e6#6"), "e7#7"))
    assert add(eight, add("e8#10", 5)) == "e1 + e2#2 + e3#3 + e4#4 + e5#5 + e6#6 + e7#7 + e8#10 + 5"
    assert add("n", None) is None and mul(None, "n") is None    # Keras's None still wins
    assert not differs("n - 2", 5) and not differs(add("n", 1), "n")  # never compared with ints


def test_named_sizes_pickle_with_their_form():
    d = conv_length("h", 3, "same", 2)
    back = pickle.loads(pickle.dumps(d))
    assert back == d and isinstance(back, SymDim) and add(back, 1) == add(d, 1)


def test_exact_division_only_when_it_divides():
    from kerasshape.shapes import exact_div
    assert exact_div(prod(["h", "w", 8]), 8) == "h * w" and exact_div(12, 4) == 3
    assert exact_div(add(mul("h", 8), 4), 8) is UNK and exact_div(10, 4) is UNK
    assert exact_div("h", "w") is UNK
