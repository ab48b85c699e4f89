import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { conversionEvents, conversions, deliveries, organizations } from "@/db/schema";
import { handleIncomingPostback } from "@/lib/incoming/incoming";
import { testDriver } from "../helpers/test-db";
import { postbackRequest, type World } from "../helpers/world";
import { type ApiClient, apiWorlds } from "../helpers/api";

let handle: DatabaseHandle;
let world: World;
let other: World;
let network: ApiClient;
let networkRead: ApiClient;
let merchant: ApiClient;
let affiliate: ApiClient;
let affiliateRead: ApiClient;
let otherNetwork: ApiClient;
let otherAffiliate: ApiClient;

/** A conversion of the world's affiliate, made by the merchant's postback; its affiliate postback queues a delivery. */
async function convert(status = "reg", txid?: string) {
  const click = await world.click();
  const params: Record<string, string> = { token: world.secret, click_id: click, status, ...(txid ? { txid } : {}) };
  const answer = await (await handleIncomingPostback(handle.db, postbackRequest(world.endpointId, params), world.endpointId)).json();
  expect(answer.ok, JSON.stringify(answer)).toBe(true);
  return { click, conversionId: answer.conversion_id as string };
}

beforeAll(async () => {
  ({ handle, world, other, network, networkRead, merchant, affiliate, affiliateRead, otherNetwork, otherAffiliate } = await apiWorlds());
  await world.addPostback({ name: "Affiliate tracker" });
});
afterAll(() => handle.close());

