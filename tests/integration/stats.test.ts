import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { handleIncomingPostback } from "@/lib/incoming/incoming";
import { dailyStats, networkBreakdown, parseStatsRange } from "@/lib/reports/stats";
import { createTestDatabase, testDriver } from "../helpers/test-db";
import { createWorld, postbackRequest, sessionUserFor } from "../helpers/world";

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

const daysBetween = (range: { from: string; to: string }) => (Date.parse(range.to) - Date.parse(range.from)) / 86_400_000 + 1;
