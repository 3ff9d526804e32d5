#!/usr/bin/env bash
# Alternated rounds of LeNet and LeNet-BN epochs: PyTorch 1.13 (one thread), a base checkout of
# simdlearn and this one, each 3 epochs from PyTorch's initial weights without shuffling, so the
# host's noise falls on all three alike (docs/benchmarks.md).
#   jmh/peers/alternate_lenet.sh BASE_CHECKOUT OUT_DIR [ROUNDS] [THREADS]
# BASE_CHECKOUT is another checkout (git worktree add /tmp/base COMMIT) run through its own
# launcher; the data is $SIMDLEARN_DATA or ../shared/data/fashion-mnist. Each run's output goes to
# OUT_DIR/{py,base,this}-MODEL-ROUND.txt; the epoch times are printed at the end.
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 BASE_CHECKOUT OUT_DIR [ROUNDS] [THREADS]" >&2; exit 2; }
HERE=$(cd "$(dirname "$0")/../.." && pwd)
BASE=$(cd "$1" && pwd)
OUT=$2
ROUNDS=${3:-4}
THREADS=${4:-2}
DATA=${SIMDLEARN_DATA:-$HERE/../shared/data/fashion-mnist}
[ -x "$BASE/bin/simdlearn" ] || { echo "$0: no bin/simdlearn in $BASE" >&2; exit 2; }
mkdir -p "$OUT"
py() {
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OMP_NUM_THREADS=1 /usr/bin/python3 "$@"
}
for round in $(seq "$ROUNDS"); do
  for model in lenet lenet-bn; do
    bn=()
    [ "$model" = lenet-bn ] && bn=(--bn)
    py "$HERE/jmh/peers/pytorch_lenet.py" "${bn[@]}" --data "$DATA" --epochs 3 \
      --init-out "$OUT/init-$model.json" > "$OUT/py-$model-$round.txt" 2>&1
    for side in base this; do
      dir=$HERE
      [ "$side" = base ] && dir=$BASE
      rm -rf "$OUT/run"
      (cd "$dir" && bin/simdlearn train --model "$model" --init-from "$OUT/init-$model.json" \
        --no-shuffle --threads "$THREADS" --epochs 3 --data "$DATA" --no-plots --out "$OUT/run") \
        > "$OUT/$side-$model-$round.txt" 2>&1
    done
  done
done
rm -rf "$OUT/run"
for f in "$OUT"/*-*-*.txt; do
  echo "$(basename "$f" .txt): $(grep '^epoch' "$f" | grep -oE '[0-9.]+ s( |$)' | tr -d 's\n')"
done
