-- wrk script for the metering API (M1/M2): POSTs a usage object with a unique fingerprint per
-- request (so loop detection never fires), with the bearer token from AEGIS_TOKEN, to WRK_PATH.
local counter = 0
local token = os.getenv("AEGIS_TOKEN") or ""
local path = os.getenv("WRK_PATH") or "/v1/record"
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. token

request = function()
  counter = counter + 1
  local body = '{"model":"gpt-4o-mini","input_tokens":1200,"output_tokens":300,"fingerprint":"wrk-' .. counter .. '"}'
  return wrk.format(nil, path, nil, body)
end
