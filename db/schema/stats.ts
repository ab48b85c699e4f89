import { bigint, date, integer, numeric, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/*
 * Stats rollups (lib/reports/rollups.ts). Each row belongs to the organization that reads it (a
 * network, or an affiliate across its networks), and its day is that organization's calendar day in
 * `stats_rollup_progress.time_zone`: a conversion is counted once in its network's days and once in
 * its affiliate's. Sums are unbounded numerics: a year of a busy offer overflows numeric(14,4).
 */

/** Clicks per organization, day, offer and affiliate. */
export const statsClicksDaily = pgTable(
  "stats_clicks_daily",
  {
    orgId: text("org_id").notNull(),
    day: date("day", { mode: "string" }).notNull(),
    offerId: text("offer_id").notNull(),
    affiliateId: text("affiliate_id").notNull(),
    clicks: integer("clicks").notNull(),
  },
  (t) => [primaryKey({ name: "stats_clicks_daily_pkey", columns: [t.orgId, t.day, t.offerId, t.affiliateId] })],
);

/** Conversions and their money per organization, day (of the conversion's creation), offer, affiliate, goal and status now. */
export const statsConversionsDaily = pgTable(
  "stats_conversions_daily",
  {
    orgId: text("org_id").notNull(),
    day: date("day", { mode: "string" }).notNull(),
    offerId: text("offer_id").notNull(),
    affiliateId: text("affiliate_id").notNull(),
    goalKey: text("goal_key").notNull(),
    status: text("status").notNull(),
    conversions: integer("conversions").notNull(),
    payout: numeric("payout").notNull(),
    revenue: numeric("revenue").notNull(),
  },
  (t) => [primaryKey({ name: "stats_conversions_daily_pkey", columns: [t.orgId, t.day, t.offerId, t.affiliateId, t.goalKey, t.status] })],
);

/**
 * How far an organization's rollups go: every day up to `rolled_through` (in `time_zone`) is in
 * them; later days are counted from raw rows. A zone other than the organization's own means the
 * rollups are rebuilt.
 */
export const statsRollupProgress = pgTable("stats_rollup_progress", {
  orgId: text("org_id").primaryKey(),
  timeZone: text("time_zone").notNull(),
  rolledThrough: date("rolled_through", { mode: "string" }).notNull(),
  /** The clicks of the days after `rolled_through` created before this instant are in `stats_clicks_open` under it; null: none are. */
  clicksOpenUntil: timestamp("clicks_open_until", { withTimezone: true }),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Clicks of the days not rolled yet (the open day), counted up to `until` and kept per `until`: a
 * page reads the one its progress row names, so a page that read the progress just before the job
 * moved on still finds what it named (older ones are removed an hour later).
 */
export const statsClicksOpen = pgTable(
  "stats_clicks_open",
  {
    orgId: text("org_id").notNull(),
    until: timestamp("until", { withTimezone: true }).notNull(),
    day: date("day", { mode: "string" }).notNull(),
    offerId: text("offer_id").notNull(),
    affiliateId: text("affiliate_id").notNull(),
    clicks: integer("clicks").notNull(),
  },
  (t) => [primaryKey({ name: "stats_clicks_open_pkey", columns: [t.orgId, t.until, t.day, t.offerId, t.affiliateId] })],
);

/**
 * Rows that changed after their day may have been rolled up (a late status change, a backdated
 * row), written by triggers on clicks and conversions. Plain inserts with no unique key, so a writer
 * never waits on another; the rollup job refreshes the days they fall on and deletes exactly the
 * rows it read, and pages count those days from raw rows until then.
 */
export const statsStale = pgTable("stats_stale", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
  /** `clicks` or `conversions`: which rollup the change is in. */
  kind: text("kind").notNull(),
  networkId: text("network_id").notNull(),
  affiliateId: text("affiliate_id").notNull(),
  at: timestamp("at", { withTimezone: true }).notNull(),
});
