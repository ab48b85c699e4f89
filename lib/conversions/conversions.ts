import { and, eq, getTableColumns, getTableName, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import type { Database, Executor } from "@/db/client";
import { boundRow, castPlaceholder, insertForEachRow, preparedStatement, valuesOf } from "@/db/prepared";
import { clicks, type Conversion, conversionEvents, type ConversionStatus, conversions, deliveries, type Offer, offers } from "@/db/schema";
import { enqueueDeliveries, enqueueDeliveriesSql, type QueuedDelivery } from "@/lib/outgoing/deliveries";
import { AppError } from "@/lib/platform/errors";
import { createId } from "@/lib/platform/ids";
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

/** Whose click a conversion may be made from: the endpoint's merchant in its network, or the affiliate's own click. */
export type ClickOwner = { merchantId: string; networkId: string } | { affiliateId: string };

/** What a caller asks of a click; an absent amount or currency is the offer's default. */
export type ClickConversion = {
  clickId: string;
  owner: ClickOwner;
  /** What tells this conversion apart on an offer that counts several per click (`conversionKeyFor`). */
  ids: { transactionId?: string; leadId?: string };
  transactionId?: string;
  leadId?: string;
  status: ConversionStatus;
  payout?: string;
  revenue?: string;
  saleAmount?: string;
  currency?: string;
  details: Record<string, string>;
};

export type ConvertClickOptions<T extends PgTable> = { request: ClickConversion; context: EventContext; companion?: CompanionRow<T> };

type ClickRead = NonNullable<Awaited<ReturnType<typeof readClick>>>;

function ownsClick(owner: ClickOwner, click: ClickRead): boolean {
  return "affiliateId" in owner ? click.affiliateId === owner.affiliateId : click.merchantId === owner.merchantId && click.networkId === owner.networkId;
}

/**
 * Turns a click into a conversion: creates it, or finds the one that exists and moves it to
 * `status` when the transition rules allow. Null when the click is unknown or not `owner`'s (the
 * caller answers "not found" either way). Exactly-once rests on the unique keys: concurrent
 * copies of the same postback all try the insert, one wins, the others find its row (locked FOR
 * UPDATE, so status changes on one conversion are serialized). `companion` commits with either.
 */
export async function convertClick<T extends PgTable>(db: Database, options: ConvertClickOptions<T>): Promise<ConversionOutcome | null> {
  const { request, context, companion } = options;
  const click = await readClick(db, request.clickId);
  if (!click || !ownsClick(request.owner, click)) return null;
  const conversion: NewConversion = {
    id: createId("conversion"),
    clickId: click.clickId,
    offerId: click.offerId,
    campaignId: click.campaignId,
    networkId: click.networkId,
    merchantId: click.merchantId,
    affiliateId: click.affiliateId,
    conversionKey: conversionKeyFor(click, click.clickId, request.ids),
    transactionId: request.transactionId ?? null,
    leadId: request.leadId ?? null,
    status: request.status,
    originalStatus: context.originalStatus ?? null,
    payout: request.payout ?? click.defaultPayout,
    revenue: request.revenue ?? click.defaultRevenue,
    saleAmount: request.saleAmount ?? null,
    currency: request.currency ?? click.currency,
    details: request.details,
  };
  // The click lifetime bounds new conversions only: a chargeback on day 45 of a 30-day click still
  // reaches the conversion it reverses.
  if (!click.expired) {
    const created = await insertNewConversion(db, conversion, context, companion);
    if (created) return created;
  }
  const changes = definedOnly({ payout: request.payout, revenue: request.revenue, saleAmount: request.saleAmount, currency: request.currency });
  return db.transaction(async (tx) => {
    const outcome = await updateExistingConversion(tx, conversion, context, changes, click);
    if (companion) await tx.insert(companion.table).values(companion.values(outcome));
    return outcome;
  });
}

type NewConversion = typeof conversions.$inferInsert & { id: string; status: ConversionStatus; conversionKey: string };

/** The click a conversion is made from, with its offer's terms; `expired` is past the offer's click lifetime. */
async function readClick(db: Database, clickId: string) {
  const statement = preparedStatement(db, "read-click", (name) =>
    db
      .select({
        clickId: clicks.id,
        campaignId: clicks.campaignId,
        affiliateId: clicks.affiliateId,
        offerId: offers.id,
        networkId: offers.networkId,
        merchantId: offers.merchantId,
        clickLifetimeHours: offers.clickLifetimeHours,
        allowMultipleConversions: offers.allowMultipleConversions,
        defaultPayout: offers.defaultPayout,
        defaultRevenue: offers.defaultRevenue,
        currency: offers.currency,
        expired: sql<boolean>`${clicks.createdAt} + make_interval(hours => ${offers.clickLifetimeHours}) < now()`,
      })
      .from(clicks)
      .innerJoin(offers, eq(offers.id, clicks.offerId))
      .where(eq(clicks.id, sql.placeholder("clickId")))
      .prepare(name),
  );
  const [click] = await statement.execute({ clickId });
  return click;
}

const CONVERSION_COLUMNS = [
  "id", "clickId", "offerId", "campaignId", "networkId", "merchantId", "affiliateId", "conversionKey", "transactionId", "leadId",
  "status", "originalStatus", "payout", "revenue", "saleAmount", "currency", "details",
] as const;
const EVENT_COLUMNS = ["id", "conversionId", "kind", "fromStatus", "toStatus", "source", "originalStatus", "payout", "revenue", "incomingLogId", "actorUserId"] as const;

/**
 * A new conversion as one statement, so one round trip and one commit: the conversion (nothing at
 * all when its key exists), its `created` event, its deliveries (`enqueueDeliveriesSql`) and the
 * companion row, each written only when the conversion was. Null when the key exists.
 */
async function insertNewConversion<T extends PgTable>(db: Database, conversion: NewConversion, context: EventContext, companion?: CompanionRow<T>): Promise<ConversionOutcome | null> {
  const event = {
    id: createId("conversionEvent"),
    conversionId: conversion.id,
    kind: "created",
    fromStatus: null,
    toStatus: conversion.status,
    source: context.source,
    originalStatus: conversion.originalStatus,
    payout: conversion.payout,
    revenue: conversion.revenue,
    incomingLogId: context.incomingLogId ?? null,
    actorUserId: context.actorUserId ?? null,
  } satisfies typeof conversionEvents.$inferInsert;
  const companionValues = companion?.values({ result: "accepted", conversion: { id: conversion.id, status: conversion.status } });
  const companionColumns = companionValues ? Object.keys(companionValues) : [];
  const shape = `insert-conversion${companion ? `:${getTableName(companion.table)}:${companionColumns.join(",")}` : ""}`;

  const statement = preparedStatement(db, shape, (name) => {
    const created = db.$with("created").as(db.insert(conversions).values(boundRow(conversions, CONVERSION_COLUMNS, "c")).onConflictDoNothing().returning({ id: conversions.id }));
    const createdRef = sql`${sql.identifier("created")}`;
    const eventCte = db.$with("event", {}).as(insertForEachRow(conversionEvents, createdRef, event, "e"));
    const placeholder = (key: (typeof CONVERSION_COLUMNS)[number]) => castPlaceholder(getTableColumns(conversions)[key], `c.${key}`);
    const parties = { id: placeholder("id"), affiliateId: placeholder("affiliateId"), networkId: placeholder("networkId"), offerId: placeholder("offerId"), merchantId: placeholder("merchantId"), campaignId: placeholder("campaignId") };
    const queued = db.$with("queued", { id: deliveries.id, host: deliveries.destinationHost }).as(
      enqueueDeliveriesSql({ conversion: parties, eventId: castPlaceholder(conversionEvents.id, "e.id"), status: placeholder("status"), onlyAfter: createdRef }),
    );
    const companionCte = companion ? [db.$with("companion", {}).as(insertForEachRow(companion.table, createdRef, companionValues!, "r"))] : [];
    return db
      .with(created, eventCte, queued, ...companionCte)
      .select({
        id: created.id,
        queued: sql<QueuedDelivery[]>`(select coalesce(json_agg(json_build_object('id', q.id, 'host', q.destination_host)), '[]'::json) from "queued" q)`,
      })
      .from(created)
      .prepare(name);
  });
  const [row] = await statement.execute({
    ...valuesOf("c", CONVERSION_COLUMNS, conversion),
    ...valuesOf("e", EVENT_COLUMNS, event),
    ...(companionValues ? valuesOf("r", companionColumns, companionValues) : {}),
  });
  if (!row) return null;
  return { result: "accepted", conversion: { id: conversion.id, status: conversion.status }, deliveries: row.queued };
}

async function updateExistingConversion(
  tx: Executor,
  values: NewConversion,
  context: EventContext,
  amounts: Amounts,
  click: Pick<ClickRead, "expired" | "clickLifetimeHours">,
): Promise<ConversionOutcome> {
  const [existing] = await tx
    .select()
    .from(conversions)
    .where(and(eq(conversions.offerId, values.offerId), eq(conversions.conversionKey, values.conversionKey)))
    .for("update");
  if (!existing && click.expired) {
    throw new AppError("invalid_input", `The click is older than the offer's click lifetime (${click.clickLifetimeHours} hours).`, {
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
