import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { getEnv } from "./env";

/*
 * Retention: clicks, the incoming log and delivery attempts are partitioned by week of
 * `created_at` (db/migrations/0013). A scheduled run makes the weeks ahead and drops each
 * partition whose whole week is older than the table's retention: a partition goes at once, with
 * no row-by-row delete, so nothing bloats and no long lock is held. Conversions, their events and
 * deliveries are never partitioned nor dropped; a conversion keeps what it needs of its click.
 */

export const RETAINED_TABLES = ["clicks", "incoming_postback_log", "delivery_attempts"] as const;
export type RetainedTable = (typeof RETAINED_TABLES)[number];

export type RetentionSettings = {
  /** Days each table keeps its rows (at least; a week's partition goes when its last day is past). */
  days: Record<RetainedTable, number>;
  /** Weeks made ahead of the current one, so that writes never wait for a run. */
  weeksAhead: number;
};

export function retentionSettingsFromEnv(): RetentionSettings {
  const env = getEnv();
  return {
    days: { clicks: env.RETENTION_CLICKS_DAYS, incoming_postback_log: env.RETENTION_INCOMING_LOG_DAYS, delivery_attempts: env.RETENTION_DELIVERY_ATTEMPTS_DAYS },
    weeksAhead: env.RETENTION_WEEKS_AHEAD,
  };
}

export type Partition = {
  table: RetainedTable;
  name: string;
  /** Null for the partition of everything before (the table as it was before partitioning). */
  from: Date | null;
  to: Date;
  /** The planner's estimate, as of the last analyze. */
  rows: number;
  bytes: number;
  /** A detach that a crash interrupted: the next run finishes it. */
  pending: boolean;
};

const WEEK_MS = 7 * 86_400_000;

/** Monday 00:00 UTC of the week `at` falls in. */
export function weekStart(at: Date): Date {
  const day = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  return new Date(day.getTime() - ((day.getUTCDay() + 6) % 7) * 86_400_000);
}

function partitionName(table: RetainedTable, from: Date): string {
  return `${table}_w${from.toISOString().slice(0, 10).replaceAll("-", "")}`;
}

/** The partitions of the retained tables, oldest first, with their ranges read from the catalog. */
export async function listPartitions(db: Database): Promise<Partition[]> {
  const bound = (side: "FROM" | "TO") =>
    sql.raw(`extract(epoch from (regexp_match(pg_get_expr(c.relpartbound, c.oid), '${side} \\(''([^'']+)''\\)'))[1]::timestamptz)::float8 * 1000`);
  const result = await db.execute(sql`
    select p.relname as "table", c.relname as "name", ${bound("FROM")} as "fromMs", ${bound("TO")} as "toMs",
      greatest(c.reltuples, 0)::float8 as "rows", pg_total_relation_size(c.oid)::float8 as "bytes", i.inhdetachpending as "pending"
    from pg_inherits i
    join pg_class c on c.oid = i.inhrelid
    join pg_class p on p.oid = i.inhparent
    where c.relkind = 'r' and p.relnamespace = current_schema()::regnamespace
      and p.relname in (${sql.join(RETAINED_TABLES.map((t) => sql`${t}`), sql`, `)})
    order by 1, 4 nulls first`);
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as {
    table: RetainedTable; name: string; fromMs: number | null; toMs: number; rows: number; bytes: number; pending: boolean;
  }[];
  return rows.map((r) => ({
    table: r.table,
    name: r.name,
    from: r.fromMs === null ? null : new Date(Number(r.fromMs)),
    to: new Date(Number(r.toMs)),
    rows: Number(r.rows),
    bytes: Number(r.bytes),
    pending: r.pending,
  }));
}

/**
 * Until when each table's rows may go: its retention before `now`, and for clicks no later than
 * the longest click lifetime of any offer (a click that can still convert is kept).
 */
