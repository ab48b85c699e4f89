import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { setOrganizationTimeZone } from "@/lib/access/organizations";
import type { Viewer } from "@/lib/access/users";
import { changeStatusManually } from "@/lib/conversions/conversions";
import { handleIncomingPostback } from "@/lib/incoming/incoming";
import { runStatsRollup } from "@/lib/reports/rollups";
import { dailyStats, goalBreakdown, networkBreakdown, parseStatsRange, statsReport } from "@/lib/reports/stats";
import { apiClient } from "../helpers/api";
import { createTestDatabase, rowsOf, testDriver } from "../helpers/test-db";
import { createWorld, postbackRequest, sessionUserFor, type World } from "../helpers/world";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(() => handle.close());


describe(`stats on ${testDriver}`, () => {
  it("counts today's clicks, conversions by status and approved payout, for the affiliate and per offer for the network", async () => {
    const world = await createWorld(handle.db);
    const clicks = await Promise.all([world.click(), world.click(), world.click(), world.click()]);
    const post = (click: string, status: string, payout: string) =>
      handleIncomingPostback(handle.db, postbackRequest(world.endpointId, { token: world.secret, click_id: click, status, payout }), world.endpointId);
    await post(clicks[0], "sale", "10");
    await post(clicks[1], "sale", "2.5");
    await post(clicks[2], "declined", "99");

    const days = await dailyStats(handle.db, sessionUserFor(world.affiliateId, "affiliate"), parseStatsRange({}));
    expect(days).toHaveLength(14);
    expect(days.at(-1)).toMatchObject({ day: new Date().toISOString().slice(0, 10), clicks: 4, leads: 3, approved: 2, rejected: 1, payout: 12.5 });
    expect(days.slice(0, -1).every((d) => d.clicks === 0)).toBe(true);

    const other = await createWorld(handle.db);
    expect((await dailyStats(handle.db, sessionUserFor(other.affiliateId, "affiliate"), parseStatsRange({}))).at(-1)?.clicks).toBe(0);

    const perOffer = await networkBreakdown(handle.db, world.networkId, "offer", parseStatsRange({}));
    expect(perOffer).toEqual([{ id: world.offerId, name: expect.stringContaining("Offer"), clicks: 4, conversions: 3, approved: 2, payout: 12.5, revenue: 30 }]);
  });

  it("counts the days of a chosen range, both ends included, and refuses a range it cannot show with a 422 naming the field", async () => {
    const world = await createWorld(handle.db);
    const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
    // Clicks 40, 20 and 20 days ago (at least an hour into their UTC day), and one today.
    await Promise.all([world.click(40 * 24), world.click(20 * 24), world.click(20 * 24), world.click()]);
    const viewer = sessionUserFor(world.affiliateId, "affiliate");

    const range = parseStatsRange({ from: day(45), to: day(10) });
    expect(range).toEqual({ from: day(45), to: day(10) });
    const days = await dailyStats(handle.db, viewer, range);
    expect(days).toHaveLength(36);
    expect(days[0].day).toBe(day(45));
    expect(days.at(-1)!.day).toBe(day(10));
    expect(days.find((d) => d.day === day(40))!.clicks).toBe(1);
    expect(days.find((d) => d.day === day(20))!.clicks).toBe(2);
    expect(days.reduce((n, d) => n + d.clicks, 0)).toBe(3);
    expect((await networkBreakdown(handle.db, world.networkId, "offer", range))[0].clicks).toBe(3);

    // A single day; and the default, the last 14 days up to today.
    expect(await dailyStats(handle.db, viewer, { from: day(20), to: day(20) })).toEqual([expect.objectContaining({ day: day(20), clicks: 2 })]);
    expect(parseStatsRange({}, new Date("2026-03-10T12:00:00Z"))).toEqual({ from: "2026-02-25", to: "2026-03-10" });
    expect(parseStatsRange({ to: "2026-01-14" })).toEqual({ from: "2026-01-01", to: "2026-01-14" });
    expect(daysBetween(parseStatsRange({ from: "2024-01-01", to: "2024-12-31" }))).toBe(366);

    const refusals: [Record<string, string>, string][] = [
      [{ from: "2026-13-01" }, "from"],
      [{ to: "yesterday" }, "to"],
      [{ from: "2026-03-10", to: "2026-03-01" }, "from"],
      [{ from: "2024-01-01", to: "2025-01-01" }, "from"],
    ];
    for (const [params, field] of refusals) {
      expect(() => parseStatsRange(params), JSON.stringify(params)).toThrow(expect.objectContaining({ code: "invalid_input", status: 422, field }));
    }
  });
});

