"""Preprocessing layers whose output shape follows from their arguments: the lookups
(StringLookup, IntegerLookup, TextVectorization), the encoders (CategoryEncoding, Hashing,
HashedCrossing, Discretization) and Normalization.

The encoded axis of a lookup is its vocabulary size. It is known when the vocabulary is a
literal list (or ``pad_to_max_tokens`` fixes it to ``max_tokens``); a vocabulary learnt by
``adapt(data)``, read from a file or held in an array kerasshape cannot evaluate leaves it
unknown (``UNK``), never a guess. The shapes are Keras's symbolic ones (what ``summary()``
shows and what the next layers are built on), with the errors Keras raises at construction,
at the symbolic call, and on the first batch where the rank alone decides it.
"""

from __future__ import annotations

from ..shapes import UNK, Shape, ShapeError, VocabSize, add, fmt, is_int
from . import Size, signature

_MODES = ("int", "one_hot", "multi_hot", "count", "tf_idf")
_ALIASES = {"binary": "multi_hot", "tf-idf": "tf_idf"}


class _GiveUp(Exception):
    """An argument kerasshape cannot judge: the output is unknown, nothing is reported."""


def _bad(layer: str, message: str, found: str, hint: str | None = None) -> ShapeError:
    return ShapeError("KS203", f"{layer} {message}", found=found, hint=hint)


def _mode(layer: str, output_mode, allowed: tuple = _MODES, aliases: dict = _ALIASES) -> str:
    mode = aliases.get(output_mode, output_mode) if isinstance(output_mode, str) else output_mode
    if mode not in allowed:
        raise _bad(layer, f"takes output_mode in {', '.join(repr(m) for m in allowed)}, "
                          f"got output_mode={output_mode!r}", f"output_mode={output_mode!r}")
    return mode


def _sized(d) -> bool:
    """Certainly not None: an int or a named size."""
    return is_int(d) or isinstance(d, str)


def _flag(value) -> bool:
    return bool(value) and value is not UNK


def _encoded(x: Shape, depth, mode: str) -> Shape | None:
    """A lookup's output for one_hot (a new last axis, or the last axis when it is 1) and
    for multi_hot/count/tf_idf (the last axis becomes the depth)."""
    if mode == "int":
        return x
    if mode == "one_hot":
        if len(x) > 1 and not (is_int(x[-1]) or x[-1] is None):
            return None  # a named or unknown size may be 1: the rank depends on it
        if len(x) > 1 and x[-1] == 1:
            return (*x[:-1], depth)
        return (*x, depth)
    return (*x[:-1], depth)


