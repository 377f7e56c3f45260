-- POST /batch with 10 inputs x 100 datums (~189 KB). The body is written by
-- com.cwgateway.bench.BenchBodies (src/test/java/com/cwgateway/bench), so that this script and the in-process
-- parse ceiling (ParseRate) measure the very same bytes; its path comes from BENCH_BATCH_BODY.
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "report.lua")

local path = os.getenv("BENCH_BATCH_BODY") or "target/bench/batch.json"
local file = assert(io.open(path, "rb"), "cannot read the batch body " .. path .. " (run BenchBodies first)")
local body = file:read("*a")
file:close()

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = body
