import { and, asc, eq, isNull, lt, or, type SQL, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { type Conversion, type ConversionEvent, type ConversionStatus, deliveries, deliveryAttempts, outgoingPostbacks } from "@/db/schema";
import { getEnv } from "@/lib/platform/env";
import { AppError } from "@/lib/platform/errors";
import { createIdSql } from "@/lib/platform/ids";

/** A delivery just written, for the dispatcher to wake. */
export type QueuedDelivery = { id: string; host: string };

type Parties = Pick<Conversion, "id" | "affiliateId" | "networkId" | "offerId" | "merchantId" | "campaignId" | "goalKey">;
type PartiesIn<V> = { [K in keyof Parties]-?: V };

/**
 * Writes the outbox rows of one conversion event, inside the event's transaction (the durability
 * rule): one delivery per postback `postbacksFor` matches. Returns them for the dispatcher to wake.
 */
export async function enqueueDeliveries(tx: Executor, conversion: Conversion, event: Pick<ConversionEvent, "id" | "toStatus">): Promise<QueuedDelivery[]> {
  const queued = tx.$with("queued", { id: deliveries.id, host: deliveries.destinationHost }).as(enqueueDeliveriesSql({ conversion, eventId: event.id, status: event.toStatus }));
  return tx.with(queued).select({ id: queued.id, host: queued.host }).from(queued);
}

/**
 * The fan-out as one `INSERT … SELECT … RETURNING id, destination_host`: the one way deliveries are
 * made. The conversion's parties, the event and the status are values, or SQL (placeholders of a
 * prepared statement); `onlyAfter` names a CTE that must have produced a row (a new conversion).
 */
export function enqueueDeliveriesSql(target: { conversion: Parties | PartiesIn<SQL>; eventId: string | SQL; status: ConversionStatus | SQL; onlyAfter?: SQL }): SQL {
  const { conversion, eventId, status, onlyAfter } = target;
  return sql`insert into ${deliveries} (id, postback_id, conversion_event_id, conversion_id, owner_org_id, recipient_org_id, network_id, destination_host)
    select ${createIdSql("delivery")}, ${outgoingPostbacks.id}, ${eventId}, ${conversion.id}, ${outgoingPostbacks.ownerOrgId}, ${outgoingPostbacks.recipientOrgId}, ${conversion.networkId}, ${outgoingPostbacks.destinationHost}
    from ${onlyAfter ? sql`${onlyAfter}, ` : sql``}${outgoingPostbacks}
    where ${postbacksFor(conversion, status)}
    on conflict do nothing
    returning id, destination_host`;
}

/**
 * The postbacks one conversion event goes to: enabled, not paused, listening for `status`, and
 * the affiliate's own (all its conversions, one offer, one campaign) or the network's to the
 * merchant (one offer, all offers of one merchant).
 */
export function postbacksFor(conversion: Omit<Parties, "id"> | Omit<PartiesIn<SQL>, "id">, status: ConversionStatus | SQL): SQL | undefined {
  const affiliateScope = and(
    eq(outgoingPostbacks.ownerOrgId, conversion.affiliateId),
    or(
      eq(outgoingPostbacks.scope, "all"),
      and(eq(outgoingPostbacks.scope, "offer"), eq(outgoingPostbacks.offerId, conversion.offerId)),
      conversion.campaignId ? and(eq(outgoingPostbacks.scope, "campaign"), eq(outgoingPostbacks.campaignId, conversion.campaignId)) : undefined,
    ),
  );
  const networkScope = and(
    eq(outgoingPostbacks.ownerOrgId, conversion.networkId),
    or(
      and(eq(outgoingPostbacks.scope, "offer"), eq(outgoingPostbacks.offerId, conversion.offerId)),
      and(eq(outgoingPostbacks.scope, "merchant"), eq(outgoingPostbacks.merchantId, conversion.merchantId)),
    ),
  );
  return and(
    eq(outgoingPostbacks.enabled, true),
    isNull(outgoingPostbacks.pausedAt),
    sql`${status}::conversion_status = any(${outgoingPostbacks.statuses})`,
    sql`(${outgoingPostbacks.goals} is null or ${conversion.goalKey} = any(${outgoingPostbacks.goals}))`,
    or(affiliateScope, networkScope),
  );
}

export type SweepSettings = { graceMs: number; batch: number; maxBatches: number };

export function sweepSettingsFromEnv(): SweepSettings {
  return { graceMs: getEnv().DELIVERY_SWEEP_GRACE_MS, batch: 1000, maxBatches: 50 };
}

/** Where a page ended: Postgres's own text of the timestamp (microseconds; a JS Date keeps milliseconds). */
export type OverdueCursor = { nextAttemptAt: string; id: string };

/**
 * Pending deliveries whose next attempt is more than `graceMs` overdue (their wake-up was lost),
 * oldest first, one page after `after`: a sweep pages through them rather than reading the same
 * first page again while the deliveries it woke are still being claimed.
 */
export async function findOverdueDeliveries(db: Executor, graceMs: number, limit: number, after?: OverdueCursor) {
  const rows = await db
    .select({ id: deliveries.id, destinationHost: deliveries.destinationHost, attempts: deliveries.attempts, replays: deliveries.replays, nextAttemptAt: sql<string>`${deliveries.nextAttemptAt}::text` })
    .from(deliveries)
    .where(
      and(
        eq(deliveries.state, "pending"),
        lt(deliveries.nextAttemptAt, new Date(Date.now() - graceMs)),
        after ? sql`(${deliveries.nextAttemptAt}, ${deliveries.id}) > (${after.nextAttemptAt}::timestamptz, ${after.id})` : undefined,
      ),
    )
    .orderBy(asc(deliveries.nextAttemptAt), asc(deliveries.id))
    .limit(limit);
  const last = rows.at(-1);
  return {
    deliveries: rows.map(({ nextAttemptAt: _, ...row }) => row),
    next: rows.length === limit && last ? { nextAttemptAt: last.nextAttemptAt, id: last.id } : null,
  };
}

/**
 * Retry now: a pending delivery of the owner's, waiting for its next attempt, becomes due at once
 * (the caller wakes it). One whose attempt is running (claimed, its outcome not logged yet) is
 * refused, so the same attempt is never sent twice at once. Another organization's id is "not found".
 */
export async function retryDeliveryNow(db: Executor, ownerOrgId: string, deliveryId: string): Promise<QueuedDelivery & { attempts: number }> {
  const mine = and(eq(deliveries.id, deliveryId), eq(deliveries.ownerOrgId, ownerOrgId));
  const waiting = sql`(${deliveries.attempts} = 0 or exists (select 1 from ${deliveryAttempts} where ${deliveryAttempts.deliveryId} = ${deliveries.id} and ${deliveryAttempts.attemptNumber} = ${deliveries.attempts} and ${deliveryAttempts.createdAt} >= ${deliveries.lastAttemptAt}))`;
  const [row] = await db
    .update(deliveries)
    .set({ nextAttemptAt: sql`now()`, updatedAt: sql`now()` })
    .where(and(mine, eq(deliveries.state, "pending"), waiting))
    .returning({ id: deliveries.id, host: deliveries.destinationHost, attempts: deliveries.attempts });
  if (row) return row;
  const [exists] = await db.select({ state: deliveries.state }).from(deliveries).where(mine);
  if (!exists) throw new AppError("not_found", "errors.notFound.delivery");
  if (exists.state === "pending") throw new AppError("conflict", "errors.outgoing.attemptRunning");
  throw new AppError("conflict", "errors.outgoing.onlyPendingRetry", { values: { state: exists.state } });
}
