import { boolean, index, integer, numeric, pgEnum, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { organizations } from "./organizations";

export const offerStatus = pgEnum("offer_status", ["active", "paused"]);
// Declared here (not in program.ts) because offers uses it and program.ts imports offers.
export const amountKindColumn = pgEnum("amount_kind", ["flat", "percent"]);

/** Money is numeric(14,4): exact, and drizzle hands it over as a string, never a float. */
const money = (name: string) => numeric(name, { precision: 14, scale: 4 });

export const offers = pgTable(
  "offers",
  {
    id: text("id").primaryKey(),
    networkId: text("network_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    merchantId: text("merchant_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "restrict" }),
    name: text("name").notNull(),
    description: text("description"),
    /** Landing URL with macros ({click_id}, {sub1}...), filled by the one macro engine on each click. */
    landingUrl: text("landing_url").notNull(),
    /** The default goal's terms: flat, or a percentage of the sale amount. */
    payoutKind: amountKindColumn("payout_kind").notNull().default("flat"),
    defaultPayout: money("default_payout").notNull().default("0"),
    revenueKind: amountKindColumn("revenue_kind").notNull().default("flat"),
    defaultRevenue: money("default_revenue").notNull().default("0"),
    currency: text("currency").notNull().default("USD"),
    allowMultipleConversions: boolean("allow_multiple_conversions").notNull().default(false),
    clickLifetimeHours: integer("click_lifetime_hours").notNull().default(720),
    /** New conversions wait this long in `hold`, then are approved unless rejected first. */
    holdHours: integer("hold_hours"),
    /** Where clicks go while a cap of the offer is reached. */
    capFallbackUrl: text("cap_fallback_url"),
    status: offerStatus("status").notNull().default("active"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("offers_network_idx").on(t.networkId), index("offers_merchant_idx").on(t.merchantId)],
);

/** An affiliate's group of tracking links for one offer. */
export const campaigns = pgTable(
  "campaigns",
  {
    id: text("id").primaryKey(),
    affiliateId: text("affiliate_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    offerId: text("offer_id")
      .notNull()
      .references(() => offers.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("campaigns_affiliate_idx").on(t.affiliateId), index("campaigns_offer_idx").on(t.offerId)],
);

/** The public face of a campaign: `/c/{code}`. The code is random, so links cannot be enumerated. */
export const trackingLinks = pgTable(
  "tracking_links",
  {
    id: text("id").primaryKey(),
    code: text("code").notNull(),
    campaignId: text("campaign_id")
      .notNull()
      .references(() => campaigns.id, { onDelete: "cascade" }),
    affiliateId: text("affiliate_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    offerId: text("offer_id")
      .notNull()
      .references(() => offers.id, { onDelete: "cascade" }),
    name: text("name"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("tracking_links_code_key").on(t.code), index("tracking_links_campaign_idx").on(t.campaignId)],
);

export type Offer = typeof offers.$inferSelect;
export type Campaign = typeof campaigns.$inferSelect;
export type TrackingLink = typeof trackingLinks.$inferSelect;
export { money };
