import { type AnyColumn, and, eq, gte, inArray, lte, sql, type SQL } from "drizzle-orm";
import type { Database, Executor } from "@/db/client";
import { clicks, conversions, organizations, statsClicksDaily, statsClicksOpen, statsConversionsDaily, statsRollupProgress, statsStale } from "@/db/schema";

/*
 * Stats rollups: clicks and conversions per organization and day (in its time zone), offer,
 * affiliate, goal and status, so that a Stats page reads a year of past days as a few hundred rows.
 *
 * - Each network and affiliate has a progress row: every day up to `rolled_through`, counted in its
 *   `time_zone`, is in the rollups. A day is rolled once it has been over for ROLLUP_GRACE, a bound
 *   on how long a writing transaction takes; later days are counted from raw rows by the pages.
 * - Rows written, changed or removed when their day may already be rolled (a late status change, a
 *   backdated click or conversion) leave a marker in `stats_stale` (triggers in the 0011 migration);
 *   pages count such days from raw rows, and `refreshStaleDays` recomputes them and deletes the
 *   markers in one transaction, so a page never sees a refreshed day twice or a stale day as fresh.
 *   Retention dropping old clicks leaves no marker: their days keep their counts.
 * - Slices are recomputed whole (delete, then INSERT … SELECT … GROUP BY), never incremented: the
 *   answer is the raw rows' whatever order the changes came in.
 * - The open day's clicks (a busy network's hundreds of thousands) are counted up to a recent
 *   quarter hour into `stats_clicks_open`, under that instant; pages add the clicks since it from
 *   raw rows. Its conversions, far fewer, are read raw.
 * - A new time zone rebuilds the organization's rollups from its raw rows. Clicks that retention
 *   has dropped by then are no longer counted on their days; conversions are kept, so they are.
 */

/** How long after its end a day is rolled up: no writing transaction stays open that long. */
export const ROLLUP_GRACE = "10 minutes";
/** The open day's clicks are counted again when a new step of this many seconds has passed (and ROLLUP_GRACE after it). */
export const OPEN_STEP_SECONDS = 15 * 60;
/** Markers refreshed per transaction. */
const STALE_BATCH = 2000;
/** One run at a time across instances; a second one skips. */
const LOCK = sql`pg_try_advisory_xact_lock(hashtext('postline:stats-rollups'))`;

export type RollupOrg = { id: string; kind: "network" | "affiliate"; timeZone: string };
type Kind = "clicks" | "conversions";

/** An organization's raw rows: a network's traffic, or an affiliate's across its networks. */
export function ownRows(org: Pick<RollupOrg, "id" | "kind">) {
  return org.kind === "network"
    ? { clicks: eq(clicks.networkId, org.id), conversions: eq(conversions.networkId, org.id) }
    : { clicks: eq(clicks.affiliateId, org.id), conversions: eq(conversions.affiliateId, org.id) };
}

/** `created_at` within the days `from`..`through` (both included) of `zone`, as a half-open instant range an index serves. */
export function withinDays(column: AnyColumn, from: string, through: string, zone: string): SQL {
  return sql`(${column} >= (${from}::date)::timestamp at time zone ${zone} and ${column} < ((${through}::date + 1)::timestamp at time zone ${zone}))`;
}

async function tryLock(tx: Executor): Promise<boolean> {
  const [row] = await tx.select({ got: sql<boolean>`${LOCK}` }).from(sql`(values (1)) as one`);
  return row.got;
}

/** Recomputes `kind` of an organization's days `from`..`through` from raw rows. */
async function recompute(tx: Executor, org: RollupOrg, kind: Kind, from: string, through: string) {
  const own = ownRows(org);
  const day = (column: AnyColumn) => sql<string>`(${column} at time zone ${org.timeZone})::date`;
  if (kind === "clicks") {
    await tx.delete(statsClicksDaily).where(and(eq(statsClicksDaily.orgId, org.id), gte(statsClicksDaily.day, from), lte(statsClicksDaily.day, through)));
    await tx.insert(statsClicksDaily).select(
      tx
        .select({ orgId: sql<string>`${org.id}::text`.as("org_id"), day: day(clicks.createdAt).as("day"), offerId: clicks.offerId, affiliateId: clicks.affiliateId, clicks: sql<number>`count(*)::int`.as("clicks") })
        .from(clicks)
        .where(and(own.clicks, withinDays(clicks.createdAt, from, through, org.timeZone)))
        .groupBy(sql`2`, clicks.offerId, clicks.affiliateId),
    );
    return;
  }
  await tx.delete(statsConversionsDaily).where(and(eq(statsConversionsDaily.orgId, org.id), gte(statsConversionsDaily.day, from), lte(statsConversionsDaily.day, through)));
  await tx.insert(statsConversionsDaily).select(
    tx
      .select({
        orgId: sql<string>`${org.id}::text`.as("org_id"),
        day: day(conversions.createdAt).as("day"),
        offerId: conversions.offerId,
        affiliateId: conversions.affiliateId,
        goalKey: conversions.goalKey,
        status: sql<string>`${conversions.status}::text`.as("status"),
        conversions: sql<number>`count(*)::int`.as("conversions"),
        payout: sql<string>`sum(${conversions.payout})`.as("payout"),
        revenue: sql<string>`sum(${conversions.revenue})`.as("revenue"),
      })
      .from(conversions)
      .where(and(own.conversions, withinDays(conversions.createdAt, from, through, org.timeZone)))
      .groupBy(sql`2`, conversions.offerId, conversions.affiliateId, conversions.goalKey, conversions.status),
  );
}

