#!/usr/bin/env bash
# Runs one benchmark against the local (or ROTA_TEST_*) PostgreSQL and RabbitMQ and prints its figures.
#   benchmarks/run.sh DelayedTasks [tasks] [spread-seconds]
# The master runs in this JVM with a small heap (-Xmx, default 256m) to show that pending tasks are not
# held in memory.
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:-DelayedTasks}; shift || true
./mvnw -q -pl benchmarks -am install -DskipTests >&2
cp=$(./mvnw -q -pl benchmarks dependency:build-classpath -Dmdep.outputFile=/dev/stdout)
exec java -Xmx"${ROTA_BENCH_HEAP:-256m}" -cp "benchmarks/target/classes:$cp" "dev.rota.bench.${name}Benchmark" "$@"
