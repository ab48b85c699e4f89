import { index, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { campaigns, offers, trackingLinks } from "./offers";
import { organizations } from "./organizations";

/**
 * One row per click on `/c/{code}`: the biggest table. The id is the click id handed to the
 * landing page and echoed back by the merchant, so it is random (unguessable) and URL-safe.
 * Parties are copied onto the row so log and stats queries never join through links.
 */
export const clicks = pgTable(
  "clicks",
  {
    id: text("id").primaryKey(),
    trackingLinkId: text("tracking_link_id")
      .notNull()
      .references(() => trackingLinks.id, { onDelete: "cascade" }),
    campaignId: text("campaign_id")
      .notNull()
      .references(() => campaigns.id, { onDelete: "cascade" }),
    offerId: text("offer_id")
      .notNull()
      .references(() => offers.id, { onDelete: "cascade" }),
    affiliateId: text("affiliate_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    networkId: text("network_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
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
    index("clicks_offer_time_idx").on(t.offerId, t.createdAt),
    index("clicks_created_idx").on(t.createdAt),
  ],
);

export type Click = typeof clicks.$inferSelect;
