#!/usr/bin/env bash
# Renders the results of bench/run.sh (target/bench/results/*.json) as one markdown table plus the notes that
# say what ran. Run again on its own to re-render: bench/table.sh target/bench/results
set -euo pipefail
RES=${1:-target/bench/results}

j() { jq -r "$2" "$RES/$1.json"; }
meta() { j meta ".$1"; }
num() { awk -v x="$1" "BEGIN {printf \"$2\", x}"; }   # num VALUE FORMAT
# 1234567 -> 1.23M, 52130 -> 52.1k
si() { awk -v x="$1" 'BEGIN { if (x >= 1e6) printf "%.2fM", x / 1e6; else if (x >= 1e4) printf "%.1fk", x / 1e3;
                              else if (x >= 1e3) printf "%.2fk", x / 1e3; else printf "%.0f", x }'; }
# microseconds -> "0.84 ms", "12.3 ms", "1.52 s"
dur() { awk -v us="$1" 'BEGIN { if (us < 10000) printf "%.2f ms", us / 1e3; else if (us < 1e6) printf "%.1f ms", us / 1e3;
                                 else printf "%.2f s", us / 1e6 }'; }
pct() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.0f%%", 100 * a / b}'; }
rps() { j "$1" '.requests / (.duration_us / 1e6)'; }
# " (N errors: ...)" when wrk saw any, so that a fast but failing run cannot pass for a good one
errs() {
    j "$1" '[.errors_connect, .errors_read, .errors_write, .errors_status, .errors_timeout] as $e
        | ($e | add) as $n | if $n == 0 then "" else
          " (**\($n) errors**: connect \($e[0]), read \($e[1]), write \($e[2]), non-2xx \($e[3]), timeout \($e[4]))" end'
}
lat() { echo "p50 $(dur "$(j "$1" .p50_us)"), p99 $(dur "$(j "$1" .p99_us)")"; }
cmd() { echo "\`$(j "$1" .cmd | sed -E 's#(https?://127\.0\.0\.1:)[0-9]+#\1PORT#')\`"; }
# met A OP B: "met" or "**not met**"; A and B are numbers or awk expressions of numbers ("52130 * 0.9")
met() { if awk "BEGIN {exit !(($1) $2 ($3))}"; then echo "met"; else echo "**not met**"; fi; }
# Where the CPU went during a run: the server, wrk, and, when it is not negligible, the rest of the machine.
# With "standin" as third argument, the stand-in's share too; then the GC pauses of the server during the run.
cpu() {
    local who=${2:-gateway}
    jq -r --arg who "$who" --arg standin "${3:-}" '(.cpu | "\($who) \(.server) + wrk \(.wrk)"
        + (if $standin != "" then " + stand-in \(.standin)" else "" end) + " cores"
        + (if .other > 0.15 then ", **other processes \(.other) cores**" else "" end))
        + (if .gc == null then "" else "; GC \(.gc.pauses) pauses, max \(.gc.maxMs) ms" end)' "$RES/$1.json"
}

# delta KEY FIELD: how much one of the gateway's counters grew over a run (results/KEY.json .counters)
delta() { j "$1" ".counters.after.$2 - .counters.before.$2"; }
# spool KEY MEMORY_KEY POINTS_PER_REQUEST BODY_BYTES: the disk gateway's run against the memory gateway's, and what
# its spool did meanwhile: fsyncs (gateway_spool_fsyncs_total), their mean latency (gateway_spool_fsync_seconds_total
# over the fsyncs), requests per fsync, and bytes per point accepted two ways: as records (12 B record header + 9 B
# spool header + the body, per request: what the log holds) and as write_bytes of the process (what the disk is sent).
spool() {
    local k=$1 m=$2 f s req pts
    f=$(delta "$k" fsyncs) s=$(delta "$k" fsyncSeconds) req=$(delta "$k" requests202) pts=$(delta "$k" accepted)
    awk -v f="$f" -v s="$s" -v req="$req" -v pts="$pts" -v wb="$(delta "$k" writeBytes)" -v body="$4" \
        -v mwb="$(delta "$m" writeBytes)" -v mpts="$(delta "$m" accepted)" \
        -v sec="$(j "$k" '.duration_us / 1e6')" 'BEGIN {
        if (f == 0 || pts == 0) { printf "**no fsync or no point counted** (%d fsyncs, %d points)", f, pts; exit }
        printf "%d fsyncs (%.0f/s, %.1f requests each), mean fsync %.2f ms, forcing %.0f%% of the run; log %.1f B per point as records, %.1f B per point written to storage (write_bytes; memory: %.1f B)",
            f, f / sec, req / f, s / f * 1000, 100 * s / sec, req * (21 + body) / pts, wb / pts, (mpts > 0 ? mwb / mpts : 0) }'
}

