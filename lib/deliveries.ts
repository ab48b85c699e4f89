import { and, asc, eq, isNull, lt, or, type SQL, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { Executor } from "@/db/client";
import { type Conversion, type ConversionEvent, type ConversionStatus, deliveries, outgoingPostbacks } from "@/db/schema";
import { getEnv } from "./env";
import { createId, createIdSql } from "./ids";

/**
 * Writes the outbox rows for one conversion event: one delivery per enabled postback whose owner,
 * scope and status filter match. Runs inside the event's transaction, so a committed event always
 * has its deliveries (the durability rule); returns their ids for the dispatcher to wake.
 */
export type QueuedDelivery = { id: string; host: string };

export async function enqueueDeliveries(tx: Executor, conversion: Conversion, event: ConversionEvent): Promise<QueuedDelivery[]> {
  const postbacks = await tx
    .select({ id: outgoingPostbacks.id, ownerOrgId: outgoingPostbacks.ownerOrgId, recipientOrgId: outgoingPostbacks.recipientOrgId, urlTemplate: outgoingPostbacks.urlTemplate })
    .from(outgoingPostbacks)
    .where(postbacksFor(conversion, event.toStatus));
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

type ConversionParties = Pick<Conversion, "affiliateId" | "networkId" | "offerId" | "merchantId"> & { campaignId?: string | null };
type PartiesIn<V> = { [K in keyof ConversionParties]-?: V };

/**
 * The postbacks one conversion event goes to: enabled, not paused, listening for `status`, and
 * the affiliate's own (all its conversions, one offer, one campaign) or the network's to the
 * merchant (one offer, all offers of one merchant). The parties are values, or SQL over the
 * statement's own rows (see `enqueueDeliveriesSql`).
 */
export function postbacksFor(conversion: ConversionParties | PartiesIn<SQL>, status: ConversionStatus | SQL): SQL | undefined {
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
  return and(
    eq(outgoingPostbacks.enabled, true),
    isNull(outgoingPostbacks.pausedAt),
    sql`${status}::conversion_status = any(${outgoingPostbacks.statuses})`,
    or(affiliateScope, networkScope),
  );
}

/**
 * `INSERT … SELECT` of one delivery per postback `postbacksFor` matches, for the conversion and
 * event made earlier in the same statement (the CTEs `conversion` and `event` name): the
 * statement form of `enqueueDeliveries`.
 */
export function enqueueDeliveriesSql(conversion: SQL, event: SQL): SQL {
  const column = (name: string) => sql`${conversion}.${sql.identifier(name)}`;
  const parties = { affiliateId: column("affiliate_id"), networkId: column("network_id"), offerId: column("offer_id"), merchantId: column("merchant_id"), campaignId: column("campaign_id") };
  return sql`insert into ${deliveries} (id, postback_id, conversion_event_id, conversion_id, owner_org_id, recipient_org_id, destination_host)
    select ${createIdSql("delivery")}, ${outgoingPostbacks.id}, ${event}.id, ${column("id")}, ${outgoingPostbacks.ownerOrgId}, ${outgoingPostbacks.recipientOrgId},
      ${destinationHostSql(outgoingPostbacks.urlTemplate)}
    from ${conversion}, ${event}, ${outgoingPostbacks}
    where ${postbacksFor(parties, column("status"))}
    on conflict do nothing
    returning id, destination_host`;
}

/** The host a URL template points at, for per-destination concurrency and the health page. */
export function destinationHost(urlTemplate: string): string {
  const match = /^[a-z]+:\/\/([^/?#]+)/i.exec(urlTemplate.trim());
  return (match?.[1] ?? "unknown").toLowerCase();
}

/** `destinationHost` in SQL, for deliveries a statement creates itself; tests hold the two equal. */
function destinationHostSql(urlTemplate: SQL | AnyPgColumn): SQL {
  return sql`lower(coalesce(substring(btrim(${urlTemplate}, E' \t\r\n') from '^[A-Za-z]+://([^/?#]+)'), 'unknown'))`;
}

export function sweepSettingsFromEnv() {
  const env = getEnv();
  return { graceMs: env.DELIVERY_SWEEP_GRACE_MS, batch: 1000, maxBatches: 50 };
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
