import { and, desc, eq, getTableColumns, getTableName, inArray, lte, ne, type SQL, type SQLWrapper, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import type { Database, Executor } from "@/db/client";
import { boundRow, castPlaceholder, insertForEachRow, preparedStatement, valuesOf } from "@/db/prepared";
import {
  caps,
  clicks,
  type Conversion,
  conversionEvents,
  conversionRules,
  type ConversionStatus,
  conversions,
  deliveries,
  offerGoals,
  outgoingPostbacks,
  offers,
  organizations,
  payoutRules,
  type ProgramDecision,
} from "@/db/schema";
import { type CapTerms, capsFor, countAmountChange, decisionsSeenBy, reserveCaps } from "@/lib/program/caps";
import { asSent, inOfferCurrency, isNotedDetail } from "@/lib/program/exchange-rates";
import { countFromIp } from "@/lib/program/ip-counts";
import { DEFAULT_GOAL, type GoalTerms, resolveGoal } from "@/lib/program/goals";
import { amountsFor, type PayoutRuleTerms } from "@/lib/program/payouts";
import { evaluateRules, type RuleTerms } from "@/lib/program/rules";
import { enqueueDeliveries, enqueueDeliveriesSql, postbacksFor, type QueuedDelivery } from "@/lib/outgoing/deliveries";
import type { HeldConversion } from "@/lib/outgoing/dispatcher";
import { type ConversionFilters, filterConditions } from "./conversion-queries";
import { AppError, databaseUnreachable } from "@/lib/platform/errors";
import { createId } from "@/lib/platform/ids";
import { refusedChange } from "./status-preview";
import { decideTransition } from "./statuses";

export type EventSource = "incoming_postback" | "lead_api" | "manual" | "hold_expiry" | "rule" | "cap";

export type Amounts = {
  payout?: string;
  revenue?: string;
  saleAmount?: string;
  currency?: string;
  payoutRuleId?: string | null;
  revenueRuleId?: string | null;
  /** Postline's notes on the amounts (as sent before an exchange rate), added to the conversion's details. */
  notedDetails?: Record<string, string>;
};

/** What callers read of the conversion an outcome is about. */
export type ConversionSummary = Pick<Conversion, "id" | "status">;

export type ConversionOutcome = {
  result: "accepted" | "duplicate" | "ignored";
  conversion: ConversionSummary | null;
  reason?: string;
  deliveries: QueuedDelivery[];
  /** Set when the change put the conversion on hold until a time: the dispatcher approves it then. */
  hold?: HeldConversion | null;
  /** The conversion, when the change ended its hold period early: the dispatcher cancels the scheduled end. */
  endedHolds?: string[];
};

type EventContext = { source: EventSource; originalStatus?: string | null; incomingLogId?: string; actorUserId?: string; actorApiKeyId?: string };
/** Who changed a conversion by hand: a signed-in user, or an API key of the organization. */
export type Actor = { orgId: string; userId?: string; apiKeyId?: string };

/**
 * The key that makes a conversion one (see `conversions.conversionKey`): once per click, or one per
 * transaction id on a goal that counts several; a goal other than the default prefixes its key.
 */
export function conversionKeyFor(goal: Pick<GoalTerms, "key" | "multiple">, clickId: string, ids: { transactionId?: string; leadId?: string }) {
  const prefix = goal.key === DEFAULT_GOAL ? "" : `goal:${goal.key}:`;
  if (!goal.multiple) return `${prefix}click:${clickId}`;
  if (ids.transactionId) return `${prefix}tx:${ids.transactionId}`;
  if (ids.leadId) return `${prefix}lead:${clickId}:${ids.leadId}`;
  throw new AppError("bad_request", "errors.conversions.txidNeeded", {
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
  /** The offer's goal this conversion is for; absent: the default goal. */
  goalKey?: string;
  status: ConversionStatus;
  payout?: string;
  revenue?: string;
  saleAmount?: string;
  currency?: string;
  details: Record<string, string>;
};

export type ConvertClickOptions<T extends PgTable> = {
  request: ClickConversion;
  context: EventContext;
  companion?: CompanionRow<T>;
  /** Whether a payout or revenue in the request may set the conversion's (the endpoint's setting). */
  amountsFromPostback?: boolean;
};

type ClickRead = NonNullable<Awaited<ReturnType<typeof readClick>>>;

function ownsClick(owner: ClickOwner, click: ClickRead): boolean {
  return "affiliateId" in owner ? click.affiliateId === owner.affiliateId : click.merchantId === owner.merchantId && click.networkId === owner.networkId;
}

/**
 * Turns a click into a conversion: creates it, or finds the one that exists and moves it to
 * `status` when the transition rules allow. Null when the click is unknown or not `owner`'s (the
 * caller answers "not found" either way). The offer's program decides the goal, the amounts (a
 * payout rule of the affiliate's), the hold, and what its rules and caps do with a new
 * conversion. Exactly-once rests on the unique keys: concurrent copies of the same postback all
 * try the insert, one wins, the others find its row (locked FOR UPDATE, so status changes on one
 * conversion are serialized). `companion` commits with either.
 */
export async function convertClick<T extends PgTable>(db: Database, options: ConvertClickOptions<T>): Promise<ConversionOutcome | null> {
  const { context, companion } = options;
  const click = await readClick(db, options.request.clickId, options.request.transactionId);
  if (!click || !ownsClick(options.request.owner, click)) return null;
  const request = await inOfferCurrency(db, click.networkId, click.currency, options.request, options.amountsFromPostback !== false);
  const now = new Date();
  const goal = resolveGoal(click, click.goals, request.goalKey);
  const terms = amountsFor(goal, click.payoutRules, request.saleAmount, now);
  const sent = options.amountsFromPostback === false ? {} : { payout: request.payout, revenue: request.revenue };
  const conversion: NewConversion = {
    id: createId("conversion"),
    clickId: click.clickId,
    offerId: click.offerId,
    campaignId: click.campaignId,
    networkId: click.networkId,
    merchantId: click.merchantId,
    affiliateId: click.affiliateId,
    goalKey: goal.key,
    conversionKey: conversionKeyFor(goal, click.clickId, request.ids),
    transactionId: request.transactionId ?? null,
    leadId: request.leadId ?? null,
    status: request.status,
    originalStatus: context.originalStatus ?? null,
    payout: sent.payout ?? terms.payout,
    revenue: sent.revenue ?? terms.revenue,
    payoutRuleId: sent.payout === undefined ? terms.payoutRuleId : null,
    revenueRuleId: sent.revenue === undefined ? terms.revenueRuleId : null,
    saleAmount: request.saleAmount ?? null,
    currency: request.currency ?? click.currency,
    details: request.details,
    clickIp: click.ip,
    clickCountry: click.country,
    clickedAt: click.clickedAt,
    clickUserAgent: click.userAgent,
    clickSource: click.source,
    affClickId: click.affClickId,
    sub1: click.sub1, sub2: click.sub2, sub3: click.sub3, sub4: click.sub4, sub5: click.sub5,
    sub6: click.sub6, sub7: click.sub7, sub8: click.sub8, sub9: click.sub9, sub10: click.sub10,
    holdUntil: null,
    decisions: [],
    flagged: false,
    // The moment its caps reserve a place for: a later payout change counts in the same period.
    createdAt: now,
  };
  // The click lifetime bounds new conversions only: a chargeback on day 45 of a 30-day click still
  // reaches the conversion it reverses.
  if (!click.expired) {
    const created = await createConversion(db, { click, goal, conversion, context, companion, now });
    if (created) return created;
  }
  const changes = laterAmounts(request, terms, options.amountsFromPostback);
  // A conversion kept in another currency (made before the network had a rate for it) takes later
  // amounts as they are sent: converting them would mix two currencies in one conversion.
  const raw = request.currency === options.request.currency ? null : asSent(options.request, options.amountsFromPostback !== false);
  const kept = raw ? laterAmounts(raw, amountsFor(goal, click.payoutRules, raw.saleAmount, now), options.amountsFromPostback) : changes;
  return db.transaction(async (tx) => {
    const outcome = await updateExistingConversion(tx, { values: conversion, context, amounts: (currency) => (currency === click.currency ? changes : kept), click, goal });
    if (companion) await tx.insert(companion.table).values(companion.values(outcome));
    return outcome;
  });
}

/** What a later status's request changes of an existing conversion's amounts; `terms`: the goal's and rules' amounts for its sale amount. */
function laterAmounts(request: ClickConversion, terms: ReturnType<typeof amountsFor>, amountsFromPostback: boolean | undefined): Amounts {
  const sent = amountsFromPostback === false ? {} : { payout: request.payout, revenue: request.revenue };
  // A sale amount that arrives with a later status sets the amounts a percentage takes from it.
  const fromSale = request.saleAmount === undefined ? {} : { payout: terms.payoutKind === "percent" ? terms.payout : undefined, revenue: terms.revenueKind === "percent" ? terms.revenue : undefined };
  // Each amount set now names what set it: the merchant's (no rule) or the rule's percentage.
  const ruleIds = {
    payoutRuleId: sent.payout !== undefined ? null : fromSale.payout !== undefined ? terms.payoutRuleId : undefined,
    revenueRuleId: sent.revenue !== undefined ? null : fromSale.revenue !== undefined ? terms.revenueRuleId : undefined,
  };
  const noted = Object.entries(request.details).filter(([key]) => isNotedDetail(key));
  return definedOnly({ ...fromSale, ...definedOnly(sent), ...ruleIds, saleAmount: request.saleAmount, currency: request.currency, notedDetails: noted.length > 0 ? Object.fromEntries(noted) : undefined });
}

type NewConversion = typeof conversions.$inferInsert & { id: string; status: ConversionStatus; conversionKey: string; payout: string; decisions: ProgramDecision[] };

type Creation<T extends PgTable> = { click: ClickRead; goal: GoalTerms; conversion: NewConversion; context: EventContext; companion?: CompanionRow<T>; now: Date };

/**
 * A new conversion with what the program decides of it, written as one statement. Its per-IP
 * rules count it first (`countFromIp`, one upsert), then its caps reserve a place, each by a
 * claim settled with the others of the moment (so concurrent conversions cannot overshoot a
 * limit). A conversion that turns out to exist gives its cap places back (its IP entry belongs to
 * the copy that made it); one that fails to be written gives both back. A full cap decides the
 * conversion instead. Null when its key or its transaction id is taken (as read with the click, or
 * as the insert finds).
 */
async function createConversion<T extends PgTable>(db: Database, creation: Creation<T>): Promise<ConversionOutcome | null> {
  const { click, goal, now } = creation;
  // Nothing to create when the click made this conversion already (the caller moves it) or the
  // merchant's transaction id is another conversion's (the caller refuses it): neither counts per
  // IP. Read for offers with a per-IP rule; on the others the insert finds either.
  if (click.conversionKeys.includes(creation.conversion.conversionKey) || click.transactionTaken) return null;
  // Counted and reserved before the write, each in a statement of its own: on PGlite a statement
  // outside an open transaction would wait for it, and on PostgreSQL a counter row stays locked
  // for one statement only.
  const ipRules = click.rules.filter((r) => r.kind === "ip_limit");
  const fromIp = ipRules.length > 0 && click.ip ? await countFromIp(db, creation.conversion, click.ip, ipRules) : undefined;
  const facts = { clickedAt: click.clickedAt, now, country: click.country, params: click, conversionsFromIp: fromIp?.counts ?? {} };
  let reservation: Awaited<ReturnType<typeof reserveCaps>> | null = null;
  try {
    const decided = decide(creation.conversion, evaluateRules(click.rules, facts), goal, now);
    const caps = decided.status === "rejected" ? [] : capsFor(click.caps, goal.key, click.affiliateId);
    reservation = caps.length > 0 ? await reserveCaps(db, caps, decided, click.timeZone, now) : null;
    const final = reservation?.decisions.length ? decide(decided, reservation.decisions, goal, now) : decided;
    const created = await insertNewConversion(db, final, creation);
    if (!created || reservation?.full || final.status === "rejected") await reservation?.giveBack();
    return created;
  } catch (error) {
    // After a lost connection nothing is known: the write may have committed, and a place taken
    // without waiting for the disk may not have survived a crash. Keeping them errs towards a cap
    // one place short, never over.
    if (databaseUnreachable(error)) throw error;
    await reservation?.giveBack();
    await fromIp?.giveBack();
    throw error;
  }
}

/**
 * What the program's decisions make of a new conversion: a rejection wins, then a hold, a full
 * cap may zero the payout, a flag asks for a look (unless it is rejected); an approval on a goal
 * with a hold period waits in `hold` until then.
 */
function decide(conversion: NewConversion, decisions: ProgramDecision[], goal: GoalTerms, now: Date): NewConversion {
  const all = [...conversion.decisions, ...decisions];
  const acts = (action: ProgramDecision["action"]) => all.some((d) => d.action === action);
  let { status, payout, holdUntil } = conversion;
  // A rejection or a hold for review is no hold period: nothing approves it on a timer.
  if (acts("reject")) [status, holdUntil] = ["rejected", null];
  else if (acts("hold") && status !== "rejected") [status, holdUntil] = ["hold", null];
  else if (status === "approved" && goal.holdHours) {
    status = "hold";
    holdUntil = new Date(now.getTime() + goal.holdHours * 3_600_000);
  }
  if (acts("zero_payout")) payout = "0";
  // A rejected conversion leaves nothing to review: its flag's reason stays in the decisions.
  return { ...conversion, status, payout, holdUntil, decisions: all, flagged: status !== "rejected" && (conversion.flagged || acts("flag")) };
}

/**
 * The click a conversion is made from, with its offer's terms and program; `expired` is past the
 * offer's click lifetime. Read by id alone, from every weekly partition's key: a range from a time
 * carried in the id would let the planner read one, but PostgreSQL then plans this statement anew
 * on each call, which costs more than the probes (BENCHMARKS.md, "Retention"). A click that
 * retention dropped is read from what its newest conversion copied of it, so a status update or a
 * chargeback still reaches a conversion older than the clicks kept.
 */
async function readClick(db: Database, clickId: string, transactionId: string | undefined) {
  const fromClick = preparedStatement(db, "read-click", (name) =>
    db
      .select(clickTerms({
        clickId: clicks.id,
        campaignId: clicks.campaignId,
        affiliateId: clicks.affiliateId,
        ip: clicks.ip,
        country: clicks.country,
        clickedAt: clicks.createdAt,
        userAgent: clicks.userAgent,
        source: clicks.source,
        affClickId: clicks.affClickId,
        sub1: clicks.sub1, sub2: clicks.sub2, sub3: clicks.sub3, sub4: clicks.sub4, sub5: clicks.sub5,
        sub6: clicks.sub6, sub7: clicks.sub7, sub8: clicks.sub8, sub9: clicks.sub9, sub10: clicks.sub10,
      }))
      .from(clicks)
      .innerJoin(offers, eq(offers.id, clicks.offerId))
      .where(eq(clicks.id, sql.placeholder("clickId")))
      .prepare(name),
  );
  const fromConversion = preparedStatement(db, "read-click-of-conversion", (name) =>
    db
      .select(clickTerms({
        clickId: conversions.clickId,
        campaignId: sql<string>`${conversions.campaignId}`,
        affiliateId: conversions.affiliateId,
        ip: conversions.clickIp,
        country: conversions.clickCountry,
        clickedAt: sql<Date>`coalesce(${conversions.clickedAt}, ${conversions.createdAt})`.mapWith(conversions.createdAt),
        userAgent: conversions.clickUserAgent,
        source: conversions.clickSource,
        affClickId: conversions.affClickId,
        sub1: conversions.sub1, sub2: conversions.sub2, sub3: conversions.sub3, sub4: conversions.sub4, sub5: conversions.sub5,
        sub6: conversions.sub6, sub7: conversions.sub7, sub8: conversions.sub8, sub9: conversions.sub9, sub10: conversions.sub10,
      }))
      .from(conversions)
      .innerJoin(offers, eq(offers.id, conversions.offerId))
      .where(eq(conversions.clickId, sql.placeholder("clickId")))
      .orderBy(desc(conversions.createdAt))
      .limit(1)
      .prepare(name),
  );
  const values = { clickId, transactionId: transactionId ?? null };
  const [click] = await fromClick.execute(values);
  const [kept] = click ? [click] : await fromConversion.execute(values);
  if (!kept) return undefined;
  return { ...kept, payoutRules: kept.payoutRules.map((r) => ({ ...r, validFrom: new Date(r.validFrom) })) };
}

const countsPerIp = sql`exists (select 1 from ${conversionRules} per_ip where per_ip.offer_id = ${offers.id} and per_ip.kind = 'ip_limit')`;

/** A click's own values (from its row, or as a conversion copied them) with its offer's terms and program. */
function clickTerms<C extends { clickId: SQLWrapper; affiliateId: SQLWrapper; clickedAt: SQLWrapper }>(click: C) {
  return {
    ...click,
    offerId: offers.id,
    networkId: offers.networkId,
    merchantId: offers.merchantId,
    clickLifetimeHours: offers.clickLifetimeHours,
    allowMultipleConversions: offers.allowMultipleConversions,
    payoutKind: offers.payoutKind,
    defaultPayout: offers.defaultPayout,
    revenueKind: offers.revenueKind,
    defaultRevenue: offers.defaultRevenue,
    holdHours: offers.holdHours,
    currency: offers.currency,
    expired: sql<boolean>`${click.clickedAt} + make_interval(hours => ${offers.clickLifetimeHours}) < now()`,
    // Read only where a per-IP rule must know before it counts: the keys of the conversions made
    // from the click so far (a postback for one of them is a status update), and whether the
    // postback's transaction id is the merchant's conversion already (unique per merchant).
    conversionKeys: sql<string[]>`case when ${countsPerIp} then (select coalesce(json_agg(made.conversion_key), '[]'::json) from ${conversions} made where made.click_id = ${click.clickId}) else '[]'::json end`,
    transactionTaken: sql<boolean>`case when ${countsPerIp} then exists (select 1 from ${conversions} held where held.merchant_id = ${offers.merchantId} and held.transaction_id = ${sql.placeholder("transactionId")}::text) else false end`,
    ...programOf(offers.id, click.affiliateId, offers.networkId),
  };
}

/** The offer's goals, the affiliate's payout rules, the caps and rules, and the network's time zone, read with the click. */
function programOf(offerId: SQLWrapper, affiliateId: SQLWrapper, networkId: SQLWrapper) {
  const list = <T>(select: SQL) => sql<T[]>`(select coalesce(json_agg(x), '[]'::json) from (${select}) x)`;
  return {
    goals: list<GoalTerms>(sql`select key, name, payout_kind as "payoutKind", payout::text as payout, revenue_kind as "revenueKind", revenue::text as revenue, multiple, hold_hours as "holdHours" from ${offerGoals} where offer_id = ${offerId}`),
    payoutRules: list<Omit<PayoutRuleTerms, "validFrom"> & { validFrom: string }>(
      sql`select id, goal_key as "goalKey", payout_kind as "payoutKind", payout::text as payout, revenue_kind as "revenueKind", revenue::text as revenue, valid_from as "validFrom" from ${payoutRules} where offer_id = ${offerId} and affiliate_id = ${affiliateId}`,
    ),
    caps: list<CapTerms>(sql`select id, goal_key as "goalKey", affiliate_id as "affiliateId", period, metric, cap_limit::text as "capLimit", action from ${caps} where offer_id = ${offerId} order by created_at`),
    // A rule for one affiliate applies to that affiliate's conversions only.
    rules: list<RuleTerms>(
      sql`select id, kind, action, threshold, window_minutes as "windowMinutes", countries, param, blocked_values as "blockedValues" from ${conversionRules} where offer_id = ${offerId} and (affiliate_id is null or affiliate_id = ${affiliateId}) order by created_at`,
    ),
    timeZone: sql<string>`(select time_zone from ${organizations} where id = ${networkId})`,
  };
}

const CONVERSION_COLUMNS = [
  "id", "clickId", "offerId", "campaignId", "networkId", "merchantId", "affiliateId", "goalKey", "conversionKey", "transactionId", "leadId",
  "status", "originalStatus", "payout", "revenue", "payoutRuleId", "revenueRuleId", "saleAmount", "currency", "details", "clickIp", "clickCountry", "clickedAt",
  "clickUserAgent", "clickSource", "affClickId", "sub1", "sub2", "sub3", "sub4", "sub5", "sub6", "sub7", "sub8", "sub9", "sub10",
  "holdUntil", "decisions", "flagged", "createdAt",
] as const;
const EVENT_COLUMNS = ["id", "conversionId", "kind", "fromStatus", "toStatus", "source", "originalStatus", "payout", "revenue", "incomingLogId", "actorUserId"] as const;

/**
 * A new conversion as one statement, so one round trip and one commit: the conversion (nothing at
 * all when its key exists), its `created` event, its deliveries (`enqueueDeliveriesSql`) and the
 * companion row, each written only when the conversion was. Null when the key exists.
 */
async function insertNewConversion<T extends PgTable>(
  executor: Executor,
  conversion: NewConversion,
  { context, companion }: Pick<Creation<T>, "context" | "companion">,
): Promise<ConversionOutcome | null> {
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
  const reason = conversion.decisions.length > 0 ? conversion.decisions.map((d) => d.reason).join("; ") : undefined;
  const summary = { id: conversion.id, status: conversion.status };
  const companionValues = companion?.values({ result: "accepted", conversion: summary, reason });
  const companionColumns = companionValues ? Object.keys(companionValues) : [];
  const shape = `insert-conversion${companion ? `:${getTableName(companion.table)}:${companionColumns.join(",")}` : ""}`;

  // Built once per database (or per transaction) and shape; the values are placeholders.
  const statement = preparedStatement(executor as Database, shape, (name) => {
    const db = executor;
    const created = db.$with("created").as(db.insert(conversions).values(boundRow(conversions, CONVERSION_COLUMNS, "c")).onConflictDoNothing().returning({ id: conversions.id }));
    const createdRef = sql`${sql.identifier("created")}`;
    const eventCte = db.$with("event", {}).as(insertForEachRow(conversionEvents, createdRef, event, "e"));
    const placeholder = (key: (typeof CONVERSION_COLUMNS)[number]) => castPlaceholder(getTableColumns(conversions)[key], `c.${key}`);
    const parties = {
      id: placeholder("id"),
      affiliateId: placeholder("affiliateId"),
      networkId: placeholder("networkId"),
      offerId: placeholder("offerId"),
      merchantId: placeholder("merchantId"),
      campaignId: placeholder("campaignId"),
      goalKey: placeholder("goalKey"),
    };
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
  const hold = conversion.holdUntil ? { conversionId: conversion.id, until: conversion.holdUntil } : null;
  return { result: "accepted", conversion: summary, reason, deliveries: row.queued, hold };
}

/** The conversion a repeat or a status update is for, found by its key and locked, moved when the rules allow. */
async function updateExistingConversion(
  tx: Executor,
  update: { values: NewConversion; context: EventContext; amounts: (currency: string) => Amounts; click: Pick<ClickRead, "expired" | "clickLifetimeHours">; goal: GoalTerms },
): Promise<ConversionOutcome> {
  const { values, context, amounts, click, goal } = update;
  const [existing] = await tx
    .select()
    .from(conversions)
    .where(and(eq(conversions.offerId, values.offerId), eq(conversions.conversionKey, values.conversionKey)))
    .for("update");
  if (!existing && click.expired) {
    throw new AppError("invalid_input", "errors.conversions.clickTooOld", {
      values: { hours: click.clickLifetimeHours },
      field: "click_id",
      detailCode: "click_expired",
    });
  }
  if (!existing || existing.clickId !== values.clickId) {
    throw new AppError("conflict", "errors.conversions.transactionTaken", {
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
  return changeStatus(tx, existing, { to: values.status, context, changes: { ...amounts(existing.currency), ...attachTransaction }, holdHours: goal.holdHours });
}

/**
 * Moves a locked conversion to `to` when the rules allow; the same status is a duplicate, a
 * backward one is ignored. A merchant's approval of a conversion that waits out its hold period
 * does not cut the hold short (a rejection does); the first approval on a goal with a hold period
 * starts one.
 */
export async function changeStatus(
  tx: Executor,
  conversion: Conversion,
  change: {
    to: ConversionStatus;
    context: EventContext;
    changes?: Amounts & { transactionId?: string };
    /** The conversion's goal's hold period: a first approval waits it out. */
    holdHours?: number | null;
  },
): Promise<ConversionOutcome> {
  const { to: requested, context, changes = {}, holdHours } = change;
  // Held by the program (a hold period, or a rule or cap holding it for review): only the hold's
  // end or the network approves it; a merchant's approval, a repeat included, does not.
  const heldByProgram = conversion.status === "hold" && (conversion.holdUntil !== null || conversion.decisions.some((d) => d.action === "hold"));
  if (heldByProgram && requested === "approved" && (context.source === "incoming_postback" || context.source === "lead_api")) {
    const reason = conversion.holdUntil
      ? `Held until ${conversion.holdUntil.toISOString()}; it is approved then unless rejected first.`
      : `Held for review (${decisionsSeenBy(context.source === "lead_api" ? "affiliate" : "merchant", conversion.decisions.filter((d) => d.action === "hold")).map((d) => d.reason).join("; ")}); the network approves or rejects it.`;
    return { result: "ignored", conversion, reason, deliveries: [] };
  }
  const startsHold = requested === "approved" && conversion.status === "lead" && Boolean(holdHours);
  const to: ConversionStatus = startsHold ? "hold" : requested;
  const holdUntil = startsHold ? new Date(Date.now() + holdHours! * 3_600_000) : to === "hold" ? conversion.holdUntil : null;
  const decision = decideTransition(conversion.status, to);
  if (decision.kind === "refused") return { result: "ignored", conversion, reason: decision.reason, deliveries: [] };
  if (decision.kind === "same") {
    if (changes.transactionId) {
      await tx.update(conversions).set({ transactionId: changes.transactionId }).where(eq(conversions.id, conversion.id));
    }
    return { result: "duplicate", conversion, deliveries: [] };
  }
  // A cap that took the conversion at zero payout fixed its payout: a later amount does not undo it.
  const zeroedByCap = conversion.decisions.some((d) => d.action === "zero_payout");
  const { notedDetails, ...amountChanges } = changes;
  const [updated] = await tx
    .update(conversions)
    .set({
      status: to,
      originalStatus: context.originalStatus ?? conversion.originalStatus,
      holdUntil,
      ...definedOnly(zeroedByCap ? { ...amountChanges, payout: undefined, payoutRuleId: undefined } : amountChanges),
      ...(notedDetails ? { details: sql`${conversions.details} || ${JSON.stringify(notedDetails)}::jsonb` } : {}),
      // A rejection leaves nothing to review: a flag on it goes (its reason stays in the decisions).
      ...(to === "rejected" ? { flagged: false } : {}),
      updatedAt: sql`now()`,
    })
    .where(eq(conversions.id, conversion.id))
    .returning();
  const deliveries = await recordEvent(tx, updated, { kind: decision.eventKind, from: conversion.status, to, ...context });
  // Last, so the counter rows stay locked for as little of the transaction as this function holds;
  // a rejection frees no place, whatever amount it carries.
  if (to !== "rejected") await countAmountChange(tx, conversion, updated);
  const endsHoldEarly = conversion.status === "hold" && conversion.holdUntil !== null && to !== "hold" && context.source !== "hold_expiry";
  return {
    result: "accepted",
    conversion: updated,
    deliveries,
    hold: startsHold && holdUntil ? { conversionId: updated.id, until: holdUntil } : null,
    endedHolds: endsHoldEarly ? [updated.id] : [],
  };
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
      actorApiKeyId: event.actorApiKeyId ?? null,
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
    throw new AppError("conflict", "errors.conversions.transactionTaken", { field: "txid", detailCode: "transaction_conflict" });
  }
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * A network's manual status change: the same rules and the same relays as a merchant's postback.
 * Another network's conversion is "not found".
 */
export async function changeStatusManually(tx: Executor, actor: Actor, conversionId: string, to: ConversionStatus) {
  const [conversion] = await tx
    .select()
    .from(conversions)
    .where(and(eq(conversions.id, conversionId), eq(conversions.networkId, actor.orgId)))
    .for("update");
  if (!conversion) throw new AppError("not_found", "errors.notFound.networkConversion");
  const outcome = await changeStatus(tx, conversion, { to, context: { source: "manual", originalStatus: conversion.originalStatus, actorUserId: actor.userId, actorApiKeyId: actor.apiKeyId } });
  // A manual change is ignored only when the transition rules refuse it.
  if (outcome.result === "ignored") throw refusedChange(conversion.status, to);
  // The network's decision is the review a flag asks for: the flag goes, its reasons stay in the
  // decisions (changeStatus already cleared it on a rejection).
  if (conversion.flagged && to !== "rejected") await tx.update(conversions).set({ flagged: false }).where(eq(conversions.id, conversion.id));
  return outcome;
}

/** `asOf`: only conversions made by then, so that a decision moves no more than its confirmation counted. */
export type BulkDecision = { filters: ConversionFilters; to: "approved" | "rejected"; asOf?: Date };

/**
 * What a bulk decision on the network's conversions would do: how many conversions it decides, and
 * how many postbacks that sends (each matching postback listening for the new status). It moves
 * pending and held conversions. On flagged ones it is the review the flag asks for, so it takes
 * those a flag let through approved too: a rejection reverses them, an approval keeps them (nothing
 * sent); either clears the flag.
 */
export async function previewBulkDecision(db: Executor, networkId: string, decision: BulkDecision) {
  const chosen = await db
    .select()
    .from(conversions)
    .where(
      and(
        eq(conversions.networkId, networkId),
        decision.filters.flagged ? sql`${conversions.status} in ('lead', 'hold', 'approved')` : sql`${conversions.status} in ('lead', 'hold')`,
        decision.asOf ? lte(conversions.createdAt, decision.asOf) : undefined,
        ...filterConditions(decision.filters),
      ),
    )
    .limit(BULK_LIMIT + 1);
  if (chosen.length > BULK_LIMIT) throw new AppError("invalid_input", "errors.conversions.bulkTooMany", { field: "filters", values: { limit: String(BULK_LIMIT) } });
  const ids = chosen.map((c) => c.id);
  // One count over every chosen conversion's matching postbacks (the fan-out rule, over the rows).
  const column = (c: SQLWrapper) => sql`${c}`;
  const parties = {
    affiliateId: column(conversions.affiliateId),
    networkId: column(conversions.networkId),
    offerId: column(conversions.offerId),
    merchantId: column(conversions.merchantId),
    campaignId: column(conversions.campaignId),
    goalKey: column(conversions.goalKey),
  };
  const [row] =
    ids.length === 0
      ? [{ n: 0 }]
      : await db
          .select({ n: sql<number>`count(*)::int` })
          .from(conversions)
          .innerJoin(outgoingPostbacks, postbacksFor(parties, decision.to)!)
          .where(and(inArray(conversions.id, ids), ne(conversions.status, decision.to)));
  return { conversions: chosen.length, postbacks: row?.n ?? 0, ids, asOf: decision.asOf ?? new Date() };
}

const BULK_LIMIT = 1000;

/** Approves or rejects the chosen conversions by hand, each through the same rules and relays as one change. */
export async function decideInBulk(db: Database, actor: Actor, decision: BulkDecision) {
  const { ids } = await previewBulkDecision(db, actor.orgId, decision);
  const deliveries: QueuedDelivery[] = [];
  const endedHolds: string[] = [];
  let moved = 0;
  for (const id of ids) {
    const outcome = await db.transaction((tx) => changeStatusManually(tx, actor, id, decision.to)).catch((error: unknown) => {
      if (error instanceof AppError && error.code === "conflict") return null;
      throw error;
    });
    // Under the flagged filter a duplicate is a flagged conversion kept approved: reviewed, nothing sent.
    if (outcome?.result === "accepted" || (outcome?.result === "duplicate" && decision.filters.flagged)) {
      moved++;
      deliveries.push(...outcome.deliveries);
      endedHolds.push(...(outcome.endedHolds ?? []));
    }
  }
  return { moved, deliveries, endedHolds };
}