POINTS=$(meta points)
M=$(si "$POINTS")
PARSE=$(j parse .tokens.datumsPerSecond)
PARSE_VALUES=$(j parse .values.datumsPerSecond)

echo "| figure | measured | against the ceiling and the issue's target | how |"
echo "|---|---|---|---|"

# /metrics and /batch: the gateway with DURABILITY=memory, then its ratio to the bare server under the same wrk
# command; the gateway with DURABILITY=disk, then its ratio to the memory gateway and what its spool did.
for t in t1 t2; do
    g=memory-metrics-$t b=bare-metrics-$t
    echo "| \`POST /metrics\`, 1 datum, DURABILITY=memory, wrk -$t -c64 | $(si "$(rps $g)") req/s, $(lat $g); $(cpu $g)$(errs $g) | $(pct "$(rps $g)" "$(rps $b)") of the bare server's $(si "$(rps $b)") req/s (target ≥ 90%: $(met "$(rps $g)" '>=' "$(rps $b) * 0.9")); p99 ≤ 5 ms: $(met "$(j $g .p99_us)" '<=' 5000) | $(cmd $g) [G1] |"
done
for t in t1 t2; do
    g=disk-metrics-$t m=memory-metrics-$t
    echo "| \`POST /metrics\`, 1 datum, **DURABILITY=disk**, wrk -$t -c64 | $(si "$(rps $g)") req/s, $(lat $g); $(cpu $g)$(errs $g) | $(pct "$(rps $g)" "$(rps $m)") of memory's $(si "$(rps $m)") req/s (target ≥ 80%: $(met "$(rps $g)" '>=' "$(rps $m) * 0.8")); p99 $(awk -v d="$(j $g .p99_us)" -v m="$(j $m .p99_us)" 'BEGIN {printf "%+.2f ms", (d - m) / 1000}') against memory's $(dur "$(j $m .p99_us)") (target ≤ +5 ms: $(met "$(j $g .p99_us)" '<=' "$(j $m .p99_us) + 5000")); $(spool $g $m 1 "$(meta metricsBodyBytes)") | $(cmd $g) [G1d] |"
done
for t in t1 t2; do
    g=memory-batch-$t b=bare-batch-$t
    gd=$(awk -v r="$(rps $g)" 'BEGIN {print r * 1000}') bd=$(awk -v r="$(rps $b)" 'BEGIN {print r * 1000}')
    echo "| \`POST /batch\`, 10 inputs × 100 datums ($(num "$(j parse .bodyBytes)" %d) B), DURABILITY=memory, wrk -$t -c64 | $(si "$gd") datums/s ($(si "$(rps $g)") req/s), $(lat $g); $(cpu $g)$(errs $g) | $(pct "$gd" "$bd") of the bare server reading the body ($(si "$bd") datums/s), $(pct "$gd" "$PARSE") of the one-thread parse rate ($(si "$PARSE")/s); target ≥ 2M datums/s: $(met "$gd" '>=' 2000000), ≥ 60% of parse: $(met "$gd" '>=' "$PARSE * 0.6"), p99 ≤ 50 ms: $(met "$(j $g .p99_us)" '<=' 50000) | $(cmd $g) [G1] |"
done
for t in t1 t2; do
    g=disk-batch-$t m=memory-batch-$t
    gd=$(awk -v r="$(rps $g)" 'BEGIN {print r * 1000}') md=$(awk -v r="$(rps $m)" 'BEGIN {print r * 1000}')
    echo "| \`POST /batch\`, 10 inputs × 100 datums, **DURABILITY=disk**, wrk -$t -c64 | $(si "$gd") datums/s ($(si "$(rps $g)") req/s), $(lat $g); $(cpu $g)$(errs $g) | $(pct "$gd" "$md") of memory's $(si "$md") datums/s (target ≥ 80%: $(met "$gd" '>=' "$md * 0.8")); p99 $(awk -v d="$(j $g .p99_us)" -v m="$(j $m .p99_us)" 'BEGIN {printf "%+.1f ms", (d - m) / 1000}') against memory's $(dur "$(j $m .p99_us)") (target ≤ +5 ms: $(met "$(j $g .p99_us)" '<=' "$(j $m .p99_us) + 5000")); $(spool $g $m 1000 "$(j parse .bodyBytes)") | $(cmd $g) [G1d] |"
