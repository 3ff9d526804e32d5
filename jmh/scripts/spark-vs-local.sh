#!/usr/bin/env bash
# The same partitioned run on this JVM's threads (--shards P) and on Spark in local mode
# (--engine spark --partitions P), in alternation: each epoch's seconds from the reports, the
# per-step cost Spark adds, and the two model files' SHA-256 (they must be equal). Extra train
# arguments follow the round count.
#
# Usage: jmh/scripts/spark-vs-local.sh ROUNDS [TRAIN ARGS...]   e.g. ... 2 --model mlp --epochs 3
# Environment: PARTITIONS (default 4), MASTER (default local[2]), THREADS (default 2).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROUNDS=${1:?usage: spark-vs-local.sh ROUNDS [TRAIN ARGS...]}
shift
DATA=${SIMDLEARN_DATA:-$(cd .. && pwd)/shared/data/fashion-mnist}
P=${PARTITIONS:-4}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
for i in $(seq 1 "$ROUNDS"); do
  for engine in local spark; do
    if [ "$engine" = spark ]; then
      where=(--engine spark --master "${MASTER:-local[2]}" --partitions "$P")
    else
      where=(--shards "$P" --threads "${THREADS:-2}")
    fi
    rm -rf "$OUT/$engine"
    bin/simdlearn train --data "$DATA" --no-plots --out "$OUT/$engine" "${where[@]}" "$@" \
      >"$OUT/$engine.log" 2>&1 || { tail -n 5 "$OUT/$engine.log" >&2; exit 1; }
    python3 - "$OUT/$engine/report.jsonl" "$engine" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
run = lines[0]
epochs = [l for l in lines if l.get("type") == "epoch"]
steps = -(-run["dataset"]["train_size"] // run["settings"]["batch_size"])
print("%-5s epochs %s s; last epoch %.1f ms per step; final loss %r" % (sys.argv[2],
      " ".join("%.2f" % e["seconds"] for e in epochs), 1000 * epochs[-1]["seconds"] / steps,
      epochs[-1]["train_loss"]))
PY
  done
done
sha256sum "$OUT/local/model.json" "$OUT/spark/model.json" | sed "s|$OUT/||"
