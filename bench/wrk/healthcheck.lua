-- GET /healthcheck: used while the gateway flushes 1M buffered points, to see whether a flush stalls requests.
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "report.lua")

wrk.method = "GET"