done

# /healthcheck during the flush of 1M points, against the same wrk on the idle gateway.
for mode in agg raw; do
    f=$mode-health-flush i=$mode-health-idle c=$mode-flush-counts
    label=$([[ $mode == agg ]] && echo "aggregated" || echo "not aggregated")
    gn=$([[ $mode == agg ]] && echo G2 || echo G3)
    echo "| \`GET /healthcheck\` while $M buffered points flush ($label) | p50 $(dur "$(j $f .p50_us)"), p99 $(dur "$(j $f .p99_us)"), max $(dur "$(j $f .max_us)"), $(si "$(rps $f)") req/s over a $(num "$(j $f '.duration_us / 1e6')" %.1f) s window around a flush of $(j $c '.lastCallMs - .firstCallMs') ms (first to last PutMetricData call); $(cpu $f gateway standin)$(errs $f) | no flush running, same wrk and points buffered: p50 $(dur "$(j $i .p50_us)"), p99 $(dur "$(j $i .p99_us)"), max $(dur "$(j $i .max_us)") ($(cpu $i)); target: a few ms over that | $(cmd $f) [$gn] |"
done

# Memory.
echo "| peak RSS under load (VmHWM) | $(j memory-rss .hwmAfterMetricsMb) MB after the /metrics runs, $(j memory-rss .hwmAfterBatchMb) MB after the /batch runs (DURABILITY=disk: $(j disk-rss .hwmAfterMetricsMb) / $(j disk-rss .hwmAfterBatchMb) MB); with $M points buffered and flushed: $(j agg-rss .hwmMb) MB aggregated, $(j raw-rss .hwmMb) MB not | bare server: $(j bare-rss .hwmAfterMetricsMb) / $(j bare-rss .hwmAfterBatchMb) MB; target ≤ 256 MB: $(met "$(j memory-rss .hwmAfterBatchMb)" '<=' 256) (disk: $(met "$(j disk-rss .hwmAfterBatchMb)" '<=' 256)) | \`/proc/PID/status\` VmHWM after the runs [G1, G1d, G2, G3] |"
for mode in agg raw; do
    h=$mode-heap
    label=$([[ $mode == agg ]] && echo "aggregated" || echo "not aggregated")
    gn=$([[ $mode == agg ]] && echo G2 || echo G3)
    target=$([[ $mode == agg ]] && echo "target ≤ 64 B: $(met "$(j $h .bytesPerPoint)" '<=' 64)" || echo "no target")
    echo "| bytes per buffered point ($label) | $(num "$(j $h .bytesPerPoint)" %.1f) B: live heap $(num "$(j $h '.heap0 / 1048576')" %.1f) MB empty, $(num "$(j $h '.heapN / 1048576')" %.1f) MB with $M points; RSS then $(j $h .rssMb) MB; the $M points went in at $(si "$(j $mode-load .pointsPerSecond)") points/s | $target | \`jcmd PID GC.class_histogram\` (full GC, then the total of live objects) before and after loading [$gn] |"
done

for mode in agg raw; do
    h=series-$mode-heap
    label=$([[ $mode == agg ]] && echo "aggregated" || echo "not aggregated")
    echo "| bytes per buffered **new series** ($label) | $(num "$(j $h .bytesPerSeries)" %.1f) B: live heap $(num "$(j $h '.heap0 / 1048576')" %.1f) MB empty, $(num "$(j $h '.heapN / 1048576')" %.1f) MB with $(j $h .series) series of one point each; the buffer's own estimate $(num "$(j $h .estimatePerSeries)" %.1f) B a series | no target; the estimate is what MAX_BUFFER_BYTES bounds | \`jcmd PID GC.class_histogram\` before and after \`LoadPoints <gateway> $(j $h .series) new\` [series-$mode] |"
done