/**
 * Rolls every network's and affiliate's closed days into the rollups: from the day after its last
 * rolled one, or from its first row when it has none yet or its time zone changed. One transaction
 * per organization. Returns how many organizations moved on, or null when another run holds the lock.
 */
export async function rollClosedDays(db: Database): Promise<number | null> {
  const closedThrough = sql`(((now() - ${ROLLUP_GRACE}::interval) at time zone ${organizations.timeZone})::date - 1)`;
  const due = await db
    .select({
      id: organizations.id,
      kind: sql<RollupOrg["kind"]>`${organizations.kind}::text`,
      timeZone: organizations.timeZone,
      rolledZone: statsRollupProgress.timeZone,
      rolledThrough: sql<string | null>`${statsRollupProgress.rolledThrough}::text`,
      closedThrough: sql<string>`${closedThrough}::text`,
    })
    .from(organizations)
    .leftJoin(statsRollupProgress, eq(statsRollupProgress.orgId, organizations.id))
    .where(
      and(
        inArray(organizations.kind, ["network", "affiliate"]),
        sql`(${statsRollupProgress.orgId} is null or ${statsRollupProgress.timeZone} <> ${organizations.timeZone} or ${statsRollupProgress.rolledThrough} < ${closedThrough})`,
      ),
    );
  let moved = 0;
  for (const org of due) {
    const done = await db.transaction(async (tx) => {
      if (!(await tryLock(tx))) return false;
      const rebuild = org.rolledZone !== org.timeZone || org.rolledThrough === null;
      let from = org.rolledThrough === null ? null : nextDay(org.rolledThrough);
      if (rebuild) {
        await tx.delete(statsClicksDaily).where(eq(statsClicksDaily.orgId, org.id));
        await tx.delete(statsConversionsDaily).where(eq(statsConversionsDaily.orgId, org.id));
        from = await firstDay(tx, org);
      }
      if (from !== null && from <= org.closedThrough) {
        await recompute(tx, org, "clicks", from, org.closedThrough);
        await recompute(tx, org, "conversions", from, org.closedThrough);
      }
      await tx
        .insert(statsRollupProgress)
        .values({ orgId: org.id, timeZone: org.timeZone, rolledThrough: org.closedThrough })
        .onConflictDoUpdate({
          target: statsRollupProgress.orgId,
          // Open-day counts made in another zone count other days.
          set: { timeZone: org.timeZone, rolledThrough: org.closedThrough, updatedAt: sql`now()`, ...(rebuild ? { clicksOpenUntil: null } : {}) },
        });
      return true;
    });
    if (!done) return null;
    moved++;
  }
  return moved;
}

/** The first day (in the organization's zone) of any of its clicks or conversions; null when it has none. */
async function firstDay(tx: Executor, org: RollupOrg): Promise<string | null> {
  const own = ownRows(org);
  const [row] = await tx
    .select({
      day: sql<string | null>`(least((select min(${clicks.createdAt}) from ${clicks} where ${own.clicks}), (select min(${conversions.createdAt}) from ${conversions} where ${own.conversions})) at time zone ${org.timeZone})::date::text`,
    })
    .from(sql`(values (1)) as one`);
  return row.day;
}

const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/**
 * Recomputes the rolled days that markers point at (both parties' days of each changed row), then
 * deletes exactly the markers it read, in the same transaction; a marker written meanwhile waits for
 * the next run. Returns how many markers it cleared, or null when another run holds the lock.
 */
