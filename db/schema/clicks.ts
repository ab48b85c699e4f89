import { index, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/*
 * The event tables (clicks, conversions, the incoming log, deliveries, attempts) keep no foreign
 * keys to configuration rows (organizations, offers, campaigns, links, endpoints, postbacks):
 * every insert would lock the same few parent rows FOR KEY SHARE, and under load that lock
 * traffic cost more than the insert (clicks: 773 → 1,290 req/s without them, BENCHMARKS.md).
 * Configuration rows are never deleted (they are disabled or paused), except outgoing postbacks,
 * whose deliveries `deletePostback` removes itself.
 *
 * Nor are there keys among the rows a new conversion is made of (the conversion to its click, its
 * event to it, its deliveries to both): one statement writes them together from the click it has
 * just read, and none of those rows is ever deleted. Each key cost a lookup and a row lock per
 * row, and a lookup planned while its table was nearly empty stays a sequential scan as the table
 * grows: in a run that began on freshly analysed tables, Postgres's CPU per postback went from
 * 0.6 to 2.2 ms in four loads (BENCHMARKS.md). The one key left between event rows is an attempt's
 * to its delivery, which removes a deleted postback's attempt log with its deliveries.
 *
 * Their indexes are the ones some query reads, and no more (tests/integration/database.test.ts
 * holds the list): every index is written on every insert, and a delivery's on each change of its
 * state. An index a new query needs comes with that query.
 */

/**
 * One row per click on `/c/{code}`: the biggest table. The id is the click id handed to the
 * landing page and echoed back by the merchant, so it is random (unguessable) and URL-safe.
 * Parties are copied onto the row so log and stats queries never join through links.
 */
export const clicks = pgTable(
  "clicks",
  {
    id: text("id").primaryKey(),
    trackingLinkId: text("tracking_link_id").notNull(),
    campaignId: text("campaign_id").notNull(),
    offerId: text("offer_id").notNull(),
    affiliateId: text("affiliate_id").notNull(),
    networkId: text("network_id").notNull(),
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
    affClickId: text("aff_click_id"),
    source: text("source"),
    ip: text("ip"),
    userAgent: text("user_agent"),
    referrer: text("referrer"),
    country: text("country"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("clicks_affiliate_time_idx").on(t.affiliateId, t.createdAt),
    index("clicks_network_time_idx").on(t.networkId, t.createdAt),
  ],
);

export type Click = typeof clicks.$inferSelect;
