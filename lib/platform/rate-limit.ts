import { lt, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { rateLimitBuckets } from "@/db/schema";
import { describeForLog } from "./errors";

/** `resetAt`: when the window ends and the count starts again (ms since the epoch). */
export type RateLimitResult = { allowed: boolean; count: number; limit: number; resetAt: number };

/**
 * Below this share of the limit an instance counts requests in memory and adds them to the shared
 * row in the background; the first request of a window, and every request from this share on,
 * is counted in Postgres before it is answered. An upsert per request cost a round trip and a
 * commit on the hottest paths, for windows nowhere near full. Near the limit the count is exact
 * except for what other instances counted in memory and have not flushed yet (at most one flush
 * interval's worth, and at most LOCAL_SHARE of the limit each).
 */
const LOCAL_SHARE = 0.25;
const FLUSH_MS = 200;

/** `shared`: the count Postgres last returned; `syncing`: added by upserts still in flight; `pending`: counted here, not yet added. */
type Bucket = { db: Database; windowStart: number; shared: number; syncing: number; pending: number; synced: boolean };
const buckets = new Map<string, Bucket>();
let flushTimer: NodeJS.Timeout | null = null;
let lastSweep = 0;

/**
 * A fixed-window counter shared by every instance of the app through Postgres: `limit` requests
 * per `windowSeconds` per key; the request that goes over is refused.
 */
export async function consumeRateLimit(db: Database, key: string, limit: number, windowSeconds = 60): Promise<RateLimitResult> {
  const windowMs = windowSeconds * 1000;
  const windowStart = Math.floor(Date.now() / windowMs) * windowMs;
  let bucket = buckets.get(key);
  // Keys come from callers' addresses: buckets of past windows must not pile up between flushes.
  if (!bucket && buckets.size >= 10_000) forgetPastWindows(windowStart);
  if (!bucket || bucket.windowStart !== windowStart || bucket.db !== db) {
    if (bucket?.pending) void flush(key, bucket);
    bucket = { db, windowStart, shared: 0, syncing: 0, pending: 0, synced: false };
    buckets.set(key, bucket);
  }
  sweepOldWindows(db);
  const known = bucket.shared + bucket.syncing + bucket.pending + 1;
  if (bucket.synced && known <= limit * LOCAL_SHARE) {
    bucket.pending++;
    flushTimer ??= setTimeout(flushAll, FLUSH_MS).unref();
    return { allowed: true, count: known, limit, resetAt: windowStart + windowMs };
  }
  // Near the limit (or new to this window): count in Postgres now, with what was counted here.
  const count = await sync(key, bucket);
  return { allowed: count <= limit, count, limit, resetAt: windowStart + windowMs };
}

/** Adds this instance's uncounted requests (and one more, unless flushing) to the shared row. */
async function sync(key: string, bucket: Bucket, flushOnly = false): Promise<number> {
  const add = bucket.pending + (flushOnly ? 0 : 1);
  bucket.pending = 0;
  bucket.syncing += add;
  try {
    const count = await addToSharedCount(bucket.db, key, new Date(bucket.windowStart), add);
    bucket.shared = Math.max(bucket.shared, count);
    bucket.synced = true;
    return count;
  } finally {
    bucket.syncing -= add;
  }
}

async function addToSharedCount(db: Database, key: string, windowStart: Date, add: number): Promise<number> {
  const [row] = await db
    .insert(rateLimitBuckets)
    .values({ key, windowStart, count: add })
    .onConflictDoUpdate({
      target: [rateLimitBuckets.key, rateLimitBuckets.windowStart],
      set: { count: sql`${rateLimitBuckets.count} + ${add}` },
    })
    .returning({ count: rateLimitBuckets.count });
  return row.count;
}

/** Writes started in the background (flushes, sweeps), so that `flushRateLimits` can wait for them. */
const background = new Set<Promise<unknown>>();
function inBackground<T>(work: Promise<T>): Promise<T> {
  background.add(work);
  void work.finally(() => background.delete(work));
  return work;
}

function flush(key: string, bucket: Bucket): Promise<void> {
  return inBackground(
    sync(key, bucket, true).then(
      () => undefined,
      // Losing a few counts of a window far from its limit is harmless.
      (error: unknown) => console.error("[postline] could not record rate-limit counts", describeForLog(error)),
    ),
  );
}

function forgetPastWindows(currentWindowStart: number) {
  for (const [key, bucket] of buckets) {
    if (bucket.windowStart >= currentWindowStart) continue;
    if (bucket.pending > 0) void flush(key, bucket);
    buckets.delete(key);
  }
}

/**
 * Adds every count this instance holds to the shared rows now, instead of on the next timer:
 * before its database closes (a shutdown, the end of a test file), so no count is lost or written late.
 */
export async function flushRateLimits() {
  if (flushTimer) clearTimeout(flushTimer);
  await flushAll();
  await Promise.all(background);
}

async function flushAll() {
  flushTimer = null;
  const now = Date.now();
  for (const [key, bucket] of buckets) {
    if (bucket.pending > 0) await flush(key, bucket);
    // A bucket of a past window is done with once flushed.
    else if (bucket.windowStart + 3_600_000 < now) buckets.delete(key);
  }
}

/** Old windows are dead weight in the table: each instance sweeps them every ten minutes. */
function sweepOldWindows(db: Database) {
  const now = Date.now();
  if (now - lastSweep < 600_000) return;
  lastSweep = now;
  void inBackground(
    db
      .delete(rateLimitBuckets)
      .where(lt(rateLimitBuckets.windowStart, new Date(now - 3_600_000)))
      .then(
        () => undefined,
        (error: unknown) => console.error("[postline] could not sweep old rate-limit windows", describeForLog(error)),
      ),
  );
}
