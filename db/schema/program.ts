import { sql } from "drizzle-orm";
import { boolean, index, integer, numeric, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { amountKindColumn as amountKind, money, offers } from "./offers";
import { organizations } from "./organizations";
import { BLOCKABLE_PARAMS, CAP_PERIODS, RULE_KINDS } from "./program-terms";

/*
 * What a network runs its program on. Goals are named by their key within an offer; the offer's
 * own terms are its default goal (key `default`), so rules, caps and postback filters name a goal
 * by key, and null means every goal of the offer.
 */

export const capPeriod = pgEnum("cap_period", CAP_PERIODS);
export const capMetric = pgEnum("cap_metric", ["count", "payout", "revenue"]);
export const capAction = pgEnum("cap_action", ["reject", "hold", "zero_payout", "flag"]);
export const ruleKind = pgEnum("rule_kind", RULE_KINDS);
export const ruleAction = pgEnum("rule_action", ["reject", "hold", "flag"]);

/** An event of an offer beyond its default goal: a registration, a deposit, a sale. */
export const offerGoals = pgTable(
  "offer_goals",
  {
    id: text("id").primaryKey(),
    offerId: text("offer_id")
      .notNull()
      .references(() => offers.id, { onDelete: "cascade" }),
    /** What postbacks name it by (`goal=deposit`); fixed once made. */
    key: text("key").notNull(),
    name: text("name").notNull(),
    payoutKind: amountKind("payout_kind").notNull().default("flat"),
    payout: money("payout").notNull().default("0"),
    revenueKind: amountKind("revenue_kind").notNull().default("flat"),
    revenue: money("revenue").notNull().default("0"),
    /** Many per click, told apart by the transaction id; otherwise once per click. */
    multiple: boolean("multiple").notNull().default(false),
    /** Conversions of this goal wait this long in `hold`, then are approved; null: the offer's setting. */
    holdHours: integer("hold_hours"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("offer_goals_offer_key").on(t.offerId, t.key)],
);

/** A network's payout and revenue for one affiliate on an offer (or one goal of it), from a date. */
export const payoutRules = pgTable(
  "payout_rules",
  {
    id: text("id").primaryKey(),
    networkId: text("network_id").notNull(),
    offerId: text("offer_id")
      .notNull()
      .references(() => offers.id, { onDelete: "cascade" }),
    affiliateId: text("affiliate_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    goalKey: text("goal_key"),
    /** Null keeps the goal's own amount. */
    payoutKind: amountKind("payout_kind").notNull().default("flat"),
    payout: money("payout"),
    revenueKind: amountKind("revenue_kind").notNull().default("flat"),
    revenue: money("revenue"),
    validFrom: timestamp("valid_from", { withTimezone: true }).notNull().defaultNow(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("payout_rules_offer_affiliate_idx").on(t.offerId, t.affiliateId)],
);

/** A limit on conversions (or their payout or revenue) per period, for an offer, a goal, or one affiliate on the offer. */
export const caps = pgTable(
  "caps",
  {
    id: text("id").primaryKey(),
    networkId: text("network_id").notNull(),
    offerId: text("offer_id")
      .notNull()
      .references(() => offers.id, { onDelete: "cascade" }),
    goalKey: text("goal_key"),
    affiliateId: text("affiliate_id").references(() => organizations.id, { onDelete: "cascade" }),
    period: capPeriod("period").notNull(),
    metric: capMetric("metric").notNull().default("count"),
    capLimit: money("cap_limit").notNull(),
    action: capAction("action").notNull().default("reject"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("caps_offer_idx").on(t.offerId)],
);

/**
 * What a cap has used in one period (`period_start` in the network's time zone, or `total`). A
 * conversion reserves its place with one conditional upsert that adds only while the sum stays
 * within the limit, so concurrent conversions cannot overshoot it.
 */
export const capCounters = pgTable(
  "cap_counters",
  {
    capId: text("cap_id")
      .notNull()
      .references(() => caps.id, { onDelete: "cascade" }),
    periodStart: text("period_start").notNull(),
    used: money("used").notNull().default("0"),
  },
  (t) => [primaryKey({ columns: [t.capId, t.periodStart] })],
);

/** A check on new conversions of an offer; each that fires is recorded on the conversion with its reason. */
export const conversionRules = pgTable(
  "conversion_rules",
  {
    id: text("id").primaryKey(),
    networkId: text("network_id").notNull(),
    offerId: text("offer_id")
      .notNull()
      .references(() => offers.id, { onDelete: "cascade" }),
    kind: ruleKind("kind").notNull(),
    action: ruleAction("action").notNull().default("flag"),
    /** One affiliate's conversions only; null for every affiliate's. */
    affiliateId: text("affiliate_id").references(() => organizations.id, { onDelete: "cascade" }),
    /** Seconds from click to conversion (min/max), or conversions from one IP (ip_limit). */
    threshold: integer("threshold"),
    /** The ip_limit window. */
    windowMinutes: integer("window_minutes"),
    /** ISO 3166 alpha-2 codes the conversion's click may come from. */
    countries: text("countries").array(),
    /** The click parameter a blocked_subs rule reads (sub1…sub10 or source), and the values it blocks. */
    param: text("param", { enum: BLOCKABLE_PARAMS }),
    blockedValues: text("blocked_values").array(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("conversion_rules_offer_idx").on(t.offerId)],
);

/**
 * The times of an offer's recent conversions from one IP, with their conversion keys, kept for its
 * per-IP rules: one row per offer and IP, updated by one upsert per new conversion, whose row lock
 * makes concurrent conversions from one address count one after another. Times older than the
 * offer's longest per-IP window are dropped as the row is updated.
 */
export const ipConversionTimes = pgTable(
  "ip_conversion_times",
  {
    // No foreign key: each first conversion from an IP would lock the offer row (see migration 0001).
    offerId: text("offer_id").notNull(),
    ip: text("ip").notNull(),
    times: timestamp("times", { withTimezone: true }).array().notNull(),
    /** The conversion key of each time, so that copies of one conversion count once. */
    keys: text("keys").array().notNull().default(sql`'{}'::text[]`),
  },
  (t) => [primaryKey({ columns: [t.offerId, t.ip] })],
);

/**
 * A network's rate between two currencies: one `from` is worth `rate` of `to`. Amounts a merchant
 * sends in another currency than its offer's are converted with it (or its inverse) as they arrive.
 */
export const exchangeRates = pgTable(
  "exchange_rates",
  {
    id: text("id").primaryKey(),
    networkId: text("network_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    fromCurrency: text("from_currency").notNull(),
    toCurrency: text("to_currency").notNull(),
    rate: numeric("rate", { precision: 20, scale: 10 }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("exchange_rates_pair").on(t.networkId, t.fromCurrency, t.toCurrency)],
);

export type OfferGoal = typeof offerGoals.$inferSelect;
export type ExchangeRate = typeof exchangeRates.$inferSelect;
export type PayoutRule = typeof payoutRules.$inferSelect;
export type Cap = typeof caps.$inferSelect;
export type ConversionRule = typeof conversionRules.$inferSelect;
export type AmountKind = (typeof amountKind.enumValues)[number];