def _vocabulary_size(layer: str, vocabulary, *, mask_token, oov_token, num_oov_indices,
                     output_mode: str, max_tokens, idf_weights, invert: bool, kind: type):
    """The number of indices a literal vocabulary gives, as IndexLookup.set_vocabulary counts
    them (mask and OOV indices included); UNK for one adapted, read from a file or not known."""
    if vocabulary is None or vocabulary is UNK or isinstance(vocabulary, str):
        return UNK  # adapt(data) or a file: known only at run time
    if isinstance(vocabulary, VocabSize):
        # terms made from data (``list(df[col].unique())``): their number is a named size;
        # the mask and OOV indices come first, as set_vocabulary counts them
        if not is_int(num_oov_indices) or max_tokens is not None or invert:
            return UNK
        oov_start = 1 if mask_token is not None and output_mode == "int" else 0
        return add(vocabulary.terms, oov_start + num_oov_indices)
    if not isinstance(vocabulary, (tuple, list)):
        raise _GiveUp()
    vocab = list(vocabulary)
    if any(v is UNK for v in vocab):
        return UNK
    if not all(isinstance(v, kind) and not isinstance(v, bool) for v in vocab):
        raise _GiveUp()  # tokens of another type: Keras's conversion decides, not shapes
    if not vocab:
        raise _bad(layer, "cannot take an empty vocabulary", "vocabulary=[]",
                   "pass at least one token, or leave vocabulary=None and call adapt()")
    if not is_int(num_oov_indices):
        return UNK
    oov_start = 1 if mask_token is not None and output_mode == "int" else 0
    token_start = oov_start + num_oov_indices
    special = [mask_token] * oov_start + [oov_token] * num_oov_indices
    tokens = vocab[token_start:] if vocab[:token_start] == special else vocab
    repeated = sorted({t for t in tokens if tokens.count(t) > 1}, key=str)
    if repeated:
        raise _bad(layer, f"needs a vocabulary without repeated terms, got {repeated} more "
                          "than once", f"vocabulary with {len(vocab)} terms",
                   "deduplicate the vocabulary")
    if mask_token is not None and mask_token in tokens:
        raise _bad(layer, f"finds its mask token {mask_token!r} inside the vocabulary",
                   f"mask_token={mask_token!r}",
                   "leave the mask and OOV tokens out of the vocabulary (or put them first)")
    if invert and oov_token is not None and oov_token in tokens:
        raise _bad(layer, f"finds its OOV token {oov_token!r} inside the vocabulary",
                   f"oov_token={oov_token!r}", "leave the OOV token out of the vocabulary")
    size = token_start + len(tokens)
    if is_int(max_tokens) and size > max_tokens:
        raise _bad(layer, f"has a vocabulary of {size} indices (mask and OOV included), more "
                          f"than max_tokens={max_tokens}", f"max_tokens={max_tokens}",
                   f"raise max_tokens to at least {size}")
    if output_mode == "tf_idf" and idf_weights is not None:
        if not isinstance(idf_weights, (tuple, list)) or any(
                isinstance(w, (tuple, list)) for w in idf_weights):
            raise _GiveUp()
        if len(idf_weights) != len(vocab):
            raise _bad(layer, f"needs one idf weight per vocabulary term, got "
                              f"{len(idf_weights)} weights for {len(vocab)} terms",
                       f"len(idf_weights)={len(idf_weights)}")
    return size


def _lookup(layer: str, x: Shape, *, max_tokens, num_oov_indices, mask_token, oov_token,
            vocabulary, idf_weights, invert, output_mode, sparse, pad_to_max_tokens,
            kind: type) -> Shape | None:
    """The checks IndexLookup makes in its constructor, then its compute_output_shape."""
    mode = _mode(layer, output_mode)
    if is_int(max_tokens) and max_tokens <= 1:
        raise _bad(layer, f"needs max_tokens > 1 when set, got max_tokens={max_tokens}",
                   f"max_tokens={max_tokens}", "pass max_tokens=None or a size of 2 or more")
    if _flag(pad_to_max_tokens) and max_tokens is None:
        raise _bad(layer, "needs max_tokens when pad_to_max_tokens=True",
                   "max_tokens=None", "pass max_tokens=<the encoded size>")
    if is_int(num_oov_indices) and num_oov_indices < 0:
        raise _bad(layer, f"needs num_oov_indices >= 0, got {num_oov_indices}",
                   f"num_oov_indices={num_oov_indices}")
    if _flag(invert) and mode != "int":
        raise _bad(layer, f"can invert only with output_mode='int', got {output_mode!r}",
                   f"output_mode={output_mode!r}")
    if _flag(sparse) and mode == "int":
        raise _bad(layer, "can be sparse only with an encoding output_mode, not 'int'",
                   "sparse=True")
    if idf_weights is not None and mode != "tf_idf":
        raise _bad(layer, f"takes idf_weights only with output_mode='tf_idf', got "
                          f"{output_mode!r}", "idf_weights=...")
    # a vocabulary held in a name may be None at run time: only a literal list counts here
    if mode == "tf_idf" and isinstance(vocabulary, (tuple, list)) and idf_weights is None:
        raise _bad(layer, "needs idf_weights with a vocabulary in output_mode='tf_idf'",
                   "idf_weights=None", "pass idf_weights=[...] (one per term)")
    if mode == "tf_idf" and _flag(sparse):
        return None  # builds, then fails on the first batch inside TensorFlow (GatherNd)
    try:
        size = _vocabulary_size(layer, vocabulary, mask_token=mask_token, oov_token=oov_token,
                                num_oov_indices=num_oov_indices, output_mode=mode,
                                max_tokens=max_tokens, idf_weights=idf_weights,
                                invert=_flag(invert), kind=kind)
    except _GiveUp:
        return None
    if pad_to_max_tokens is UNK:
        depth = UNK
    else:
        depth = max_tokens if pad_to_max_tokens else size
    return _encoded(x, depth, mode)


