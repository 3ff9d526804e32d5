#!/usr/bin/env bash
# Where the JIT's time goes in one training run: JFR's compilation events (every compilation,
# no threshold), summed by compiler and by code (simdlearn's kernels, the rest of simdlearn, the
# Vector API's Java fallbacks, the JDK), then the methods C2 compiled more than once.
#
# Usage: jmh/scripts/compilations.sh [TRAIN ARGS...]   e.g. jmh/scripts/compilations.sh --model mlp
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
. bin/lib/jdk.sh
simdlearn_find_jdk
DATA=${SIMDLEARN_DATA:-$(cd .. && pwd)/shared/data/fashion-mnist}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
cat > "$OUT/compilations.jfc" <<'JFC'
<?xml version="1.0" encoding="UTF-8"?>
<configuration version="2.0">
  <event name="jdk.Compilation"><setting name="enabled">true</setting><setting name="threshold">0 ms</setting></event>
</configuration>
JFC
SIMDLEARN_JAVA_OPTS="-XX:StartFlightRecording:filename=$OUT/run.jfr,settings=$OUT/compilations.jfc" \
  bin/simdlearn train --data "$DATA" --out "$OUT/run" "$@" >/dev/null 2>&1
"$JAVA_HOME/bin/jfr" print --json --events jdk.Compilation "$OUT/run.jfr" > "$OUT/c.json"
python3 - "$OUT/c.json" <<'PY'
import collections, json, sys
events = [e["values"] for e in json.load(open(sys.argv[1]))["recording"]["events"]]
def seconds(c):
    d = c["duration"]
    return float(d[2:-1]) if d.startswith("PT") and d.endswith("S") else 0.0
def group(name):
    if name.startswith("simdlearn/kernel"):
        return "simdlearn kernels"
    if name.startswith("simdlearn"):
        return "simdlearn, other"
    if "vector" in name.split("$")[0] and name.startswith(("jdk/incubator", "jdk/internal/vm")):
        return "Vector API (fallbacks)"
    return "JDK and libraries"
total = collections.Counter()
count = collections.Counter()
c2 = collections.defaultdict(list)
for c in events:
    compiler = "C2" if c["compileLevel"] == 4 else "C1"
    name = c["method"]["type"]["name"]
    total[(compiler, group(name))] += seconds(c)
    count[(compiler, group(name))] += 1
    if compiler == "C2":
        c2[name.split("/")[-1] + "." + c["method"]["name"]].append(seconds(c) * 1000)
for compiler in ("C2", "C1"):
    s = sum(v for k, v in total.items() if k[0] == compiler)
    print(f"{compiler}: {s:.2f} s of compiler thread time")
    for (cc, g), v in sorted(total.items(), key=lambda kv: -kv[1]):
        if cc == compiler:
            print(f"  {g:24s} {v:5.2f} s, {count[(cc, g)]} compilations")
again = sorted(((sum(v), k, v) for k, v in c2.items() if len(v) > 1), reverse=True)[:12]
print("compiled by C2 more than once (ms each):")
for s, k, v in again:
    print(f"  {k}: " + ", ".join(f"{x:.0f}" for x in v))
PY
