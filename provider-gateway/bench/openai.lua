-- wrk script: POST an OpenAI chat completion (temperature 0.7: never a cache hit).
-- BENCH_HEADERS: extra "Name: value" headers separated by ';' (Portkey's provider headers, the tenant header).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
for h in string.gmatch(os.getenv("BENCH_HEADERS") or "", "[^;]+") do
  local name, value = string.match(h, "^%s*([^:]+):%s*(.-)%s*$")
  if name then wrk.headers[name] = value end
end
wrk.body = '{"model":"gpt-4o-mini","temperature":0.7,"stream":' .. (os.getenv("BENCH_STREAM") or "false") ..
  ',"messages":[{"role":"system","content":"be brief"},{"role":"user","content":"say hi"}]}'

done = function(summary, latency, requests)
  io.write(string.format("RESULT p50_us=%d p99_us=%d rps=%.1f errors=%d\n",
    latency:percentile(50), latency:percentile(99), summary.requests / (summary.duration / 1e6),
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
