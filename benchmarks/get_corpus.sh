#!/usr/bin/env bash
# Build the real-world corpus of correct Keras programs that kerasshape is checked on:
# the examples/ folder of keras-team/keras at several points of its history.
# The corpus is NOT part of this repository (other people's code); it is written to
# the folder given (default: ../corpus), from a git clone of keras-team/keras:
#
#   git clone https://github.com/keras-team/keras /tmp/keras
#   bash benchmarks/get_corpus.sh /tmp/keras ../corpus
#   python benchmarks/corpus_report.py ../corpus
set -euo pipefail
repo=${1:?path to a git clone of keras-team/keras}
out=${2:-../corpus}
mkdir -p "$out"
for date in 2016-06-01 2017-06-01 2018-06-01 2019-06-01 2020-10-01 now; do
  if [ "$date" = now ]; then commit=$(git -C "$repo" rev-parse HEAD); else
    commit=$(git -C "$repo" rev-list -1 --before="$date" HEAD); fi
  dest="$out/keras_examples_$date"
  mkdir -p "$dest"
  git -C "$repo" ls-tree -r --name-only "$commit" examples | grep '\.py$' | while read -r f; do
    git -C "$repo" show "$commit:$f" > "$dest/$(basename "$f")"
  done
  echo "$dest: $(ls "$dest" | wc -l) files (commit $commit)"
done
