import { randomBytes } from "node:crypto";
import { type SQL, sql } from "drizzle-orm";

/**
 * Prefixed random ids (`clk_…`, `conv_…`, `dlv_…`): greppable in logs, URL-safe, and 128 bits of
 * randomness so a click id or a link code cannot be guessed from another one.
 */
export const ID_PREFIXES = {
  organization: "org",
  user: "usr",
  apiKey: "key",
  membership: "mem",
  offer: "off",
  campaign: "cmp",
  trackingLink: "lnk",
  click: "clk",
  conversion: "conv",
  conversionEvent: "evt",
  endpoint: "end",
  incomingLog: "inc",
  postback: "pb",
  delivery: "dlv",
  attempt: "att",
  demoReceipt: "rcp",
  goal: "goal",
  payoutRule: "pr",
  cap: "cap",
  exchangeRate: "xr",
  rule: "rule",
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

export function createId(kind: IdKind): string {
  return `${ID_PREFIXES[kind]}_${randomToken(16)}`;
}

// Ids draw from a pool of random bytes filled a few kilobytes at a time, as nanoid does, rather
// than one call into the system's random source per id. A byte of the pool is used once.
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let poolOffset = 0;

/** `bytes` random bytes as base64url (no padding). */
export function randomToken(bytes: number): string {
  if (bytes > POOL_BYTES) return randomBytes(bytes).toString("base64url");
  if (poolOffset + bytes > pool.length) {
    pool = randomBytes(POOL_BYTES);
    poolOffset = 0;
  }
  const token = pool.toString("base64url", poolOffset, poolOffset + bytes);
  // A secret made from these bytes does not linger in the pool.
  pool.fill(0, poolOffset, poolOffset + bytes);
  poolOffset += bytes;
  return token;
}

/**
 * The SQL expression for a new id of `kind`, for rows a statement creates itself (an
 * `INSERT … SELECT` that makes one delivery per matching postback). Same shape as `createId`:
 * the prefix and 22 base64url characters, from a random UUID's 16 bytes (122 random bits).
 */
export function createIdSql(kind: IdKind): SQL {
  return sql`(${`${ID_PREFIXES[kind]}_`} || translate(encode(uuid_send(gen_random_uuid()), 'base64'), '+/=', '-_'))`;
}
