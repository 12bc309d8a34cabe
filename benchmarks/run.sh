#!/usr/bin/env bash
# Runs one benchmark against the local (or ROTA_TEST_*) PostgreSQL and RabbitMQ and prints its figures.
#   benchmarks/run.sh DelayedTasks [tasks] [spread-seconds]
#   benchmarks/run.sh Compare [--workloads burst,steady,failover] [--tasks 20000] [--repeat 3] [--help]
# Logs go to standard error (test-support's logback-test.xml is overridden), figures to standard output.
# The benchmark runs in this JVM with a small heap (-Xmx, default 256m; Compare defaults to 1g) to show
# that pending tasks are not held in memory. Builds into this tree's target/ directories only (no install).
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:-DelayedTasks}; shift || true
cpfile=benchmarks/target/bench.classpath
# ROTA_BENCH_SKIP_BUILD=1 reuses the last build (handy for repeated runs on a busy machine);
# ROTA_BENCH_JAVA_OPTS adds JVM options (e.g. -Drota.bench.idleWarmupMillis=300000 for Scale).
if [ -z "${ROTA_BENCH_SKIP_BUILD:-}" ] || [ ! -f "$cpfile" ]; then
  ./mvnw -q -B -pl benchmarks -am package -DskipTests dependency:build-classpath -Dmdep.outputFile="$PWD/$cpfile" >&2
fi
heap=${ROTA_BENCH_HEAP:-$([ "$name" = Compare ] && echo 1g || echo 256m)}
exec java -Xmx"$heap" ${ROTA_BENCH_JAVA_OPTS:-} -Dlogback.configurationFile="$PWD/benchmarks/target/classes/logback.xml" -cp "benchmarks/target/classes:$(cat "$cpfile")" "dev.rota.bench.${name}Benchmark" "$@"
