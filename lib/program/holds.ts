import { and, asc, eq, lte, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { conversions } from "@/db/schema";
import { changeStatus } from "@/lib/conversions/conversions";
import type { QueuedDelivery } from "@/lib/outgoing/deliveries";

/**
 * Approves one held conversion whose hold period is over, through the same pipeline as a
 * merchant's approval (its event and deliveries in one transaction). Nothing happens when it was
 * rejected meanwhile, or is not yet due: a rejection is what cancels a hold.
 */
export async function approveHeldConversion(db: Database, conversionId: string): Promise<{ approved: boolean; deliveries: QueuedDelivery[] }> {
  return db.transaction(async (tx) => {
    const [held] = await tx
      .select()
      .from(conversions)
      .where(and(eq(conversions.id, conversionId), eq(conversions.status, "hold"), lte(conversions.holdUntil, sql`now()`)))
      .for("update", { skipLocked: true });
    if (!held) return { approved: false, deliveries: [] };
    const outcome = await changeStatus(tx, held, { to: "approved", context: { source: "hold_expiry", originalStatus: held.originalStatus } });
    return { approved: outcome.result === "accepted", deliveries: outcome.deliveries };
  });
}

/** Held conversions whose time has come, oldest first (the safety net after a restart). */
export async function findDueHolds(db: Database, limit = 500): Promise<string[]> {
  const rows = await db
    .select({ id: conversions.id })
    .from(conversions)
    .where(and(eq(conversions.status, "hold"), lte(conversions.holdUntil, sql`now()`)))
    .orderBy(asc(conversions.holdUntil))
    .limit(limit);
  return rows.map((r) => r.id);
}
