import { and, asc, eq, gte, inArray, lt, sql } from "drizzle-orm";
import { z } from "zod";
import { localizable } from "@/lib/platform/error-messages";
import type { Executor } from "@/db/client";
import { deliveries } from "@/db/schema";
import type { QueuedDelivery } from "./deliveries";

/** At most this many deliveries move per request; the answer says how many are left. */
export const BULK_REPLAY_MAX = 1_000;

/**
 * Which of its deliveries an owner replays after an outage: those that ended failed (or were
 * cancelled) and were created in a time range, of one postback or all. Svix and Convoy call this
 * "recover": resend everything that failed since a time.
 */
export const bulkReplaySchema = z
  .object({
    since: z.iso.datetime({ offset: true, error: localizable("errors.form.isoTime") }),
    until: z.iso.datetime({ offset: true, error: localizable("errors.form.isoTimeUntil") }).optional(),
    states: z.array(z.enum(["failed", "cancelled"])).min(1).default(["failed"]),
    postbackId: z.string().min(1).max(64).optional(),
    dryRun: z.boolean().default(false).meta({ description: "Only count what would be replayed." }),
  })
  .refine((v) => !v.until || Date.parse(v.until) > Date.parse(v.since), { message: localizable("errors.form.rangeEnd"), path: ["until"] });
export type BulkReplay = z.output<typeof bulkReplaySchema>;

export type BulkReplayResult = { matched: number; replayed: number; remaining: number; queued: (QueuedDelivery & { replays: number })[] };

/**
 * Counts (dry run) or replays the owner's deliveries the selection names, oldest first, up to
 * BULK_REPLAY_MAX: each goes back to pending with its attempts reset, as a single replay does.
 */
export async function replayInBulk(db: Executor, ownerOrgId: string, selection: BulkReplay): Promise<BulkReplayResult> {
  const chosen = and(
    eq(deliveries.ownerOrgId, ownerOrgId),
    inArray(deliveries.state, selection.states),
    gte(deliveries.createdAt, new Date(selection.since)),
    selection.until ? lt(deliveries.createdAt, new Date(selection.until)) : undefined,
    selection.postbackId ? eq(deliveries.postbackId, selection.postbackId) : undefined,
  );
  const [{ matched }] = await db.select({ matched: sql<number>`count(*)::int` }).from(deliveries).where(chosen);
  if (selection.dryRun || matched === 0) return { matched, replayed: 0, remaining: matched, queued: [] };
  const batch = db.select({ id: deliveries.id }).from(deliveries).where(chosen).orderBy(asc(deliveries.createdAt)).limit(BULK_REPLAY_MAX);
  const queued = await db
    .update(deliveries)
    .set({ state: "pending", attempts: 0, replays: sql`${deliveries.replays} + 1`, nextAttemptAt: sql`now()`, updatedAt: sql`now()` })
    // The state is checked again: a delivery another request replayed meanwhile is not replayed twice.
    .where(and(inArray(deliveries.id, batch), inArray(deliveries.state, selection.states)))
    .returning({ id: deliveries.id, host: deliveries.destinationHost, replays: deliveries.replays });
  return { matched, replayed: queued.length, remaining: Math.max(0, matched - queued.length), queued };
}
