#!/usr/bin/env bash
# The agent loop's own overhead per step and runs/second with zero-latency stubs, against the stubs'
# raw throughput in the same run (see LoopBenchmark). Needs the local MongoDB (deploy/devloop servers up).
# Not part of verify; takes about 40 seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
../mvnw -B -o -q test-compile
../mvnw -B -o -q dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
exec java -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" dev.devloop.agent.bench.LoopBenchmark
