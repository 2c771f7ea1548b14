// luxsci/fleet: what lets many processes share one LuxSci quota and never send a message twice — a limiter
// and a claim journal on Redis (the caller's own ioredis or node-redis client), for sendEmailBatch's
// `limiter` and `journal` options.
export { redisJournal, redisLimiter } from "./redis.js";
