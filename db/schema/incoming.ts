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
} from "drizzle-orm/pg-core";
import { conversionStatus } from "./conversions";
import { organizations } from "./organizations";

/** What the endpoint's status map may turn a merchant's word into. */
type StatusMapTarget = (typeof conversionStatus.enumValues)[number] | "ignore";

/**
 * A URL a merchant's server calls with status updates. Owned by the network, used by one merchant.
 * The secret is stored as a hash only; it is shown once when created or rotated.
 */
export const incomingEndpoints = pgTable(
  "incoming_endpoints",
  {
    id: text("id").primaryKey(),
    networkId: text("network_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    merchantId: text("merchant_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    secretHash: text("secret_hash").notNull(),
    /** The secret's last characters, so a person can tell which one is in use. */
    secretHint: text("secret_hint").notNull(),
    ipAllowList: text("ip_allow_list").array().notNull().default([]),
    /** The status a postback without a status word gets (Keitaro and Everflow count it as a sale). */
    defaultStatus: conversionStatus("default_status").notNull().default("approved"),
    statusMap: jsonb("status_map").$type<Record<string, StatusMapTarget>>().notNull().default({}),
    /** When set, requests must carry an HMAC-SHA256 signature made with it. */
    signingSecret: text("signing_secret"),
    rateLimitPerMinute: integer("rate_limit_per_minute").notNull().default(600),
    /** Whether a payout or revenue sent in the merchant's postback sets the conversion's (the network's choice). */
    amountsFromPostback: boolean("amounts_from_postback").notNull().default(true),
    enabled: boolean("enabled").notNull().default(true),
    secretRotatedAt: timestamp("secret_rotated_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("incoming_endpoints_network_idx").on(t.networkId), index("incoming_endpoints_merchant_idx").on(t.merchantId)],
);

export const incomingResult = pgEnum("incoming_result", ["accepted", "duplicate", "ignored", "rejected"]);

/**
 * One row per request to an incoming endpoint, matched or not. Parameters are stored with secrets
 * masked. Partitioned by week of `created_at`, dropped whole after its retention (as clicks).
 */
export const incomingPostbackLog = pgTable(
  "incoming_postback_log",
  {
    id: text("id").notNull(),
    seq: bigint("seq", { mode: "number" }).generatedAlwaysAsIdentity(),
    endpointId: text("endpoint_id"),
    networkId: text("network_id"),
    merchantId: text("merchant_id"),
    method: text("method").notNull(),
    params: jsonb("params").$type<Record<string, unknown>>().notNull().default({}),
    sourceIp: text("source_ip"),
    result: incomingResult("result").notNull(),
    httpStatus: integer("http_status").notNull(),
    errorCode: text("error_code"),
    message: text("message"),
    conversionId: text("conversion_id"),
    clickId: text("click_id"),
    transactionId: text("transaction_id"),
    status: conversionStatus("status"),
    originalStatus: text("original_status"),
    durationMs: integer("duration_ms"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: "incoming_postback_log_pkey", columns: [t.id, t.createdAt] }),
    index("incoming_log_network_seq_idx").on(t.networkId, t.seq),
    index("incoming_log_merchant_seq_idx").on(t.merchantId, t.seq),
    // The live log reads what was written since its cursor, in this order.
    index("incoming_log_created_seq_idx").on(t.createdAt, t.seq),
    // A conversion's timeline: every request that named its click, matched or refused.
    index("incoming_log_click_idx").on(t.clickId).where(sql`${t.clickId} is not null`),
    // The log's search: a transaction id or a conversion id, exactly.
    index("incoming_log_transaction_idx").on(t.transactionId).where(sql`${t.transactionId} is not null`),
    index("incoming_log_conversion_idx").on(t.conversionId).where(sql`${t.conversionId} is not null`),
  ],
);

export type IncomingEndpoint = typeof incomingEndpoints.$inferSelect;
export type IncomingLogRow = typeof incomingPostbackLog.$inferSelect;
