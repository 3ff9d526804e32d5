#!/usr/bin/env bash
# Every model's figures from two builds, compared to the bit: each run's report (timings, dates
# and the machine left out) and its model.json parameters. The check a refactor must pass.
#
# Usage: jmh/scripts/same-figures.sh OLD_CHECKOUT NEW_CHECKOUT
#   e.g. git worktree add /tmp/old HEAD~1 && jmh/scripts/same-figures.sh /tmp/old .
# Exit status 0 when every run is the same bits in both builds.
set -euo pipefail
OLD=$(cd "$1" && pwd)
NEW=$(cd "$2" && pwd)
D=${SIMDLEARN_DATA:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)/shared/data/fashion-mnist}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
runs=(
  "softmax|--data $D"
  "softmax-t1|--data $D --threads 1"
  "mlp-t1|--model mlp --data $D --threads 1"
  "mlp-t2|--model mlp --data $D --threads 2"
  "dropout-t1|--model mlp --hidden 256,256 --dropout 0.2,0.5 --lr 0.5 --data $D --threads 1 --epochs 4"
  "dropout-t2|--model mlp --hidden 256,256 --dropout 0.2,0.5 --lr 0.5 --data $D --threads 2 --epochs 4"
  "mlp-sigmoid-adam|--model mlp --activation sigmoid --hidden 64 --data $D --epochs 2 --optimizer adam --lr 0.01"
  "mlp-tanh-nesterov|--model mlp --activation tanh --hidden 32 --init xavier --data $D --epochs 2 --optimizer nesterov"
  "tuned|--preset tuned --data $D --epochs 3"
  "linear|--model linear"
  "polynomial-3|--model polynomial --degree 3"
  "polynomial-19|--model polynomial --degree 19"
  "highdim-wd3|--model highdim-linear --weight-decay 3"
  "highdim|--model highdim-linear"
  "logistic|--model logistic --data $D"
  "logistic-squared|--model logistic --loss squared --data $D --classes 0,6"
  "clouds|--model logistic --dataset synthetic-2d"
  "scalar|--data $D --backend scalar --epochs 1"
)
for build in old new; do
  dir=$OLD
  [ "$build" = new ] && dir=$NEW
  for r in "${runs[@]}"; do
    name=${r%%|*}
    # shellcheck disable=SC2086
    "$dir/bin/simdlearn" train --no-plots --no-progress --out "$OUT/$build/$name" ${r#*|} \
      >"$OUT/$build-$name.log" 2>&1 || { echo "$build $name failed:"; tail -3 "$OUT/$build-$name.log"; exit 1; }
  done
done
python3 - "$OUT/old" "$OUT/new" <<'PY'
import json, os, sys
old, new = sys.argv[1], sys.argv[2]
def strip(o):
    if isinstance(o, dict):
        return {k: strip(v) for k, v in o.items()
                if k not in ("environment", "started_at", "examples_per_second")
                and not k.endswith("seconds")}
    if isinstance(o, list):
        return [strip(x) for x in o]
    return o
def report(d):
    return [strip(json.loads(l)) for l in open(os.path.join(d, "report.jsonl"))]
def params(d):
    return [(p["name"], p["data"]) for p in json.load(open(os.path.join(d, "model.json")))["parameters"]]
bad = 0
for name in sorted(os.listdir(old)):
    a, b = os.path.join(old, name), os.path.join(new, name)
    same_r, same_p = report(a) == report(b), params(a) == params(b)
    bad += (not same_r) + (not same_p)
    print(f"{name:20s} report {'same' if same_r else 'DIFFERS'}  parameters {'same' if same_p else 'DIFFER'}")
print(f"{bad} differences")
sys.exit(1 if bad else 0)
PY
