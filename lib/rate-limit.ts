import { lt, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { rateLimitBuckets } from "@/db/schema";

export type RateLimitResult = { allowed: boolean; count: number; limit: number };

/**
 * A fixed-window counter in Postgres: one upsert per request, shared by every instance of the app.
 * `limit` requests per `windowSeconds` per key; the request that goes over is refused.
 */
export async function consumeRateLimit(db: Executor, key: string, limit: number, windowSeconds = 60): Promise<RateLimitResult> {
  const windowMs = windowSeconds * 1000;
  const windowStart = new Date(Math.floor(Date.now() / windowMs) * windowMs);
  const [row] = await db
    .insert(rateLimitBuckets)
    .values({ key, windowStart, count: 1 })
    .onConflictDoUpdate({
      target: [rateLimitBuckets.key, rateLimitBuckets.windowStart],
      set: { count: sql`${rateLimitBuckets.count} + 1` },
    })
    .returning({ count: rateLimitBuckets.count });
  // Old windows are dead weight; about one request in a thousand sweeps them.
  if (Math.random() < 0.001) {
    await db.delete(rateLimitBuckets).where(lt(rateLimitBuckets.windowStart, new Date(Date.now() - 10 * windowMs)));
  }
  return { allowed: row.count <= limit, count: row.count, limit };
}