LOOKUP_ARGS = ("max_tokens num_oov_indices mask_token oov_token vocabulary idf_weights invert "
               "output_mode pad_to_max_tokens sparse")


@signature("StringLookup", positional=LOOKUP_ARGS + " encoding name")
def string_lookup(x: Shape, max_tokens: Size = None, num_oov_indices: Size = 1,
                  mask_token=None, oov_token="[UNK]", vocabulary: Size = None,
                  idf_weights=None, invert=False, output_mode="int",
                  pad_to_max_tokens=False, sparse=False) -> Shape | None:
    """(batch, ...) strings -> int: the same shape; one_hot: (..., vocab) appended; multi_hot/count/tf_idf: the last axis becomes vocab"""
    return _lookup("StringLookup", x, max_tokens=max_tokens, num_oov_indices=num_oov_indices,
                   mask_token=mask_token, oov_token=oov_token, vocabulary=vocabulary,
                   idf_weights=idf_weights, invert=invert, output_mode=output_mode,
                   sparse=sparse, pad_to_max_tokens=pad_to_max_tokens, kind=str)


@signature("IntegerLookup", positional="max_tokens num_oov_indices mask_token oov_token "
                                       "vocabulary vocabulary_dtype idf_weights invert "
                                       "output_mode sparse pad_to_max_tokens")
def integer_lookup(x: Shape, max_tokens: Size = None, num_oov_indices: Size = 1,
                   mask_token=None, oov_token=-1, vocabulary: Size = None,
                   vocabulary_dtype="int64", idf_weights=None, invert=False,
                   output_mode="int", sparse=False, pad_to_max_tokens=False) -> Shape | None:
    """(batch, ...) ints -> int: the same shape; one_hot: (..., vocab) appended; multi_hot/count/tf_idf: the last axis becomes vocab"""
    if vocabulary_dtype != "int64":
        raise _bad("IntegerLookup", f"supports only vocabulary_dtype='int64', got "
                                    f"{vocabulary_dtype!r}", f"vocabulary_dtype={vocabulary_dtype!r}")
    return _lookup("IntegerLookup", x, max_tokens=max_tokens, num_oov_indices=num_oov_indices,
                   mask_token=mask_token, oov_token=oov_token, vocabulary=vocabulary,
                   idf_weights=idf_weights, invert=invert, output_mode=output_mode,
                   sparse=sparse, pad_to_max_tokens=pad_to_max_tokens, kind=int)


def _splits_last(layer: str, x: Shape) -> None:
    """Splitting strings squeezes a last axis of 1: another size fails on the first batch."""
    if len(x) > 1 and is_int(x[-1]) and x[-1] != 1:
        raise ShapeError("KS101", f"{layer} splits one string per sample: it needs a (batch,) "
                                  f"or (batch, 1) input, got {fmt(x)}",
                         expected="(batch,) or (batch, 1)", found=fmt(x),
                         hint="feed one string per sample (shape=(1,)), or pass split=None "
                              "for inputs that are already tokens")


@signature("TextVectorization",
           positional="max_tokens standardize split ngrams output_mode output_sequence_length "
                      "pad_to_max_tokens vocabulary idf_weights sparse ragged encoding name")
