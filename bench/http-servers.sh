#!/usr/bin/env bash
# Measures the runtime's HTTP server candidates against each other: bench/http-servers.sh [ROUNDS] [SECONDS]
# Needs a JDK 25 (JAVA_HOME) and wrk (apt-get install wrk).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
./mvnw -B -q -pl bench compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
  dev.kiln.bench.http.HttpServerBench "$@"
