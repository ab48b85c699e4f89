import { bigint, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Fixed-window counters for rate limits. They live in Postgres, not in process memory, so every
 * instance of the app (serverless or not) shares one count per key.
 */
export const rateLimitBuckets = pgTable(
  "rate_limit_buckets",
  {
    key: text("key").notNull(),
    windowStart: timestamp("window_start", { withTimezone: true }).notNull(),
    count: integer("count").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.key, t.windowStart] })],
);

/**
 * What the built-in demo receiver got (the demo's postbacks point at it, so a first relay lands):
 * per inbox (an organization's id), the last 100 requests, secrets masked.
 */
export const demoReceipts = pgTable(
  "demo_receipts",
  {
    id: text("id").primaryKey(),
    seq: bigint("seq", { mode: "number" }).generatedAlwaysAsIdentity(),
    inbox: text("inbox").notNull(),
    method: text("method").notNull(),
    url: text("url").notNull(),
    headers: jsonb("headers").$type<Record<string, string>>().notNull().default({}),
    body: text("body"),
    /** `in-process`: a delivery reached it inside Postline, with no request on the network; `http`: its route. */
    via: text("via").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("demo_receipts_inbox_seq_idx").on(t.inbox, t.seq)],
);

export type DemoReceipt = typeof demoReceipts.$inferSelect;

/**
 * `Idempotency-Key`s of the management API's POSTs, per API key: the first request's body hash and,
 * once it finished, its answer, replayed to a repeat with the same body. Kept a day.
 */
export const apiIdempotencyKeys = pgTable(
  "api_idempotency_keys",
  {
    apiKeyId: text("api_key_id").notNull(),
    key: text("key").notNull(),
    requestHash: text("request_hash").notNull(),
    /** Null while the first request is still running. */
    status: integer("status"),
    body: jsonb("body"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.apiKeyId, t.key] }), index("api_idempotency_keys_created_idx").on(t.createdAt)],
);