export async function refreshStaleDays(db: Database): Promise<number | null> {
  let cleared = 0;
  for (;;) {
    const batch = await db.transaction(async (tx) => {
      if (!(await tryLock(tx))) return null;
      const markers = await tx.select({ id: statsStale.id }).from(statsStale).orderBy(statsStale.id).limit(STALE_BATCH);
      if (markers.length === 0) return 0;
      const ids = markers.map((m) => m.id);
      const markerDay = sql<string>`((${statsStale.at} at time zone ${statsRollupProgress.timeZone})::date)`;
      const slices = await tx
        .selectDistinct({
          id: statsRollupProgress.orgId,
          kind: sql<RollupOrg["kind"]>`${organizations.kind}::text`,
          timeZone: statsRollupProgress.timeZone,
          what: sql<Kind>`${statsStale.kind}`,
          day: sql<string>`${markerDay}::text`,
        })
        .from(statsStale)
        .innerJoin(statsRollupProgress, sql`${statsRollupProgress.orgId} in (${statsStale.networkId}, ${statsStale.affiliateId})`)
        .innerJoin(organizations, eq(organizations.id, statsRollupProgress.orgId))
        .where(and(inArray(statsStale.id, ids), sql`${markerDay} <= ${statsRollupProgress.rolledThrough}`));
      for (const slice of slices) await recompute(tx, slice, slice.what, slice.day, slice.day);
      // A backdated click on a day not rolled yet, before the open-day counts' instant: they are
      // wrong, and pages count those days raw until rollOpenClicks counts them again.
      await tx
        .update(statsRollupProgress)
        .set({ clicksOpenUntil: null })
        .where(
          sql`${statsRollupProgress.clicksOpenUntil} is not null and exists (select 1 from ${statsStale} where ${inArray(statsStale.id, ids)} and ${statsStale.kind} = 'clicks'
            and ${statsRollupProgress.orgId} in (${statsStale.networkId}, ${statsStale.affiliateId}) and ${statsStale.at} < ${statsRollupProgress.clicksOpenUntil}
            and (${statsStale.at} at time zone ${statsRollupProgress.timeZone})::date > ${statsRollupProgress.rolledThrough})`,
        );
      await tx.delete(statsStale).where(inArray(statsStale.id, ids));
      return ids.length;
    });
    if (batch === null) return cleared > 0 ? cleared : null;
    cleared += batch;
    if (batch < STALE_BATCH) return cleared;
  }
}

/**
 * Counts each organization's clicks of the days after its rolled ones, up to the last step
 * (OPEN_STEP_SECONDS) that ended ROLLUP_GRACE ago, into `stats_clicks_open` under that instant,
 * and names it in the progress row; counts older than an hour before it are removed. Returns how
 * many organizations were counted, or null when another run holds the lock.
 */
export async function rollOpenClicks(db: Database): Promise<number | null> {
  const cutoff = sql`to_timestamp(floor(extract(epoch from now() - ${ROLLUP_GRACE}::interval) / ${OPEN_STEP_SECONDS}) * ${OPEN_STEP_SECONDS})`;
  const openFrom = sql`((${statsRollupProgress.rolledThrough} + 1)::timestamp at time zone ${statsRollupProgress.timeZone})`;
  const due = await db
    .select({
      id: statsRollupProgress.orgId,
      kind: sql<RollupOrg["kind"]>`${organizations.kind}::text`,
      timeZone: statsRollupProgress.timeZone,
      openFrom: sql<string>`${openFrom}::text`,
      cutoff: sql<string>`${cutoff}::text`,
    })
    .from(statsRollupProgress)
    .innerJoin(organizations, eq(organizations.id, statsRollupProgress.orgId))
    .where(
      and(
        eq(organizations.timeZone, statsRollupProgress.timeZone),
        sql`${cutoff} > ${openFrom} and ${statsRollupProgress.clicksOpenUntil} is distinct from ${cutoff}`,
      ),
    );
  let counted = 0;
  for (const org of due) {
    const done = await db.transaction(async (tx) => {
      if (!(await tryLock(tx))) return false;
      const until = sql`${org.cutoff}::timestamptz`;
      await tx.delete(statsClicksOpen).where(and(eq(statsClicksOpen.orgId, org.id), sql`(${statsClicksOpen.until} = ${until} or ${statsClicksOpen.until} < ${until} - interval '1 hour')`));
      await tx.insert(statsClicksOpen).select(
        tx
          .select({
            orgId: sql<string>`${org.id}::text`.as("org_id"),
            until: sql<string>`${until}`.as("until"),
            day: sql<string>`(${clicks.createdAt} at time zone ${org.timeZone})::date`.as("day"),
            offerId: clicks.offerId,
            affiliateId: clicks.affiliateId,
            clicks: sql<number>`count(*)::int`.as("clicks"),
          })
          .from(clicks)
          .where(and(ownRows(org).clicks, sql`${clicks.createdAt} >= ${org.openFrom}::timestamptz and ${clicks.createdAt} < ${until}`))
          .groupBy(sql`3`, clicks.offerId, clicks.affiliateId),
      );
      await tx.update(statsRollupProgress).set({ clicksOpenUntil: sql`${until}` }).where(eq(statsRollupProgress.orgId, org.id));
      return true;
    });
    if (!done) return null;
    counted++;
  }
  return counted;
}

/** One run of the rollup job: closed days first, then the days late changes touched, then the open day's clicks. */
export async function runStatsRollup(db: Database): Promise<{ organizations: number | null; staleMarkers: number | null; openClicks: number | null }> {
  const rolled = await rollClosedDays(db);
  const refreshed = await refreshStaleDays(db);
  const open = await rollOpenClicks(db);
  return { organizations: rolled, staleMarkers: refreshed, openClicks: open };
}
