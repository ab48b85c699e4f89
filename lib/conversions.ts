import { and, eq, getTableName, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import type { Database, Executor } from "@/db/client";
import { insertForEachRow } from "@/db/insert-for-each-row";
import { boundRow, preparedStatement, shapeOf } from "@/db/prepared";
import {
  type Click,
  type Conversion,
  conversionEvents,
  type ConversionStatus,
  conversions,
  type Offer,
} from "@/db/schema";
import { enqueueDeliveries, enqueueDeliveriesSql, type QueuedDelivery } from "./deliveries";
import { AppError } from "./errors";
import { createId } from "./ids";
import { decideTransition } from "./statuses";

export type EventSource = "incoming_postback" | "lead_api" | "manual";

export type Amounts = { payout?: string; revenue?: string; saleAmount?: string; currency?: string };

/** What callers read of the conversion an outcome is about. */
export type ConversionSummary = Pick<Conversion, "id" | "status">;

export type ConversionOutcome = {
  result: "accepted" | "duplicate" | "ignored";
  conversion: ConversionSummary | null;
  reason?: string;
  deliveries: QueuedDelivery[];
};

type EventContext = { source: EventSource; originalStatus?: string | null; incomingLogId?: string; actorUserId?: string };

/** The key that makes a conversion one (see `conversions.conversionKey`). */
export function conversionKeyFor(offer: Pick<Offer, "allowMultipleConversions">, clickId: string, ids: { transactionId?: string; leadId?: string }) {
  if (!offer.allowMultipleConversions) return `click:${clickId}`;
  if (ids.transactionId) return `tx:${ids.transactionId}`;
  if (ids.leadId) return `lead:${clickId}:${ids.leadId}`;
  throw new AppError("bad_request", "This offer counts several conversions per click: send the merchant's transaction id (txid) to tell them apart.", {
    field: "txid",
    detailCode: "missing_parameter",
  });
}

/** A row that commits with a conversion's outcome, whatever it is: the request's log row. */
export type CompanionRow<T extends PgTable> = { table: T; values: (outcome: OutcomeSummary) => T["$inferInsert"] };
export type OutcomeSummary = { result: ConversionOutcome["result"]; conversion: ConversionSummary | null; reason?: string };

/**
 * Creates the conversion, or finds the one that exists, and moves it to `status` when the
 * transition rules allow. Exactly-once rests on the unique keys: concurrent copies of the same
 * postback all try the insert, one wins, the others wait for it and then see its row (locked
 * FOR UPDATE, so status changes on one conversion are serialized). A new conversion is one
 * statement (see `insertNewConversion`); anything else runs in a transaction. `companion`
 * commits with either.
 */
export async function upsertConversion<T extends PgTable>(
  db: Database,
  values: Omit<typeof conversions.$inferInsert, "id" | "status" | "originalStatus"> & { status: ConversionStatus },
  context: EventContext,
  amounts: Amounts,
  click: ClickAge,
  companion?: CompanionRow<T>,
): Promise<ConversionOutcome> {
  // The click lifetime bounds new conversions only: a chargeback on day 45 of a 30-day click
  // still reaches the conversion it reverses.
  const expired = clickExpired(click);
  if (!expired) {
    const created = await insertNewConversion(db, { ...values, id: createId("conversion"), originalStatus: context.originalStatus ?? null }, context, companion);
    if (created) return created;
  }
  return db.transaction(async (tx) => {
    const outcome = await updateExistingConversion(tx, values, context, amounts, click, expired);
    if (companion) await tx.insert(companion.table).values(companion.values(outcome));
    return outcome;
  });
}

/** What a new conversion's row is made of (the rest are defaults). */
const CONVERSION_COLUMNS = [
  "id", "clickId", "offerId", "campaignId", "networkId", "merchantId", "affiliateId", "transactionId", "conversionKey",
  "leadId", "status", "originalStatus", "payout", "revenue", "saleAmount", "currency", "details",
] as const;

const createdRef = sql`${sql.identifier("created")}`;
/** What a new conversion's `created` event takes from the conversion row the statement inserted. */
const CREATED_EVENT_FROM_ROW = {
  conversionId: sql`${createdRef}.id`,
  toStatus: sql`${createdRef}.status`,
  originalStatus: sql`${createdRef}.original_status`,
  payout: sql`${createdRef}.payout`,
  revenue: sql`${createdRef}.revenue`,
};

/**
 * The hot path of every new conversion as one statement, so one round trip and one commit: the
 * conversion, its `created` event, one delivery per matching postback and the companion row,
 * each `INSERT … SELECT` from the one before, so that when the conversion key already exists
 * nothing at all is written (and null is returned). Prepared once per companion's shape. It
 * answers only what callers read (id and status), not the 27 columns of the row.
 */
async function insertNewConversion<T extends PgTable>(
  db: Database,
  row: typeof conversions.$inferInsert & { id: string; status: ConversionStatus },
  context: EventContext,
  companion?: CompanionRow<T>,
): Promise<ConversionOutcome | null> {
  const event = {
    id: createId("conversionEvent"),
    kind: "created",
    fromStatus: null,
    source: context.source,
    incomingLogId: context.incomingLogId ?? null,
    actorUserId: context.actorUserId ?? null,
  } satisfies Parameters<typeof insertForEachRow<typeof conversionEvents>>[2];
  const companionValues = companion?.values({ result: "accepted", conversion: row });
  const shape = companion ? `new-conversion:${getTableName(companion.table)}:${shapeOf(companionValues!)}` : "new-conversion";

  const statement = preparedStatement(db, shape, (name) => {
    const created = db.$with("created").as(db.insert(conversions).values(boundRow(conversions, CONVERSION_COLUMNS, "c")).onConflictDoNothing().returning());
    const eventCte = db.$with("event", {}).as(sql`${insertForEachRow(conversionEvents, createdRef, { ...event, ...CREATED_EVENT_FROM_ROW }, "e")} returning id`);
    const queued = db.$with("queued", {}).as(enqueueDeliveriesSql(createdRef, sql`${sql.identifier("event")}`));
    const companionCte = companion ? [db.$with("companion", {}).as(insertForEachRow(companion.table, createdRef, companionValues!, "r"))] : [];
    return db
      .with(created, eventCte, queued, ...companionCte)
      .select({
        id: created.id,
        status: created.status,
        queued: sql<QueuedDelivery[]>`(select coalesce(json_agg(json_build_object('id', q.id, 'host', q.destination_host)), '[]'::json) from "queued" q)`,
      })
      .from(created)
      .prepare(name);
  });
  const [result] = await statement.execute({ c: row, e: event, r: companionValues });
  return result ? { result: "accepted", conversion: { id: result.id, status: result.status }, deliveries: result.queued } : null;
}

async function updateExistingConversion(
  tx: Executor,
  values: Omit<typeof conversions.$inferInsert, "id" | "status" | "originalStatus"> & { status: ConversionStatus },
  context: EventContext,
  amounts: Amounts,
  click: ClickAge,
  expired: boolean,
): Promise<ConversionOutcome> {
  const [existing] = await tx
    .select()
    .from(conversions)
    .where(and(eq(conversions.offerId, values.offerId), eq(conversions.conversionKey, values.conversionKey)))
    .for("update");
  if (!existing && expired) {
    throw new AppError("invalid_input", `The click is older than the offer's click lifetime (${click.lifetimeHours} hours).`, {
      field: "click_id",
      detailCode: "click_expired",
    });
  }
  if (!existing || existing.clickId !== values.clickId) {
    throw new AppError("conflict", "This transaction id is already used by a conversion of another click.", {
      field: "txid",
      detailCode: "transaction_conflict",
    });
  }
  if (values.transactionId && existing.transactionId && existing.transactionId !== values.transactionId) {
    return {
      result: "ignored",
      conversion: existing,
      reason: `This offer counts one conversion per click, and the click already converted as transaction ${existing.transactionId}.`,
      deliveries: [],
    };
  }
  const attachTransaction = values.transactionId && !existing.transactionId ? { transactionId: values.transactionId } : {};
  if (attachTransaction.transactionId) await assertTransactionFree(tx, values.merchantId, attachTransaction.transactionId);
  return changeStatus(tx, existing, values.status, context, { ...amounts, ...attachTransaction });
}

/** Moves a locked conversion to `to` when the rules allow; the same status is a duplicate, a backward one is ignored. */
export async function changeStatus(
  tx: Executor,
  conversion: Conversion,
  to: ConversionStatus,
  context: EventContext,
  changes: Amounts & { transactionId?: string } = {},
): Promise<ConversionOutcome> {
  const decision = decideTransition(conversion.status, to);
  if (decision.kind === "refused") return { result: "ignored", conversion, reason: decision.reason, deliveries: [] };
  if (decision.kind === "same") {
    if (changes.transactionId) {
      await tx.update(conversions).set({ transactionId: changes.transactionId }).where(eq(conversions.id, conversion.id));
    }
    return { result: "duplicate", conversion, deliveries: [] };
  }
  const [updated] = await tx
    .update(conversions)
    .set({
      status: to,
      originalStatus: context.originalStatus ?? conversion.originalStatus,
      ...definedOnly(changes),
      updatedAt: sql`now()`,
    })
    .where(eq(conversions.id, conversion.id))
    .returning();
  const deliveries = await recordEvent(tx, updated, { kind: decision.eventKind, from: conversion.status, to, ...context });
  return { result: "accepted", conversion: updated, deliveries };
}

async function recordEvent(
  tx: Executor,
  conversion: Conversion,
  event: EventContext & { kind: "created" | "status_changed" | "reversal"; from: ConversionStatus | null; to: ConversionStatus },
): Promise<QueuedDelivery[]> {
  const [row] = await tx
    .insert(conversionEvents)
    .values({
      id: createId("conversionEvent"),
      conversionId: conversion.id,
      kind: event.kind,
      fromStatus: event.from,
      toStatus: event.to,
      source: event.source,
      originalStatus: event.originalStatus ?? null,
      payout: conversion.payout,
      revenue: conversion.revenue,
      incomingLogId: event.incomingLogId ?? null,
      actorUserId: event.actorUserId ?? null,
    })
    .returning();
  return enqueueDeliveries(tx, conversion, row);
}

export type ClickAge = { createdAt: Date; lifetimeHours: number };

/** The parties of a conversion made from a click, and the click's age, as `upsertConversion` takes them. */
export function partiesOfClick(click: Pick<Click, "id" | "campaignId" | "affiliateId" | "createdAt">, offer: Pick<Offer, "id" | "networkId" | "merchantId" | "clickLifetimeHours">) {
  return {
    parties: { clickId: click.id, offerId: offer.id, campaignId: click.campaignId, networkId: offer.networkId, merchantId: offer.merchantId, affiliateId: click.affiliateId },
    age: { createdAt: click.createdAt, lifetimeHours: offer.clickLifetimeHours } satisfies ClickAge,
  };
}

export function clickExpired(click: ClickAge): boolean {
  return click.createdAt.getTime() + click.lifetimeHours * 3_600_000 < Date.now();
}

async function assertTransactionFree(tx: Executor, merchantId: string, transactionId: string) {
  const [taken] = await tx
    .select({ id: conversions.id })
    .from(conversions)
    .where(and(eq(conversions.merchantId, merchantId), eq(conversions.transactionId, transactionId)))
    .limit(1);
  if (taken) {
    throw new AppError("conflict", "This transaction id is already used by a conversion of another click.", { field: "txid", detailCode: "transaction_conflict" });
  }
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * A network's manual status change: the same rules and the same relays as a merchant's postback.
 * Another network's conversion is "not found".
 */
export async function changeStatusManually(tx: Executor, actor: { orgId: string; userId: string }, conversionId: string, to: ConversionStatus) {
  const [conversion] = await tx
    .select()
    .from(conversions)
    .where(and(eq(conversions.id, conversionId), eq(conversions.networkId, actor.orgId)))
    .for("update");
  if (!conversion) throw new AppError("not_found", "No conversion of your network has this id.");
  const outcome = await changeStatus(tx, conversion, to, { source: "manual", originalStatus: conversion.originalStatus, actorUserId: actor.userId });
  if (outcome.result === "ignored") throw new AppError("conflict", outcome.reason ?? "This change is not allowed.", { field: "status" });
  return outcome;
}
