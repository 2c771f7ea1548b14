// The fleet's rules as one scenario that every engine runs (Redis from Node, the Durable Object inside workerd):
// it returns what each step saw, and the tests compare that with RULES_SEEN. It imports nothing, so a Worker
// bundles it as it is.

/** What a journal outcome or record says, without its time stamp. */
const view = (o) => (o === true || o === undefined ? o : o.sendmailId ? { state: o.state, by: o.by, sendmailId: o.sendmailId } : { state: o.state, by: o.by });

/**
 * `journal(owner, { leaseMs?, retentionMs? })` and `limiter(place, windows)` make an engine's journal and
 * limiter over fresh state; `sleep(ms)` waits.
 */
export async function rulesScenario({ journal, limiter, sleep }) {
  const LEASE = 400;
  const a = journal("a", { leaseMs: LEASE });
  const b = journal("b", { leaseMs: LEASE });
  const seen = {};
  const first = await a.claim(["x", "y", "z", "w"]);
  seen.claimed = first.outcomes.map(view);
  seen.heldByA = (await b.claim(["x"])).outcomes.map(view);
  await a.settle(first.token, [{ key: "z", state: "unsent" }]);
  seen.releasedIsFree = (await b.claim(["z"])).outcomes.map(view);
  await b.settle(first.token.replace(/./, "?"), [{ key: "w", state: "unsent" }]);
  seen.othersReleaseIgnored = (await b.get(["w"])).map(view);
  await sleep(LEASE + 100);
  const retaken = await b.claim(["x"]);
  seen.lapsedClaimRetaken = retaken.outcomes.map(view);
  seen.beginAfterTakeover = (await a.begin(first.token, ["x", "y"])).map(view);
  await a.settle(first.token, [{ key: "y", state: "sent", sendmailId: "id-y" }]);
  await a.settle(first.token, [{ key: "y", state: "mayHaveBeenSent" }]);
  seen.sentIsFinal = (await b.claim(["y"])).outcomes.map(view);
  seen.beginOwnClaim = (await b.begin(retaken.token, ["x"])).map(view);
  await sleep(LEASE + 100);
  seen.lapsedSending = (await a.get(["x"])).map(view);
  seen.lapsedSendingNotClaimable = (await a.claim(["x"])).outcomes.map(view);

  seen.sameKeyTwice = (await a.claim(["d", "d"])).outcomes.map(view);

  const brief = journal("c", { retentionMs: 150 });
  await brief.claim(["r"]);
  seen.beforeExpiry = (await brief.get(["r"])).map(view);
  await sleep(300);
  seen.afterExpiry = (await brief.get(["r"])).map(view);

  const three = limiter("three", { limit: 3, windowMs: 60_000 });
  const permits = [];
  for (let i = 0; i < 3; i++) permits.push(await three.acquire(undefined, sleep));
  seen.waitWhileInFlight = await askedWait(three, sleep);
  await permits[1].finish();
  seen.waitAfterFinish = (await askedWait(three, sleep)) > 59_000;
  await permits[0].refund();
  seen.refundedSlotFree = typeof (await three.acquire(undefined, sleep))?.finish;
  const paused = limiter("paused", { limit: 100, windowMs: 1000 });
  await paused.pause(5000);
  seen.pausedWait = (await askedWait(paused, sleep)) > 4000;
  return seen;
}

/** The wait a limiter asks for when it has no slot: the first sleep it requests (then the attempt is given up). */
async function askedWait(limiter, sleep) {
  const stop = new AbortController();
  let asked;
  const permit = await limiter.acquire(stop.signal, (ms) => {
    asked ??= ms;
    stop.abort();
    return sleep(0);
  });
  return permit === undefined ? asked : "granted";
}

/** What rulesScenario sees on an engine that keeps the rules. */
export const RULES_SEEN = {
  claimed: [true, true, true, true],
  heldByA: [{ state: "claimed", by: "a" }],
  releasedIsFree: [true],
  othersReleaseIgnored: [{ state: "claimed", by: "a" }],
  lapsedClaimRetaken: [true],
  beginAfterTakeover: [{ state: "claimed", by: "b" }, true],
  sentIsFinal: [{ state: "sent", by: "a", sendmailId: "id-y" }],
  beginOwnClaim: [true],
  lapsedSending: [{ state: "mayHaveBeenSent", by: "b" }],
  lapsedSendingNotClaimable: [{ state: "mayHaveBeenSent", by: "b" }],
  sameKeyTwice: [true, { state: "claimed", by: "a" }],
  beforeExpiry: [{ state: "claimed", by: "c" }],
  afterExpiry: [undefined],
  waitWhileInFlight: 60_000,
  waitAfterFinish: true,
  refundedSlotFree: "function",
  pausedWait: true,
};
