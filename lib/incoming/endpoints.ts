import { and, asc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { customIssue, localizable } from "@/lib/platform/error-messages";
import type { Executor } from "@/db/client";
import { type IncomingEndpoint, incomingEndpoints, organizations } from "@/db/schema";
import { AppError } from "@/lib/platform/errors";
import { cursorColumn, newestFirst, olderThan, type Page, type Paged } from "@/lib/platform/paging";
import { createId } from "@/lib/platform/ids";
import { addressListIssue } from "./ip-allow-list";
import { assertMerchant } from "@/lib/access/organizations";
import { generateSecret, hashSecret, secretHint } from "@/lib/access/secrets";
import { flag, wholeNumber, wordList } from "@/lib/platform/fields";

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

type PublicEndpoint = Pick<IncomingEndpoint, keyof typeof publicEndpointColumns>;
type MerchantEndpointRow = PublicEndpoint & { networkName: string };
type NetworkEndpointRow = PublicEndpoint & Pick<IncomingEndpoint, "defaultStatus" | "rateLimitPerMinute" | "amountsFromPostback"> & { merchantName: string; hasSigningSecret: boolean };

/** The merchant's endpoints (one of them with `endpointId`). */
export function listMerchantEndpoints(db: Executor, merchantId: string, page: Page): Promise<Paged<MerchantEndpointRow>[]>;
export function listMerchantEndpoints(db: Executor, merchantId: string, page?: undefined, endpointId?: string): Promise<MerchantEndpointRow[]>;
export function listMerchantEndpoints(db: Executor, merchantId: string, page?: Page, endpointId?: string): Promise<Paged<MerchantEndpointRow>[] | MerchantEndpointRow[]> {
  const query = db
    .select({ ...publicEndpointColumns, networkName: organizations.name, ...cursorColumn(incomingEndpoints.createdAt, page) })
    .from(incomingEndpoints)
    .innerJoin(organizations, eq(organizations.id, incomingEndpoints.networkId))
    .where(and(eq(incomingEndpoints.merchantId, merchantId), endpointId ? eq(incomingEndpoints.id, endpointId) : undefined, olderThan(incomingEndpoints.createdAt, incomingEndpoints.id, page?.after)));
  return page ? query.orderBy(...newestFirst(incomingEndpoints.createdAt, incomingEndpoints.id)).limit(page.limit) : query.orderBy(asc(incomingEndpoints.name));
}

/** The network's endpoints with their settings (whether a signing secret is set, never the secret). */
export function listNetworkEndpoints(db: Executor, networkId: string, page: Page): Promise<Paged<NetworkEndpointRow>[]>;
export function listNetworkEndpoints(db: Executor, networkId: string): Promise<NetworkEndpointRow[]>;
export function listNetworkEndpoints(db: Executor, networkId: string, page?: Page): Promise<Paged<NetworkEndpointRow>[] | NetworkEndpointRow[]> {
  const query = db
    .select({
      ...publicEndpointColumns,
      merchantName: organizations.name,
      defaultStatus: incomingEndpoints.defaultStatus,
      rateLimitPerMinute: incomingEndpoints.rateLimitPerMinute,
      amountsFromPostback: incomingEndpoints.amountsFromPostback,
      hasSigningSecret: sql<boolean>`${incomingEndpoints.signingSecret} is not null`,
      ...cursorColumn(incomingEndpoints.createdAt, page),
    })
    .from(incomingEndpoints)
    .innerJoin(organizations, eq(organizations.id, incomingEndpoints.merchantId))
    .where(and(eq(incomingEndpoints.networkId, networkId), olderThan(incomingEndpoints.createdAt, incomingEndpoints.id, page?.after)));
  return page ? query.orderBy(...newestFirst(incomingEndpoints.createdAt, incomingEndpoints.id)).limit(page.limit) : query.orderBy(asc(incomingEndpoints.name));
}

/** The URL a merchant's server calls for this endpoint. */
export function endpointPath(endpointId: string): string {
  return `/api/postback/${endpointId}`;
}

const STATUS_TARGETS = ["lead", "approved", "rejected", "hold", "ignore"] as const;
type StatusTarget = (typeof STATUS_TARGETS)[number];

/** "word = status" lines, as the form's textarea sends them, or an object of words and statuses (the API). */
const statusMapField = z
  .unknown()
  .transform((value, ctx) => {
    const pairs =
      typeof value === "string"
        ? value.split(/\r?\n|,/).filter((line) => line.trim()).map((line) => [line, ...line.split("=")])
        : value && typeof value === "object" && !Array.isArray(value)
          ? Object.entries(value).map(([word, target]) => [`${word}: ${String(target)}`, word, String(target)])
          : value === null || value === undefined
            ? []
            : null;
    if (!pairs || pairs.join().length > 4000) {
      ctx.addIssue(customIssue("errors.form.statusMapFormat"));
      return z.NEVER;
    }
    const map: Record<string, StatusTarget> = {};
    for (const [shown, rawWord, rawTarget, extra] of pairs) {
      const word = rawWord?.trim().toLowerCase();
      const target = rawTarget?.trim().toLowerCase();
      if (!word || !target || extra !== undefined || !(STATUS_TARGETS as readonly string[]).includes(target)) {
        ctx.addIssue(customIssue("errors.form.statusMapLine", { line: shown.trim(), statuses: STATUS_TARGETS.join(", ") }));
        return z.NEVER;
      }
      map[word] = target as StatusTarget;
    }
    return map;
  })
  .meta({
    override: {
      type: ["object", "string"],
      additionalProperties: { type: "string", enum: [...STATUS_TARGETS] },
      description: "The merchant's status words and what each means, or \"word = status\" lines.",
    },
  });

/** Addresses and CIDR ranges, one per line or comma (the form), or an array (the API). */
const ipListField = wordList(500).transform((entries, ctx) => {
  const issue = addressListIssue(entries);
  if (issue) ctx.addIssue(issue);
  return entries;
});

export const endpointInputSchema = z.object({
  name: z.string().trim().min(1, localizable("errors.form.endpointName")).max(100),
  merchantId: z.string().min(1, localizable("errors.access.pickMerchant")).max(64),
  defaultStatus: z.enum(["lead", "approved", "rejected", "hold"]).default("approved"),
  statusMap: statusMapField.default({}),
  ipAllowList: ipListField.default([]),
  rateLimitPerMinute: wholeNumber(1, 100_000, { min: localizable("errors.form.ratePerMinute") }).default(600),
  /** Whether a payout or revenue in the merchant's postback sets the conversion's (or the offer's goals and payout rules always do). */
  amountsFromPostback: flag.default(true),
  /** Blank keeps the stored one (on update); `removeSigningSecret` clears it. */
  signingSecret: z.preprocess((v) => (v === null ? undefined : v), z.string().max(200).optional()).transform((v) => v || null),
  removeSigningSecret: flag.default(false),
  enabled: flag.default(true),
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
    statusMap: input.statusMap,
    ipAllowList: input.ipAllowList,
    rateLimitPerMinute: input.rateLimitPerMinute,
    amountsFromPostback: input.amountsFromPostback,
    signingSecret: input.signingSecret,
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
      statusMap: input.statusMap,
      ipAllowList: input.ipAllowList,
      rateLimitPerMinute: input.rateLimitPerMinute,
      amountsFromPostback: input.amountsFromPostback,
      enabled: input.enabled,
      ...(input.removeSigningSecret ? { signingSecret: null } : input.signingSecret ? { signingSecret: input.signingSecret } : {}),
    })
    .where(and(eq(incomingEndpoints.id, id), eq(incomingEndpoints.networkId, networkId)))
    .returning({ id: incomingEndpoints.id });
  if (!row) throw new AppError("not_found", "errors.notFound.networkEndpoint");
}

/** A new secret, shown once; the old one stops working at once (within the endpoint cache's few seconds on other instances). */
export async function rotateEndpointSecret(db: Executor, networkId: string, id: string) {
  const secret = generateSecret("whsec");
  const [row] = await db
    .update(incomingEndpoints)
    .set({ secretHash: hashSecret(secret), secretHint: secretHint(secret), secretRotatedAt: new Date() })
    .where(and(eq(incomingEndpoints.id, id), eq(incomingEndpoints.networkId, networkId)))
    .returning({ id: incomingEndpoints.id });
  if (!row) throw new AppError("not_found", "errors.notFound.networkEndpoint");
  return { id, secret };
}

/** Endpoint settings for the edit form: never the secret's hash nor the signing secret itself. */
export async function getNetworkEndpoint(db: Executor, networkId: string, id: string) {
  const [row] = await db
    .select({
      ...publicEndpointColumns,
      defaultStatus: incomingEndpoints.defaultStatus,
      rateLimitPerMinute: incomingEndpoints.rateLimitPerMinute,
      amountsFromPostback: incomingEndpoints.amountsFromPostback,
      signingSecret: incomingEndpoints.signingSecret,
    })
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
