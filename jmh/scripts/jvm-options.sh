#!/usr/bin/env bash
# Whole default runs under several sets of JVM options, in alternation: the start-up levers of
# docs/benchmarks.md. Each variant is LABEL=OPTIONS (added after the launcher's defaults; set
# SIMDLEARN_CDS=0 to leave the class-data archive out). Extra train arguments follow "--".
#
# Usage: jmh/scripts/jvm-options.sh ROUNDS base= serial=-XX:+UseSerialGC [-- --model mlp]
set -euo pipefail
# shellcheck source=lib/variants.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/variants.sh"
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
parse_variants "$@"
DATA=${SIMDLEARN_DATA:-$(cd .. && pwd)/shared/data/fashion-mnist}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
for i in $(seq 1 "$ROUNDS"); do
  for v in "${VARIANTS[@]}"; do
    rm -rf "$OUT/run"
    SIMDLEARN_JAVA_OPTS="${v#*=}" /usr/bin/time -f "${v%%=*} %e %M" -o "$OUT/t" \
      bin/simdlearn train --data "$DATA" --out "$OUT/run" "${EXTRA[@]}" >/dev/null 2>&1
    # The run's steady epoch too (median of epochs 4+ in its report): a lever can cut the wall
    # time while slowing the epochs.
    steady=$(python3 - "$OUT/run/report.jsonl" <<'PY'
import json, statistics, sys
e = [l["seconds"] for l in map(json.loads, open(sys.argv[1])) if l["type"] == "epoch"]
print(f"{statistics.median(e[3:] or e):.4f}")
PY
)
    echo "$(cat "$OUT/t") $steady" >> "$OUT/all"
  done
done
python3 - "$OUT/all" <<'PY'
import collections, statistics, sys
d = collections.defaultdict(list)
for l in open(sys.argv[1]):
    label, t, m, e = l.split()
    d[label].append((float(t), int(m) / 1024, float(e)))
for label, v in d.items():
    t = [x[0] for x in v]
    print(f"{label:14s} median {statistics.median(t):.2f} s (min {min(t):.2f}, max {max(t):.2f}),"
          f" peak RSS median {statistics.median(x[1] for x in v):.0f} MiB, steady epoch median"
          f" {statistics.median(x[2] for x in v) * 1000:.1f} ms, n={len(v)}")
PY
