// The Redis store's server-side Lua scripts. Redis runs each script atomically, so
// check-and-reserve is one step on the server — never read-modify-write from a client — and a
// fleet of `aegis run`s on many machines cannot both admit the last dollar.
//
// KEYS (all under one hash tag, so they live in one slot):
//   1 spent    hash  budget key → committed nanos
//   2 reserved hash  budget key → nanos held by open reservations
//   3 leases   zset  reservation id → lease expiry (ms); expired ones are purged by every script
//   4 resv     hash  reservation id → {"a": "<nanos>", "k": [budget keys]}
//   5 settled  zset  settled reservation id → when (ms): a repeated settle is a no-op; forgotten
//                    SETTLED_ID_RETENTION_MS later by every script that purges
// Amounts travel as decimal strings: Lua turns numbers into strings with 14 significant digits,
// which would round large nano amounts. Lua's doubles are exact below 2^53 nanos (~$9 million).

import { SETTLED_ID_RETENTION_MS } from "../core/policy/store.js";

const PRELUDE = `
local function drop(id)
  local v = redis.call('HGET', KEYS[4], id)
  redis.call('ZREM', KEYS[3], id)
  if not v then return end
  local r = cjson.decode(v)
  for _, k in ipairs(r.k) do
    if redis.call('HINCRBY', KEYS[2], k, '-' .. r.a) == 0 then redis.call('HDEL', KEYS[2], k) end
  end
  redis.call('HDEL', KEYS[4], id)
end
local function purge(now)
  for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now)) do drop(id) end
  redis.call('ZREMRANGEBYSCORE', KEYS[5], '-inf', string.format('%.0f', tonumber(now) - ${SETTLED_ID_RETENTION_MS}))
end
local function used(k)
  return tonumber(redis.call('HGET', KEYS[1], k) or '0') + tonumber(redis.call('HGET', KEYS[2], k) or '0')
end
`;

/** ARGV: id, amount, enforce ("1"/"0"), now, expires, then key, limit ("" for none) pairs. Returns {ok, used…}. */
export const RESERVE_LUA = `${PRELUDE}
purge(ARGV[4])
local amount = tonumber(ARGV[2])
local out = {1}
local keys = {}
for i = 6, #ARGV, 2 do
  local k, limit = ARGV[i], ARGV[i + 1]
  local u = used(k)
  out[#out + 1] = u
  keys[#keys + 1] = k
  if limit ~= '' and u + amount > tonumber(limit) then out[1] = 0 end
end
if out[1] == 0 and ARGV[3] == '1' then return out end
out[1] = 1
if redis.call('HSETNX', KEYS[4], ARGV[1], cjson.encode({a = ARGV[2], k = keys})) == 1 then
  redis.call('ZADD', KEYS[3], ARGV[5], ARGV[1])
  for _, k in ipairs(keys) do redis.call('HINCRBY', KEYS[2], k, ARGV[2]) end
end
return out
`;

/**
 * ARGV: id, amount, now, then the keys to add the amount to. Returns {repeat, spend of each key
 * after}: repeat is 1 when the id was settled already — nothing is written then (the first settle
 * ran, only its reply was lost) and the spends are as they stand.
 */
export const SETTLE_LUA = `${PRELUDE}
local out = {0}
if redis.call('ZADD', KEYS[5], 'NX', ARGV[3], ARGV[1]) == 0 then
  out[1] = 1
  for i = 4, #ARGV do out[#out + 1] = tonumber(redis.call('HGET', KEYS[1], ARGV[i]) or '0') end
  return out
end
drop(ARGV[1])
for i = 4, #ARGV do out[#out + 1] = redis.call('HINCRBY', KEYS[1], ARGV[i], ARGV[2]) end
return out
`;

/**
 * A record's charge: reserve's check and settle's spend in one step, with no reservation and no
 * settled id in between (a charge has no id to repeat). ARGV: amount, enforce ("1"/"0"), now, the
 * number of lines n, then n key, limit ("" for none) pairs, then the keys to add the amount to.
 * Returns {ok, used of each line…, spend of each key after…}; when ok is 0 nothing was written and
 * only the uses follow. Purges lapsed leases first, as reserve does: they must not hold budget.
 */
export const CHARGE_LUA = `${PRELUDE}
purge(ARGV[3])
local amount = tonumber(ARGV[1])
local last = 4 + 2 * tonumber(ARGV[4])
local out = {1}
for i = 5, last, 2 do
  local u = used(ARGV[i])
  out[#out + 1] = u
  if ARGV[i + 1] ~= '' and u + amount > tonumber(ARGV[i + 1]) then out[1] = 0 end
end
if out[1] == 0 and ARGV[2] == '1' then return out end
out[1] = 1
for i = last + 1, #ARGV do out[#out + 1] = redis.call('HINCRBY', KEYS[1], ARGV[i], ARGV[1]) end
return out
`;

/** ARGV: id. */
export const RELEASE_LUA = `${PRELUDE}
drop(ARGV[1])
return 1
`;

/**
 * ARGV: now, new expiry (now + lease), then reservation ids. Purges lapsed leases first, so one
 * that lapsed stays lapsed; moves each open one's expiry later (never earlier). Returns how many.
 */
export const RENEW_LUA = `${PRELUDE}
purge(ARGV[1])
local n = 0
for i = 3, #ARGV do
  local at = redis.call('ZSCORE', KEYS[3], ARGV[i])
  if at and tonumber(at) < tonumber(ARGV[2]) then
    redis.call('ZADD', KEYS[3], ARGV[2], ARGV[i])
    n = n + 1
  end
end
return n
`;

/** ARGV: now, then keys. Returns spent, reserved pairs. */
export const READ_LUA = `${PRELUDE}
purge(ARGV[1])
local out = {}
for i = 2, #ARGV do
  out[#out + 1] = tonumber(redis.call('HGET', KEYS[1], ARGV[i]) or '0')
  out[#out + 1] = tonumber(redis.call('HGET', KEYS[2], ARGV[i]) or '0')
end
return out
`;
