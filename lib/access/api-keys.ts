import { and, desc, eq, gt, isNull, or, sql } from "drizzle-orm";
import { z } from "zod";
import { localizable } from "@/lib/platform/error-messages";
import type { Executor } from "@/db/client";
import { apiKeys, type MemberRole, type OrgKind, organizations } from "@/db/schema";
import { AppError } from "@/lib/platform/errors";
import { createId } from "@/lib/platform/ids";
import { generateSecret, hashSecret } from "./secrets";

export const apiKeyInputSchema = z.object({
  name: z.string().trim().min(1, localizable("errors.form.keyName")).max(100),
  access: z.enum(["read", "write"]).default("write"),
  /** A date (YYYY-MM-DD) the key stops working at the start of, in UTC; empty for never. */
  expiresOn: z
    .string()
    .trim()
    .optional()
    .transform((v) => v || undefined)
    .pipe(z.iso.date(localizable("errors.form.keyExpiry")).optional())
    .refine((v) => !v || Date.parse(v) > Date.now(), localizable("errors.form.futureDate")),
});
export type ApiKeyInput = z.output<typeof apiKeyInputSchema>;

/** A new API key, returned this once: only its hash is kept. */
export async function createApiKey(db: Executor, orgId: string, input: ApiKeyInput) {
  const key = generateSecret("pk");
  await db.insert(apiKeys).values({
    id: createId("apiKey"),
    orgId,
    name: input.name,
    access: input.access,
    expiresAt: input.expiresOn ? new Date(`${input.expiresOn}T00:00:00Z`) : null,
    prefix: key.slice(0, 7),
    keyHash: hashSecret(key),
  });
  return { key };
}

export async function revokeApiKey(db: Executor, orgId: string, id: string) {
  const [row] = await db
    .update(apiKeys)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiKeys.id, id), eq(apiKeys.orgId, orgId), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  if (!row) throw new AppError("not_found", "errors.notFound.apiKey");
}

export function listApiKeys(db: Executor, orgId: string) {
  return db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      prefix: apiKeys.prefix,
      access: apiKeys.access,
      expiresAt: apiKeys.expiresAt,
      lastUsedAt: apiKeys.lastUsedAt,
      createdAt: apiKeys.createdAt,
      revokedAt: apiKeys.revokedAt,
    })
    .from(apiKeys)
    .where(eq(apiKeys.orgId, orgId))
    .orderBy(desc(apiKeys.createdAt));
}

/** Who an API key acts as: its organization, with the role its access gives (a read key is a viewer). */
export type ApiKeyPrincipal = { apiKeyId: string; orgId: string; orgKind: OrgKind; role: MemberRole };

// `last_used_at` is written at most once a minute per key, so a busy client costs no write per request.
const LAST_USED_PRECISION = sql`now() - interval '1 minute'`;

/**
 * The key's principal, or null for an unknown, revoked or expired key or a disabled organization.
 * One statement: it reads the key and, when it is stale, stamps its last use.
 */
export async function authenticateApiKey(db: Executor, key: string): Promise<ApiKeyPrincipal | null> {
  const [row] = await db
    .select({ apiKeyId: apiKeys.id, orgId: apiKeys.orgId, orgKind: organizations.kind, access: apiKeys.access, lastUsedAt: apiKeys.lastUsedAt })
    .from(apiKeys)
    .innerJoin(organizations, eq(organizations.id, apiKeys.orgId))
    .where(
      and(
        eq(apiKeys.keyHash, hashSecret(key)),
        isNull(apiKeys.revokedAt),
        isNull(organizations.disabledAt),
        or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, sql`now()`)),
      ),
    )
    .limit(1);
  if (!row) return null;
  if (!row.lastUsedAt || row.lastUsedAt.getTime() < Date.now() - 60_000) {
    await db
      .update(apiKeys)
      .set({ lastUsedAt: sql`now()` })
      .where(and(eq(apiKeys.id, row.apiKeyId), or(isNull(apiKeys.lastUsedAt), sql`${apiKeys.lastUsedAt} < ${LAST_USED_PRECISION}`)));
  }
  return { apiKeyId: row.apiKeyId, orgId: row.orgId, orgKind: row.orgKind, role: row.access === "read" ? "viewer" : "member" };
}

/** The key a request carries: `Authorization: Bearer <key>`. */
export function bearerKey(request: Request): string | undefined {
  return request.headers.get("authorization")?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
}