def text_vectorization(x: Shape, max_tokens: Size = None, split="whitespace",
                       output_mode="int", output_sequence_length: Size = None,
                       pad_to_max_tokens=False, vocabulary: Size = None, idf_weights=None,
                       sparse=False, ragged=False) -> Shape | None:
    """(batch,) or (batch, 1) strings -> int: (batch, output_sequence_length); multi_hot/count/tf_idf: (batch, ..., vocab)"""
    layer = "TextVectorization"
    if split not in (None, "whitespace", "character"):
        raise _bad(layer, f"takes split in None, 'whitespace', 'character' or a callable, "
                          f"got split={split!r}", f"split={split!r}")
    mode = _mode(layer, output_mode)
    if mode == "int" and not (output_sequence_length is None or is_int(output_sequence_length)
                              or isinstance(output_sequence_length, str)
                              or output_sequence_length is UNK):
        raise _bad(layer, f"needs an int output_sequence_length, got "
                          f"{output_sequence_length!r}",
                   f"output_sequence_length={output_sequence_length!r}")
    if mode != "int" and is_int(output_sequence_length):
        raise _bad(layer, f"takes output_sequence_length only with output_mode='int', got "
                          f"output_mode={output_mode!r}",
                   f"output_sequence_length={output_sequence_length}",
                   "drop output_sequence_length: the encoded axis has the vocabulary's size")
    if _flag(ragged) and mode != "int":
        raise _bad(layer, "can be ragged only with output_mode='int'", "ragged=True")
    # the vocabulary lives in a StringLookup with mask_token="" and one OOV index
    shape = x
    if mode != "int":
        shape = (*x, 1) if split is None and len(x) <= 1 else x if split is None else (*x, None)
    out = _lookup(layer, shape, max_tokens=max_tokens, num_oov_indices=1, mask_token="",
                  oov_token="[UNK]", vocabulary=vocabulary, idf_weights=idf_weights,
                  invert=False, output_mode=mode, sparse=sparse,
                  pad_to_max_tokens=pad_to_max_tokens, kind=str)
    if mode == "int" and not x:
        raise ShapeError("KS101", f"{layer} needs a batch axis, got a scalar input ()",
                         expected="(batch,) or (batch, 1)", found="()")
    if split is not None:
        _splits_last(layer, x)
    if mode == "int":
        return (x[0], output_sequence_length) if out is not None else None
    return out


@signature("CategoryEncoding", positional="num_tokens output_mode sparse")
def category_encoding(x: Shape, num_tokens: Size = None, output_mode="multi_hot",
                      sparse=False) -> Shape | None:
    """(batch, ...) ints -> multi_hot/count: (..., num_tokens) replacing the last axis; one_hot: appended"""
    layer = "CategoryEncoding"
    mode = _mode(layer, output_mode, ("count", "one_hot", "multi_hot"), {"binary": "multi_hot"})
    if num_tokens is None:
        raise _bad(layer, "needs num_tokens (the number of categories)", "num_tokens=None",
                   "pass num_tokens=<max id + 1>, or use IntegerLookup for unknown ids")
    if is_int(num_tokens) and num_tokens < 1:
        raise _bad(layer, f"needs num_tokens >= 1, got num_tokens={num_tokens}",
                   f"num_tokens={num_tokens}")
    if not x:
        return (num_tokens,)
    if mode == "one_hot":
        if not (is_int(x[-1]) or x[-1] is None):
            return None
        if x[-1] != 1 or len(x) == 1:
            return (*x, num_tokens)
    return (*x[:-1], num_tokens)


