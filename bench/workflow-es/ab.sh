#!/bin/bash
# Alternating runs of the three engines of docs/benchmarks.md (MongoDB section) against one mongo-java-server process
# (bench/workflow-es/mongo-server.sh): this engine per-step, this engine burst, workflow-es; ROUNDS times in turn.
# Each run prints its JSON line with the server's CPU per workflow added (from /proc/<server pid>/stat over the whole
# run, warm-up included, divided by every instance the run started) and the load average when it ended.
# usage: bench/workflow-es/ab.sh SERVER_PID [ROUNDS=3] [INSTANCES=20000] [PORT=27018]
#   RUNNER_JAR: another jar; WARMUP: instances run first, unmeasured, by every engine (default INSTANCES/10;
#   INSTANCES for the steady state, where the JIT compilers have done most of their work before the measured part)
set -e
here=$(cd "$(dirname "$0")/../.." && pwd)
server=$1; rounds=${2:-3}; n=${3:-20000}; port=${4:-27018}
warmup=${WARMUP:-$((n / 10))}
java=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
jar=${RUNNER_JAR:-$here/workflow-bootstrap/target/workflow-runner.jar}
tick=$(getconf CLK_TCK)
cpu_ms() { awk -v t="$tick" '{ print ($14 + $15) * 1000 / t }' "/proc/$1/stat"; }
# A run that prints no JSON line (it crashed, or was killed) is reported as a line of its own with the last line it wrote
# to stderr, and the rounds go on: one lost run should not lose the rest of the comparison.
errors=$(mktemp)
trap 'rm -f "$errors"' EXIT
run() {
  local label=$1; shift
  local before after line
  before=$(cpu_ms "$server")
  line=$("$@" 2>"$errors" | tail -1)
  after=$(cpu_ms "$server")
  python3 -c '
import json, sys
try:
    d = json.loads(sys.argv[1])
except ValueError:
    last = [l for l in open(sys.argv[6]).read().splitlines() if l.strip()][-1:]
    d = {"ok": False, "error": "no JSON line printed; last on stderr: " + (last[0] if last else "(nothing)")}
d["run"] = sys.argv[2]
d["server_cpu_ms_per_wf"] = round((float(sys.argv[4]) - float(sys.argv[3])) / int(sys.argv[5]), 3)
d["loadavg"] = open("/proc/loadavg").read().split()[0]
print(json.dumps(d))' "$line" "$label" "$before" "$after" $((n + warmup)) "$errors"
}
for r in $(seq 1 "$rounds"); do
  run "per-step#$r" "$java" -jar "$jar" bench --workload w3 --store mongo \
      --mongo-uri "mongodb://127.0.0.1:$port" --durability per-step --instances "$n" --warmup "$warmup"
  run "burst#$r" "$java" -jar "$jar" bench --workload w3 --store mongo \
      --mongo-uri "mongodb://127.0.0.1:$port" --durability burst --instances "$n" --warmup "$warmup"
  run "workflow-es#$r" node "$here/bench/workflow-es/bench.js" --instances "$n" --warmup "$warmup" --mongo-uri "mongodb://127.0.0.1:$port"
done
