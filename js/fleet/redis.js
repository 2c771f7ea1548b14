// The fleet limiter and claim journal on Redis, through the caller's own ioredis or node-redis client
// (neither is imported here). Each operation is one Lua script, so it is atomic across every process and
// reads one clock, the Redis server's (TIME), whatever the workers' clocks say. The scripts are the Lua
// form of js/fleet/common.js's windowWait and journalStep (which the Durable Object runs as they are).
//
// Why Lua and not rate-limiter-flexible: its Redis limiters count fixed windows (a burst at the end of one
// window and the start of the next doubles the limit within one windowMs), draw each window separately (a
// call granted by the minute window but refused by the day window has still spent a point), and a point is
// spent when granted, so a slow request can arrive inside a later window than it was counted in. The sliding
// log below (js/fleet/common.js states the rule) takes all windows in one step and holds in-flight calls, and
// the journal's claim/begin/settle transitions need a script anyway.
import { makeJournal, makeLimiter, readJournalOptions, readLimiterOptions, shownRecord } from "./common.js";

/** Where the keys go unless `prefix` says otherwise: a hash tag, so that Redis Cluster keeps them in one slot. */
const PREFIX = "{luxsci}";

const NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

// KEYS: pause key, then one sorted set per window. ARGV: op, id, holdMs, then limit, windowMs per window.
// Members are call ids; a call in flight scores its hold deadline (in the future), a finished one its finish time.
const LIMITER = `${NOW}
local op, id = ARGV[1], ARGV[2]
if op == 'take' then
  local hold = tonumber(ARGV[3])
  local wait = tonumber(redis.call('GET', KEYS[1]) or '0') - now
  for i = 2, #KEYS do
    local limit, span = tonumber(ARGV[2 + 2 * (i - 1)]), tonumber(ARGV[3 + 2 * (i - 1)])
    redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - span)
    if redis.call('ZCARD', KEYS[i]) >= limit then
      local oldest = tonumber(redis.call('ZRANGE', KEYS[i], 0, 0, 'WITHSCORES')[2])
      -- A finished call leaves the window at its finish + span; one still in flight not before now + span.
      local free = span
      if oldest <= now then free = oldest + span - now end
      if free > wait then wait = free end
    end
  end
  if wait > 0 then return wait end
  for i = 2, #KEYS do
    redis.call('ZADD', KEYS[i], now + hold, id)
    redis.call('PEXPIRE', KEYS[i], hold + 2 * tonumber(ARGV[3 + 2 * (i - 1)]))
  end
  return 0
elseif op == 'finish' then
  for i = 2, #KEYS do redis.call('ZADD', KEYS[i], 'XX', now, id) end
elseif op == 'refund' then
  for i = 2, #KEYS do redis.call('ZREM', KEYS[i], id) end
elseif op == 'pause' then
  local untilMs = now + tonumber(ARGV[3])
  if untilMs > tonumber(redis.call('GET', KEYS[1]) or '0') then redis.call('SET', KEYS[1], untilMs, 'PX', tonumber(ARGV[3])) end
end
return 0
`;

// KEYS: one hash per message key. ARGV: op, token, owner, leaseMs, retentionMs, then one value per key
// (settle: "sent:<sendmail_id>", "mayHaveBeenSent" or "unsent"). Returns a JSON array, one outcome per key:
// 1 (done), or the record in the way {state, by, at, sendmailId}.
const JOURNAL = `${NOW}
local op, token, owner = ARGV[1], ARGV[2], ARGV[3]
local lease, retention = tonumber(ARGV[4]), tonumber(ARGV[5])
local out = {}
local function read(k)
  local e = redis.call('HMGET', k, 'state', 'by', 'at', 'until', 'id', 'token')
  if not e[1] then return nil end
  local r = { state = e[1], by = e[2], at = tonumber(e[3]), untilMs = tonumber(e[4]), sendmailId = e[5], token = e[6] }
  if r.state == 'sending' and r.untilMs <= now then
    -- Its worker vanished mid-call: the outcome is unknown for good.
    r.state, r.at = 'mayHaveBeenSent', now
    redis.call('HSET', k, 'state', r.state, 'at', now)
  end
  return r
end
local function shown(r)
  if not r then return cjson.null end
  return { state = r.state, by = r.by, at = r.at, sendmailId = r.sendmailId }
end
local function write(k, state, extra)
  redis.call('DEL', k)
  redis.call('HSET', k, 'state', state, 'by', owner, 'at', now, unpack(extra))
  redis.call('PEXPIRE', k, retention)
end
for i, k in ipairs(KEYS) do
  local r = read(k)
  if op == 'get' then
    out[i] = shown(r)
  elseif op == 'claim' then
    if not r or (r.state == 'claimed' and r.untilMs <= now) then
      write(k, 'claimed', { 'token', token, 'until', now + lease })
      out[i] = 1
    else
      out[i] = shown(r)
    end
  elseif op == 'begin' then
    if r and r.token == token and (r.state == 'claimed' or r.state == 'sending') then
      write(k, 'sending', { 'token', token, 'until', now + lease })
      out[i] = 1
    else
      out[i] = shown(r)
    end
  else
    local value = ARGV[5 + i]
    if value:sub(1, 5) == 'sent:' then
      write(k, 'sent', { 'id', value:sub(6) })
    elseif value == 'mayHaveBeenSent' then
      if not r or r.state ~= 'sent' then write(k, 'mayHaveBeenSent', {}) end
    elseif r and r.token == token and (r.state == 'claimed' or r.state == 'sending') then
      redis.call('DEL', k)
    end
    out[i] = 1
  end
end
return cjson.encode(out)
`;

