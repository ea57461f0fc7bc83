-- wrk script: POST pre-signed LINE webhook bodies, each thread its own share of the file.
-- usage: wrk -t2 -c64 -d5s -s bench/wrk_line.lua URL -- <bodies file> <threads>
local counter = 0

function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
end

local sigs, bodies, n, i = {}, {}, 0, 0

function init(args)
  local nthreads = tonumber(args[2])
  local k = 0
  for line in io.lines(args[1]) do
    if k % nthreads == tid then
      local tab = line:find("\t", 1, true)
      n = n + 1
      sigs[n] = line:sub(1, tab - 1)
      bodies[n] = line:sub(tab + 1)
    end
    k = k + 1
  end
end

function request()
  i = i % n + 1
  return wrk.format("POST", wrk.path,
    {["Content-Type"] = "application/json", ["X-Line-Signature"] = sigs[i]}, bodies[i])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests":%d,"duration_us":%d,"non2xx":%d,"connect":%d,"read":%d,' ..
    '"write":%d,"timeout":%d,"p50_us":%d,"p99_us":%d,"max_us":%d}\n',
    summary.requests, summary.duration, e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
