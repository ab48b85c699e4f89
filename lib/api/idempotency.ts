import { createHash } from "node:crypto";
import { and, eq, lt, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { apiIdempotencyKeys } from "@/db/schema";
import { AppError } from "@/lib/platform/errors";

const KEPT_HOURS = 24;
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

export type StoredAnswer = { status: number; body: unknown };

/**
 * `Idempotency-Key` on a POST: the first request with a key runs and its answer is kept a day; a
 * repeat with the same key and body gets that answer again without running; the same key with
 * another body, or while the first is still running, is a 409. Only a success is kept: a refused
 * request (bad input, a conflict, our own failure) changed nothing, so its retry runs again.
 */
export async function withIdempotency(
  db: Database,
  scope: { apiKeyId: string; key: string; fingerprint: string },
  run: () => Promise<StoredAnswer>,
  /** What of the answer is kept for a repeat (the answer without its secrets). */
  keep: (body: unknown) => unknown = (body) => body,
): Promise<StoredAnswer & { replayed: boolean }> {
  if (!KEY_PATTERN.test(scope.key)) {
    throw new AppError("invalid_input", "errors.api.idempotencyKeyInvalid", { field: "Idempotency-Key", detailCode: "invalid_idempotency_key" });
  }
  const requestHash = createHash("sha256").update(scope.fingerprint).digest("hex");
  const where = and(eq(apiIdempotencyKeys.apiKeyId, scope.apiKeyId), eq(apiIdempotencyKeys.key, scope.key));
  await db.delete(apiIdempotencyKeys).where(and(where, lt(apiIdempotencyKeys.createdAt, sql`now() - make_interval(hours => ${KEPT_HOURS})`)));
  const claimed = await db
    .insert(apiIdempotencyKeys)
    .values({ apiKeyId: scope.apiKeyId, key: scope.key, requestHash })
    .onConflictDoNothing()
    .returning({ key: apiIdempotencyKeys.key });

  if (claimed.length === 0) {
    const [earlier] = await db.select().from(apiIdempotencyKeys).where(where);
    if (!earlier) throw new AppError("conflict", "errors.api.idempotencyKeyReleased", { detailCode: "idempotency_key_in_use" });
    if (earlier.requestHash !== requestHash) {
      throw new AppError("conflict", "errors.api.idempotencyKeyReused", {
        field: "Idempotency-Key",
        detailCode: "idempotency_key_reused",
      });
    }
    if (earlier.status === null) {
      throw new AppError("conflict", "errors.api.idempotencyKeyRunning", {
        field: "Idempotency-Key",
        detailCode: "idempotency_key_in_use",
      });
    }
    return { status: earlier.status, body: earlier.body, replayed: true };
  }

  let answer: StoredAnswer;
  try {
    answer = await run();
  } catch (error) {
    await db.delete(apiIdempotencyKeys).where(where);
    throw error;
  }
  await db.update(apiIdempotencyKeys).set({ status: answer.status, body: keep(answer.body) }).where(where);
  return { ...answer, replayed: false };
}

/** Keys older than a day are only dead weight: swept now and then by the API's own requests. */
export async function sweepIdempotencyKeys(db: Database) {
  await db.delete(apiIdempotencyKeys).where(lt(apiIdempotencyKeys.createdAt, sql`now() - make_interval(hours => ${KEPT_HOURS})`));
}
