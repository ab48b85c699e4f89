import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { dispatchSettingsFromEnv } from "@/lib/outgoing/delivery-attempts";
import { startEmbeddedDispatcher } from "@/lib/outgoing/embedded-dispatcher";
import { refreshStaleDays } from "@/lib/reports/rollups";
import { dailyStats, parseStatsRange } from "@/lib/reports/stats";
import { rowsOf, testDriver, useFreshProcessDatabase } from "../helpers/test-db";
import { createWorld, sessionUserFor } from "../helpers/world";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await useFreshProcessDatabase();
});
afterAll(() => handle.close());

const one = async <T>(query: ReturnType<typeof sql>) => rowsOf<T>(await handle.db.execute(query))[0];
const staleOf = async (orgId: string) => (await one<{ n: number }>(sql`select count(*)::int as n from stats_stale where network_id = ${orgId}`)).n;
const rolledClicks = async (orgId: string) => (await one<{ n: number }>(sql`select coalesce(sum(clicks), 0)::int as n from stats_clicks_daily where org_id = ${orgId}`)).n;

describe(`the stats rollup job on ${testDriver}`, () => {
  it("runs in the embedded dispatcher: closed days rolled at start, a late row's day refreshed on its next run", async () => {
    const world = await createWorld(handle.db);
    await Promise.all([world.click(24 * 3), world.click(24 * 3), world.click()]);
    const dispatcher = startEmbeddedDispatcher({
      db: handle.db,
      settings: dispatchSettingsFromEnv(),
      sweep: { graceMs: 60_000, batch: 10, maxBatches: 1, intervalMs: 60_000 },
      rollupIntervalMs: 100,
      log: () => {},
    });
    try {
      await expect.poll(() => rolledClicks(world.networkId), { timeout: 10_000 }).toBe(2);
      await world.click(24 * 3);
      await expect.poll(() => rolledClicks(world.networkId), { timeout: 10_000 }).toBe(3);
      // A marker a late row left while a run was under way is cleared by the next run.
      await expect.poll(() => staleOf(world.networkId), { timeout: 10_000 }).toBe(0);
    } finally {
      dispatcher.stop();
      await dispatcher.idle();
    }
    const days = await dailyStats(handle.db, sessionUserFor(world.networkId, "network"), parseStatsRange({}));
    expect(days.reduce((n, d) => n + d.clicks, 0)).toBe(4);
  });

  it("runs as an Inngest cron function, and a run that finds another holding the lock leaves the work to it", async () => {
    const { InngestTestEngine } = await import("@inngest/test");
    const { rollUpStats } = await import("@/inngest/functions/roll-up-stats");
    const { functions } = await import("@/inngest/functions");
    expect(functions).toContain(rollUpStats);
    const world = await createWorld(handle.db);
    await world.click(24 * 5);
    const { result } = await new InngestTestEngine({ function: rollUpStats }).execute();
    expect(result).toEqual({ organizations: expect.any(Number), staleMarkers: expect.any(Number) });
    expect(await rolledClicks(world.networkId)).toBe(1);

    await world.click(24 * 5);
    expect(await staleOf(world.networkId)).toBe(1);
    // Another instance's run holds the lock (PostgreSQL: PGlite has one connection): this one skips, the marker stays for the next run.
    if (testDriver === "postgres") {
      await handle.db.transaction(async (tx) => {
        await tx.execute(sql`select pg_advisory_xact_lock(hashtext('postline:stats-rollups'))`);
        expect(await refreshStaleDays(handle.db)).toBeNull();
      });
    }
    expect(await staleOf(world.networkId)).toBe(1);
    await new InngestTestEngine({ function: rollUpStats }).execute();
    expect(await staleOf(world.networkId)).toBe(0);
    expect(await rolledClicks(world.networkId)).toBe(2);
  });
});
