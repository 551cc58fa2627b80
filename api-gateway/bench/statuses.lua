-- wrk script: counts answers per status (and, for errors, per problem+json "type" slug) and prints them
-- at the end as "status <code> [<type>] <count>" lines. Used by gateway-hop.sh for both targets.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  counts = {}
end

function response(status, headers, body)
  local key = tostring(status)
  if status >= 300 and body then
    local slug = body:match('"type"%s*:%s*"[^"]-([%w%-]+)"')
    if slug then key = key .. ":" .. slug end
  end
  counts[key] = (counts[key] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for key, n in pairs(thread:get("counts")) do
      total[key] = (total[key] or 0) + n
    end
  end
  for key, n in pairs(total) do
    io.write(string.format("status %s %d\n", key, n))
  end
end
