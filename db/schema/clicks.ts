import { sql } from "drizzle-orm";
import { index, pgTable, text, timestamp } from "drizzle-orm/pg-core";

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
    // Finding a conversion from the affiliate tracker's own click id; most clicks carry none.
    index("clicks_aff_click_id_idx").on(t.affClickId).where(sql`${t.affClickId} is not null`),
  ],
);

export type Click = typeof clicks.$inferSelect;