# TLS.
echo "| \`POST /metrics\` over **TLS** (kept-alive connections), DURABILITY=memory, wrk -t1 -c64 | $(si "$(rps tls-metrics-t1)") req/s, $(lat tls-metrics-t1); $(cpu tls-metrics-t1)$(errs tls-metrics-t1) | $(pct "$(rps tls-metrics-t1)" "$(rps memory-metrics-t1)") of plain HTTP's $(si "$(rps memory-metrics-t1)") req/s [G1, -t1] | $(cmd tls-metrics-t1) [T] |"
echo "| \`POST /metrics\` over **TLS**, a new connection per request (\`Connection: close\`): full handshakes, wrk -t1 -c64 | $(si "$(rps tls-handshakes-t1)") handshakes (and requests) a second, $(lat tls-handshakes-t1); $(cpu tls-handshakes-t1); wrk's read errors $(j tls-handshakes-t1 .errors_read) (it counts each connection the server closes after its answer), other errors $(j tls-handshakes-t1 '.errors_connect + .errors_write + .errors_status + .errors_timeout') | TLS 1.3, P-256 certificate; no session resumption by wrk | $(cmd tls-handshakes-t1) [T] |"

# What reaches CloudWatch.
for mode in agg raw; do
    c=$mode-flush-counts
    label=$([[ $mode == agg ]] && echo "aggregated" || echo "not aggregated")
    gn=$([[ $mode == agg ]] && echo G2 || echo G3)
    echo "| PutMetricData calls and datums for $M points ($label) | $(j $c .calls) calls, $(j $c .datums) datums, $(j $c .points) points counted$( (($(j $c .errors) == 0)) || echo ", **$(j $c .errors) calls the stand-in refused** (undecodable or over CloudWatch's limits)"); $(si "$(j $c .wireBytes)")B on the wire | the original: one datum per point, $(si "$(awk -v n="$POINTS" 'BEGIN {print n / 1000}')") calls | counted by the stand-in [S] after the flush [$gn] |"
done

# Shutdown.
for mode in agg raw; do
    s=$mode-shutdown
    label=$([[ $mode == agg ]] && echo "aggregated" || echo "not aggregated")
    gn=$([[ $mode == agg ]] && echo G2 || echo G3)
    delivered=$(j $s .counts.points)
    echo "| shutdown with $M points buffered ($label) | $(num "$(j $s .wallMs)" %d) ms SIGTERM to exit (exit code $(j $s .exitCode)); $delivered of $POINTS points delivered in $(j $s .counts.calls) calls$([[ $delivered == "$POINTS" ]] || echo " **(not all)**"); log: \`$(j $s .logLine | sed 's/^[^ ]* *[A-Z]* *//' | cut -d';' -f1-2)\` | target ≤ 5 s: $(met "$(j $s .wallMs)" '<=' 5000) | \`kill -TERM\`, then poll until the process is gone [$gn] |"
done

# Start-up: the three gateways of the run.
logged=$(for n in memory agg raw; do j start-$n .loggedMs; done | sort -n | tr '\n' ' ')
wall=$(for n in memory agg raw; do j start-$n .wallMs; done | sort -n | tr '\n' ' ')
median() { awk '{print $2}' <<<"$1"; }
echo "| start to \"listening\" | $(median "$logged") ms by the gateway's log line (from \`main\` to listening), $(median "$wall") ms wall from launch to that line (medians of 3; all: ${logged% } / ${wall% } ms) | target ≤ 0.5 s: $(met "$(median "$wall")" '<=' 500) | the \`started in N ms\` line; its timestamp minus the time just before \`java\` was launched [G1, G2, G3] |"

cds_logged=$(for n in cds1 cds2 cds3; do j start-$n .loggedMs; done | sort -n | tr '\n' ' ')
cds_wall=$(for n in cds1 cds2 cds3; do j start-$n .wallMs; done | sort -n | tr '\n' ' ')
echo "| start to \"listening\" with a class-data archive (AppCDS) | $(median "$cds_logged") ms by the log line, $(median "$cds_wall") ms wall (medians of 3; all: ${cds_logged% } / ${cds_wall% } ms) | target ≤ 0.5 s: $(met "$(median "$cds_wall")" '<=' 500) | trained by \`--self-test\` under \`-XX:ArchiveClassesAtExit\`, then \`-XX:SharedArchiveFile=... -Xlog:cds=off\` added to [G1]'s command |"

# Ceilings.
for t in t1 t2; do
    b=bare-metrics-$t
    echo "| ceiling: bare JDK HttpServer, \`/metrics\` body, wrk -$t -c64 | $(si "$(rps $b)") req/s, $(lat $b); $(cpu $b server)$(errs $b) | the issue measured ~70k req/s, p99 2–4 ms | $(cmd $b) [B] |"
done
for t in t1 t2; do
    b=bare-batch-$t
    echo "| ceiling: bare JDK HttpServer, \`/batch\` body read whole, wrk -$t -c64 | $(si "$(rps $b)") req/s = $(si "$(awk -v r="$(rps $b)" 'BEGIN {print r * 1000}')") datums/s, $(lat $b); $(cpu $b server)$(errs $b) | the issue measured 10.6k req/s | $(cmd $b) [B] |"
done
for way in append overwrite; do
    label=$([[ $way == append ]] && echo "appending (the file grows, as the spool's log does)" || echo "overwriting a file written beforehand")
    echo "| ceiling: write + fdatasync of $(j fsync .bytes) B, one after another, $label | mean $(dur "$(j fsync .$way.meanUs)"), p50 $(dur "$(j fsync .$way.p50Us)"), p99 $(dur "$(j fsync .$way.p99Us)"), max $(dur "$(j fsync .$way.maxUs)") over $(j fsync .$way.forces) forces$(jq -r '.cpu | if .other > 0.15 then "; **other processes \(.other) cores**" else "" end' "$RES/fsync.json") | the disk gateway's forces take at least this | \`$(meta fsync)\`, 2 s each way, in target/bench (the spool's disk) |"
done
echo "| ceiling: Jackson streaming parse of the batch body, in process, one thread | $(si "$PARSE") datums/s ($(num "$(j parse .tokens.megabytesPerSecond)" %.0f) MB/s) with \`nextToken()\` only; $(si "$PARSE_VALUES") datums/s also reading every string and number$(jq -r '.cpu | if .other > 0.15 then "; **other processes \(.other) cores**" else "" end' "$RES/parse.json") | the issue measured ~3.0M/s (SerialGC) | \`$(meta parse)\`, 2 s warm-up then 5 s per loop |"

cat <<EOF

Run $(meta date) at $(meta commit): $(meta cpus) CPUs, $(meta mem), Linux $(meta kernel), $(meta jdk), $(meta wrk). Every
process on 127.0.0.1; wrk shares the CPUs with the server it measures. Measured wrk runs last $(meta seconds) s, after a
warm-up run per endpoint; percentiles are wrk's (requests slower than \`--timeout 10s\` would be counted as errors).
"cores" is CPU time (user + system) over the run's wall time; "other processes" is what the rest of the machine
used meanwhile, shown when above 0.15 (before the run, it used $(meta busyAtStart) cores; load average, 1/5/15 min, $(meta loadavgBefore)
at the start and $(meta loadavgAfter) at the end). Gateway heap: $(meta heap). $M points = $M single-value datums
(MetricName Latency, Unit Milliseconds) over $(meta series) series, each series the distinct values 0 … $(awk -v n="$POINTS" -v s="$(meta series)" 'BEGIN {print n / s - 1}')
(nothing repeats: the worst case for aggregation), posted by $(meta loader) as /batch bodies of 1000 datums, 4 at a
time, without Timestamp (stamped at ingest).

- [G1] \`$(meta gwMemory)\` (flush every $(meta loadFlushMs) ms, so the flush work falls inside the runs)
- [G1d] \`$(meta gwDisk)\` (the same but for DURABILITY; it runs beside G1 and their wrk runs alternate, G1 first, then
  G1d first, and so on; before and 0.2 s after each run its \`GET /metrics\` and \`/proc/PID/io\` are read)
- [G2] \`$(meta gwAgg)\`
- [G3] \`$(meta gwRaw)\`
- [series-agg] \`$(meta gwSeriesAgg)\`, [series-raw] the same with METRICS_AGGREGATION=false: $(si "$(meta seriesPoints)")
  single-value datums posted as /batch bodies of 1000, each of a series of its own (dimension Series=new-R-K), no flush meanwhile
- [T] \`$(meta gwTls)\` (G1 serving HTTPS with a certificate made by \`openssl req -x509 -newkey ec\`)
- [B] \`$(meta bare)\`
- [S] \`$(meta standin)\` (the tests' CloudWatch stand-in, counting: answers PutMetricData in Smithy RPC v2 CBOR, refuses what CloudWatch refuses, counts calls, datums, points)

G2 and G3 flush every $(meta flushMs) ms: a first flush of 10k points warms up the publish path, the measured one
comes $(meta flushMs) ms later; after it, $M points are loaded again and the gateway gets SIGTERM.
EOF
[[ $(meta profile) != 1 ]] || printf '\n%s\n' "Profiled (BENCH_PROFILE=1): JFR over the /metrics and /batch runs of G1 and G1d, \
which costs them a few per cent; summaries in target/bench/logs/profile-*.txt."
