import { and, desc, eq, isNull } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { apiKeys } from "@/db/schema";
import { AppError } from "@/lib/platform/errors";
import { createId } from "@/lib/platform/ids";
import { generateSecret, hashSecret } from "./secrets";

/** A new API key for the leads API, returned this once: only its hash is kept. */
export async function createApiKey(db: Executor, orgId: string, name: string) {
  const key = generateSecret("pk");
  await db.insert(apiKeys).values({ id: createId("apiKey"), orgId, name, prefix: key.slice(0, 7), keyHash: hashSecret(key) });
  return { key };
}

export async function revokeApiKey(db: Executor, orgId: string, id: string) {
  const [row] = await db
    .update(apiKeys)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiKeys.id, id), eq(apiKeys.orgId, orgId), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  if (!row) throw new AppError("not_found", "No active API key of yours has this id.");
}

export function listApiKeys(db: Executor, orgId: string) {
  return db
    .select({ id: apiKeys.id, name: apiKeys.name, prefix: apiKeys.prefix, createdAt: apiKeys.createdAt, revokedAt: apiKeys.revokedAt })
    .from(apiKeys)
    .where(eq(apiKeys.orgId, orgId))
    .orderBy(desc(apiKeys.createdAt));
}
