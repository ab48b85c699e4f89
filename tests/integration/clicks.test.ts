import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { clicks, offers } from "@/db/schema";
import { handleClick } from "@/lib/tracking/clicks";
import { createTestDatabase, testDriver } from "../helpers/test-db";
import { createWorld, type World } from "../helpers/world";

let handle: DatabaseHandle;
let world: World;
beforeAll(async () => {
  handle = await createTestDatabase();
  world = await createWorld(handle.db);
});
afterAll(() => handle.close());

function click(code: string, query = "", headers: Record<string, string> = {}, method = "GET") {
  return handleClick(handle.db, new Request(`http://postline.test/c/${code}${query}`, { method, headers }), code);
}

describe(`tracking links on ${testDriver}`, () => {
  it("records the click and redirects to the landing URL with its macros filled and URL-encoded", async () => {
    const response = await click(world.code, "?sub1=spring sale&s2=b&source=news/letter&aff_click_id=abc&123", {
      "x-forwarded-for": "198.51.100.20",
      "user-agent": "Mozilla/5.0 Test",
      referer: "https://blog.example.org/post",
      "x-vercel-ip-country": "de",
    });
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get("location")!);
    expect(location.origin + location.pathname).toBe("https://shop.example.com/land");
    const clickId = location.searchParams.get("cid")!;
    expect(clickId).toMatch(/^clk_[A-Za-z0-9_-]{22}$/);
    expect(response.headers.get("location")).toContain("s1=spring%20sale");
    expect(response.headers.get("location")).toContain("src=news%2Fletter");
    expect(location.searchParams.get("ext")).toBe("abc");

    const [row] = await handle.db.select().from(clicks).where(eq(clicks.id, clickId));
    expect(row).toMatchObject({
      offerId: world.offerId,
      affiliateId: world.affiliateId,
      networkId: world.networkId,
      campaignId: world.campaignId,
      sub1: "spring sale",
      sub2: "b",
      source: "news/letter",
      affClickId: "abc",
      ip: "198.51.100.20",
      userAgent: "Mozilla/5.0 Test",
      referrer: "https://blog.example.org/post",
      country: "DE",
    });
  });

  it("captures sub1…sub10 and the common aliases, the canonical name winning", async () => {
    const query = "?aff_sub=t1&sub1=one&aff_sub2=two&s3=three&sub4=four&s5=five&sub6=6&sub7=7&sub8=8&sub9=9&s10=10&external_id=ext&source_id=src";
    const response = await click(world.code, query);
    const clickId = new URL(response.headers.get("location")!).searchParams.get("cid")!;
    const [row] = await handle.db.select().from(clicks).where(eq(clicks.id, clickId));
    expect([row.sub1, row.sub2, row.sub3, row.sub4, row.sub5, row.sub6, row.sub7, row.sub8, row.sub9, row.sub10]).toEqual([
      "one", "two", "three", "four", "five", "6", "7", "8", "9", "10",
    ]);
    expect(row.affClickId).toBe("ext");
    expect(row.source).toBe("src");
  });

  it("gives every click its own unguessable id", async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const response = await click(world.code);
      ids.add(new URL(response.headers.get("location")!).searchParams.get("cid")!);
    }
    expect(ids.size).toBe(50);
  });

  it("keeps a click with an over-long sub-id, cut to 255 characters", async () => {
    const response = await click(world.code, `?sub1=${"x".repeat(1000)}`);
    expect(response.status).toBe(302);
    const clickId = new URL(response.headers.get("location")!).searchParams.get("cid")!;
    const [row] = await handle.db.select().from(clicks).where(eq(clicks.id, clickId));
    expect(row.sub1).toHaveLength(255);
  });

  it("answers 404 for an unknown code, and records nothing", async () => {
    const before = await handle.db.select().from(clicks);
    const response = await click("no-such-code");
    expect(response.status).toBe(404);
    expect(await response.text()).toContain("Link not found");
    expect(await handle.db.select().from(clicks)).toHaveLength(before.length);
  });

  it("shows a clear page, not a redirect, for a paused offer or an affiliate that is not approved", async () => {
    const paused = await createWorld(handle.db, { offer: { status: "paused" } });
    const pausedResponse = await click(paused.code);
    expect(pausedResponse.status).toBe(410);
    expect(pausedResponse.headers.get("location")).toBeNull();
    expect(await pausedResponse.text()).toContain("Offer paused");

    const pending = await createWorld(handle.db, { membership: "pending" });
    const pendingResponse = await click(pending.code);
    expect(pendingResponse.status).toBe(403);
    expect(await pendingResponse.text()).toContain("not approved");
    const recorded = await handle.db.select().from(clicks).where(eq(clicks.offerId, pending.offerId));
    expect(recorded).toEqual([]);
  });

  it("does not record a click for a HEAD request (link previews)", async () => {
    const fresh = await createWorld(handle.db);
    const response = await click(fresh.code, "", {}, "HEAD");
    expect(response.status).toBe(204);
    expect(await handle.db.select().from(clicks).where(eq(clicks.offerId, fresh.offerId))).toEqual([]);
  });

  it("fills the offer id, affiliate id and raw macros in the landing URL", async () => {
    const custom = await createWorld(handle.db, { offer: { landingUrl: "https://lp.example.com/{offer_id}?a={affiliate_id}&raw={_sub1}&s={status}" } });
    const response = await click(custom.code, "?sub1=a%26b");
    expect(response.headers.get("location")).toBe(`https://lp.example.com/${custom.offerId}?a=${custom.affiliateId}&raw=a&b&s=`);
    await handle.db.update(offers).set({ status: "active" }).where(eq(offers.id, custom.offerId));
  });
});
