import { and, asc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Executor } from "@/db/client";
import { incomingEndpoints, organizations } from "@/db/schema";
import { AppError } from "@/lib/platform/errors";
import { createId } from "@/lib/platform/ids";
import { parseAllowList } from "./ip-allow-list";
import { assertMerchant } from "@/lib/access/organizations";
import { generateSecret, hashSecret, secretHint } from "@/lib/access/secrets";

/** Endpoint rows without the secret's hash: what pages may show. */
const publicEndpointColumns = {
  id: incomingEndpoints.id,
  name: incomingEndpoints.name,
  networkId: incomingEndpoints.networkId,
  merchantId: incomingEndpoints.merchantId,
  secretHint: incomingEndpoints.secretHint,
  ipAllowList: incomingEndpoints.ipAllowList,
  statusMap: incomingEndpoints.statusMap,
  enabled: incomingEndpoints.enabled,
  createdAt: incomingEndpoints.createdAt,
};

export function listMerchantEndpoints(db: Executor, merchantId: string) {
  return db
    .select({ ...publicEndpointColumns, networkName: organizations.name })
    .from(incomingEndpoints)
    .innerJoin(organizations, eq(organizations.id, incomingEndpoints.networkId))
    .where(eq(incomingEndpoints.merchantId, merchantId))
    .orderBy(asc(incomingEndpoints.name));
}

export function listNetworkEndpoints(db: Executor, networkId: string) {
  return db
    .select({ ...publicEndpointColumns, merchantName: organizations.name })
    .from(incomingEndpoints)
    .innerJoin(organizations, eq(organizations.id, incomingEndpoints.merchantId))
    .where(eq(incomingEndpoints.networkId, networkId))
    .orderBy(asc(incomingEndpoints.name));
}

/** The URL a merchant's server calls for this endpoint. */
export function endpointPath(endpointId: string): string {
  return `/api/postback/${endpointId}`;
}

const STATUS_TARGETS = ["lead", "approved", "rejected", "hold", "ignore"] as const;

/** "word = status" lines, as the form's textarea sends them. */
export function parseStatusMap(text: string): Record<string, (typeof STATUS_TARGETS)[number]> {
  const map: Record<string, (typeof STATUS_TARGETS)[number]> = {};
  for (const line of text.split(/\r?\n|,/)) {
    if (!line.trim()) continue;
    const [word, target] = line.split("=").map((part) => part?.trim().toLowerCase());
    if (!word || !target || !(STATUS_TARGETS as readonly string[]).includes(target)) {
      throw new AppError("invalid_input", `"${line.trim()}" is not "word = status"; a status is one of ${STATUS_TARGETS.join(", ")}.`, { field: "statusMap" });
    }
    map[word] = target as (typeof STATUS_TARGETS)[number];
  }
  return map;
}

export function parseIpList(text: string): string[] {
  const entries = text.split(/[\s,]+/).map((e) => e.trim()).filter(Boolean);
  const { invalid } = parseAllowList(entries);
  if (invalid.length > 0) throw new AppError("invalid_input", `Not an address or CIDR range: ${invalid.join(", ")}.`, { field: "ipAllowList" });
  return entries;
}

export const endpointInputSchema = z.object({
  name: z.string().trim().min(1, "Give the endpoint a name.").max(100),
  merchantId: z.string().min(1, "Pick the merchant.").max(64),
  defaultStatus: z.enum(["lead", "approved", "rejected", "hold"]).default("approved"),
  statusMap: z.string().max(4000).default(""),
  ipAllowList: z.string().max(4000).default(""),
  rateLimitPerMinute: z.coerce.number().int().min(1, "At least 1 a minute.").max(100_000).default(600),
  signingSecret: z.string().max(200).optional(),
  removeSigningSecret: z.preprocess((v) => v === "on" || v === "true" || v === true, z.boolean()).default(false),
  enabled: z.preprocess((v) => v === undefined ? true : v === "true" || v === true, z.boolean()),
});
export type EndpointInput = z.output<typeof endpointInputSchema>;

