import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { campaigns, trackingLinks } from "@/db/schema";
import { testDriver } from "../helpers/test-db";
import { type World } from "../helpers/world";
import { apiClient, type ApiClient, apiWorlds } from "../helpers/api";

let handle: DatabaseHandle;
let world: World;
let other: World;
let affiliate: ApiClient;
let affiliateRead: ApiClient;

beforeAll(async () => {
  ({ handle, world, other, affiliate, affiliateRead } = await apiWorlds());
});
afterAll(async () => {
  await handle.close();
});

describe(`campaigns and tracking links API (${testDriver})`, () => {
  it("creates a campaign with its first tracking link, and lists and reads campaigns and links", async () => {
    const created = await affiliate.post("/campaigns", { name: "Newsletter", offerId: world.offerId });
    expect(created).toMatchObject({ status: 201, body: { name: "Newsletter", offerId: world.offerId, offerName: expect.any(String), links: [{ name: "Main link", offerId: world.offerId }] } });
    const link = created.body.links[0];
    expect(link.path).toBe(`/c/${link.code}`);
    const [row] = await handle.db.select().from(trackingLinks).where(eq(trackingLinks.code, link.code));
    expect(row).toMatchObject({ campaignId: created.body.id, affiliateId: world.affiliateId });

    expect((await affiliate.get(`/campaigns/${created.body.id}`)).body).toEqual(created.body);
    const first = await affiliate.get("/campaigns?limit=1");
    expect(first.body.data).toEqual([expect.objectContaining({ id: created.body.id })]);
    expect(first.body.data[0]).not.toHaveProperty("links");
    const next = await affiliate.get(`/campaigns?limit=1&cursor=${first.body.nextCursor}`);
    expect(next.body).toMatchObject({ data: [{ id: world.campaignId }], nextCursor: null });

    const links = await affiliate.get("/tracking-links");
    expect(links.body.data.map((l: { code: string }) => l.code)).toEqual([link.code, world.code]);
    expect(links.body.data[0]).toMatchObject({ campaignName: "Newsletter", offerName: expect.any(String) });
  });

  it("refuses bad input with 422 and the field", async () => {
    for (const [body, field] of [
      [{ name: "", offerId: world.offerId }, "name"],
      [{ offerId: world.offerId }, "name"],
      [{ name: "x", offerId: 7 }, "offerId"],
      [{ name: "x", offerId: other.offerId }, "offerId"],
    ] as const) {
      const answer = await affiliate.post("/campaigns", body);
      expect(answer.status, JSON.stringify(body)).toBe(422);
      expect(answer.body.error.field).toBe(field);
    }
    expect(await handle.db.select().from(campaigns).where(eq(campaigns.offerId, other.offerId))).toHaveLength(1);
  });

  it("refuses a bad page size or cursor with 422 and the field", async () => {
    for (const path of ["/campaigns", "/tracking-links"]) {
      expect(await affiliate.get(`${path}?limit=-1`), path).toMatchObject({ status: 422, body: { error: { field: "limit" } } });
      expect(await affiliate.get(`${path}?cursor=nope`), path).toMatchObject({ status: 422, body: { error: { field: "cursor" } } });
    }
  });

  it("answers 404 for another affiliate's campaign and keeps its links out of the list", async () => {
    expect((await affiliate.get(`/campaigns/${other.campaignId}`)).status).toBe(404);
    const links = await affiliate.get("/tracking-links?limit=200");
    expect(links.body.data.map((l: { code: string }) => l.code)).not.toContain(other.code);
  });

  it("refuses a read-only key that writes with 403", async () => {
    expect((await affiliateRead.get("/campaigns")).status).toBe(200);
    expect(await affiliateRead.post("/campaigns", { name: "x", offerId: world.offerId })).toMatchObject({ status: 403, body: { error: { code: "read_only_key" } } });
  });

  it("answers 404 to a network or merchant", async () => {
    const network = await apiClient(handle.db, world.networkId);
    const merchant = await apiClient(handle.db, world.merchantId);
    for (const answer of [await network.get("/campaigns"), await network.post("/campaigns", { name: "x", offerId: world.offerId }), await merchant.get("/tracking-links")]) {
      expect(answer).toMatchObject({ status: 404, body: { error: { code: "unknown_endpoint" } } });
    }
  });

  it("creates a campaign once for a repeated Idempotency-Key", async () => {
    const body = { name: `Once ${randomUUID().slice(0, 6)}`, offerId: world.offerId };
    const key = { "idempotency-key": randomUUID() };
    const first = await affiliate.post("/campaigns", body, key);
    const again = await affiliate.post("/campaigns", body, key);
    expect(first.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(await handle.db.select().from(campaigns).where(eq(campaigns.name, body.name))).toHaveLength(1);
  });
});