describe(`management API: conversions on ${testDriver}`, () => {
  it("lists each party's conversions with what it may read: no payout for the merchant, no revenue for the affiliate", async () => {
    const { conversionId } = await convert();
    const byNetwork = (await network.get("/conversions")).body.data.find((c: { id: string }) => c.id === conversionId);
    expect(byNetwork).toMatchObject({ id: conversionId, status: "lead", payout: 10, revenue: 15, currency: "EUR" });
    const byAffiliate = (await affiliate.get("/conversions")).body.data.find((c: { id: string }) => c.id === conversionId);
    expect(byAffiliate).toMatchObject({ id: conversionId, payout: 10 });
    expect(byAffiliate).not.toHaveProperty("revenue");
    const byMerchant = (await merchant.get(`/conversions/${conversionId}`)).body;
    expect(byMerchant).toMatchObject({ id: conversionId, revenue: 15 });
    expect(byMerchant).not.toHaveProperty("payout");
    expect((await otherNetwork.get("/conversions")).body.data.map((c: { id: string }) => c.id)).not.toContain(conversionId);
  });

  it("filters by status and finds by an exact id, and pages by cursor without repeats", async () => {
    const approved = await convert("paid", "TX-API-1");
    await convert();
    await convert();
    const onlyApproved = (await network.get("/conversions?status=approved")).body.data;
    expect(onlyApproved.length).toBeGreaterThan(0);
    expect(onlyApproved.every((c: { status: string }) => c.status === "approved")).toBe(true);
    expect((await network.get("/conversions?q=TX-API-1")).body.data.map((c: { id: string }) => c.id)).toEqual([approved.conversionId]);
    const seen: string[] = [];
    let cursor: string | null = "";
    while (cursor !== null) {
      const page: { body: { data: { id: string }[]; nextCursor: string | null } } = await network.get(`/conversions?limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      seen.push(...page.body.data.map((c) => c.id));
      cursor = page.body.nextCursor;
    }
    const count = await handle.db.$count(conversions, eq(conversions.networkId, world.networkId));
    expect(seen).toHaveLength(count);
    expect(new Set(seen).size).toBe(count);
  });

  it("refuses a filter that is not one (422 with the field) and a foreign or unknown id (404)", async () => {
    expect(await network.get("/conversions?status=paid")).toMatchObject({ status: 422, body: { error: { field: "status" } } });
    expect(await network.get("/conversions?cursor=xyz")).toMatchObject({ status: 422, body: { error: { field: "cursor" } } });
    const { conversionId } = await convert();
    expect((await otherNetwork.get(`/conversions/${conversionId}`)).status).toBe(404);
    expect((await otherAffiliate.get(`/conversions/${conversionId}/timeline`)).status).toBe(404);
    expect((await otherNetwork.patch(`/conversions/${conversionId}`, { status: "approved" })).status).toBe(404);
  });

  it("lets a network change a status with the page's rules and relays, recording the key that did it", async () => {
    const { conversionId } = await convert();
    const changed = await network.patch(`/conversions/${conversionId}`, { status: "approved" });
    expect(changed).toMatchObject({ status: 200, body: { id: conversionId, status: "approved", relayed: 1 } });
    const [event] = await handle.db.select().from(conversionEvents).where(and(eq(conversionEvents.conversionId, conversionId), eq(conversionEvents.toStatus, "approved")));
    expect(event).toMatchObject({ source: "manual", actorUserId: null });
    expect(event.actorApiKeyId).toMatch(/^key_/);
    expect(await handle.db.$count(deliveries, eq(deliveries.conversionId, conversionId))).toBe(2);
    const story = await network.get(`/conversions/${conversionId}/timeline`);
    expect(story.body.entries.find((e: { kind: string; to?: string }) => e.kind === "status" && e.to === "approved").actor).toEqual({ kind: "network_api_key", name: "test write" });
    const toAffiliate = await affiliate.get(`/conversions/${conversionId}/timeline`);
    expect(toAffiliate.body.entries.find((e: { kind: string; to?: string }) => e.kind === "status" && e.to === "approved").actor).toEqual({ kind: "network", name: null });

    expect(await network.patch(`/conversions/${conversionId}`, { status: "lead" })).toMatchObject({ status: 409, body: { error: { field: "status" } } });
    expect(await network.patch(`/conversions/${conversionId}`, { status: "paid" })).toMatchObject({ status: 422, body: { error: { field: "status" } } });
    expect(await networkRead.patch(`/conversions/${conversionId}`, { status: "rejected" })).toMatchObject({ status: 403, body: { error: { code: "read_only_key" } } });
    expect(await affiliate.patch(`/conversions/${conversionId}`, { status: "rejected" })).toMatchObject({ status: 404, body: { error: { code: "unknown_endpoint" } } });
    expect((await merchant.patch(`/conversions/${conversionId}`, { status: "rejected" })).status).toBe(404);
  });

  it("tells each party the conversion's timeline, the affiliate without the merchant's parameters", async () => {
    const { conversionId } = await convert("reg", "TX-TIMELINE");
    const forNetwork = await network.get(`/conversions/${conversionId}/timeline`);
    expect(forNetwork.status).toBe(200);
    expect(forNetwork.body.entries.map((e: { kind: string }) => e.kind)).toEqual(expect.arrayContaining(["click", "incoming", "status"]));
    const forAffiliate = await affiliate.get(`/conversions/${conversionId}/timeline`);
    expect(forAffiliate.body.viewer).toBe("affiliate");
    expect(JSON.stringify(forAffiliate.body)).not.toContain(world.secret);
    expect(forAffiliate.body.entries.find((e: { kind: string }) => e.kind === "incoming").params).toBeNull();
  });
});

describe(`management API: deliveries and replays on ${testDriver}`, () => {
  async function failedDelivery() {
    const { conversionId } = await convert();
    const [delivery] = await handle.db.update(deliveries).set({ state: "failed", attempts: 8 }).where(eq(deliveries.conversionId, conversionId)).returning();
    return delivery;
  }

  it("lists the affiliate's deliveries and reads one with its attempts; another affiliate gets 404", async () => {
    const delivery = await failedDelivery();
    const list = await affiliate.get("/deliveries?state=failed");
    expect(list.body.data.map((d: { id: string }) => d.id)).toContain(delivery.id);
    expect(list.body.data.every((d: { state: string }) => d.state === "failed")).toBe(true);
    expect(await affiliate.get(`/deliveries/${delivery.id}`)).toMatchObject({ status: 200, body: { id: delivery.id, state: "failed", own: true, attempts: [] } });
    expect(await affiliate.get(`/deliveries/${delivery.id}/attempts`)).toMatchObject({ status: 200, body: { data: [] } });
    expect((await otherAffiliate.get(`/deliveries/${delivery.id}`)).status).toBe(404);
    expect((await otherAffiliate.post(`/deliveries/${delivery.id}/replay`)).status).toBe(404);
    expect(await affiliate.get("/deliveries?state=lost")).toMatchObject({ status: 422, body: { error: { field: "state" } } });
  });

  it("replays one failed delivery (202), refuses one that is not failed (409) and a read-only key (403)", async () => {
    const delivery = await failedDelivery();
    expect(await affiliateRead.post(`/deliveries/${delivery.id}/replay`)).toMatchObject({ status: 403 });
    expect(await affiliate.post(`/deliveries/${delivery.id}/replay`)).toMatchObject({ status: 202, body: { id: delivery.id, state: "pending", replays: 1 } });
    expect(await affiliate.post(`/deliveries/${delivery.id}/replay`)).toMatchObject({ status: 409, body: { error: { code: "conflict" } } });
    const [row] = await handle.db.select().from(deliveries).where(eq(deliveries.id, delivery.id));
    expect(row).toMatchObject({ state: "pending", attempts: 0, replays: 1 });
  });

  it("replays every failed delivery of a time range after a dry run that counts them, once per Idempotency-Key", async () => {
    const since = new Date().toISOString();
    const failed = [await failedDelivery(), await failedDelivery(), await failedDelivery()];
    const dry = await affiliate.post("/deliveries/replay", { since, dryRun: true });
    expect(dry).toMatchObject({ status: 200, body: { dryRun: true, matched: 3, replayed: 0 } });
    expect(await handle.db.$count(deliveries, and(eq(deliveries.ownerOrgId, world.affiliateId), eq(deliveries.state, "failed")))).toBeGreaterThanOrEqual(3);

    const first = await affiliate.post("/deliveries/replay", { since }, { "idempotency-key": "outage-1" });
    expect(first.body).toEqual({ dryRun: false, matched: 3, replayed: 3, remaining: 0 });
    const again = await affiliate.post("/deliveries/replay", { since }, { "idempotency-key": "outage-1" });
    expect(again.body).toEqual(first.body);
    const rows = await Promise.all(failed.map(async (d) => (await handle.db.select().from(deliveries).where(eq(deliveries.id, d.id)))[0]));
    expect(rows.map((r) => [r.state, r.replays])).toEqual([["pending", 1], ["pending", 1], ["pending", 1]]);

    expect((await otherAffiliate.post("/deliveries/replay", { since })).body).toMatchObject({ matched: 0, replayed: 0 });
    expect(await affiliate.post("/deliveries/replay", { dryRun: true })).toMatchObject({ status: 422, body: { error: { field: "since" } } });
    expect(await affiliate.post("/deliveries/replay", { since, until: "2020-01-01T00:00:00Z" })).toMatchObject({ status: 422, body: { error: { field: "until" } } });
    expect(await affiliateRead.post("/deliveries/replay", { since })).toMatchObject({ status: 403 });
  });
});

describe(`management API: incoming log and stats on ${testDriver}`, () => {
  it("shows the incoming log to the network and the merchant, not to an affiliate", async () => {
    const { click } = await convert("reg", "TX-LOG-1");
    const forNetwork = await network.get(`/logs/incoming?q=${click}`);
    expect(forNetwork.body.data).toHaveLength(1);
    expect(forNetwork.body.data[0]).toMatchObject({ clickId: click, result: "accepted", transactionId: "TX-LOG-1" });
    expect(JSON.stringify(forNetwork.body)).not.toContain(world.secret);
    const rowId = forNetwork.body.data[0].id;
    expect((await merchant.get(`/logs/incoming/${rowId}`)).body).toMatchObject({ id: rowId, clickId: click });
    expect((await otherNetwork.get(`/logs/incoming/${rowId}`)).status).toBe(404);
    expect((await affiliate.get("/logs/incoming")).status).toBe(404);
    expect(await network.get("/logs/incoming?result=maybe")).toMatchObject({ status: 422, body: { error: { field: "result" } } });
  });

  it("counts days in the caller's time zone", async () => {
    const late = await convert("paid");
    // 22:30 UTC is already the next day in Moscow (UTC+3).
    await handle.db.update(conversions).set({ createdAt: new Date("2026-03-10T22:30:00Z") }).where(eq(conversions.id, late.conversionId));
    const utc = await network.get("/stats?from=2026-03-10&to=2026-03-11&timeZone=UTC");
    const moscow = await network.get("/stats?from=2026-03-10&to=2026-03-11&timeZone=Europe/Moscow");
    expect(utc.body).toMatchObject({ timeZone: "UTC", groupBy: "day" });
    expect(utc.body.data.map((d: { key: string; approved: number }) => [d.key, d.approved])).toEqual([["2026-03-10", 1], ["2026-03-11", 0]]);
    expect(moscow.body.data.map((d: { key: string; approved: number }) => [d.key, d.approved])).toEqual([["2026-03-10", 0], ["2026-03-11", 1]]);

    await handle.db.update(organizations).set({ timeZone: "Asia/Tokyo" }).where(eq(organizations.id, world.networkId));
    expect((await network.get("/stats?from=2026-03-10&to=2026-03-11")).body.timeZone).toBe("Asia/Tokyo");
  });

  it("breaks stats down per offer for a network, per goal for an affiliate without revenue", async () => {
    const perOffer = await network.get("/stats?groupBy=offer");
    expect(perOffer.body.data.find((r: { key: string }) => r.key === world.offerId)).toMatchObject({ name: expect.stringContaining("Offer") });
    const perGoal = await affiliate.get("/stats?groupBy=goal");
    expect(perGoal.status).toBe(200);
    expect(perGoal.body.data.every((r: { revenue: number | null }) => r.revenue === null)).toBe(true);
    expect(await affiliate.get("/stats?groupBy=offer")).toMatchObject({ status: 422, body: { error: { field: "groupBy" } } });
    expect(await network.get("/stats?timeZone=Mars/Olympus")).toMatchObject({ status: 422, body: { error: { field: "timeZone" } } });
    expect(await network.get("/stats?from=2026-13-01")).toMatchObject({ status: 422, body: { error: { field: "from" } } });
    expect((await merchant.get("/stats")).status).toBe(404);
  });
});