@signature("Hashing", positional="num_bins mask_value salt output_mode sparse")
def hashing(x: Shape, num_bins: Size, output_mode="int", sparse=False) -> Shape | None:
    """(batch, ...) -> int: the same shape; one_hot/multi_hot/count: (..., num_bins) replacing the last axis"""
    layer = "Hashing"
    if num_bins is None or (is_int(num_bins) and num_bins <= 0):
        raise _bad(layer, f"needs a positive num_bins, got num_bins={num_bins}",
                   f"num_bins={num_bins}", "pass num_bins >= 1")
    mode = _mode(layer, output_mode, ("int", "one_hot", "multi_hot", "count"), {})
    if _flag(sparse) and mode == "int":
        raise _bad(layer, "can be sparse only with an encoding output_mode, not 'int'",
                   "sparse=True")
    if mode == "int":
        return x
    if not x:
        if mode == "one_hot":  # the first batch fails: a scalar has no last axis to squeeze
            raise ShapeError("KS101", f"{layer}(output_mode='one_hot') needs at least a 1D input, "
                                      "got ()", expected="1D or higher", found="()")
        return (num_bins,)
    return (*x[:-1], num_bins)


@signature("HashedCrossing", many=True, positional="num_bins output_mode sparse")
def hashed_crossing(xs: list, num_bins: Size, output_mode="int", sparse=False) -> Shape | None:
    """[(batch,) or (batch, 1)] * 2 -> int: the same shape; one_hot: (batch, num_bins)"""
    layer = "HashedCrossing"
    mode = _mode(layer, output_mode, ("int", "one_hot"), {})
    if len(xs) != 2:
        raise ShapeError("KS301", f"{layer} crosses exactly 2 inputs in a model, got {len(xs)}",
                         found=f"{len(xs)} inputs", hint="cross the features two at a time")
    a, b = xs
    found = f"{fmt(a)}, {fmt(b)}"
    for s in (a, b):
        # Keras reads the last axis of each; on the first batch it wants () , (batch,) or (batch, 1)
        if not s or len(s) > 2 or (len(s) == 2 and is_int(s[-1]) and s[-1] != 1):
            raise ShapeError("KS101", f"{layer} needs inputs of shape (batch,) or (batch, 1), "
                                      f"got {fmt(s)}", expected="(batch,) or (batch, 1)",
                             found=fmt(s))
    last_a, last_b = a[-1], b[-1]
    if len(a) != len(b) or (is_int(a[0]) and is_int(b[0]) and a[0] != b[0]) or \
            (is_int(last_a) and is_int(last_b) and last_a != last_b) or \
            (last_a is None and _sized(last_b)) or (last_b is None and _sized(last_a)):
        raise ShapeError("KS301", f"{layer} needs inputs of the same shape, got {found}",
                         found=found)
    if is_int(num_bins) and num_bins < 0:
        raise _bad(layer, f"needs num_bins >= 0, got num_bins={num_bins}", f"num_bins={num_bins}")
    if mode == "int":
        return a
    if not (is_int(a[-1]) or a[-1] is None):
        return None
    if a[-1] != 1:
        return (*a, num_bins)
    return (*a[:-1], num_bins)


@signature("Discretization", positional="bin_boundaries num_bins epsilon output_mode sparse")
def discretization(x: Shape, bin_boundaries=None, num_bins: Size = None, output_mode="int",
                   sparse=False) -> Shape | None:
    """(batch, ...) -> int: the same shape; one_hot: (..., bins); multi_hot/count: (batch, *axes 2.., bins)"""
    layer = "Discretization"
    if _flag(sparse) and output_mode == "int":
        raise _bad(layer, "can be sparse only with an encoding output_mode, not 'int'",
                   "sparse=True")
    mode = _mode(layer, output_mode, ("int", "one_hot", "multi_hot", "count"), {})
    if is_int(num_bins) and num_bins < 0:
        raise _bad(layer, f"needs num_bins >= 0, got num_bins={num_bins}", f"num_bins={num_bins}")
    if num_bins is not None and bin_boundaries is not None:
        raise _bad(layer, "takes bin_boundaries or num_bins, not both",
                   "bin_boundaries and num_bins", "keep one of them")
    if num_bins is None and bin_boundaries is None:
        raise _bad(layer, "needs bin_boundaries or num_bins", "neither given",
                   "pass bin_boundaries=[...] or num_bins=<n> and call adapt()")
    if bin_boundaries is not None:
        if not isinstance(bin_boundaries, (tuple, list)) or not all(
                isinstance(b, (int, float)) and not isinstance(b, bool) for b in bin_boundaries):
            return None
        if any(p >= q for p, q in zip(bin_boundaries, bin_boundaries[1:])):
            if any(p > q for p, q in zip(bin_boundaries, bin_boundaries[1:])):
                raise _bad(layer, f"needs sorted bin_boundaries, got {list(bin_boundaries)}",
                           f"bin_boundaries={list(bin_boundaries)}", "sort the boundaries")
            return None
        depth = len(bin_boundaries) + 1
    else:
        depth = UNK  # adapt() learns the boundaries; their count depends on the data
    if mode == "int":
        return x
    if mode == "one_hot":
        if len(x) > 1 and not (is_int(x[-1]) or x[-1] is None):
            return None
        if len(x) > 1 and x[-1] == 1:
            return (*x[:-1], depth)
        return (*x, depth)
    if len(x) >= 2:
        return (x[0], *x[2:], depth)
    return (depth,)


