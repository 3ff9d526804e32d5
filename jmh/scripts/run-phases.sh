#!/usr/bin/env bash
# Whole MLP (or other) runs of several builds or JVM option sets in alternation, each split into
# its phases: wall and CPU seconds (/usr/bin/time), the time from the JVM's start to the first
# epoch, the first epoch and the whole training (from the run's own summary lines), then the
# medians. The way a JIT or warm-up lever is told apart from noise in the steady epochs.
#
# Usage: jmh/scripts/run-phases.sh ROUNDS LABEL=CHECKOUT:JAVA_OPTS ... [-- TRAIN ARGS...]
#   e.g. jmh/scripts/run-phases.sh 8 old=/tmp/old: new=.: fg=.:-XX:CICompilerCount=3 -- --model mlp
# Run each checkout once before measuring (its build and class-data archive are not timed).
set -euo pipefail
# shellcheck source=lib/variants.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/variants.sh"
parse_variants "$@"
DATA=${SIMDLEARN_DATA:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)/shared/data/fashion-mnist}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
for i in $(seq 1 "$ROUNDS"); do
  for v in "${VARIANTS[@]}"; do
    label=${v%%=*}
    rest=${v#*=}
    dir=$(cd "${rest%%:*}" && pwd)
    rm -rf "$OUT/run"
    SIMDLEARN_JAVA_OPTS="${rest#*:}" /usr/bin/time -f "%e %U %S" -o "$OUT/t" \
      "$dir/bin/simdlearn" train --data "$DATA" --out "$OUT/run" "${EXTRA[@]}" >"$OUT/log" 2>&1
    python3 - "$label" "$OUT/t" "$OUT/log" <<'PY' | tee -a "$OUT/all"
import re, sys
wall, user, sys_ = map(float, open(sys.argv[2]).read().split()[-3:])
log = open(sys.argv[3]).read()
first = re.search(r"epoch +1/\d+ .*? (\d+) ms", log)
times = re.search(r"time: ([\d.]+) s of training, ([\d.]+) s since the JVM started", log)
if not (first and times):
    sys.exit(f"{sys.argv[1]}: no epoch or time line in the run's output")
train, since = float(times.group(1)), float(times.group(2))
print(f"{sys.argv[1]} wall {wall:.2f} cpu {user + sys_:.2f} to_first_epoch {since - train:.3f}"
      f" first_epoch {int(first.group(1)) / 1000:.3f} training {train:.2f}")
PY
  done
done
python3 - "$OUT/all" <<'PY'
import collections, statistics, sys
rows = collections.defaultdict(lambda: collections.defaultdict(list))
for line in open(sys.argv[1]):
    f = line.split()
    for key, value in zip(f[1::2], f[2::2]):
        rows[f[0]][key].append(float(value))
for label, cols in rows.items():
    print(f"{label:10s} " + "  ".join(f"{k} {statistics.median(v):.3f}" for k, v in cols.items())
          + f"  (n={len(cols['wall'])})")
PY