/**
 * Runs a script through ioredis (`call`) or node-redis (`sendCommand`): EVALSHA, loading it once on NOSCRIPT.
 */
function scriptRunner(client, source) {
  let command;
  if (typeof client?.call === "function") command = (args) => client.call(...args);
  else if (typeof client?.sendCommand === "function") command = (args) => client.sendCommand(args);
  else throw new TypeError("a Redis client is needed: an ioredis client or a connected node-redis client");
  let sha;
  return async (keys, args) => {
    const tail = [String(keys.length), ...keys, ...args.map(String)];
    if (sha) {
      try {
        return await command(["EVALSHA", sha, ...tail]);
      } catch (error) {
        if (!/NOSCRIPT/.test(error?.message)) throw error;
      }
    }
    sha = String(await command(["SCRIPT", "LOAD", source]));
    return command(["EVALSHA", sha, ...tail]);
  };
}

/**
 * A limiter shared by every process that uses the same Redis and prefix.
 * @param client an ioredis client, or a connected node-redis client
 * @param options { windows: { limit, windowMs } | [...], prefix?, holdMs? }
 */
export function redisLimiter(client, options) {
  const { windows, place, holdMs } = readLimiterOptions(options, "redisLimiter", "prefix", PREFIX);
  const run = scriptRunner(client, LIMITER);
  const keys = [`${place}:pause`, ...windows.map((w) => `${place}:rate:${w.windowMs}`)];
  const spans = windows.flatMap((w) => [w.limit, w.windowMs]);
  const op = (name, id, value = 0) => run(keys, [name, id, value, ...spans]);
  return makeLimiter(
    {
      tryTake: async (id, holdFor) => Number(await op("take", id, holdFor)),
      finish: (id) => op("finish", id).then(() => undefined),
      refund: (id) => op("refund", id).then(() => undefined),
      pause: (ms) => op("pause", "", ms).then(() => undefined),
    },
    holdMs,
  );
}

/**
 * A claim journal shared by every process that uses the same Redis and prefix.
 * @param client an ioredis client, or a connected node-redis client
 * @param options { owner?, prefix?, leaseMs?, retentionMs? }
 */
export function redisJournal(client, options) {
  const { owner, place, leaseMs, retentionMs } = readJournalOptions(options, "redisJournal", "prefix", PREFIX);
  const run = scriptRunner(client, JOURNAL);
  const op = async (name, token, keys, values = []) => {
    const out = JSON.parse(await run(keys.map((k) => `${place}:msg:${k}`), [name, token, owner, leaseMs, retentionMs, ...values]));
    return out.map((o) => (o === 1 ? true : o === null ? undefined : shownRecord(o)));
  };
  return makeJournal(
    {
      claim: (token, keys) => op("claim", token, keys),
      begin: (token, keys) => op("begin", token, keys),
      settle: async (token, entries) => {
        await op("settle", token, entries.map((e) => e.key), entries.map((e) => (e.state === "sent" ? `sent:${e.sendmailId}` : e.state)));
      },
      get: (keys) => op("get", "", keys),
    },
    owner,
  );
}
