#!/bin/sh
# The whole benchmark comparison in one command, from the repository root:
#   benchmarks/run.sh [--rounds N] [--key-rounds N] [--warmup-ms MS] [--measure-ms MS] [--only load|jmh|footprint|tls|deflate|executor] [--no-write]
#   (--workloads 16384x100,16384x100t: only these cells; a trailing t is an ASCII text cell, u a text cell with ~10 % non-ASCII characters, valid UTF-8 the servers echo as text;
#   the full run has ASCII text at 64 B and 16 KiB x 100 connections and mixed text at 16 KiB x 100. Comparison's Javadoc lists every option.)
# Builds the benchmarks module and what it needs (no tests), then runs io.guestloop.bench.Comparison,
# which prints the tables and writes them into BENCHMARKS.md.
set -e
cd "$(dirname "$0")/.."
mvn -B -q -o package -DskipTests -pl benchmarks -am 2>/dev/null || mvn -B -q package -DskipTests -pl benchmarks -am
# The export lets the executor cells keep the headless Swing dispatch thread, as a window would.
exec java -Xmx512m --add-exports java.desktop/sun.awt=ALL-UNNAMED -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" io.guestloop.bench.Comparison "$@"
