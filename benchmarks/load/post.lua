-- wrk script: POST the AdmissionReview in REVIEW (a file path) over and over, and print one
-- machine-readable line at the end for benchmarks/load/lib.sh (latencies in microseconds;
-- errors: connect, read, write, timeout, and non-2xx/3xx answers).
local file = assert(io.open(os.getenv("REVIEW"), "rb"))
wrk.method = "POST"
wrk.body = file:read("*a")
wrk.headers["Content-Type"] = "application/json"
file:close()

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("WRK requests=%d duration_us=%d errors=%d non2xx=%d p50_us=%d p90_us=%d p99_us=%d\n",
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(90), latency:percentile(99)))
end
