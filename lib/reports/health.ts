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
  // Every real attempt of the window in one pass, per destination (null for one with no delivery).
  const [backlog, byHost, paused] = await Promise.all([
    db
      .select({ pending: count(), oldest: sql<Date | null>`min(${deliveries.createdAt})` })
      .from(deliveries)
      .where(eq(deliveries.state, "pending")),
    db
      .select({
        host: sql<string | null>`(case when ${deliveryAttempts.deliveryId} is not null then ${hostOfAttempt} end)`,
        attempts: count(),
        ok: sql<number>`count(*) filter (where ${deliveryAttempts.ok})::int`,
        avgMs: sql<number>`round(avg(${deliveryAttempts.durationMs}))::int`,
        failures: sql<number>`count(*) filter (where not ${deliveryAttempts.ok})::int`,
        lastError: sql<string | null>`max(${deliveryAttempts.errorMessage}) filter (where not ${deliveryAttempts.ok})`,
      })
      .from(deliveryAttempts)
      .where(realAttempts)
      .groupBy(sql`1`),
    db
      .select({ id: outgoingPostbacks.id, name: outgoingPostbacks.name, reason: outgoingPostbacks.pausedReason, failures: outgoingPostbacks.consecutiveFailures, pausedAt: outgoingPostbacks.pausedAt, owner: organizations.name })
      .from(outgoingPostbacks)
      .innerJoin(organizations, eq(organizations.id, outgoingPostbacks.ownerOrgId))
      .where(isNotNull(outgoingPostbacks.pausedAt))
      .orderBy(desc(outgoingPostbacks.pausedAt)),
  ]);
  const oldest = backlog[0].oldest ? new Date(backlog[0].oldest) : null;
  const total = byHost.reduce((sum, h) => sum + h.attempts, 0);
  const ok = byHost.reduce((sum, h) => sum + h.ok, 0);
  const hosts = byHost.filter((h): h is typeof h & { host: string } => h.host !== null);
  const slowest = [...hosts].sort((a, b) => b.avgMs - a.avgMs).slice(0, 5).map(({ host, attempts, avgMs }) => ({ host, attempts, avgMs }));
  const failing = hosts
    .filter((h) => h.failures > 0)
    .sort((a, b) => b.failures - a.failures)
    .slice(0, 5)
    .map(({ host, failures, lastError }) => ({ host, failures, lastError: lastError ?? "" }));
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
