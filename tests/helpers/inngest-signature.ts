import { createHmac } from "node:crypto";

/** JSON with object keys sorted (RFC 8785 for plain data): the form the Inngest SDK signs and verifies. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  return `{${entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

/**
 * The `X-Inngest-Signature` of a request body, as Inngest signs calls to a serve endpoint:
 * HMAC-SHA256 with the signing key (less its `signkey-<env>-` prefix) over the canonical body
 * and the timestamp. The SDK accepts it within five minutes.
 */
export function inngestSignature(body: string, signingKey: string, now = Date.now()): string {
  const ts = Math.round(now / 1000);
  return `t=${ts}&s=${createHmac("sha256", signingKey.replace(/^signkey-[\w]+-/, "")).update(body + ts).digest("hex")}`;
}
