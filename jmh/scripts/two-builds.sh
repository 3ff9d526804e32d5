#!/usr/bin/env bash
# Two builds of simdlearn in alternation, whole runs timed from outside: wall seconds
# (/usr/bin/time) and the steady epoch (median of epochs 4+ from the run's report), then medians.
# The way a code lever is measured against the build before it.
#
# Usage: jmh/scripts/two-builds.sh OLD_CHECKOUT NEW_CHECKOUT PAIRS [TRAIN ARGS...]
#   e.g. git worktree add /tmp/old HEAD~1 && jmh/scripts/two-builds.sh /tmp/old . 5 --model mlp
# Each checkout builds itself on its first run (its launcher does); run each once before measuring
# so that the build and the class-data archive are not timed.
set -euo pipefail
OLD=$(cd "$1" && pwd)
NEW=$(cd "$2" && pwd)
PAIRS=$3
shift 3
DATA=${SIMDLEARN_DATA:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)/shared/data/fashion-mnist}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
for i in $(seq 1 "$PAIRS"); do
  for d in "$OLD" "$NEW"; do
    rm -rf "$OUT/run"
    /usr/bin/time -f "%e" -o "$OUT/t" "$d/bin/simdlearn" train --data "$DATA" --out "$OUT/run" \
      "$@" >/dev/null 2>&1
    steady=$(python3 - "$OUT/run/report.jsonl" <<'PY'
import json, statistics, sys
e = [l["seconds"] for l in map(json.loads, open(sys.argv[1])) if l["type"] == "epoch"]
print(f"{statistics.median(e[3:] or e):.4f}")
PY
)
    echo "$d $(cat "$OUT/t") $steady" | tee -a "$OUT/all"
  done
done
python3 - "$OUT/all" "$OLD" "$NEW" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
for d in sys.argv[2:]:
    w = [float(r[1]) for r in rows if r[0] == d]
    e = [float(r[2]) for r in rows if r[0] == d]
    print(f"{d}: wall median {statistics.median(w):.2f} s, steady epoch median"
          f" {statistics.median(e) * 1000:.1f} ms, n={len(w)}")
PY
