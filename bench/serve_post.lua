-- wrk script for bench/serve.sh: POST the file named by $PAYLOAD with $CTYPE to the target URL.
wrk.method = "POST"
wrk.headers["Content-Type"] = os.getenv("CTYPE")
local f = assert(io.open(os.getenv("PAYLOAD"), "rb"))
wrk.body = f:read("*a")
f:close()
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %.3f %.3f %.3f %d\n", summary.requests, summary.duration,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.requests / (summary.duration / 1e6),
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
