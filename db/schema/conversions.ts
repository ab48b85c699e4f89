import { sql } from "drizzle-orm";
import { bigint, boolean, index, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { money } from "./offers";
import { users } from "./organizations";

/** Canonical statuses (DESIGN.md): lead → approved | rejected | hold; hold → approved | rejected. */
export const conversionStatus = pgEnum("conversion_status", ["lead", "approved", "rejected", "hold"]);
export const conversionEventKind = pgEnum("conversion_event_kind", ["created", "status_changed", "reversal"]);
export const conversionEventSource = pgEnum("conversion_event_source", [
  "incoming_postback",
  "lead_api",
  "manual",
  "hold_expiry",
  "rule",
  "cap",
]);

/**
 * A conversion rule or cap that acted on a conversion, and why: `reason` in English for the API and
 * the logs, `values` its figures so a page says it in the reader's language (absent on older rows).
 */
export type ProgramDecision = {
  by: "rule" | "cap";
  id: string;
  kind: string;
  action: "reject" | "hold" | "flag" | "zero_payout";
  reason: string;
  values?: Record<string, string | number>;
};

export const conversions = pgTable(
  "conversions",
  {
    id: text("id").primaryKey(),
    clickId: text("click_id").notNull(),
    offerId: text("offer_id").notNull(),
    campaignId: text("campaign_id"),
    networkId: text("network_id").notNull(),
    merchantId: text("merchant_id").notNull(),
    affiliateId: text("affiliate_id").notNull(),
    /** The merchant's own transaction id (txid, order_id...). */
    transactionId: text("transaction_id"),
    /**
     * What makes a conversion one: `click:<click id>` on an offer that allows one conversion per click,
     * `tx:<transaction id>` or `lead:<click id>:<lead id>` on an offer that allows several.
     */
    conversionKey: text("conversion_key").notNull(),
    /** The offer's goal (`default`: the offer's own terms). */
    goalKey: text("goal_key").notNull().default("default"),
    /** The payout rules that set the payout and the revenue, if any did (each amount has its own winner). */
    payoutRuleId: text("payout_rule_id"),
    revenueRuleId: text("revenue_rule_id"),
    /**
     * What the conversion needs of its click, copied at its creation: pages, rules, postbacks and
     * search never need the click row, which retention drops.
     */
    clickIp: text("click_ip"),
    clickCountry: text("click_country"),
    clickedAt: timestamp("clicked_at", { withTimezone: true }),
    clickUserAgent: text("click_user_agent"),
    clickSource: text("click_source"),
    affClickId: text("aff_click_id"),
    sub1: text("sub1"),
    sub2: text("sub2"),
    sub3: text("sub3"),
    sub4: text("sub4"),
    sub5: text("sub5"),
    sub6: text("sub6"),
    sub7: text("sub7"),
    sub8: text("sub8"),
    sub9: text("sub9"),
    sub10: text("sub10"),
    /** A held conversion is approved at this time unless it is rejected first. */
    holdUntil: timestamp("hold_until", { withTimezone: true }),
    /** Every rule or cap that acted on it, with its reason; `flagged` when one asks for a look. */
    decisions: jsonb("decisions").$type<ProgramDecision[]>().notNull().default([]),
    flagged: boolean("flagged").notNull().default(false),
    /** The affiliate's lead id when the lead came through the leads API. */
    leadId: text("lead_id"),
    status: conversionStatus("status").notNull(),
    /** The merchant's own word for the status, kept as it came. */
    originalStatus: text("original_status"),
    payout: money("payout").notNull().default("0"),
    revenue: money("revenue").notNull().default("0"),
    saleAmount: money("sale_amount"),
    currency: text("currency").notNull().default("USD"),
    /** Free fields sent with the lead or the postback (names the engine does not know), as sent. */
    details: jsonb("details").$type<Record<string, string>>().notNull().default({}),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Exactly-once rests on these constraints, not on a read-then-write (NULLs never collide).
    uniqueIndex("conversions_merchant_transaction_key").on(t.merchantId, t.transactionId),
    uniqueIndex("conversions_offer_key").on(t.offerId, t.conversionKey),
    index("conversions_network_time_idx").on(t.networkId, t.createdAt),
    index("conversions_affiliate_time_idx").on(t.affiliateId, t.createdAt),
    index("conversions_merchant_time_idx").on(t.merchantId, t.createdAt),
    index("conversions_hold_idx").on(t.holdUntil).where(sql`${t.status} = 'hold'`),
    // Finding a conversion from a click id or a transaction id, whoever reads (lib/conversions/find.ts).
    index("conversions_click_idx").on(t.clickId),
    index("conversions_transaction_idx").on(t.transactionId).where(sql`${t.transactionId} is not null`),
    // Finding a conversion from the affiliate tracker's own click id; most carry none.
    index("conversions_aff_click_id_idx").on(t.affClickId).where(sql`${t.affClickId} is not null`),
  ],
);

/** Every change of a conversion, with what caused it. Deliveries hang off these rows. */
export const conversionEvents = pgTable(
  "conversion_events",
  {
    id: text("id").primaryKey(),
    seq: bigint("seq", { mode: "number" }).generatedAlwaysAsIdentity(),
    conversionId: text("conversion_id").notNull(),
    kind: conversionEventKind("kind").notNull(),
    fromStatus: conversionStatus("from_status"),
    toStatus: conversionStatus("to_status").notNull(),
    source: conversionEventSource("source").notNull(),
    originalStatus: text("original_status"),
    payout: money("payout"),
    revenue: money("revenue"),
    incomingLogId: text("incoming_log_id"),
    actorUserId: text("actor_user_id").references(() => users.id, { onDelete: "set null" }),
    /** A change made through the management API: the key that made it (kept after the key is revoked). */
    actorApiKeyId: text("actor_api_key_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // A conversion reaches each status at most once: the same (transaction, status) counts once.
    uniqueIndex("conversion_events_status_key").on(t.conversionId, t.toStatus),
  ],
);

export type Conversion = typeof conversions.$inferSelect;
export type ConversionStatus = (typeof conversionStatus.enumValues)[number];
export type ConversionEvent = typeof conversionEvents.$inferSelect;
