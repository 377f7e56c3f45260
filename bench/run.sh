#!/usr/bin/env bash
# `make bench`: the gateway measured beside the ceilings of this machine, in one run. Prints one markdown table
# (also target/bench/results.md); progress goes to stderr, raw outputs to target/bench/logs/. See bench/README.md.
#
# What runs, all on 127.0.0.1, each process on a port it picks itself (port 0) and logs:
#   1. ParseRate           Jackson's streaming parser over the batch body, in process, one thread (parse ceiling)
#      FsyncProbe          write + fdatasync on the spool's disk, one after another (fsync ceiling)
#   2. CloudWatchStandIn   the tests' CloudWatch stand-in, counting: answers PutMetricData (RPC v2 CBOR), counts it,
#                          and refuses what CloudWatch refuses (over 1000 datums, 1 MB, 150 values, 30 dimensions)
#   3. BareServer          JDK HttpServer answering 202 without parsing (HTTP ceiling), under wrk
#   4. gateways "memory"   the jar under wrk, DURABILITY=memory and DURABILITY=disk side by side, their runs
#      and "disk"          alternating: /metrics and /batch, -t1 and -t2, flush every second
#   5. gateway "agg"/"raw" the jar with METRICS_AGGREGATION=true/false: 1M points buffered -> heap per point,
#                          /healthcheck during their flush, calls and datums, then 1M again and SIGTERM
#   6. "series-agg"/"-raw" 200k new series buffered -> heap per series, measured and as the buffer estimates it
#   7. gateway "tls"       the memory gateway serving HTTPS: /metrics over TLS, and full handshakes a second
# Every process started here is stopped on exit, failure or Ctrl-C (trap); every wrk run is bounded by -d. Every
# JVM started here (java, and the JVMs of mvn, jcmd and jfr) runs with -XX:+ExitOnOutOfMemoryError: a process
# that ran out of heap exits at once instead of limping on and skewing the figures.
#
# Knobs (environment): BENCH_SECONDS (15, each measured wrk run), BENCH_WARMUP_SECONDS (5), BENCH_POINTS (1000000),
# BENCH_FLUSH_MS (20000, flush interval of the 1M-point gateways), BENCH_SERIES_POINTS (200000, new series of step 6), BENCH_LOAD_FLUSH_MS (1000, of the wrk gateways),
# BENCH_MILLION_DURABILITY (memory, DURABILITY of the 1M-point gateways; with disk, raise BENCH_FLUSH_MS so that
# loading 1M points fits between two flushes),
# BENCH_IDLE_WAIT_SECONDS (120, the most this run waits in all for other work on the machine to stop),
# BENCH_PROFILE (unset; 1: a JFR recording of each gateway during its /metrics and /batch runs, summarised with
# `jfr view hot-methods` into target/bench/logs/profile-*.txt; it costs the figures a few per cent).
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_PER_RUN=${BENCH_SECONDS:-15}
WARMUP_SECONDS=${BENCH_WARMUP_SECONDS:-5}
POINTS=${BENCH_POINTS:-1000000}
SERIES=10
SERIES_POINTS=${BENCH_SERIES_POINTS:-200000}
FLUSH_MS=${BENCH_FLUSH_MS:-20000}
LOAD_FLUSH_MS=${BENCH_LOAD_FLUSH_MS:-1000}
MILLION_DURABILITY=${BENCH_MILLION_DURABILITY:-memory}

OUT=target/bench
LOG=$OUT/logs
RES=$OUT/results
JAR_BUILT=target/aws-cloudwatch-metrics-http-gateway.jar

