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
  rule: "rule",
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

export function createId(kind: IdKind): string {
  return `${ID_PREFIXES[kind]}_${randomToken(16)}`;
}

/**
 * A click id that carries its creation time: `clk_`, then the millisecond in 6 bytes and 16 random
 * bytes, as base64url (30 characters). Clicks are partitioned by time, so a lookup by id alone
 * would read every partition's index; with the time read back from the id (`clickIdTime`) it
 * reads one. The random part alone keeps it unguessable, as any id.
 */
export function createClickId(at: Date): string {
  const time = Buffer.alloc(6);
  time.writeUIntBE(at.getTime(), 0, 6);
  return `${ID_PREFIXES.click}_${time.toString("base64url")}${randomToken(16)}`;
}

const TIMED_CLICK_ID = /^clk_([A-Za-z0-9_-]{8})[A-Za-z0-9_-]{22}$/;

/** When a click id made by `createClickId` was made; null for any other string (ids made before, typos). */
export function clickIdTime(id: string): Date | null {
  const time = TIMED_CLICK_ID.exec(id)?.[1];
  return time ? new Date(Buffer.from(time, "base64url").readUIntBE(0, 6)) : null;
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
