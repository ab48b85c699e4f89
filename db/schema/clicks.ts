import { index, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/*
 * The event tables (clicks, conversions, the incoming log, deliveries, attempts) keep no foreign
 * keys to configuration rows: every insert would lock the same few parent rows FOR KEY SHARE.
 * Configuration rows are never deleted (they are disabled or paused), except outgoing postbacks,
 * whose deliveries `deletePostback` removes itself. Nor are there keys among the rows a new
 * conversion is made of (one statement writes them together, and none is ever deleted); the one
 * key left is an attempt's to its delivery, which removes a deleted postback's attempt log.
 *
 * Their indexes are the ones some query reads, and no more (tests/integration/database.test.ts
 * holds the list). An index a new query needs comes with that query.
 */

/**
 * One row per click on `/c/{code}`: the biggest table. The id is the click id handed to the
 * landing page and echoed back by the merchant, so it is random (unguessable) and URL-safe.
 * Parties are copied onto the row so log and stats queries never join through links.
 *
 * Partitioned by week of `created_at` (lib/platform/retention.ts makes them ahead and drops the
 * expired ones whole), so the key holds `created_at` too; a click id carries its time, so a lookup
 * by id reads one partition (`clickLookup`).
 */
export const clicks = pgTable(
  "clicks",
  {
    id: text("id").notNull(),
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
    primaryKey({ name: "clicks_pkey", columns: [t.id, t.createdAt] }),
    index("clicks_affiliate_time_idx").on(t.affiliateId, t.createdAt),
    index("clicks_network_time_idx").on(t.networkId, t.createdAt),
  ],
);

export type Click = typeof clicks.$inferSelect;