/** Creates an endpoint and returns its secret, shown this once: only a hash is kept. */
export async function createEndpoint(db: Executor, networkId: string, input: EndpointInput) {
  await assertMerchant(db, input.merchantId);
  const secret = generateSecret("whsec");
  const id = createId("endpoint");
  await db.insert(incomingEndpoints).values({
    id,
    networkId,
    merchantId: input.merchantId,
    name: input.name,
    secretHash: hashSecret(secret),
    secretHint: secretHint(secret),
    defaultStatus: input.defaultStatus,
    statusMap: parseStatusMap(input.statusMap),
    ipAllowList: parseIpList(input.ipAllowList),
    rateLimitPerMinute: input.rateLimitPerMinute,
    signingSecret: input.signingSecret || null,
    enabled: input.enabled,
  });
  return { id, secret };
}

export async function updateEndpoint(db: Executor, networkId: string, id: string, input: EndpointInput) {
  await assertMerchant(db, input.merchantId);
  const [row] = await db
    .update(incomingEndpoints)
    .set({
      name: input.name,
      merchantId: input.merchantId,
      defaultStatus: input.defaultStatus,
      statusMap: parseStatusMap(input.statusMap),
      ipAllowList: parseIpList(input.ipAllowList),
      rateLimitPerMinute: input.rateLimitPerMinute,
      enabled: input.enabled,
      ...(input.removeSigningSecret ? { signingSecret: null } : input.signingSecret ? { signingSecret: input.signingSecret } : {}),
    })
    .where(and(eq(incomingEndpoints.id, id), eq(incomingEndpoints.networkId, networkId)))
    .returning({ id: incomingEndpoints.id });
  if (!row) throw new AppError("not_found", "No endpoint of your network has this id.");
}

/** A new secret, shown once; the old one stops working at once (within the endpoint cache's few seconds on other instances). */
export async function rotateEndpointSecret(db: Executor, networkId: string, id: string) {
  const secret = generateSecret("whsec");
  const [row] = await db
    .update(incomingEndpoints)
    .set({ secretHash: hashSecret(secret), secretHint: secretHint(secret), secretRotatedAt: new Date() })
    .where(and(eq(incomingEndpoints.id, id), eq(incomingEndpoints.networkId, networkId)))
    .returning({ id: incomingEndpoints.id });
  if (!row) throw new AppError("not_found", "No endpoint of your network has this id.");
  return { id, secret };
}

/** Endpoint settings for the edit form: never the secret's hash nor the signing secret itself. */
export async function getNetworkEndpoint(db: Executor, networkId: string, id: string) {
  const [row] = await db
    .select({ ...publicEndpointColumns, defaultStatus: incomingEndpoints.defaultStatus, rateLimitPerMinute: incomingEndpoints.rateLimitPerMinute, signingSecret: incomingEndpoints.signingSecret })
    .from(incomingEndpoints)
    .where(and(eq(incomingEndpoints.id, id), eq(incomingEndpoints.networkId, networkId)));
  if (!row) return null;
  const { signingSecret, ...rest } = row;
  return { ...rest, hasSigningSecret: Boolean(signingSecret) };
}

export function listMerchants(db: Executor) {
  return db.select({ id: organizations.id, name: organizations.name }).from(organizations).where(eq(organizations.kind, "merchant")).orderBy(asc(organizations.name));
}

/** The merchants a network works with (through its offers or endpoints), with what it runs for each. */
export function listNetworkMerchants(db: Executor, networkId: string) {
  // Drizzle writes a column of a one-table select without its table; inside these subqueries a
  // bare "id" would be the subquery's own, so the merchant's id is named with its table.
  const merchantId = sql`${organizations}.${sql.identifier(organizations.id.name)}`;
  return db
    .select({
      id: organizations.id,
      name: organizations.name,
      offers: sql<number>`(select count(*)::int from offers where offers.merchant_id = ${merchantId} and offers.network_id = ${networkId})`,
      endpoints: sql<number>`(select count(*)::int from incoming_endpoints e where e.merchant_id = ${merchantId} and e.network_id = ${networkId})`,
    })
    .from(organizations)
    .where(
      and(
        eq(organizations.kind, "merchant"),
        sql`(exists (select 1 from offers where offers.merchant_id = ${organizations.id} and offers.network_id = ${networkId}) or exists (select 1 from incoming_endpoints e where e.merchant_id = ${organizations.id} and e.network_id = ${networkId}))`,
      ),
    )
    .orderBy(asc(organizations.name));
}
