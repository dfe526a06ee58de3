"""Report kerasshape on a corpus of real, correct Keras programs (see get_corpus.sh).

    python benchmarks/corpus_report.py ../corpus [--details]

Prints: files, models found, models whose every layer and output shape was inferred
(no unknown dim except None batch/None axes Keras itself leaves undefined; trainer-only
models, a Model subclass with train_step() and no call(), are counted apart: Keras gives
them no shapes of their own; models built only inside functions the file never calls are
counted in, and also shown apart, since their sizes are the functions' parameters), and every
diagnostic with severity error (each one must be explained: a real Keras 3 error in
old Keras 2 code, or a kerasshape bug).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kerasshape import check_file  # noqa: E402
from kerasshape.shapes import fully_known  # noqa: E402


def complete(model) -> bool:
    if not model.built or not model.outputs:
        return False
    shapes = list(model.outputs) + list(model.inputs)
    for layer in model.layers:
        out = layer.output_shape
        shapes.extend(out if isinstance(out, list) else [out])
    return all(fully_known(s) for s in shapes)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("--details", action="store_true")
    args = ap.parse_args()
    files = sorted(Path(args.corpus).rglob("*.py"))
    n_models = n_complete = n_trainers = n_uncalled = n_uncalled_complete = 0
    errors = []
    for path in files:
        analysis = check_file(str(path))
        errors.extend(d for d in analysis.diagnostics if d.severity == "error")
        for m in analysis.models:
            n_models += 1
            if m.kind == "Trainer":
                # train_step() and no call(): Keras itself gives it no shapes (model.summary()
                # has no output for it); the models it holds are counted on their own
                n_trainers += 1
                if args.details and any(layer.why_unknown for layer in m.layers):
                    unknown = [f"{layer.cls}@{layer.line}: {layer.why_unknown}" for layer in m.layers
                               if layer.why_unknown][:2]
                    print(f"  trainer {path.relative_to(args.corpus)}:{m.line} {m.name} {unknown}")
                continue
            done = complete(m)
            if m.uncalled:
                n_uncalled += 1
                n_uncalled_complete += done
            if done:
                n_complete += 1
            elif args.details:
                unknown = [f"{l.cls}@{l.line}: {l.why_unknown}" for l in m.layers if l.why_unknown][:2]
                where = f" (in {m.uncalled}(), never called)" if m.uncalled else ""
                print(f"  partial {path.relative_to(args.corpus)}:{m.line} {m.name}{where} {unknown}")
    print(f"files: {len(files)}")
    counted = n_models - n_trainers
    pct = 100 * n_complete / counted if counted else 0
    print(f"models found: {n_models}, fully inferred: {n_complete} of {counted} ({pct:.0f}%)")
    print(f"trainer-only models (train_step() and no call(): no shapes of their own, as in Keras; "
          f"left out of the fully inferred count): {n_trainers}")
    built = counted - n_uncalled
    pct_built = 100 * (n_complete - n_uncalled_complete) / built if built else 0
    print(f"of these, models built only in functions the file never calls (their sizes are "
          f"parameters): {n_uncalled}, {n_uncalled_complete} fully inferred; the models the "
          f"program builds: {n_complete - n_uncalled_complete} of {built} ({pct_built:.0f}%)")
    print(f"errors: {len(errors)}")
    for d in errors:
        print(f"  {Path(d.path).relative_to(args.corpus)}:{d.line}:{d.col + 1}: {d.code} {d.message}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
