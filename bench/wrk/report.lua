-- Shared by the wrk scripts of `make bench`: at the end of a run, print one machine-readable line
--   BENCH {"requests":..., "duration_us":..., "p50_us":..., "p99_us":..., ...}
-- that bench/run.sh picks out of wrk's output (wrk's own text report is kept beside it in the log).
-- Latencies are in microseconds, as wrk measures them; requests that hit --timeout are counted in
-- errors_timeout and are not in the percentiles, which is why run.sh gives wrk a generous --timeout.
function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      'BENCH {"requests":%d,"duration_us":%d,"bytes":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,' ..
      '"errors_connect":%d,"errors_read":%d,"errors_write":%d,"errors_status":%d,"errors_timeout":%d}\n',
      summary.requests, summary.duration, summary.bytes,
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
      e.connect, e.read, e.write, e.status, e.timeout))
end
