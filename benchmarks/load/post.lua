-- wrk script: POST the AdmissionReview in REVIEW (a file path) over and over, and print one
-- machine-readable line at the end for benchmarks/load/lib.sh (latencies in microseconds;
-- errors: connect, read, write, timeout, and non-2xx/3xx answers).
--
-- With VARY=1, every request names another pod, as a cluster's pods differ from one another: the
-- pod-template-hash (6f7c9d8b5, in the pod's name, its ReplicaSet's and its label) and the name's
-- suffix (x2kqp) take a new value of the same length on each request, so the body's length stays.
-- A server then sees new texts all the time, as a long-running one does (its text pool fills up),
-- where the same review over and over shows it the same few.
local file = assert(io.open(os.getenv("REVIEW"), "rb"))
wrk.method = "POST"
wrk.body = file:read("*a")
wrk.headers["Content-Type"] = "application/json"
file:close()

if os.getenv("VARY") == "1" then
  -- the body cut around the varying texts once; a request joins the pieces with new ones
  local pieces, kinds, rest = {}, {}, wrk.body
  while true do
    local hash = rest:find("6f7c9d8b5", 1, true)
    local suffix = rest:find("x2kqp", 1, true)
    local at, kind, width
    if hash and (not suffix or hash < suffix) then at, kind, width = hash, "hash", 9
    elseif suffix then at, kind, width = suffix, "suffix", 5
    else break end
    pieces[#pieces + 1] = rest:sub(1, at - 1)
    kinds[#kinds + 1] = kind
    rest = rest:sub(at + width)
  end
  pieces[#pieces + 1] = rest
  assert(#kinds > 0, "VARY=1: the review names no pod-template-hash 6f7c9d8b5 nor suffix x2kqp")

  local threads = 0
  function setup(thread)
    thread:set("first", threads * 0x10000000) -- each thread its own range of values
    threads = threads + 1
  end

  local counter = 0
  function request()
    counter = counter + 1
    local n = (first or 0) + counter
    local values = { hash = string.format("%09x", n), suffix = string.format("%05x", n % 0x100000) }
    local parts = {}
    for i = 1, #kinds do
      parts[#parts + 1] = pieces[i]
      parts[#parts + 1] = values[kinds[i]]
    end
    parts[#parts + 1] = pieces[#pieces]
    return wrk.format(nil, nil, nil, table.concat(parts))
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("WRK requests=%d duration_us=%d errors=%d non2xx=%d p50_us=%d p90_us=%d p99_us=%d\n",
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(90), latency:percentile(99)))
end
