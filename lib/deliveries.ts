import { and, arrayContains, asc, eq, isNull, lt, or } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { type Conversion, type ConversionEvent, deliveries, outgoingPostbacks } from "@/db/schema";
import { getEnv } from "./env";
import { createId } from "./ids";

/**
 * Writes the outbox rows for one conversion event: one delivery per enabled postback whose owner,
 * scope and status filter match. Runs inside the event's transaction, so a committed event always
 * has its deliveries (the durability rule); returns their ids for the dispatcher to wake.
 */
export type QueuedDelivery = { id: string; host: string };

export async function enqueueDeliveries(tx: Executor, conversion: Conversion, event: ConversionEvent): Promise<QueuedDelivery[]> {
  const affiliateScope = and(
    eq(outgoingPostbacks.ownerOrgId, conversion.affiliateId),
    or(
      eq(outgoingPostbacks.scope, "all"),
      and(eq(outgoingPostbacks.scope, "offer"), eq(outgoingPostbacks.offerId, conversion.offerId)),
      conversion.campaignId
        ? and(eq(outgoingPostbacks.scope, "campaign"), eq(outgoingPostbacks.campaignId, conversion.campaignId))
        : undefined,
    ),
  );
  const networkScope = and(
    eq(outgoingPostbacks.ownerOrgId, conversion.networkId),
    or(
      and(eq(outgoingPostbacks.scope, "offer"), eq(outgoingPostbacks.offerId, conversion.offerId)),
      and(eq(outgoingPostbacks.scope, "merchant"), eq(outgoingPostbacks.merchantId, conversion.merchantId)),
    ),
  );
  const postbacks = await tx
    .select({ id: outgoingPostbacks.id, ownerOrgId: outgoingPostbacks.ownerOrgId, recipientOrgId: outgoingPostbacks.recipientOrgId, urlTemplate: outgoingPostbacks.urlTemplate })
    .from(outgoingPostbacks)
    .where(
      and(
        eq(outgoingPostbacks.enabled, true),
        isNull(outgoingPostbacks.pausedAt),
        arrayContains(outgoingPostbacks.statuses, [event.toStatus]),
        or(affiliateScope, networkScope),
      ),
    );
  if (postbacks.length === 0) return [];
  const rows = postbacks.map((postback) => ({
    id: createId("delivery"),
    postbackId: postback.id,
    conversionEventId: event.id,
    conversionId: conversion.id,
    ownerOrgId: postback.ownerOrgId,
    recipientOrgId: postback.recipientOrgId,
    destinationHost: destinationHost(postback.urlTemplate),
  }));
  await tx.insert(deliveries).values(rows).onConflictDoNothing();
  return rows.map((r) => ({ id: r.id, host: r.destinationHost }));
}

/** The host a URL template points at, for per-destination concurrency and the health page. */
export function destinationHost(urlTemplate: string): string {
  const match = /^[a-z]+:\/\/([^/?#]+)/i.exec(urlTemplate.trim());
  return (match?.[1] ?? "unknown").toLowerCase();
}

export function sweepSettingsFromEnv() {
  const env = getEnv();
  return { graceMs: env.DELIVERY_SWEEP_GRACE_MS, batch: 500 };
}

/** Pending deliveries whose next attempt is more than `graceMs` overdue: their wake-up was lost. */
export function findOverdueDeliveries(db: Executor, graceMs: number, limit: number) {
  return db
    .select({ id: deliveries.id, destinationHost: deliveries.destinationHost, attempts: deliveries.attempts, replays: deliveries.replays })
    .from(deliveries)
    .where(and(eq(deliveries.state, "pending"), lt(deliveries.nextAttemptAt, new Date(Date.now() - graceMs))))
    .orderBy(asc(deliveries.nextAttemptAt))
    .limit(limit);
}
