import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { handleIncomingPostback } from "@/lib/incoming/incoming";
import { dailyStats, networkBreakdown } from "@/lib/reports/stats";
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

    const days = await dailyStats(handle.db, sessionUserFor(world.affiliateId, "affiliate"), 14);
    expect(days).toHaveLength(14);
    expect(days.at(-1)).toMatchObject({ day: new Date().toISOString().slice(0, 10), clicks: 4, leads: 3, approved: 2, rejected: 1, payout: 12.5 });
    expect(days.slice(0, -1).every((d) => d.clicks === 0)).toBe(true);

    const other = await createWorld(handle.db);
    expect((await dailyStats(handle.db, sessionUserFor(other.affiliateId, "affiliate"), 14)).at(-1)?.clicks).toBe(0);

    const perOffer = await networkBreakdown(handle.db, world.networkId, "offer");
    expect(perOffer).toEqual([{ id: world.offerId, name: expect.stringContaining("Offer"), clicks: 4, conversions: 3, approved: 2, payout: 12.5, revenue: 30 }]);
  });
});
