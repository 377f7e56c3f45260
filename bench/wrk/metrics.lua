-- POST /metrics with one datum: the 150-byte seed body of the issue, the same on every request.
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "report.lua")

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"Namespace":"MyApp","MetricData":[{"MetricName":"Requests","Dimensions":[{"Name":"ServiceName","Value":"UserService"}],"Value":1,"Unit":"Count"}]}'
