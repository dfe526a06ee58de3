"""The randomized conformance loop shared by the signature test files.

Each family draws (layer, kwargs, input) cases from a seeded generator, runs them through
kerasshape and through real Keras, and tallies per layer: same shape, both reject, unknown
(kerasshape says nothing: never a diagnostic, never a wrong shape) or DIFFER.
"""

from __future__ import annotations

import random
from collections import Counter

REJECTED = "rejected"


def run_conformance(conformance: list, family: str, gen, count: int, seed: str, mine, real, agree,
                    key=lambda layer, kwargs: layer) -> list:
    """Returns the mismatches; appends one summary line per layer to ``conformance``."""
    rng = random.Random(seed)
    tally: dict[str, Counter] = {}
    mismatches = []
    for _ in range(count):
        layer, kwargs, x = gen(rng)
        ours, theirs = mine(layer, kwargs, x), real(layer, kwargs, x)
        c = tally.setdefault(key(layer, kwargs), Counter())
        if ours is None:
            c["unknown"] += 1
        elif agree(ours, theirs):
            c["same shape" if theirs != REJECTED else "both reject"] += 1
        else:
            c["DIFFER"] += 1
            mismatches.append(f"{layer}({kwargs}) on {x}: ours {ours}, Keras {theirs}")
    for name, c in sorted(tally.items()):
        conformance.append(f"{family:17} {name:30} {sum(c.values()):4} cases: "
                           + ", ".join(f"{n} {k}" for k, n in sorted(c.items())))
    return mismatches


def in_child(fn, *args, tries: int = 2):
    """``fn(*args)`` in a fresh Python process (spawned: nothing of this one is shared).

    The replays that run layers on data go through TensorFlow kernels on small and empty
    inputs; a native abort there once killed the whole test run. In a child, it is one failed
    try: the call runs again in a new process, and only a repeated crash fails the test.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    for attempt in range(tries):
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
            try:
                return pool.submit(fn, *args).result()
            except BrokenProcessPool:
                if attempt == tries - 1:
                    raise
    return None