export async function retentionCutoffs(db: Database, settings: RetentionSettings, now: Date): Promise<Record<RetainedTable, Date>> {
  const result = await db.execute(sql`select coalesce(max(click_lifetime_hours), 0)::int as "hours" from offers`);
  const [{ hours }] = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { hours: number }[];
  const before = (days: number) => new Date(now.getTime() - days * 86_400_000);
  return {
    clicks: new Date(Math.min(before(settings.days.clicks).getTime(), now.getTime() - Number(hours) * 3_600_000)),
    incoming_postback_log: before(settings.days.incoming_postback_log),
    delivery_attempts: before(settings.days.delivery_attempts),
  };
}

export type MaintenanceResult = { created: string[]; dropped: string[] };

/**
 * One scheduled run: makes the current week and `weeksAhead` after it where no partition covers
 * them, and drops every partition that ends before its table's cutoff. Safe to run twice at once
 * (serverless cold starts, a cron and a boot): each step is idempotent, and a step a concurrent
 * run already did is skipped.
 */
export async function maintainPartitions(db: Database, settings: RetentionSettings, now = new Date()): Promise<MaintenanceResult> {
  const created: string[] = [];
  const dropped: string[] = [];
  const cutoffs = await retentionCutoffs(db, settings, now);
  const current = weekStart(now).getTime();
  for (const table of RETAINED_TABLES) {
    const partitions = (await listPartitions(db)).filter((p) => p.table === table);
    for (let week = 0; week <= settings.weeksAhead; week++) {
      const from = new Date(current + week * WEEK_MS);
      const to = new Date(from.getTime() + WEEK_MS);
      const covered = partitions.some((p) => (p.from === null || p.from < to) && p.to > from);
      if (covered) continue;
      if (await createPartition(db, table, from, to)) created.push(partitionName(table, from));
    }
    for (const partition of partitions) {
      if (partition.to > cutoffs[table]) continue;
      if (await dropPartition(db, table, partition)) dropped.push(partition.name);
    }
  }
  return { created, dropped };
}

/**
 * Made apart, then attached: ATTACH takes a lock that lets reads and writes of the table go on
 * (CREATE … PARTITION OF would stop them for its duration); the empty table is checked at once
 * and gets the table's indexes, key and triggers. False when a concurrent run made it first.
 */
async function createPartition(db: Database, table: RetainedTable, from: Date, to: Date): Promise<boolean> {
  const name = sql.identifier(partitionName(table, from));
  const parent = sql.identifier(table);
  try {
    await db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`postline:partition:${table}`}))`);
      await tx.execute(sql`create table ${name} (like ${parent} including defaults including constraints)`);
      await tx.execute(sql`alter table ${parent} attach partition ${name} for values from (${sql.raw(`'${from.toISOString()}'`)}) to (${sql.raw(`'${to.toISOString()}'`)})`);
    });
    return true;
  } catch (error) {
    if (isAlreadyDone(error)) return false;
    throw error;
  }
}

/**
 * Detached CONCURRENTLY on PostgreSQL (writes to the other partitions never wait), then dropped
 * alone. A detach a crash left half done is finished first.
 */
async function dropPartition(db: Database, table: RetainedTable, partition: Partition): Promise<boolean> {
  const name = sql.identifier(partition.name);
  const parent = sql.identifier(table);
  try {
    if (partition.pending) await db.execute(sql`alter table ${parent} detach partition ${name} finalize`);
    else await db.execute(sql`alter table ${parent} detach partition ${name} concurrently`);
    await db.execute(sql`drop table if exists ${name}`);
    return true;
  } catch (error) {
    if (isAlreadyDone(error)) return false;
    throw error;
  }
}

// What a concurrent run's step leaves behind: the table exists, or is no longer a partition.
const ALREADY_DONE = new Set(["42P07", "42P16", "42P01", "55000"]);

function isAlreadyDone(error: unknown): boolean {
  const code = (error as { code?: string; cause?: { code?: string } }).cause?.code ?? (error as { code?: string }).code;
  return code !== undefined && ALREADY_DONE.has(code);
}
