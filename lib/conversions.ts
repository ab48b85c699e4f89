import { and, eq, getTableColumns, getTableName, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import type { Database, Executor } from "@/db/client";
import { castPlaceholder, insertForEachRow } from "@/db/insert-for-each-row";
import { preparedStatement, shapeOf } from "@/db/prepared";
import { clicks, type Conversion, conversionEvents, type ConversionStatus, conversions, type Offer, offers } from "@/db/schema";
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

/** The click and offer a conversion was made from, as the statement read them. */
type ClickRead = {
  clickId: string;
  campaignId: string | null;
  affiliateId: string;
  offerId: string;
  networkId: string;
  merchantId: string;
  clickLifetimeHours: number;
  allowMultipleConversions: boolean;
  defaultPayout: string;
  defaultRevenue: string;
  currency: string;
  expired: boolean;
};

/** Decides the answer; the statement checks the same in SQL before it writes (`owned` in `insertFromClick`). */
function ownsClick(owner: ClickOwner, click: ClickRead): boolean {
  return "affiliateId" in owner ? click.affiliateId === owner.affiliateId : click.merchantId === owner.merchantId && click.networkId === owner.networkId;
}

/**
 * Turns a click into a conversion: creates it, or finds the one that exists and moves it to
 * `status` when the transition rules allow. Null when the click is unknown or not `owner`'s (the
 * caller answers "not found" either way). Exactly-once rests on the unique keys: concurrent
 * copies of the same postback all try the insert, one wins, the others wait for it and then see
 * its row (locked FOR UPDATE, so status changes on one conversion are serialized). The click is
 * read by the statement that inserts a new conversion (see `insertFromClick`); anything else
 * runs in a transaction. `companion` commits with either.
 */
export async function convertClick<T extends PgTable>(
  db: Database,
  request: ClickConversion,
  context: EventContext,
  amounts: Amounts,
  companion?: CompanionRow<T>,
): Promise<ConversionOutcome | null> {
  const attempt = await insertFromClick(db, request, context, companion);
  if (!attempt || !ownsClick(request.owner, attempt.click)) return null;
  if (attempt.created) return attempt.created;
  // Not made: the key exists (a duplicate or a status change), the click is past its lifetime,
  // or the offer wants a transaction id (conversionKeyFor refuses). Amounts default as the
  // statement's coalesce() does.
  const click = attempt.click;
  const values = {
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
    payout: request.payout ?? click.defaultPayout,
    revenue: request.revenue ?? click.defaultRevenue,
    saleAmount: request.saleAmount ?? null,
    currency: request.currency ?? click.currency,
    details: request.details,
  };
  return db.transaction(async (tx) => {
    const outcome = await updateExistingConversion(tx, values, context, amounts, click);
    if (companion) await tx.insert(companion.table).values(companion.values(outcome));
    return outcome;
  });
}

/** What a new conversion's row takes from the caller (the parties and the key come from the click it reads). */
const CONVERSION_COLUMNS = ["id", "transactionId", "leadId", "status", "originalStatus", "payout", "revenue", "saleAmount", "currency", "details"] as const;

const createdRef = sql`${sql.identifier("created")}`;
const clickRef = sql`${sql.identifier("click")}`;
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
 * click and its offer read, and when the click is the owner's, within the offer's click
 * lifetime and has its conversion key, the conversion, its `created` event, one delivery per
 * matching postback and the companion row, each `INSERT … SELECT` from the one before. When the
 * conversion key already exists nothing at all is written. Undefined when there is no such
 * click; otherwise the click as read, and the new conversion if one was made. Prepared once per
 * owner kind and companion shape. (The click was read apart before, one round trip more: about
 * 0.1 ms of Node and a statement's start-up in Postgres per postback, BENCHMARKS.md.)
 */
async function insertFromClick<T extends PgTable>(
  db: Database,
  request: ClickConversion,
  context: EventContext,
  companion?: CompanionRow<T>,
): Promise<{ click: ClickRead; created: ConversionOutcome | null } | undefined> {
  const row = {
    id: createId("conversion"),
    transactionId: request.transactionId ?? null,
    leadId: request.leadId ?? null,
    status: request.status,
    originalStatus: context.originalStatus ?? null,
    payout: request.payout ?? null,
    revenue: request.revenue ?? null,
    saleAmount: request.saleAmount ?? null,
    currency: request.currency ?? null,
    details: request.details,
  };
  const event = {
    id: createId("conversionEvent"),
    kind: "created",
    fromStatus: null,
    source: context.source,
    incomingLogId: context.incomingLogId ?? null,
    actorUserId: context.actorUserId ?? null,
  } satisfies Parameters<typeof insertForEachRow<typeof conversionEvents>>[2];
  const keys = candidateKeys(request.clickId, request.ids);
  const companionValues = companion?.values({ result: "accepted", conversion: row });
  const ownerKind = "affiliateId" in request.owner ? "affiliate" : "merchant";
  const shape = `convert-click:${ownerKind}${companion ? `:${getTableName(companion.table)}:${shapeOf(companionValues!)}` : ""}`;

  const statement = preparedStatement(db, shape, (name) => {
    const click = db.$with("click").as(
      db
        .select({
          clickId: sql<string>`${clicks.id}`.as("click_id"),
          campaignId: sql<string | null>`${clicks.campaignId}`.as("campaign_id"),
          affiliateId: sql<string>`${clicks.affiliateId}`.as("affiliate_id"),
          offerId: sql<string>`${offers.id}`.as("offer_id"),
          networkId: sql<string>`${offers.networkId}`.as("network_id"),
          merchantId: sql<string>`${offers.merchantId}`.as("merchant_id"),
          clickLifetimeHours: sql<number>`${offers.clickLifetimeHours}`.as("click_lifetime_hours"),
          allowMultipleConversions: sql<boolean>`${offers.allowMultipleConversions}`.as("allow_multiple_conversions"),
          defaultPayout: sql<string>`${offers.defaultPayout}`.as("default_payout"),
          defaultRevenue: sql<string>`${offers.defaultRevenue}`.as("default_revenue"),
          currency: sql<string>`${offers.currency}`.as("currency"),
          // The click lifetime bounds new conversions only: a chargeback on day 45 of a 30-day
          // click still reaches the conversion it reverses.
          expired: sql<boolean>`${clicks.createdAt} + make_interval(hours => ${offers.clickLifetimeHours}) < now()`.as("expired"),
        })
        .from(clicks)
        .innerJoin(offers, eq(offers.id, clicks.offerId))
        .where(eq(clicks.id, sql.placeholder("clickId"))),
    );
    const owned =
      ownerKind === "affiliate"
        ? sql`${clickRef}.affiliate_id = ${sql.placeholder("owner.affiliateId")}`
        : sql`${clickRef}.merchant_id = ${sql.placeholder("owner.merchantId")} and ${clickRef}.network_id = ${sql.placeholder("owner.networkId")}`;
    const conversionKey = sql`case when ${clickRef}.allow_multiple_conversions then ${castPlaceholder(conversions.conversionKey, "keys.multi")} else ${castPlaceholder(conversions.conversionKey, "keys.single")} end`;
    const fromRequest = (key: (typeof CONVERSION_COLUMNS)[number]) => castPlaceholder(getTableColumns(conversions)[key], `c.${key}`);
    const orDefault = (key: "payout" | "revenue" | "currency", column: string) => sql`coalesce(${fromRequest(key)}, ${clickRef}.${sql.identifier(column)})`;
    const insertConversion = sql`${insertForEachRow(
      conversions,
      sql`${clickRef} where not ${clickRef}.expired and ${owned} and ${conversionKey} is not null`,
      {
        ...Object.fromEntries(CONVERSION_COLUMNS.map((key) => [key, fromRequest(key)])),
        clickId: sql`${clickRef}.click_id`,
        offerId: sql`${clickRef}.offer_id`,
        campaignId: sql`${clickRef}.campaign_id`,
        networkId: sql`${clickRef}.network_id`,
        merchantId: sql`${clickRef}.merchant_id`,
        affiliateId: sql`${clickRef}.affiliate_id`,
        conversionKey,
        payout: orDefault("payout", "default_payout"),
        revenue: orDefault("revenue", "default_revenue"),
        currency: orDefault("currency", "currency"),
      },
      "c",
    )} on conflict do nothing returning *`;
    const created = db.$with("created", { id: conversions.id, status: conversions.status }).as(insertConversion);
    const eventCte = db.$with("event", {}).as(sql`${insertForEachRow(conversionEvents, createdRef, { ...event, ...CREATED_EVENT_FROM_ROW }, "e")} returning id`);
    const queued = db.$with("queued", {}).as(enqueueDeliveriesSql(createdRef, sql`${sql.identifier("event")}`));
    const companionCte = companion ? [db.$with("companion", {}).as(insertForEachRow(companion.table, createdRef, companionValues!, "r"))] : [];
    return db
      .with(click, created, eventCte, queued, ...companionCte)
      .select({
        click: {
          clickId: click.clickId,
          campaignId: click.campaignId,
          affiliateId: click.affiliateId,
          offerId: click.offerId,
          networkId: click.networkId,
          merchantId: click.merchantId,
          clickLifetimeHours: click.clickLifetimeHours,
          allowMultipleConversions: click.allowMultipleConversions,
          defaultPayout: click.defaultPayout,
          defaultRevenue: click.defaultRevenue,
          currency: click.currency,
          expired: click.expired,
        },
        createdId: sql<string | null>`(select id from ${createdRef})`,
        createdStatus: sql<ConversionStatus | null>`(select status from ${createdRef})`,
        queued: sql<QueuedDelivery[]>`(select coalesce(json_agg(json_build_object('id', q.id, 'host', q.destination_host)), '[]'::json) from "queued" q)`,
      })
      .from(click)
      .prepare(name);
  });
  const [result] = await statement.execute({ clickId: request.clickId, owner: request.owner, keys, c: row, e: event, r: companionValues });
  if (!result) return undefined;
  const created: ConversionOutcome | null = result.createdId
    ? { result: "accepted", conversion: { id: result.createdId, status: result.createdStatus! }, deliveries: result.queued }
    : null;
  return { click: result.click, created };
}

/**
 * The conversion key for either kind of offer, before the offer is read (`conversionKeyFor`
 * decides; null where it would refuse, and the statement then makes nothing).
 */
function candidateKeys(clickId: string, ids: ClickConversion["ids"]) {
  let multi: string | null = null;
  try {
    multi = conversionKeyFor({ allowMultipleConversions: true }, clickId, ids);
  } catch {}
  return { single: conversionKeyFor({ allowMultipleConversions: false }, clickId, ids), multi };
}

async function updateExistingConversion(
  tx: Executor,
  values: Omit<typeof conversions.$inferInsert, "id" | "status" | "originalStatus"> & { status: ConversionStatus },
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
