import { randomBytes } from "node:crypto";

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
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

export function createId(kind: IdKind): string {
  return `${ID_PREFIXES[kind]}_${randomToken(16)}`;
}

/** `bytes` random bytes as base64url (no padding). */
export function randomToken(bytes: number): string {
  return randomBytes(bytes).toString("base64url");
}
