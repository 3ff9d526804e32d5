#!/usr/bin/env bash
# Whole runs from the outside, simdlearn and PyTorch in alternation: wall seconds and peak RSS of
# each process (/usr/bin/time), then the medians and their ratio.
#
# Usage: jmh/scripts/whole-run.sh PAIRS [MODEL]   (MODEL: softmax, the default run, or mlp)
# Needs /usr/bin/time, /usr/bin/python3 with torch (apt-get install python3-torch
# libopenblas0-pthread) and SIMDLEARN_DATA or ../shared/data/fashion-mnist. PyTorch runs on one
# thread with OpenBLAS's own kernel choice (OPENBLAS_CORETYPE unset), as jmh/peers/pytorch_mlp.py
# describes. The first simdlearn run after a build also writes the class-data archive; run once
# before measuring.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
PAIRS=${1:-5}
MODEL=${2:-softmax}
DATA=${SIMDLEARN_DATA:-$(cd .. && pwd)/shared/data/fashion-mnist}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
ARGS=()
[ "$MODEL" = softmax ] || ARGS=(--model "$MODEL")
for i in $(seq 1 "$PAIRS"); do
  rm -rf "$OUT/run"
  /usr/bin/time -f "%e %M" -o "$OUT/t" bin/simdlearn train --data "$DATA" --out "$OUT/run" \
    "${ARGS[@]}" >/dev/null 2>&1
  echo "simdlearn $(cat "$OUT/t")" | tee -a "$OUT/all"
  /usr/bin/time -f "%e %M" -o "$OUT/t" env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE \
    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 /usr/bin/python3 jmh/peers/pytorch_mlp.py \
    --data "$DATA" --model "$MODEL" >/dev/null 2>&1
  echo "pytorch $(cat "$OUT/t")" | tee -a "$OUT/all"
done
python3 - "$OUT/all" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
med = {}
for name in ("simdlearn", "pytorch"):
    t = [float(r[1]) for r in rows if r[0] == name]
    m = [int(r[2]) / 1024 for r in rows if r[0] == name]
    med[name] = statistics.median(t)
    print(f"{name:10s} median {med[name]:.2f} s (min {min(t):.2f}, max {max(t):.2f}),"
          f" peak RSS median {statistics.median(m):.0f} MiB")
print(f"simdlearn / pytorch = {med['simdlearn'] / med['pytorch']:.2f}")
PY
