// luxsci/fleet: what lets many processes share one LuxSci quota and never send a message twice — a limiter
// and a claim journal, for sendEmailBatch's `limiter` and `journal` options, on Redis (the caller's own
// ioredis or node-redis client) or on a Cloudflare Durable Object (the LuxSciFleet class).
export { redisJournal, redisLimiter } from "./redis.js";
export { LuxSciFleet, durableJournal, durableLimiter } from "./durable.js";