def _axes(axis) -> tuple | None:
    if axis is None:
        return ()
    if is_int(axis):
        return (axis,)
    if isinstance(axis, (tuple, list)) and all(is_int(a) for a in axis):
        return tuple(axis)
    return None


def _kept(args: dict) -> tuple:
    """Normalization's kept axes, the ones its statistics are built on."""
    axes = _axes(args.get("axis", -1))
    return axes or ()


def _array_shape(value) -> tuple | None:
    """np.shape of a nested literal list of numbers; None when ragged or not numbers."""
    if isinstance(value, (tuple, list)):
        inner = [_array_shape(v) for v in value]
        if any(s is None for s in inner) or len(set(inner)) > 1:
            return None
        return (len(value), *(inner[0] if inner else ()))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return ()
    return None


@signature("Normalization", defined=_kept, positional="axis mean variance invert")
def normalization(x: Shape, axis=-1, mean=None, variance=None) -> Shape | None:
    """any shape -> the same shape; the kept `axis` sizes must be defined (statistics per entry)"""
    layer = "Normalization"
    axes = _axes(axis)
    if axes is None:
        return None
    if (mean is None) != (variance is None):
        raise _bad(layer, "needs both mean and variance, or neither",
                   f"mean={'None' if mean is None else '...'}, "
                   f"variance={'None' if variance is None else '...'}",
                   "pass both, or neither and call adapt()")
    mean_shape = None
    if mean is not None:
        mean_shape, var_shape = _array_shape(mean), _array_shape(variance)
        if mean_shape is None or var_shape is None:
            return None
        if mean_shape != var_shape:
            raise _bad(layer, f"needs mean and variance of the same shape, got {mean_shape} "
                              f"and {var_shape}", f"{mean_shape} vs {var_shape}")
        if len(mean_shape) > len(axes):
            raise _bad(layer, f"needs a mean of rank <= the number of axes ({len(axes)}), got "
                              f"shape {mean_shape}", f"mean shape {mean_shape}")
    n = len(x)
    for a in axes:
        if not -n <= a < n:
            raise _bad(layer, f"axis={axis} is out of range for the {n}D input {fmt(x)}",
                       fmt(x), f"pick axes between {-n} and {n - 1}")
    keep = sorted(a % n for a in axes)
    for a in keep:
        if x[a] is None:
            raise ShapeError("KS103", f"{layer} needs a defined size on axis {a} (it keeps "
                                      f"statistics per entry), got {fmt(x)}", found=fmt(x))
    if mean_shape:
        for i in range(1, len(mean_shape) + 1):
            size, target = mean_shape[-i], x[keep[-i]]
            if is_int(target) and size not in (1, target):
                raise _bad(layer, f"cannot broadcast a mean of shape {mean_shape} to axis "
                                  f"{keep[-i]} of {fmt(x)} ({size} != {target})", fmt(x),
                           "give one mean/variance entry per size of the kept axes")
    return x
