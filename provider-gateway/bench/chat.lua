-- wrk script: POST an OpenAI chat completion. BENCH_TEMPERATURE=0 makes the gateway cache it.
local temperature = os.getenv("BENCH_TEMPERATURE") or "0.7"
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-Devloop-Tenant"] = "bench"
wrk.body = '{"model":"bench-model","temperature":' .. temperature ..
  ',"messages":[{"role":"system","content":"be brief"},{"role":"user","content":"say hi"}]}'

done = function(summary, latency, requests)
  io.write(string.format("RESULT p50_us=%d p99_us=%d rps=%.1f errors=%d\n",
    latency:percentile(50), latency:percentile(99), summary.requests / (summary.duration / 1e6),
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
