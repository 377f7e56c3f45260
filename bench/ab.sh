#!/usr/bin/env bash
# bench/ab.sh JAR_A JAR_B: two builds of the gateway under the same wrk runs as step 4 of make bench (the
# memory gateway: POST /batch and POST /metrics, -t2 -c64, flush every second, the Dockerfile's JVM flags),
# alternating A B, B A, ... for AB_ROUNDS rounds (3), each a fresh JVM with AB_WARMUP_SECONDS (5) of warm-up
# per endpoint and AB_SECONDS (10) measured. Prints one line per run, then the medians: the simplicity
# budget keeps an optimisation only if A (with it) beats B (without it) by more than the runs' own spread.
# Needs wrk, jq and the test classes (make build, mvn test-compile); writes target/bench-ab/.
set -euo pipefail
[[ $# -eq 2 && -f $1 && -f $2 ]] || { echo "usage: bench/ab.sh JAR_A JAR_B" >&2; exit 2; }
JAR_A=$(realpath "$1") JAR_B=$(realpath "$2")
for tool in wrk jq; do
    command -v "$tool" >/dev/null || { echo "bench/ab.sh needs $tool (the Debian package of that name)" >&2; exit 2; }
done
cd "$(dirname "$0")/.."
ROUNDS=${AB_ROUNDS:-3} MEASURED=${AB_SECONDS:-10} WARMUP=${AB_WARMUP_SECONDS:-5}
JAVA=${JAVA_HOME:?JAVA_HOME must name a JDK 21+}/bin/java
OUT=target/bench-ab
rm -rf "$OUT" && mkdir -p "$OUT"
cp "$JAR_A" "$OUT/A.jar" && cp "$JAR_B" "$OUT/B.jar"

CP_ARGS=(-B -ntp -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$OUT/classpath.txt")
mvn -o "${CP_ARGS[@]}" >/dev/null 2>&1 || mvn "${CP_ARGS[@]}" >&2 # online only when the plugin is not there yet, as run.sh
CP=target/test-classes:$(cat "$OUT/classpath.txt")
export BENCH_BATCH_BODY=$OUT/batch.json
"$JAVA" -cp "$CP" com.cwgateway.bench.BenchBodies "$BENCH_BATCH_BODY" >&2
DATUMS_PER_BATCH=1000   # BenchBodies: 10 inputs x 100 datums

PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT
"$JAVA" -XX:+UseSerialGC -Xmx256m -cp "$CP" com.cwgateway.testsupport.CloudWatchStandIn >"$OUT/standin.log" 2>&1 &
PIDS+=($!)
until grep -q 'listening on' "$OUT/standin.log"; do kill -0 "${PIDS[0]}" || { cat "$OUT/standin.log" >&2; exit 1; }; sleep 0.1; done
CW_PORT=$(sed -n 's/.*listening on 127.0.0.1:\([0-9]*\).*/\1/p' "$OUT/standin.log")

# rate NAME ENDPOINT SECONDS URL: requests per second of one wrk run (its BENCH line, bench/wrk/report.lua).
rate() {
    wrk -t2 -c64 -d"$3"s --timeout 10s -s "bench/wrk/$2.lua" "$4/$2" >"$OUT/wrk-$1.txt" 2>&1
    sed -n 's/^BENCH //p' "$OUT/wrk-$1.txt" | jq '.requests / (.duration_us / 1e6)'
}

run() {   # run NAME ROUND: one fresh gateway of jar NAME, warmed up, then measured on both endpoints
    local name=$1 round=$2 log=$OUT/gateway-$1-$2.log url batch metrics
    env -i PATH="$PATH" PORT=0 HOST=127.0.0.1 MAX_BODY_BYTES=16777216 DURABILITY=memory METRICS_FLUSH_INTERVAL=1000 \
        SPOOL_DIR="$OUT/spool-$name-$round" AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=ab AWS_SECRET_ACCESS_KEY=ab \
        AWS_EC2_METADATA_DISABLED=true AWS_ENDPOINT_URL_CLOUDWATCH="http://127.0.0.1:$CW_PORT" \
        AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null \
        "$JAVA" -XX:+UseSerialGC -XX:MaxRAMPercentage=60 -Xmn96m -XX:SurvivorRatio=3 -XX:+ExitOnOutOfMemoryError \
        -jar "$OUT/$name.jar" >"$log" 2>&1 &
    local pid=$!
    PIDS+=("$pid")
    until grep -q 'listening on' "$log"; do kill -0 "$pid" || { cat "$log" >&2; exit 1; }; sleep 0.1; done
    url=http://127.0.0.1:$(sed -n 's|.*listening on http://[^:]*:\([0-9]*\).*|\1|p' "$log" | head -n 1)
    rate "$name-$round-batch-warmup" batch "$WARMUP" "$url" >/dev/null
    rate "$name-$round-metrics-warmup" metrics "$WARMUP" "$url" >/dev/null
    batch=$(rate "$name-$round-batch" batch "$MEASURED" "$url")
    metrics=$(rate "$name-$round-metrics" metrics "$MEASURED" "$url")
    kill -TERM "$pid" && wait "$pid" || true
    jq -nc --arg jar "$name" --argjson round "$round" --argjson b "$batch" --argjson m "$metrics" \
        --argjson d "$DATUMS_PER_BATCH" '{jar: $jar, round: $round, batchDatumsPerSecond: ($b * $d | round),
        metricsRequestsPerSecond: ($m | round)}' | tee -a "$OUT/runs.jsonl"
}

for ((round = 1; round <= ROUNDS; round++)); do
    if ((round % 2)); then run A "$round"; run B "$round"; else run B "$round"; run A "$round"; fi
done
jq -s 'def median: sort | if length % 2 == 1 then .[length / 2 | floor] else (.[length / 2 - 1] + .[length / 2]) / 2 end;
    group_by(.jar) | map({jar: .[0].jar, runs: length,
      batchDatumsPerSecond: {median: (map(.batchDatumsPerSecond) | median), min: (map(.batchDatumsPerSecond) | min),
                             max: (map(.batchDatumsPerSecond) | max)},
      metricsRequestsPerSecond: {median: (map(.metricsRequestsPerSecond) | median),
                                 min: (map(.metricsRequestsPerSecond) | min), max: (map(.metricsRequestsPerSecond) | max)}})' \
    "$OUT/runs.jsonl" | tee "$OUT/medians.json"
