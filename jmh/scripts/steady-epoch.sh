#!/usr/bin/env bash
# The 2-thread steady epoch (median of epochs 4-10 in the run's report), on a quiet machine and
# with one core kept busy by another process (a Python spin loop), in alternation.
#
# Usage: jmh/scripts/steady-epoch.sh RUNS [TRAIN ARGS...]   e.g. 5, or 3 --model mlp
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
RUNS=${1:-5}
shift || true
DATA=${SIMDLEARN_DATA:-$(cd .. && pwd)/shared/data/fashion-mnist}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"; [ -n "${BUSY:-}" ] && kill "$BUSY" 2>/dev/null || true' EXIT
for i in $(seq 1 "$RUNS"); do
  for mode in quiet busy; do
    BUSY=""
    if [ "$mode" = busy ]; then
      python3 -c "while True: pass" &
      BUSY=$!
      sleep 0.2
    fi
    rm -rf "$OUT/run"
    bin/simdlearn train --data "$DATA" --out "$OUT/run" --no-plots --threads 2 "$@" \
      >/dev/null 2>&1
    [ -n "$BUSY" ] && kill "$BUSY" && wait "$BUSY" 2>/dev/null || true
    BUSY=""
    python3 - "$OUT/run/report.jsonl" "$mode" >> "$OUT/all" <<'PY'
import json, statistics, sys
e = [json.loads(l)["seconds"] for l in open(sys.argv[1]) if '"epoch"' in l]
print(sys.argv[2], statistics.median(e[3:10]) * 1000)
PY
  done
done
python3 - "$OUT/all" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
med = {}
for mode in ("quiet", "busy"):
    v = [float(r[1]) for r in rows if r[0] == mode]
    med[mode] = statistics.median(v)
    print(f"{mode:5s} steady epoch median {med[mode]:.1f} ms  {[round(x, 1) for x in v]}")
print(f"busy / quiet = {med['busy'] / med['quiet']:.2f}")
PY
