#!/bin/sh
# The whole benchmark comparison in one command, from the repository root:
#   benchmarks/run.sh [--rounds N] [--key-rounds N] [--warmup-ms MS] [--measure-ms MS] [--only load|jmh|footprint|tls|deflate|executor] [--no-write]
# Builds the benchmarks module and what it needs (no tests), then runs io.guestloop.bench.Comparison,
# which prints the tables and writes them into BENCHMARKS.md.
set -e
cd "$(dirname "$0")/.."
mvn -B -q -o package -DskipTests -pl benchmarks -am 2>/dev/null || mvn -B -q package -DskipTests -pl benchmarks -am
# The export lets the executor cells keep the headless Swing dispatch thread, as a window would.
exec java -Xmx512m --add-exports java.desktop/sun.awt=ALL-UNNAMED -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" io.guestloop.bench.Comparison "$@"