log() { printf '%s bench: %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
fail() { log "FAILED: $*"; exit 1; }
now_ms() { local t=${EPOCHREALTIME/./}; echo $((t / 1000)); }
# nap SECONDS: sleep without starting a process (read with a timeout on a pipe nobody writes to), so that the
# polling loops below take no CPU from what they measure.
exec {NAP_FD}<> <(:)
nap() { read -rt "$1" -u "$NAP_FD" || true; }

# ---------------------------------------------------------------------------------------------------------------
# Processes: every pid started here goes into STARTED; on exit they get SIGTERM in reverse order (the gateway
# before the stand-in it flushes to), then SIGKILL after 5 s. Only these pids are ever signalled.
STARTED=()
# alive PID: the process exists and is not a zombie (a child that exited is one until it is waited for).
alive() { local stat; read -r stat 2>/dev/null <"/proc/$1/stat" && [[ ${stat##*) } != Z* ]]; }
forget() { local keep=() p; for p in "${STARTED[@]}"; do [[ $p == "$1" ]] || keep+=("$p"); done; STARTED=("${keep[@]}"); }
stop_all() {
    local i pid deadline
    ((${#STARTED[@]})) || return 0
    for ((i = ${#STARTED[@]} - 1; i >= 0; i--)); do kill -TERM "${STARTED[i]}" 2>/dev/null || true; done
    deadline=$(($(now_ms) + 5000))
    for pid in "${STARTED[@]}"; do
        while alive "$pid" && (($(now_ms) < deadline)); do nap 0.05; done
        alive "$pid" && kill -KILL "$pid" 2>/dev/null || true
    done
    STARTED=()
}
trap stop_all EXIT
trap 'log "interrupted"; exit 130' INT TERM

# launch LOGFILE CMD...: runs CMD in the background, stdout and stderr into LOGFILE; its pid is in LAUNCHED.
launch() {
    local logfile=$1
    shift
    "$@" >"$logfile" 2>&1 &
    LAUNCHED=$!
    STARTED+=("$LAUNCHED")
}

# wait_for LOGFILE REGEX PID SECONDS: polls (5 ms) until the line shows up; fails if PID dies or time runs out.
# (Start-up time is measured from the log line's own timestamp, so the polling interval is not in it.)
wait_for() {
    local file=$1 pattern=$2 pid=$3 deadline=$(($(now_ms) + $4 * 1000))
    until grep -qE -- "$pattern" "$file" 2>/dev/null; do
        alive "$pid" || { tail -n 20 "$file" >&2; fail "$file: the process exited before logging /$pattern/"; }
        (($(now_ms) < deadline)) || { tail -n 20 "$file" >&2; fail "$file: no /$pattern/ within $4 s"; }
        nap 0.005
    done
}

# stop PID SECONDS: SIGTERM, wait (polling) for the exit, and set EXIT_CODE and STOP_MS (signal to exit).
stop() {
    local pid=$1 t0 deadline
    t0=$(now_ms)
    deadline=$((t0 + $2 * 1000))
    kill -TERM "$pid"
    while alive "$pid"; do
        (($(now_ms) < deadline)) || { kill -KILL "$pid"; fail "pid $pid did not exit within $2 s of SIGTERM"; }
        nap 0.005
    done
    STOP_MS=$(($(now_ms) - t0))
    EXIT_CODE=0
    wait "$pid" || EXIT_CODE=$?
    forget "$pid"
}

# ---------------------------------------------------------------------------------------------------------------
# Measuring helpers.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }   # user + system of a process, ticks
machine_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; }   # busy time of all CPUs, ticks
# CHILDREN_MS: CPU time of this shell's finished children (wrk in the foreground, or once waited for), in ms.
# `times` must run in this shell, not in $(...): a subshell would report its own children, none.
children_ms() {
    times >"$OUT/.times"
    CHILDREN_MS=$(awk 'NR == 2 {split($1, u, "m"); split($2, s, "m");
        printf "%d", (u[1] * 60 + u[2] + s[1] * 60 + s[2]) * 1000}' "$OUT/.times")
}
# cpu_begin SERVER_PID ... cpu_end: CPU_JSON says where the CPU went meanwhile, in cores (CPU s per wall s):
# the server measured, wrk, the stand-in, and everything else on the machine ("other": it should be near 0;
# it is not when something else runs beside the benchmark, and then the figures are low).
cpu_begin() {
    CPU_PID=$1 CPU_T0=$(now_ms) CPU_S0=$(cpu_ticks "$1") CPU_C0=$(cpu_ticks "${CW_PID:-0}") CPU_M0=$(machine_ticks)
    children_ms
    CPU_W0=$CHILDREN_MS
}
cpu_end() {
    local ms=$(($(now_ms) - CPU_T0)) w1
    children_ms
    w1=$CHILDREN_MS
    CPU_JSON=$(awk -v hz="$HZ" -v ms="$ms" -v s=$(($(cpu_ticks "$CPU_PID") - CPU_S0)) -v c=$(($(cpu_ticks "${CW_PID:-0}") - CPU_C0)) \
        -v m=$(($(machine_ticks) - CPU_M0)) -v w=$((w1 - CPU_W0)) 'BEGIN {
            sec = ms / 1000; server = s / hz / sec; standin = c / hz / sec; wrk = w / 1000 / sec; machine = m / hz / sec
            other = machine - server - standin - wrk; if (other < 0) other = 0
            printf "{\"server\":%.2f,\"wrk\":%.2f,\"standin\":%.2f,\"other\":%.2f,\"machine\":%.2f}",
                server, wrk, standin, other, machine }')
    GC_JSON=$(gc_summary "${GC_LOG:-}" "$CPU_T0" "$(now_ms)")
}
# gc_summary LOGFILE FROM_MS TO_MS: the GC pauses that ended in the window, from a -Xlog:gc log with epoch-ms
# decorations ("[1795615046471ms] GC(5) Pause Young (Allocation Failure) 120M->30M(380M) 5.123ms").
gc_summary() {
    [[ -n $1 && -f $1 ]] || { echo null; return; }
    awk -v from="$2" -v to="$3" '
        /Pause/ && match($0, /^\[[0-9]+ms\]/) {
            t = substr($0, 2, RLENGTH - 4) + 0
            if (t >= from && t <= to && match($0, /[0-9.]+ms$/)) {
                ms = substr($0, RSTART, RLENGTH - 2) + 0; n++; sum += ms; if (ms > max) max = ms
            }
        }
        END { printf "{\"pauses\":%d,\"maxMs\":%.1f,\"totalMs\":%.1f}", n, max, sum }' "$1"
}
# machine_busy SECONDS: cores in use on the whole machine over the next SECONDS.
machine_busy() {
    local m0 m1
    m0=$(machine_ticks)
    sleep "$1"
    m1=$(machine_ticks)
    awk -v m=$((m1 - m0)) -v hz="$HZ" -v s="$1" 'BEGIN {printf "%.2f", m / hz / s}'
}
rss_mb() { awk -v k="$2" '$1 == k":" {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }   # VmRSS or VmHWM, MB
# Live heap in bytes: GC.class_histogram runs a full GC first and then sums every live object.
live_heap() { "${JCMD[@]}" "$1" GC.class_histogram >"$2" && awk '/^Total/ {print $3}' "$2"; }
counts() { curl -sf "http://127.0.0.1:$CW_PORT/counts"; }
reset_counts() { curl -sf -X POST "http://127.0.0.1:$CW_PORT/reset" >/dev/null; }
count_of() {   # count_of NAME: one number from the stand-in's counts (no jq: wait_points calls it often)
    local c
    c=$(counts)
    [[ $c =~ \"$1\":([0-9.eE+-]+) ]] || fail "no $1 in the stand-in's counts: $c"
    echo "${BASH_REMATCH[1]}"
}

# wait_points N SECONDS: polls the stand-in (every 100 ms: one curl, a few ms of CPU) until it has counted N points.
wait_points() {
    local deadline=$(($(now_ms) + $2 * 1000)) got
    while got=$(count_of points) && ((${got%%.*} < $1)); do
        (($(now_ms) < deadline)) || fail "the stand-in counted $got of $1 points within $2 s"
        nap 0.1
    done
}

# Gateways under wrk side by side: their GC logs and, for their own counters, their URLs, by pid.
declare -A GC_LOG_OF SCRAPE_URL
# gateway_counters PID: one JSON object from the gateway's GET /metrics and /proc/PID/io, now: the spool's fsyncs
# and the seconds they took, points accepted, POST requests answered 202, and write_bytes, the bytes the process
# caused to be written to storage. The kernel counts write_bytes when a page of the page cache turns dirty, so a
# 4 KiB page that is written, forced, written again and forced again counts twice: it says what the disk is
# sent (before the file system's journal), not how much the log holds.
gateway_counters() {
    local wb
    wb=$(awk '$1 == "write_bytes:" {print $2}' "/proc/$1/io")
    curl -sf "${SCRAPE_URL[$1]}/metrics" | awk -v wb="$wb" '
        $1 == "gateway_spool_fsyncs_total" {f = $2}
        $1 == "gateway_spool_fsync_seconds_total" {s = $2}
        $1 == "gateway_points_in_total{source=\"accepted\"}" {a = $2}
        $1 ~ /^gateway_requests_total[{].*method="POST",status="202"[}]$/ {r += $2}
        END {printf "{\"fsyncs\":%.0f,\"fsyncSeconds\":%.9f,\"accepted\":%.0f,\"requests202\":%.0f,\"writeBytes\":%.0f}\n",
            f, s, a, r, wb}'
}

# run_wrk KEY SERVER_PID WRK_ARGS...: one bounded wrk run. Keeps wrk's report in logs/wrk-KEY.txt and writes
# results/KEY.json: the BENCH line of bench/wrk/report.lua plus the command and the server's CPU use (cores),
# and for a gateway in SCRAPE_URL its counters just before wrk started and 0.2 s after it stopped.
# A measured run (not a warm-up, not a /healthcheck run, which keep to the flush schedule) waits for the machine to
# be quiet, and is run once more if other processes still took more than a quarter core during it (at most
# RETRIES_LEFT times in all).
RETRIES_LEFT=6
run_wrk() {
    local key=$1 pid=$2 measured=1 attempt before
    shift 2
    [[ $key == *warmup* || $key == *health* ]] && measured=0
    GC_LOG=${GC_LOG_OF[$pid]:-${GC_LOG:-}}
    for attempt in 1 2; do
        ((measured == 0)) || quiet
        [[ -z ${SCRAPE_URL[$pid]:-} ]] || before=$(gateway_counters "$pid")
        log "wrk $key: wrk $*"
        cpu_begin "$pid"
        wrk "$@" >"$LOG/wrk-$key.txt" 2>&1 || { cat "$LOG/wrk-$key.txt" >&2; fail "wrk $key"; }
        cpu_end
        if [[ -n ${SCRAPE_URL[$pid]:-} ]]; then
            nap 0.2   # requests wrk left in flight finish, and their force with them
            COUNTERS_JSON="{\"before\":$before,\"after\":$(gateway_counters "$pid")}"
        fi
        if ((measured && attempt == 1 && RETRIES_LEFT > 0)) && jq -e '.other > 0.25' <<<"$CPU_JSON" >/dev/null; then
            RETRIES_LEFT=$((RETRIES_LEFT - 1))
            log "other processes used $(jq .other <<<"$CPU_JSON") cores during $key: once more"
            continue
        fi
        break
    done
    wrk_result "$key" "wrk $*"
}
wrk_result() {   # wrk_result KEY COMMAND: results/KEY.json from the BENCH line of logs/wrk-KEY.txt, CPU_JSON, GC_JSON
    local line
    line=$(sed -n 's/^BENCH //p' "$LOG/wrk-$1.txt")
    [[ -n $line ]] || { cat "$LOG/wrk-$1.txt" >&2; fail "wrk $1 printed no BENCH line"; }
    jq -c --arg cmd "$2" --argjson cpu "$CPU_JSON" --argjson gc "$GC_JSON" --argjson counters "${COUNTERS_JSON:-null}" \
        '. + {cmd: $cmd, cpu: $cpu, gc: $gc} + (if $counters == null then {} else {counters: $counters} end)' \
        <<<"$line" >"$RES/$1.json"
    COUNTERS_JSON=null
}

# ---------------------------------------------------------------------------------------------------------------
# Tools, JDK, build outputs.
need() {   # need COMMAND PACKAGE: installs the Debian package when the command is missing
    command -v "$1" >/dev/null && return 0
    log "$1 is missing: apt-get install -y $2"
    local sudo=""
    [[ $(id -u) == 0 ]] || sudo=sudo
    $sudo apt-get install -y "$2" >&2 || { $sudo apt-get update >&2 && $sudo apt-get install -y "$2" >&2; }
}
need wrk wrk
need jq jq
need curl curl

[[ -n ${JAVA_HOME:-} && -x $JAVA_HOME/bin/java ]] || fail "JAVA_HOME must name a JDK 21+ (make bench sets it)"
JAVA=$JAVA_HOME/bin/java
# Every JVM this script starts gets OOM: out of heap, it exits at once (and the run fails) instead of going on
# half-dead. jcmd and jfr run in JVMs of their own too (-J passes a flag to it); so does mvn (MAVEN_OPTS).
OOM=-XX:+ExitOnOutOfMemoryError
JCMD=("$JAVA_HOME/bin/jcmd" "-J$OOM")
JFR=("$JAVA_HOME/bin/jfr" "-J$OOM")
export MAVEN_OPTS="${MAVEN_OPTS:+$MAVEN_OPTS }$OOM"
HZ=$(getconf CLK_TCK)
[[ -f $JAR_BUILT && -d target/test-classes/com/cwgateway/bench && -d target/test-classes/com/cwgateway/testsupport ]] ||
    fail "build first: make build (make bench does)"

rm -rf "$LOG" "$RES" "$OUT/classes" "$OUT"/spool-*
mkdir -p "$LOG" "$RES" "$OUT/classes/com/cwgateway"
# Snapshots of what was built, so that a rebuild in the same tree while this runs cannot change the code measured.
JAR=$OUT/aws-cloudwatch-metrics-http-gateway.jar
cp "$JAR_BUILT" "$JAR"
cp -r target/test-classes/com/cwgateway/bench target/test-classes/com/cwgateway/testsupport "$OUT/classes/com/cwgateway/"
log "test classpath (jackson-dataformat-cbor and the SDK for the stand-in): mvn dependency:build-classpath"
MVN_CP=(-B -ntp -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$OUT/classpath.txt")
mvn -o "${MVN_CP[@]}" >"$LOG/mvn-classpath.txt" 2>&1 || mvn "${MVN_CP[@]}" >>"$LOG/mvn-classpath.txt" 2>&1 ||
    { cat "$LOG/mvn-classpath.txt" >&2; fail "mvn dependency:build-classpath"; }
CP=$OUT/classes:$(cat "$OUT/classpath.txt")
# The JVM flags of the Dockerfile's ENTRYPOINT (and OOM), for the gateway and the bare server alike. Both also log
# their GC pauses to a file (-Xlog:gc:file=...), which costs nothing measurable and tells a GC pause from a stall.
JVM_FLAGS=(-XX:+UseSerialGC -XX:MaxRAMPercentage=60 -Xmn96m -XX:SurvivorRatio=3 "$OOM")

export BENCH_BATCH_BODY=$OUT/batch.json   # read by bench/wrk/batch.lua
"$JAVA" "$OOM" -cp "$CP" com.cwgateway.bench.BenchBodies "$BENCH_BATCH_BODY" >&2

# ---------------------------------------------------------------------------------------------------------------
# Other work on the machine lowers every figure. Before the run and before each measured wrk run, wait while more
# than a quarter core is busy (our own idle processes use next to nothing), up to BENCH_IDLE_WAIT_SECONDS in all;
# after that, go on: the table shows, run by run, what other processes used ("other processes ... cores").
IDLE_BUDGET_MS=$((${BENCH_IDLE_WAIT_SECONDS:-120} * 1000))
quiet() {
    local busy t0
    busy=$(machine_busy 0.5)
    awk -v b="$busy" 'BEGIN {exit !(b > 0.25)}' || return 0
    ((IDLE_BUDGET_MS > 0)) || return 0
    log "the machine is busy ($busy cores in use); waiting for it to go quiet (at most $((IDLE_BUDGET_MS / 1000)) s more in this run)"
    t0=$(now_ms)
    while awk -v b="$busy" 'BEGIN {exit !(b > 0.25)}' && (($(now_ms) - t0 < IDLE_BUDGET_MS)); do
        busy=$(machine_busy 1)
    done
    IDLE_BUDGET_MS=$((IDLE_BUDGET_MS - ($(now_ms) - t0)))
    ((IDLE_BUDGET_MS > 0)) || log "WARNING: still $busy cores busy; going on without waiting any more"
}
LOADAVG_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)   # before waiting for quiet: what others were doing
quiet
BUSY_AT_START=$(machine_busy 1)

# ---------------------------------------------------------------------------------------------------------------
# 1. Parse ceiling, first, while nothing else runs.
log "parse ceiling: ParseRate, 2 s warm-up + 5 s per loop"
PARSE_CMD="java -XX:+UseSerialGC $OOM -cp target/test-classes:<jackson-core> com.cwgateway.bench.ParseRate $BENCH_BATCH_BODY 5"
cpu_begin 0
"$JAVA" -XX:+UseSerialGC "$OOM" -cp "$CP" com.cwgateway.bench.ParseRate "$BENCH_BATCH_BODY" 5 >"$LOG/parse.json"
cpu_end   # ParseRate counts as "wrk" here: the child process this shell waited for
jq -c --argjson cpu "$CPU_JSON" '. + {cpu: $cpu}' "$LOG/parse.json" >"$RES/parse.json"

# The fsync ceiling: 4 KiB writes, each followed by FileChannel.force(false) (fdatasync), one after another, in
# target/bench, where the disk gateway's spool will be: appending, as the spool's log does, then overwriting a file
# written beforehand. What one force of the log costs at the least on this disk.
log "fsync ceiling: FsyncProbe, 4 KiB writes, 2 s appending + 2 s overwriting"
FSYNC_CMD="java $OOM -cp target/test-classes com.cwgateway.bench.FsyncProbe target/bench 2 4096"
cpu_begin 0
"$JAVA" "$OOM" -cp "$OUT/classes" com.cwgateway.bench.FsyncProbe "$OUT" 2 4096 >"$LOG/fsync.json"
cpu_end
jq -c --argjson cpu "$CPU_JSON" '. + {cpu: $cpu}' "$LOG/fsync.json" >"$RES/fsync.json"

# 2. The CloudWatch stand-in, for every gateway of this run.
launch "$LOG/standin.log" "$JAVA" -XX:+UseSerialGC -Xmx256m "$OOM" -cp "$CP" com.cwgateway.testsupport.CloudWatchStandIn
CW_PID=$LAUNCHED
wait_for "$LOG/standin.log" 'listening on' "$CW_PID" 30
CW_PORT=$(sed -n 's/.*listening on 127.0.0.1:\([0-9]*\).*/\1/p' "$LOG/standin.log")
log "CloudWatch stand-in on 127.0.0.1:$CW_PORT"

# 3. HTTP ceiling: the bare server under the same wrk runs as the gateway.
GC_LOG=$LOG/gc-bare.log
launch "$LOG/bare.log" "$JAVA" "${JVM_FLAGS[@]}" "-Xlog:gc:file=$GC_LOG:timemillis" -cp "$OUT/classes" \
    com.cwgateway.bench.BareServer
BARE_PID=$LAUNCHED
wait_for "$LOG/bare.log" 'listening on' "$BARE_PID" 30
BARE=http://127.0.0.1:$(sed -n 's/.*listening on 127.0.0.1:\([0-9]*\).*/\1/p' "$LOG/bare.log")
log "bare server at $BARE"

# The wrk runs, the same for the bare server and the gateways: warm-up (JIT), then -t1 and -t2 with 64 connections.
# --timeout 10s: wrk leaves requests slower than its timeout out of the percentiles; 10 s keeps them in.
# wrk_suite NAME...: the suite against each server NAME (its pid in PID_OF, its base URL in URL_OF); with more than
# one, their runs alternate, the order turned round after each step (A B, B A, A B...), so that drift in what else
# the machine does falls on each alike. Writes results/NAME-rss.json: VmHWM after each endpoint's runs.
declare -A PID_OF URL_OF
wrk_suite() {
    local d=${SECONDS_PER_RUN}s endpoint name step order=("$@") turned i
    local -A rss
    for endpoint in metrics batch; do
        local script=bench/wrk/$endpoint.lua
        for step in warmup t1 t2; do
            for name in "${order[@]}"; do
                [[ $step != t1 ]] || profile_start "$name" "${PID_OF[$name]}" "$endpoint"
                if [[ $step == warmup ]]; then
                    run_wrk "$name-$endpoint-warmup" "${PID_OF[$name]}" -t1 -c64 -d${WARMUP_SECONDS}s --timeout 10s \
                        -s "$script" "${URL_OF[$name]}/$endpoint"
                else
                    run_wrk "$name-$endpoint-$step" "${PID_OF[$name]}" -$step -c64 -d$d --timeout 10s \
                        -s "$script" "${URL_OF[$name]}/$endpoint"
                fi
            done
            turned=()
            for ((i = ${#order[@]} - 1; i >= 0; i--)); do turned+=("${order[i]}"); done
            order=("${turned[@]}")
        done
        for name in "${order[@]}"; do
            profile_stop "$name" "${PID_OF[$name]}" "$endpoint"
            rss[$name-$endpoint]=$(rss_mb "${PID_OF[$name]}" VmHWM)
        done
    done
    for name in "$@"; do
        jq -n --argjson m "${rss[$name-metrics]}" --argjson b "${rss[$name-batch]}" \
            '{hwmAfterMetricsMb: $m, hwmAfterBatchMb: $b}' >"$RES/$name-rss.json"
    done
}
# With BENCH_PROFILE=1, a JFR recording (settings=profile) of each gateway over the -t1 and -t2 runs of an endpoint,
# and what `jfr view` makes of it: the hottest methods, and what allocates.
profile_start() {   # profile_start NAME PID ENDPOINT
    [[ ${BENCH_PROFILE:-} == 1 && $1 != bare ]] || return 0
    "${JCMD[@]}" "$2" JFR.start name="$1-$3" settings=profile >>"$LOG/jfr.txt" 2>&1
}
profile_stop() {
    [[ ${BENCH_PROFILE:-} == 1 && $1 != bare ]] || return 0
    local jfr=$OUT/profile-$1-$3.jfr
    "${JCMD[@]}" "$2" JFR.stop name="$1-$3" filename="$PWD/$jfr" >>"$LOG/jfr.txt" 2>&1
    { "${JFR[@]}" view --width 200 hot-methods "$jfr"
      "${JFR[@]}" view --width 200 allocation-by-class "$jfr"
      "${JFR[@]}" view --width 200 gc-pauses "$jfr"; } >"$LOG/profile-$1-$3.txt" 2>&1 || true
    log "profile of $1 /$3: $LOG/profile-$1-$3.txt ($jfr)"
}
PID_OF[bare]=$BARE_PID URL_OF[bare]=$BARE
wrk_suite bare
stop "$BARE_PID" 30

# ---------------------------------------------------------------------------------------------------------------
# The gateway, as the Dockerfile runs it, in a clean environment (nothing of the caller's AWS_* or settings leaks
# in): dummy credentials, the stand-in as endpoint, no profile files, no instance metadata. Each gateway has a spool
# of its own, new, in target/bench/spool-NAME: on the disk of the repository, as SPOOL_DIR would be by default.
declare -A GATEWAY_CMD
start_gateway() {   # start_gateway NAME SETTING=VALUE...: sets GW_PID, GW_URL; writes results/start-NAME.json
    local name=$1 logfile=$LOG/gateway-$1.log t0 stamp line_ms logged
    shift
    local settings=(PORT=0 HOST=127.0.0.1 MAX_BODY_BYTES=16777216 HTTP_MAX_IDLE_CONNECTIONS=1000
        SHUTDOWN_TIMEOUT_MS=60000 SPOOL_DIR=$OUT/spool-$name "$@")
    local aws=(AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=bench-key AWS_SECRET_ACCESS_KEY=bench-secret
        AWS_EC2_METADATA_DISABLED=true AWS_ENDPOINT_URL_CLOUDWATCH=http://127.0.0.1:$CW_PORT
        AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null)
    GATEWAY_CMD[$name]="${settings[*]} ${aws[*]} java ${JVM_FLAGS[*]} -Xlog:gc:file=gc-$name.log:timemillis -jar $JAR_BUILT"
    quiet   # start-up time is one of the figures
    log "gateway $name: ${settings[*]}"
    t0=$(now_ms)
    GC_LOG=$LOG/gc-$name.log
    rm -rf "$OUT/spool-$name"
    launch "$logfile" env -i PATH="$PATH" "${settings[@]}" "${aws[@]}" "$JAVA" "${JVM_FLAGS[@]}" \
        "-Xlog:gc:file=$GC_LOG:timemillis" -jar "$JAR"
    GW_PID=$LAUNCHED
    GC_LOG_OF[$GW_PID]=$GC_LOG
    wait_for "$logfile" 'listening on https?://' "$GW_PID" 30
    GW_URL=$(sed -n 's|.*listening on \(https\{0,1\}\)://[^:]*:\([0-9]*\).*|\1://127.0.0.1:\2|p' "$logfile" | head -n 1)
    # Start-up two ways: what the gateway logs (JVM start to listening), and wall time from just before the launch
    # to the timestamp on that log line (exact to the millisecond: no polling delay in it).
    stamp=$(grep -m 1 -E 'listening on https?://' "$logfile" | awk '{print $1}')
    line_ms=$(date -d "$stamp" +%s%3N)
    logged=$(grep -m 1 -E 'listening on https?://' "$logfile" | sed -n 's/.* started in \([0-9]*\) ms.*/\1/p')
    jq -n --argjson logged "${logged:-null}" --argjson wall $((line_ms - t0)) '{loggedMs: $logged, wallMs: $wall}' \
        >"$RES/start-$name.json"
    log "gateway $name at $GW_URL (pid $GW_PID): started in ${logged:-?} ms by its log, $((line_ms - t0)) ms wall"
}

# 4. Throughput: the wrk suite against two gateways that differ only in DURABILITY: memory [G1] (buffered in memory
# only, as every gateway was before the spool) and disk [G1d] (the default: each request forced to the spool before
# its 202, one force per group of waiting requests). Both run all along, their wrk runs alternating; both flush
# every second, so the flush work (and for disk, the segment rotation and deletion) falls inside the runs. Each
# measured run also takes the gateway's counters (fsyncs, fsync seconds, points accepted) and its write_bytes.
for mode in memory disk; do
    start_gateway "$mode" METRICS_FLUSH_INTERVAL="$LOAD_FLUSH_MS" DURABILITY="$mode"
    PID_OF[$mode]=$GW_PID URL_OF[$mode]=$GW_URL SCRAPE_URL[$GW_PID]=$GW_URL
done
"${JCMD[@]}" "${PID_OF[memory]}" VM.flags >"$LOG/gateway-memory-vmflags.txt" 2>&1 || true
wrk_suite memory disk
for mode in memory disk; do
    stop "${PID_OF[$mode]}" 90
    log "gateway $mode stopped in $STOP_MS ms, exit code $EXIT_CODE"
done

# 5. 1M points, aggregated and not. The flush of the 1M points is the gateway's second: a small first one (10k
# points) warms up the publish path (SDK client, marshalling, JIT) and shows when the flushes fall, since they
# come every FLUSH_MS from then on. These gateways run with DURABILITY=memory (BENCH_MILLION_DURABILITY): what they
# measure is the buffer, its flush and the shutdown, the same in both modes, and the cost of DURABILITY=disk at
# ingest is step 4's. (With disk, LoadPoints' 4 requests at a time took 16 s for 1M points on a busy machine,
# which with the heap histograms around it did not fit between two flushes 20 s apart.)
load_points() {   # load_points KEY N
    "$JAVA" "$OOM" -cp "$OUT/classes" com.cwgateway.bench.LoadPoints "$GW_URL" "$2" "$SERIES" >"$RES/$1.json" \
        2>"$LOG/$1.err" || { cat "$LOG/$1.err" >&2; fail "loading $2 points"; }
}
million() {   # million NAME true|false
    local name=$1 due wait_ms idle_s h0 h1
    start_gateway "$name" METRICS_FLUSH_INTERVAL="$FLUSH_MS" METRICS_AGGREGATION="$2" DURABILITY="$MILLION_DURABILITY"
    # A short first run only warms up /healthcheck (JIT); the baseline is measured later, beside the flush.
    run_wrk "$name-health-warmup" "$GW_PID" -t1 -c4 -d2s --timeout 10s -s bench/wrk/healthcheck.lua "$GW_URL/healthcheck"

    log "$name: 10k points to warm up the first flush, then waiting for it"
    reset_counts
    load_points "$name-warmup" 10000
    wait_points 10000 $((FLUSH_MS / 1000 + 30))
    due=$(($(count_of firstCallMs) + FLUSH_MS))   # when the next flush starts, give or take its first call's delay
    reset_counts

    log "$name: $POINTS points, live heap before and after (jcmd GC.class_histogram)"
    h0=$(live_heap "$GW_PID" "$LOG/$name-histogram-0.txt")
    load_points "$name-load" "$POINTS"
    h1=$(live_heap "$GW_PID" "$LOG/$name-histogram-$POINTS.txt")
    (($(count_of calls) == 0)) || fail "$name: a flush came while loading; raise BENCH_FLUSH_MS (now $FLUSH_MS)"
    jq -n --argjson h0 "$h0" --argjson h1 "$h1" --argjson n "$POINTS" --argjson rss "$(rss_mb "$GW_PID" VmRSS)" \
        '{heap0: $h0, heapN: $h1, points: $n, bytesPerPoint: (($h1 - $h0) / $n), rssMb: $rss}' >"$RES/$name-heap.json"

    # Baseline: the same /healthcheck wrk with the points buffered, no flush running (up to 5 s, ending 2 s before
    # the flush is due).
    idle_s=$(((due - 2000 - $(now_ms)) / 1000))
    ((idle_s <= 5)) || idle_s=5
    ((idle_s >= 2)) || fail "$name: no time left for the /healthcheck baseline before the flush; raise BENCH_FLUSH_MS (now $FLUSH_MS)"
    run_wrk "$name-health-idle" "$GW_PID" -t1 -c4 -d${idle_s}s --timeout 10s -s bench/wrk/healthcheck.lua "$GW_URL/healthcheck"

    # During the flush: from 1.5 s before it is due until 300 ms after the stand-in has counted every point; wrk
    # stops on SIGINT and still reports (its -d only bounds the run if the flush never completes).
    wait_ms=$((due - 1500 - $(now_ms)))
    ((wait_ms <= 0)) || sleep "$(awk -v ms=$wait_ms 'BEGIN {print ms / 1000}')"
    log "$name: /healthcheck while the flush of $POINTS points runs"
    local hc_args=(-t1 -c4 -d$((FLUSH_MS / 1000 + 90))s --timeout 10s -s bench/wrk/healthcheck.lua "$GW_URL/healthcheck")
    cpu_begin "$GW_PID"
    launch "$LOG/wrk-$name-health-flush.txt" wrk "${hc_args[@]}"
    local hc_pid=$LAUNCHED
    wait_points "$POINTS" $((FLUSH_MS / 1000 + 90))
    nap 0.3
    kill -INT "$hc_pid"
    wait "$hc_pid" || true
    forget "$hc_pid"
    cpu_end
    wrk_result "$name-health-flush" "wrk ${hc_args[*]} (stopped by SIGINT 0.3 s after the last point arrived)"
    counts >"$RES/$name-flush-counts.json"
    log "$name: flush delivered $(jq -c . "$RES/$name-flush-counts.json")"

    # Shutdown: 1M points again, then SIGTERM; the gateway must deliver every one before it exits. Flushes keep
    # their schedule (due + k * FLUSH_MS); if the next one is close, let it pass (empty) before loading.
    local tick=$due
    while ((tick < $(now_ms))); do tick=$((tick + FLUSH_MS)); done
    if ((tick - $(now_ms) < 10000)); then
        sleep "$(awk -v ms=$((tick + 500 - $(now_ms))) 'BEGIN {print ms / 1000}')"
    fi
    reset_counts
    load_points "$name-load2" "$POINTS"
    (($(count_of calls) == 0)) || fail "$name: a flush came before SIGTERM; raise BENCH_FLUSH_MS (now $FLUSH_MS)"
    jq -n --argjson hwm "$(rss_mb "$GW_PID" VmHWM)" '{hwmMb: $hwm}' >"$RES/$name-rss.json"
    log "$name: SIGTERM with $POINTS points buffered"
    stop "$GW_PID" 120
    jq -n --argjson ms "$STOP_MS" --argjson code "$EXIT_CODE" --argjson counts "$(counts)" \
        --arg line "$(grep -m 1 'stopped in' "$LOG/gateway-$name.log" || true)" \
        '{wallMs: $ms, exitCode: $code, counts: $counts, logLine: $line}' >"$RES/$name-shutdown.json"
    log "$name: exited $EXIT_CODE after $STOP_MS ms; stand-in: $(counts)"
}
million agg true
million raw false

# 6. Bytes per new series: SERIES_POINTS points, each of a series of its own (what a high-cardinality flood fills
# the buffer with), into a gateway that does not flush meanwhile: live heap before and after, beside the buffer's
# own estimate (gateway_buffer_bytes), which is what MAX_BUFFER_BYTES bounds.
series_heap() {   # series_heap NAME true|false
    local name=$1 h0 h1 estimate
    start_gateway "$name" METRICS_FLUSH_INTERVAL=600000 METRICS_AGGREGATION="$2" DURABILITY=memory MAX_SERIES=0
    log "$name: $SERIES_POINTS new series, live heap before and after (jcmd GC.class_histogram)"
    h0=$(live_heap "$GW_PID" "$LOG/$name-histogram-0.txt")
    "$JAVA" "$OOM" -cp "$OUT/classes" com.cwgateway.bench.LoadPoints "$GW_URL" "$SERIES_POINTS" new \
        >"$RES/$name-load.json" 2>"$LOG/$name-load.err" || { cat "$LOG/$name-load.err" >&2; fail "loading new series"; }
    h1=$(live_heap "$GW_PID" "$LOG/$name-histogram-$SERIES_POINTS.txt")
    estimate=$(curl -sf "$GW_URL/metrics" | awk '$1 == "gateway_buffer_bytes" {print $2}')
    jq -n --argjson h0 "$h0" --argjson h1 "$h1" --argjson n "$SERIES_POINTS" --argjson e "$estimate" \
        '{heap0: $h0, heapN: $h1, series: $n, bytesPerSeries: (($h1 - $h0) / $n), estimatePerSeries: ($e / $n)}' \
        >"$RES/$name-heap.json"
    stop "$GW_PID" 120
    log "$name: $(jq -c . "$RES/$name-heap.json")"
}
series_heap series-agg true
series_heap series-raw false

# 7. TLS: the memory gateway of step 4 again, serving HTTPS with a P-256 certificate made here by openssl:
# /metrics on kept-alive connections, then with a new connection per request (Connection: close), so every
# request is a full handshake. Compared with the plain memory gateway's /metrics -t1 of step 4.
need openssl openssl
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=127.0.0.1 \
    -addext subjectAltName=IP:127.0.0.1 -keyout "$OUT/tls-key.pem" -out "$OUT/tls-cert.pem" 2>"$LOG/openssl.err" \
    || { cat "$LOG/openssl.err" >&2; fail "openssl could not make a certificate"; }
start_gateway tls METRICS_FLUSH_INTERVAL="$LOAD_FLUSH_MS" DURABILITY=memory TLS_CERT_FILE="$OUT/tls-cert.pem" \
    TLS_KEY_FILE="$OUT/tls-key.pem"
run_wrk tls-metrics-warmup "$GW_PID" -t1 -c64 -d${WARMUP_SECONDS}s --timeout 10s -s bench/wrk/metrics.lua "$GW_URL/metrics"
run_wrk tls-metrics-t1 "$GW_PID" -t1 -c64 -d${SECONDS_PER_RUN}s --timeout 10s -s bench/wrk/metrics.lua "$GW_URL/metrics"
run_wrk tls-handshakes-t1 "$GW_PID" -t1 -c64 -d${SECONDS_PER_RUN}s --timeout 10s -H "Connection: close" \
    -s bench/wrk/metrics.lua "$GW_URL/metrics"
stop "$GW_PID" 60

# ---------------------------------------------------------------------------------------------------------------
# Start-up with a class-data archive (AppCDS), trained as the Dockerfile and `make cds` train it: --self-test
# under -XX:ArchiveClassesAtExit, then three starts with -XX:SharedArchiveFile, beside the three without above.
log "AppCDS: training run (--self-test), then three starts with the archive"
"$JAVA" "${JVM_FLAGS[@]}" -XX:ArchiveClassesAtExit="$LOG/gateway.jsa" -Xlog:cds=off -jar "$JAR" --self-test \
    >"$LOG/cds-training.log" 2>&1
JVM_FLAGS_WITHOUT_CDS=("${JVM_FLAGS[@]}")
JVM_FLAGS+=("-XX:SharedArchiveFile=$LOG/gateway.jsa" "-Xlog:cds=off")
for name in cds1 cds2 cds3; do
    start_gateway "$name" METRICS_FLUSH_INTERVAL=60000 DURABILITY=disk
    stop "$GW_PID" 30
done
JVM_FLAGS=("${JVM_FLAGS_WITHOUT_CDS[@]}")

# ---------------------------------------------------------------------------------------------------------------
# The table: bench/table.sh renders results/*.json (it can be run again on them alone).
stop_all
jq -n --arg loadavgBefore "$LOADAVG_BEFORE" --arg loadavgAfter "$(cut -d' ' -f1-3 /proc/loadavg)" --arg date "$(date -u +%Y-%m-%dT%H:%MZ)" \
    --arg commit "$(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- src pom.xml 2>/dev/null || echo ' + uncommitted changes')" \
    --arg jdk "$("$JAVA" "$OOM" -version 2>&1 | head -n 1)" --arg cpus "$(nproc)" \
    --arg mem "$(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)" --arg kernel "$(uname -r)" \
    --arg wrk "$(wrk -v 2>&1 | head -n 1 | awk '{print $1, $2}')" \
    --argjson points "$POINTS" --argjson series "$SERIES" --argjson flushMs "$FLUSH_MS" \
    --argjson loadFlushMs "$LOAD_FLUSH_MS" --argjson seconds "$SECONDS_PER_RUN" --arg busyAtStart "$BUSY_AT_START" \
    --arg heap "$(grep -o -- '-XX:\(Initial\|Max\)HeapSize=[0-9]*' "$LOG/gateway-memory-vmflags.txt" | \
        awk -F= '{printf "%s%s %d MB", (NR > 1 ? ", " : ""), substr($1, 5), $2 / 1048576}')" \
    --arg gwMemory "${GATEWAY_CMD[memory]}" --arg gwDisk "${GATEWAY_CMD[disk]}" --arg gwAgg "${GATEWAY_CMD[agg]}" --arg gwRaw "${GATEWAY_CMD[raw]}" \
    --arg gwTls "${GATEWAY_CMD[tls]}" --arg gwSeriesAgg "${GATEWAY_CMD[series-agg]}" --arg gwSeriesRaw "${GATEWAY_CMD[series-raw]}" --argjson seriesPoints "$SERIES_POINTS" \
    --arg parse "$PARSE_CMD" --arg fsync "$FSYNC_CMD" \
    --argjson metricsBodyBytes "$(sed -n "s/^wrk.body = '\\(.*\\)'\$/\\1/p" bench/wrk/metrics.lua | tr -d '\n' | wc -c)" \
    --arg bare "java ${JVM_FLAGS[*]} -Xlog:gc:file=gc-bare.log:timemillis -cp target/test-classes com.cwgateway.bench.BareServer" \
    --arg profile "${BENCH_PROFILE:-}" \
    --arg standin "java -XX:+UseSerialGC -Xmx256m $OOM -cp target/test-classes:<test classpath> com.cwgateway.testsupport.CloudWatchStandIn" \
    --arg loader "java $OOM -cp target/test-classes com.cwgateway.bench.LoadPoints <gateway> $POINTS $SERIES" \
    '$ARGS.named' >"$RES/meta.json"
bench/table.sh "$RES" >"$OUT/results.md"
cat "$OUT/results.md"
log "done: $OUT/results.md (raw outputs in $LOG and $RES)"
