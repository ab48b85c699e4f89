import { and, count, desc, eq, gte, isNotNull, ne, sql } from "drizzle-orm";
import type { Database, Executor } from "@/db/client";
import { deliveries, deliveryAttempts, organizations, outgoingPostbacks } from "@/db/schema";
import { listPartitions, RETAINED_TABLES, type RetentionSettings, retentionCutoffs, retentionSettingsFromEnv } from "@/lib/platform/retention";

// Each attempt of the window looks up its delivery's host by the primary key: a join would scan
// every delivery ever made to hash it.
const hostOfAttempt = sql<string>`(select ${deliveries.destinationHost} from ${deliveries} where ${deliveries.id} = ${deliveryAttempts.deliveryId})`;

/** Dispatch health for the admin: backlog, success rate, slow and failing destinations, paused postbacks. */
export async function dispatchHealth(db: Executor, windowHours = 24) {
  const since = new Date(Date.now() - windowHours * 3_600_000);
  const realAttempts = and(gte(deliveryAttempts.createdAt, since), ne(deliveryAttempts.trigger, "test"));
  const [backlog, attempts, slowest, failing, paused] = await Promise.all([
    db
      .select({ pending: count(), oldest: sql<Date | null>`min(${deliveries.createdAt})` })
      .from(deliveries)
      .where(eq(deliveries.state, "pending")),
    db
      .select({ total: count(), ok: sql<number>`count(*) filter (where ${deliveryAttempts.ok})::int` })
      .from(deliveryAttempts)
      .where(realAttempts),
    db
      .select({ host: hostOfAttempt, attempts: count(), avgMs: sql<number>`round(avg(${deliveryAttempts.durationMs}))::int` })
      .from(deliveryAttempts)
      .where(and(realAttempts, isNotNull(deliveryAttempts.deliveryId)))
      .groupBy(sql`1`)
      .orderBy(desc(sql`avg(${deliveryAttempts.durationMs})`))
      .limit(5),
    db
      .select({ host: hostOfAttempt, failures: count(), lastError: sql<string>`max(${deliveryAttempts.errorMessage})` })
      .from(deliveryAttempts)
      .where(and(realAttempts, isNotNull(deliveryAttempts.deliveryId), eq(deliveryAttempts.ok, false)))
      .groupBy(sql`1`)
      .orderBy(desc(count()))
      .limit(5),
    db
      .select({ id: outgoingPostbacks.id, name: outgoingPostbacks.name, reason: outgoingPostbacks.pausedReason, pausedAt: outgoingPostbacks.pausedAt, owner: organizations.name })
      .from(outgoingPostbacks)
      .innerJoin(organizations, eq(organizations.id, outgoingPostbacks.ownerOrgId))
      .where(isNotNull(outgoingPostbacks.pausedAt))
      .orderBy(desc(outgoingPostbacks.pausedAt)),
  ]);
  const { total, ok } = attempts[0];
  const oldest = backlog[0].oldest ? new Date(backlog[0].oldest) : null;
  return {
    windowHours,
    pending: backlog[0].pending,
    oldestPendingMinutes: oldest ? Math.round((Date.now() - oldest.getTime()) / 60_000) : null,
    attempts: total,
    successRate: total > 0 ? ok / total : null,
    slowest,
    failing,
    paused,
  };
}

/** Retention for the admin: each table's setting, the time before which its rows go, and its partitions now. */
export async function retentionHealth(db: Database, settings: RetentionSettings = retentionSettingsFromEnv(), now = new Date()) {
  const [partitions, cutoffs] = await Promise.all([listPartitions(db), retentionCutoffs(db, settings, now)]);
  return {
    weeksAhead: settings.weeksAhead,
    tables: RETAINED_TABLES.map((table) => ({ table, days: settings.days[table], dropsBefore: cutoffs[table], partitions: partitions.filter((p) => p.table === table) })),
  };
}
