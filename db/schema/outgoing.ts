import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { conversionStatus } from "./conversions";
import { campaigns, offers } from "./offers";
import { organizations } from "./organizations";

export const postbackScope = pgEnum("postback_scope", ["all", "offer", "campaign", "merchant"]);
export const httpMethod = pgEnum("http_method", ["GET", "POST"]);
export const bodyFormat = pgEnum("body_format", ["none", "form", "json"]);

/**
 * A party's outgoing postback: an affiliate's to its own tracker, or a network's to a merchant's server.
 * `recipientOrgId` is the party whose server receives it (the affiliate itself, or the merchant): it may read the log.
 */
export const outgoingPostbacks = pgTable(
  "outgoing_postbacks",
  {
    id: text("id").primaryKey(),
    ownerOrgId: text("owner_org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    recipientOrgId: text("recipient_org_id").references(() => organizations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    scope: postbackScope("scope").notNull().default("all"),
    offerId: text("offer_id").references(() => offers.id, { onDelete: "cascade" }),
    campaignId: text("campaign_id").references(() => campaigns.id, { onDelete: "cascade" }),
    merchantId: text("merchant_id").references(() => organizations.id, { onDelete: "cascade" }),
    statuses: conversionStatus("statuses").array().notNull(),
    /** Goal keys it listens for; null: every goal. */
    goals: text("goals").array(),
    method: httpMethod("method").notNull().default("GET"),
    bodyFormat: bodyFormat("body_format").notNull().default("none"),
    urlTemplate: text("url_template").notNull(),
    /** The host the template points at (per-destination concurrency, health); "unknown" when it has none. */
    destinationHost: text("destination_host")
      .notNull()
      .generatedAlwaysAs(sql`lower(coalesce(substring(btrim(url_template, E' \\t\\r\\n') from '^[A-Za-z]+://([^/?#]+)'), 'unknown'))`),
    bodyTemplate: text("body_template"),
    headers: jsonb("headers").$type<Record<string, string>>().notNull().default({}),
    /** When set, each request is signed (Standard Webhooks form) with it. */
    signingSecret: text("signing_secret"),
    enabled: boolean("enabled").notNull().default(true),
    consecutiveFailures: integer("consecutive_failures").notNull().default(0),
    pausedAt: timestamp("paused_at", { withTimezone: true }),
    pausedReason: text("paused_reason"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("outgoing_postbacks_owner_idx").on(t.ownerOrgId),
    index("outgoing_postbacks_offer_idx").on(t.offerId),
    index("outgoing_postbacks_campaign_idx").on(t.campaignId),
    index("outgoing_postbacks_merchant_idx").on(t.merchantId),
  ],
);

export const deliveryState = pgEnum("delivery_state", ["pending", "delivered", "failed", "cancelled"]);
export const attemptTrigger = pgEnum("attempt_trigger", ["initial", "retry", "replay", "test"]);
export const attemptErrorClass = pgEnum("attempt_error_class", [
  "timeout",
  "dns",
  "refused",
  "blocked",
  "non_2xx",
  "network",
]);

/**
 * The outbox: one row per outgoing postback per conversion event, written in the same transaction
 * as the event. The row, not the Inngest event, is the record; its id is the id receivers dedupe on.
 */
export const deliveries = pgTable(
  "deliveries",
  {
    id: text("id").primaryKey(),
    seq: bigint("seq", { mode: "number" }).generatedAlwaysAsIdentity(),
    postbackId: text("postback_id").notNull(),
    conversionEventId: text("conversion_event_id").notNull(),
    conversionId: text("conversion_id").notNull(),
    ownerOrgId: text("owner_org_id").notNull(),
    recipientOrgId: text("recipient_org_id"),
    /** The network of the conversion, copied: the network's log reads its deliveries by one index. */
    networkId: text("network_id").notNull(),
    destinationHost: text("destination_host").notNull(),
    state: deliveryState("state").notNull().default("pending"),
    /** Attempts in the current cycle; a replay starts a new cycle (and counts in `replays`). */
    attempts: integer("attempts").notNull().default(0),
    replays: integer("replays").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    lastAttemptAt: timestamp("last_attempt_at", { withTimezone: true }),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
    lastStatusCode: integer("last_status_code"),
    lastErrorClass: attemptErrorClass("last_error_class"),
    lastError: text("last_error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("deliveries_postback_event_key").on(t.postbackId, t.conversionEventId),
    index("deliveries_state_next_idx").on(t.state, t.nextAttemptAt),
    index("deliveries_owner_seq_idx").on(t.ownerOrgId, t.seq),
    index("deliveries_recipient_seq_idx").on(t.recipientOrgId, t.seq),
    // A conversion's timeline and finding it from one of its deliveries.
    index("deliveries_conversion_idx").on(t.conversionId),
    index("deliveries_network_seq_idx").on(t.networkId, t.seq),
    // The live log reads what changed since its cursor.
    index("deliveries_updated_seq_idx").on(t.updatedAt, t.seq),
  ],
);

/**
 * The attempt log: one row per HTTP request made, tests included. Partitioned by week of
 * `created_at`, dropped whole after its retention; the delivery it belongs to is kept.
 */
export const deliveryAttempts = pgTable(
  "delivery_attempts",
  {
    id: text("id").notNull(),
    seq: bigint("seq", { mode: "number" }).generatedAlwaysAsIdentity(),
    deliveryId: text("delivery_id").references(() => deliveries.id, { onDelete: "cascade" }),
    postbackId: text("postback_id"),
    ownerOrgId: text("owner_org_id").notNull(),
    recipientOrgId: text("recipient_org_id"),
    attemptNumber: integer("attempt_number").notNull(),
    trigger: attemptTrigger("trigger").notNull(),
    method: httpMethod("method").notNull(),
    url: text("url").notNull(),
    requestHeaders: jsonb("request_headers").$type<Record<string, string>>().notNull().default({}),
    requestBody: text("request_body"),
    responseStatus: integer("response_status"),
    responseHeaders: jsonb("response_headers").$type<Record<string, string>>(),
    responseBody: text("response_body"),
    durationMs: integer("duration_ms").notNull(),
    ok: boolean("ok").notNull(),
    errorClass: attemptErrorClass("error_class"),
    errorMessage: text("error_message"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: "delivery_attempts_pkey", columns: [t.id, t.createdAt] }),
    index("delivery_attempts_owner_seq_idx").on(t.ownerOrgId, t.seq),
    index("delivery_attempts_recipient_seq_idx").on(t.recipientOrgId, t.seq),
    index("delivery_attempts_delivery_idx").on(t.deliveryId),
    index("delivery_attempts_postback_seq_idx").on(t.postbackId, t.seq),
    index("delivery_attempts_created_idx").on(t.createdAt),
  ],
);

export type OutgoingPostback = typeof outgoingPostbacks.$inferSelect;
export type Delivery = typeof deliveries.$inferSelect;
export type DeliveryAttempt = typeof deliveryAttempts.$inferSelect;