describe(`stats from rollups on ${testDriver}`, () => {
  /**
   * Everything a Stats page shows for the network (in its zone) and its affiliate (in UTC) over the
   * last 45 days. `zones` names the days' zone: a name other than the organization's own (an alias
   * with the same rules) is the raw-row answer, which the API gives for a caller's own zone.
   */
  async function everything(world: World, zones: { network: string; affiliate: string }) {
    const network = sessionUserFor(world.networkId, "network") as Viewer;
    const affiliate = sessionUserFor(world.affiliateId, "affiliate") as Viewer;
    const range = (timeZone: string) => parseStatsRange({ from: daysAgo(45, timeZone), timeZone });
    const [days, perOffer, perAffiliate, perGoal, affiliateDays, affiliateGoals, networkPage, affiliatePage] = await Promise.all([
      dailyStats(handle.db, network, range(zones.network)),
      networkBreakdown(handle.db, world.networkId, "offer", range(zones.network)),
      networkBreakdown(handle.db, world.networkId, "affiliate", range(zones.network)),
      goalBreakdown(handle.db, network, range(zones.network)),
      dailyStats(handle.db, affiliate, range(zones.affiliate)),
      goalBreakdown(handle.db, affiliate, range(zones.affiliate)),
      statsReport(handle.db, network, range(zones.network)),
      statsReport(handle.db, affiliate, range(zones.affiliate)),
    ]);
    // The page reads every breakdown at once (one pass per source): the same as each read alone.
    expect(networkPage).toEqual({ days, byGoal: perGoal, byOffer: perOffer, byAffiliate: perAffiliate });
    expect(affiliatePage).toEqual({ days: affiliateDays, byGoal: affiliateGoals, byOffer: [], byAffiliate: [] });
    return { days, perOffer, perAffiliate, perGoal, affiliateDays, affiliateGoals };
  }
  const count = async (query: ReturnType<typeof sql>) => rowsOf<{ n: number }>(await handle.db.execute(query))[0].n;

  it("answers as the raw rows do over closed days and today: before the job, after it, after a late status change and a late click, and in a new time zone", async () => {
    const world = await createWorld(handle.db);
    await setOrganizationTimeZone(handle.db, world.networkId, "Asia/Kolkata");
    const own = { network: "Asia/Kolkata", affiliate: "UTC" };
    const aliases = { network: "Asia/Calcutta", affiliate: "Etc/UTC" };
    // Clicks over 35 days, most converted; each conversion is dated a minute after its click.
    const ages = [0, 0, 3, 20, 30, 30, 50, 24 * 9, 24 * 9 + 5, 24 * 35];
    const ids: string[] = [];
    for (const age of ages) ids.push(await world.click(age));
    const post = (click: string, status: string, payout: string) =>
      handleIncomingPostback(handle.db, postbackRequest(world.endpointId, { token: world.secret, click_id: click, status, payout }), world.endpointId);
    const outcomes: [number, string, string][] = [[0, "paid", "10"], [2, "reg", "1"], [3, "paid", "2.5"], [4, "nope", "3"], [5, "paid", "7.25"], [6, "wait", "4"], [7, "paid", "20"], [8, "paid", "0.1"]];
    for (const [i, status, payout] of outcomes) expect((await post(ids[i], status, payout)).status).toBe(200);
    await handle.db.execute(sql`update conversions v set created_at = least(c.created_at + interval '1 minute', now()) from clicks c where c.id = v.click_id and v.network_id = ${world.networkId}`);

    const raw = await everything(world, aliases);
    expect(raw.days.reduce((n, d) => n + d.clicks, 0)).toBe(10);
    expect(raw.days.reduce((n, d) => n + d.payout, 0)).toBeCloseTo(39.85);
    expect(await everything(world, own)).toEqual(raw);

    await runStatsRollup(handle.db);
    expect(await count(sql`select count(*)::int as n from stats_clicks_daily where org_id = ${world.networkId}`)).toBeGreaterThan(0);
    expect(await count(sql`select count(*)::int as n from stats_conversions_daily where org_id = ${world.affiliateId}`)).toBeGreaterThan(0);
    expect(await count(sql`select count(*)::int as n from stats_stale where network_id = ${world.networkId}`)).toBe(0);
    expect(await everything(world, own)).toEqual(raw);

    // A chargeback of the 20.00 sale nine days ago: counted at once, before the job refreshes the day.
    const [reversed] = rowsOf<{ id: string }>(await handle.db.execute(sql`select id from conversions where click_id = ${ids[7]}`));
    await changeStatusManually(handle.db, { orgId: world.networkId }, reversed.id, "rejected");
    expect(await count(sql`select count(*)::int as n from stats_stale where network_id = ${world.networkId}`)).toBeGreaterThan(0);
    const changed = await everything(world, aliases);
    expect(changed.days.reduce((n, d) => n + d.payout, 0)).toBeCloseTo(19.85);
    expect(changed.days.reduce((n, d) => n + d.rejected, 0)).toBe(2);
    expect(await everything(world, own)).toEqual(changed);
    await runStatsRollup(handle.db);
    expect(await count(sql`select count(*)::int as n from stats_stale where network_id = ${world.networkId}`)).toBe(0);
    expect(await everything(world, own)).toEqual(changed);

    // A click written late onto a rolled day (a backdated row) counts on that day.
    await world.click(24 * 20);
    const withLateClick = await everything(world, aliases);
    expect(withLateClick.days.reduce((n, d) => n + d.clicks, 0)).toBe(11);
    expect(await everything(world, own)).toEqual(withLateClick);
    await runStatsRollup(handle.db);
    expect(await everything(world, own)).toEqual(withLateClick);

    // A new time zone: raw rows until the job rebuilds the network's days in it, the same answer after.
    await setOrganizationTimeZone(handle.db, world.networkId, "America/New_York");
    const newYork = { network: "America/New_York", affiliate: "UTC" };
    const inNewYork = await everything(world, { network: "US/Eastern", affiliate: "Etc/UTC" });
    expect(await everything(world, newYork)).toEqual(inNewYork);
    await runStatsRollup(handle.db);
    const [progress] = rowsOf<{ zone: string }>(await handle.db.execute(sql`select time_zone as zone from stats_rollup_progress where org_id = ${world.networkId}`));
    expect(progress.zone).toBe("America/New_York");
    expect(await everything(world, newYork)).toEqual(inNewYork);
  });

  it("counts the open day's clicks up to a recent quarter hour and the later ones raw: the raw rows' answer before the job, after it, after new and backdated clicks", async () => {
    const world = await createWorld(handle.db);
    const own = { network: "UTC", affiliate: "UTC" };
    const aliases = { network: "Etc/UTC", affiliate: "Etc/UTC" };
    // Today's clicks an hour and more old, unless today (UTC) is younger than that.
    const hoursToday = (Date.now() % 86_400_000) / 3_600_000;
    for (const age of [0, 0, 0.1, 1, 2, 3]) await world.click(Math.min(age, Math.max(0, hoursToday - 0.01)));
    const raw = await everything(world, aliases);
    expect(raw.days.reduce((n, d) => n + d.clicks, 0)).toBe(6);

    await runStatsRollup(handle.db);
    const openUntil = async () => rowsOf<{ until: string | null }>(await handle.db.execute(sql`select clicks_open_until::text as until from stats_rollup_progress where org_id = ${world.networkId}`))[0].until;
    // The open day is counted from its first quarter hour that ended ten minutes ago.
    if (hoursToday > 0.5) {
      expect(await openUntil()).not.toBeNull();
      expect(await count(sql`select coalesce(sum(clicks), 0)::int as n from stats_clicks_open where org_id = ${world.networkId} and until = (select clicks_open_until from stats_rollup_progress where org_id = ${world.networkId})`)).toBeGreaterThan(0);
    }
    expect(await everything(world, own)).toEqual(raw);

    // A new click, and one backdated into the counted part of the open day: both count at once.
    await world.click();
    await world.click(Math.min(1.5, Math.max(0, hoursToday - 0.01)));
    const later = await everything(world, aliases);
    expect(later.days.reduce((n, d) => n + d.clicks, 0)).toBe(8);
    expect(await everything(world, own)).toEqual(later);
    await runStatsRollup(handle.db);
    if (hoursToday > 0.5) expect(await openUntil()).not.toBeNull();
    expect(await everything(world, own)).toEqual(later);
  });

  it("shows a range of any length up to a year, on the page's lib calls and through the API", async () => {
    const world = await createWorld(handle.db);
    await Promise.all([world.click(24 * 100), world.click(24 * 200), world.click()]);
    await runStatsRollup(handle.db);
    const network = await apiClient(handle.db, world.networkId);
    const answer = await network.get(`/stats?from=${daysAgo(250, "UTC")}&to=${daysAgo(0, "UTC")}`);
    expect(answer.status).toBe(200);
    expect(answer.body.data).toHaveLength(251);
    expect(answer.body.data.reduce((n: number, d: { clicks: number }) => n + d.clicks, 0)).toBe(3);
    const days = await dailyStats(handle.db, sessionUserFor(world.networkId, "network"), parseStatsRange({ from: daysAgo(150, "UTC"), to: daysAgo(50, "UTC"), timeZone: "UTC" }));
    expect(days).toHaveLength(101);
    expect(days.find((d) => d.day === daysAgo(100, "UTC"))?.clicks).toBe(1);
  });
});

/** The calendar day `n` days before today in `timeZone`. */
function daysAgo(n: number, timeZone: string) {
  const today = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
  return new Date(Date.parse(`${today}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);
}

const daysBetween = (range: { from: string; to: string }) => (Date.parse(range.to) - Date.parse(range.from)) / 86_400_000 + 1;
