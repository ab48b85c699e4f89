import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { memberships } from "@/db/schema";
import { testDriver } from "../helpers/test-db";
import { createWorld, type World } from "../helpers/world";
import { apiClient, type ApiClient, apiWorlds } from "../helpers/api";

let handle: DatabaseHandle;
let world: World;
let other: World;
let network: ApiClient;
let networkRead: ApiClient;
let otherNetwork: ApiClient;
let affiliate: ApiClient;
let affiliateRead: ApiClient;
let merchant: ApiClient;

beforeAll(async () => {
  ({ handle, world, other, network, networkRead, otherNetwork, affiliate, affiliateRead, merchant } = await apiWorlds());
});
afterAll(async () => {
  await handle.close();
});

const membershipRow = async (networkId: string, affiliateId: string) =>
  handle.db.select().from(memberships).where(and(eq(memberships.networkId, networkId), eq(memberships.affiliateId, affiliateId)));

describe(`memberships API (${testDriver})`, () => {
  it("lets an affiliate find a network, ask to join, and the network approve it; its offers then show", async () => {
    const joinable = await affiliate.get("/networks?limit=200");
    const joinableIds = joinable.body.data.map((n: { id: string }) => n.id);
    expect(joinableIds).toContain(other.networkId);
    expect(joinableIds).not.toContain(world.networkId);

    const asked = await affiliate.post("/memberships", { networkId: other.networkId });
    expect(asked).toMatchObject({ status: 201, body: { networkId: other.networkId, affiliateId: world.affiliateId, status: "pending", decidedAt: null, networkName: expect.any(String) } });
    expect(asked.body).not.toHaveProperty("affiliateName");
    // Asking again changes nothing.
    expect((await affiliate.post("/memberships", { networkId: other.networkId })).body.id).toBe(asked.body.id);
    expect(await membershipRow(other.networkId, world.affiliateId)).toHaveLength(1);
    expect((await affiliate.get("/offers?limit=200")).body.data.map((o: { id: string }) => o.id)).not.toContain(other.offerId);

    const listed = await otherNetwork.get("/memberships");
    expect(listed.body.data.find((m: { id: string }) => m.id === asked.body.id)).toMatchObject({ status: "pending", affiliateName: expect.any(String) });
    const approved = await otherNetwork.patch(`/memberships/${asked.body.id}`, { status: "approved" });
    expect(approved).toMatchObject({ status: 200, body: { status: "approved", decidedAt: expect.any(String) } });
    expect((await affiliate.get(`/memberships/${asked.body.id}`)).body.status).toBe("approved");
    expect((await affiliate.get("/offers?limit=200")).body.data.map((o: { id: string }) => o.id)).toContain(other.offerId);

    const rejected = await otherNetwork.patch(`/memberships/${asked.body.id}`, { status: "rejected" });
    expect(rejected.body.status).toBe("rejected");
    const [row] = await membershipRow(other.networkId, world.affiliateId);
    expect(row.status).toBe("rejected");
  });

  it("lists each party's own memberships, newest first by cursor", async () => {
    const newcomer = await createWorld(handle.db);
    const client = await apiClient(handle.db, newcomer.affiliateId);
    const joined = await client.post("/memberships", { networkId: world.networkId });
    const first = await network.get("/memberships?limit=1");
    expect(first.body.data.map((m: { id: string }) => m.id)).toEqual([joined.body.id]);
    const next = await network.get(`/memberships?limit=1&cursor=${first.body.nextCursor}`);
    expect(next.body.data[0]).toMatchObject({ affiliateId: world.affiliateId, status: "approved" });
    const mine = await affiliate.get("/memberships");
    expect(mine.body.data.every((m: { affiliateId: string }) => m.affiliateId === world.affiliateId)).toBe(true);
    expect((await network.get(`/memberships/${joined.body.id}`)).body).toMatchObject({ affiliateId: newcomer.affiliateId, affiliateName: expect.any(String) });
  });

  it("refuses bad input with 422 and the field", async () => {
    for (const [body, field] of [
      [{ networkId: "" }, "networkId"],
      [{}, "networkId"],
      [{ networkId: world.merchantId }, "networkId"],
      [{ networkId: 42 }, "networkId"],
    ] as const) {
      const answer = await affiliate.post("/memberships", body);
      expect(answer.status, JSON.stringify(body)).toBe(422);
      expect(answer.body.error.field).toBe(field);
    }
    const [mine] = await membershipRow(world.networkId, world.affiliateId);
    const bad = await network.patch(`/memberships/${mine.id}`, { status: "maybe" });
    expect(bad).toMatchObject({ status: 422, body: { error: { field: "status" } } });
    expect((await network.patch(`/memberships/${mine.id}`, {})).body.error.field).toBe("status");
  });

  it("refuses a bad page size or cursor with 422 and the field", async () => {
    for (const [client, path] of [[network, "/memberships"], [affiliate, "/memberships"], [affiliate, "/networks"]] as const) {
      expect(await client.get(`${path}?limit=201`), path).toMatchObject({ status: 422, body: { error: { field: "limit" } } });
      expect(await client.get(`${path}?cursor=nope`), path).toMatchObject({ status: 422, body: { error: { field: "cursor" } } });
    }
  });

  it("answers 404 for another organization's membership", async () => {
    const [theirs] = await membershipRow(other.networkId, other.affiliateId);
    expect((await network.get(`/memberships/${theirs.id}`)).status).toBe(404);
    expect((await affiliate.get(`/memberships/${theirs.id}`)).status).toBe(404);
    expect((await network.patch(`/memberships/${theirs.id}`, { status: "rejected" })).status).toBe(404);
    const [unchanged] = await membershipRow(other.networkId, other.affiliateId);
    expect(unchanged.status).toBe("approved");
  });

  it("refuses a read-only key that writes with 403", async () => {
    const [mine] = await membershipRow(world.networkId, world.affiliateId);
    expect((await affiliateRead.get("/memberships")).status).toBe(200);
    expect(await affiliateRead.post("/memberships", { networkId: other.networkId })).toMatchObject({ status: 403, body: { error: { code: "read_only_key" } } });
    expect(await networkRead.patch(`/memberships/${mine.id}`, { status: "rejected" })).toMatchObject({ status: 403, body: { error: { code: "read_only_key" } } });
  });

  it("answers 404 to a party whose pages do not have the endpoint", async () => {
    const [mine] = await membershipRow(world.networkId, world.affiliateId);
    for (const answer of [
      await network.post("/memberships", { networkId: other.networkId }),
      await affiliate.patch(`/memberships/${mine.id}`, { status: "approved" }),
      await network.get("/networks"),
      await merchant.get("/memberships"),
    ]) {
      expect(answer).toMatchObject({ status: 404, body: { error: { code: "unknown_endpoint" } } });
    }
    expect(await membershipRow(other.networkId, world.networkId)).toHaveLength(0);
  });

  it("answers a repeated request to join with the same Idempotency-Key once", async () => {
    const newcomer = await createWorld(handle.db);
    const client = await apiClient(handle.db, newcomer.affiliateId);
    const key = { "idempotency-key": randomUUID() };
    const first = await client.post("/memberships", { networkId: other.networkId }, key);
    const again = await client.post("/memberships", { networkId: other.networkId }, key);
    expect(first.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await membershipRow(other.networkId, newcomer.affiliateId)).toHaveLength(1);
  });
});
