import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { apiIdempotencyKeys, incomingEndpoints } from "@/db/schema";
import { endpointInputSchema } from "@/lib/incoming/endpoints";
import { handleIncomingPostback } from "@/lib/incoming/incoming";
import { parseInput } from "@/lib/platform/input";
import { testDriver } from "../helpers/test-db";
import { postbackRequest, type World } from "../helpers/world";
import { apiClient, type ApiClient, apiWorlds } from "../helpers/api";

let handle: DatabaseHandle;
let world: World;
let other: World;
let network: ApiClient;
let networkRead: ApiClient;
let merchant: ApiClient;

beforeAll(async () => {
  ({ handle, world, other, network, networkRead, merchant } = await apiWorlds());
});
afterAll(async () => {
  await handle.close();
});

const newEndpoint = (over: Record<string, unknown> = {}) => ({
  name: `Order server ${randomUUID().slice(0, 6)}`,
  merchantId: world.merchantId,
  statusMap: { Sale: "approved", declined: "rejected" },
  ipAllowList: ["203.0.113.0/24", "198.51.100.7"],
  rateLimitPerMinute: 1000,
  ...over,
});

/** A merchant's postback for a fresh click of the world, with `token`. */
async function postWith(endpointId: string, token: string, status = "sale") {
  const response = await handleIncomingPostback(handle.db, postbackRequest(endpointId, { token, click_id: await world.click(), status }), endpointId);
  return { status: response.status, body: await response.json() };
}

const expect422 = (answer: { status: number; body: any }, field: string) => {
  expect(answer.status, JSON.stringify(answer.body)).toBe(422);
  expect(answer.body.error.field).toBe(field);
};

describe(`incoming endpoints API for a network (${testDriver})`, () => {
  it("creates an endpoint whose secret, returned once, works; never returns a hash", async () => {
    const created = await network.post("/incoming-endpoints", newEndpoint());
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({
      merchantId: world.merchantId,
      statusMap: { sale: "approved", declined: "rejected" },
      ipAllowList: ["203.0.113.0/24", "198.51.100.7"],
      rateLimitPerMinute: 1000,
      defaultStatus: "approved",
      enabled: true,
      hasSigningSecret: false,
      path: `/api/postback/${created.body.id}`,
      secret: expect.stringMatching(/^whsec_/),
    });
    expect(created.body.secretHint).toBe(`…${created.body.secret.slice(-4)}`);
    expect(JSON.stringify(created.body)).not.toMatch(/hash/i);
    const [row] = await handle.db.select().from(incomingEndpoints).where(eq(incomingEndpoints.id, created.body.id));
    expect(row.secretHash).not.toContain(created.body.secret);

    const accepted = await postWith(created.body.id, created.body.secret);
    expect(accepted).toMatchObject({ status: 200, body: { ok: true, status: "approved" } });

    const read = await network.get(`/incoming-endpoints/${created.body.id}`);
    expect(read.body).not.toHaveProperty("secret");
    expect(JSON.stringify(read.body)).not.toMatch(/hash/i);
    const list = await network.get("/incoming-endpoints?limit=1");
    expect(list.body.data).toEqual([expect.objectContaining({ id: created.body.id, merchantName: expect.any(String), hasSigningSecret: false })]);
    const next = await network.get(`/incoming-endpoints?limit=200&cursor=${list.body.nextCursor}`);
    expect(next.body.data.map((e: { id: string }) => e.id)).toContain(world.endpointId);
    expect(next.body.data.map((e: { id: string }) => e.id)).not.toContain(other.endpointId);
  });

  it("updates only the fields sent, sets and removes the signing secret without returning it", async () => {
    const created = (await network.post("/incoming-endpoints", newEndpoint())).body;
    const disabled = await network.patch(`/incoming-endpoints/${created.id}`, { enabled: false, statusMap: "paid = approved\nping = ignore" });
    expect(disabled.status, JSON.stringify(disabled.body)).toBe(200);
    expect(disabled.body).toMatchObject({ enabled: false, statusMap: { paid: "approved", ping: "ignore" }, ipAllowList: created.ipAllowList, rateLimitPerMinute: 1000, name: created.name });
    expect((await postWith(created.id, created.secret, "paid")).status).not.toBe(200);

    const signed = await network.patch(`/incoming-endpoints/${created.id}`, { signingSecret: "shh-its-a-secret", enabled: true });
    expect(signed.body).toMatchObject({ hasSigningSecret: true, enabled: true });
    expect(JSON.stringify(signed.body)).not.toContain("shh-its-a-secret");
    expect((await postWith(created.id, created.secret, "paid")).body.error.code).toBe("missing_signature");
    // Another change keeps the signing secret.
    expect((await network.patch(`/incoming-endpoints/${created.id}`, { name: "Renamed" })).body).toMatchObject({ name: "Renamed", hasSigningSecret: true });
    expect((await network.patch(`/incoming-endpoints/${created.id}`, { removeSigningSecret: true })).body.hasSigningSecret).toBe(false);
    expect((await postWith(created.id, created.secret, "paid")).status).toBe(200);
  });

  it("rotates the secret: the new one, returned once, works and the old one stops", async () => {
    const created = (await network.post("/incoming-endpoints", newEndpoint())).body;
    const rotated = await network.post(`/incoming-endpoints/${created.id}/rotate-secret`);
    expect(rotated).toMatchObject({ status: 200, body: { id: created.id, secret: expect.stringMatching(/^whsec_/) } });
    expect(rotated.body.secret).not.toBe(created.secret);
    expect(rotated.body.secretHint).toBe(`…${rotated.body.secret.slice(-4)}`);
    expect(await postWith(created.id, created.secret)).toMatchObject({ status: 401, body: { error: { code: "invalid_token" } } });
    expect((await postWith(created.id, rotated.body.secret)).status).toBe(200);
  });

  it("refuses bad input with 422 and the field", async () => {
    expect422(await network.post("/incoming-endpoints", newEndpoint({ statusMap: { sale: "paid" } })), "statusMap");
    expect422(await network.post("/incoming-endpoints", newEndpoint({ statusMap: "sale approved" })), "statusMap");
    expect422(await network.post("/incoming-endpoints", newEndpoint({ statusMap: ["sale"] })), "statusMap");
    expect422(await network.post("/incoming-endpoints", newEndpoint({ ipAllowList: ["not-an-ip"] })), "ipAllowList");
    expect422(await network.post("/incoming-endpoints", newEndpoint({ rateLimitPerMinute: 0 })), "rateLimitPerMinute");
    expect422(await network.post("/incoming-endpoints", newEndpoint({ rateLimitPerMinute: "10x" })), "rateLimitPerMinute");
    expect422(await network.post("/incoming-endpoints", newEndpoint({ merchantId: world.affiliateId })), "merchantId");
    expect422(await network.post("/incoming-endpoints", newEndpoint({ name: "" })), "name");
    expect422(await network.post("/incoming-endpoints", newEndpoint({ defaultStatus: "ignore" })), "defaultStatus");
    expect422(await network.patch(`/incoming-endpoints/${world.endpointId}`, { enabled: "maybe" }), "enabled");
    expect422(await network.patch(`/incoming-endpoints/${world.endpointId}`, { ipAllowList: "10.0.0.0/99" }), "ipAllowList");
  });

  it("refuses a bad page size or cursor with 422 and the field, for a network and a merchant", async () => {
    for (const client of [network, merchant]) {
      expect422(await client.get("/incoming-endpoints?limit=0"), "limit");
      expect422(await client.get("/incoming-endpoints?cursor=nope"), "cursor");
    }
  });

  it("answers 404 for another network's endpoint and changes nothing of it", async () => {
    expect((await network.get(`/incoming-endpoints/${other.endpointId}`)).status).toBe(404);
    expect((await network.patch(`/incoming-endpoints/${other.endpointId}`, { enabled: false })).status).toBe(404);
    expect((await network.post(`/incoming-endpoints/${other.endpointId}/rotate-secret`)).status).toBe(404);
    const [theirs] = await handle.db.select().from(incomingEndpoints).where(eq(incomingEndpoints.id, other.endpointId));
    expect(theirs).toMatchObject({ enabled: true, secretRotatedAt: null });
  });

  it("refuses a read-only key that writes with 403 and lets it read", async () => {
    expect((await networkRead.get(`/incoming-endpoints/${world.endpointId}`)).status).toBe(200);
    for (const answer of [
      await networkRead.post("/incoming-endpoints", newEndpoint()),
      await networkRead.patch(`/incoming-endpoints/${world.endpointId}`, { enabled: false }),
      await networkRead.post(`/incoming-endpoints/${world.endpointId}/rotate-secret`),
    ]) {
      expect(answer).toMatchObject({ status: 403, body: { error: { code: "read_only_key" } } });
    }
  });

  it("answers a repeated create and rotation with the same Idempotency-Key once, without keeping the secret in clear", async () => {
    const body = newEndpoint();
    const key = { "idempotency-key": randomUUID() };
    const first = await network.post("/incoming-endpoints", body, key);
    const again = await network.post("/incoming-endpoints", body, key);
    expect(first.status).toBe(201);
    expect(first.body.secret).toEqual(expect.any(String));
    // The repeat is the same answer but for the secret, shown once only: no secret is stored in clear.
    expect(again.body).toEqual({ ...first.body, secret: null });
    expect(JSON.stringify(await handle.db.select().from(apiIdempotencyKeys))).not.toContain(first.body.secret);
    expect(await handle.db.select().from(incomingEndpoints).where(eq(incomingEndpoints.name, body.name))).toHaveLength(1);

    const rotateKey = { "idempotency-key": randomUUID() };
    const rotated = await network.post(`/incoming-endpoints/${first.body.id}/rotate-secret`, {}, rotateKey);
    const rotatedAgain = await network.post(`/incoming-endpoints/${first.body.id}/rotate-secret`, {}, rotateKey);
    expect(rotatedAgain.body).toEqual({ ...rotated.body, secret: null });
    expect((await postWith(first.body.id, rotated.body.secret)).status).toBe(200);
  });

  it("keeps the form's strings parsing as before", () => {
    const form = new FormData();
    for (const [k, v] of Object.entries({ name: "E", merchantId: "org_m", defaultStatus: "hold", statusMap: "Sale = approved\r\nx = ignore", ipAllowList: "1.2.3.4\n10.0.0.0/8", rateLimitPerMinute: "600", signingSecret: "", enabled: "false" })) form.set(k, v);
    expect(parseInput(endpointInputSchema, form)).toEqual({
      name: "E",
      merchantId: "org_m",
      defaultStatus: "hold",
      statusMap: { sale: "approved", x: "ignore" },
      ipAllowList: ["1.2.3.4", "10.0.0.0/8"],
      rateLimitPerMinute: 600,
      amountsFromPostback: true,
      signingSecret: null,
      removeSigningSecret: false,
      enabled: false,
    });
    form.set("removeSigningSecret", "on");
    form.set("enabled", "true");
    form.set("amountsFromPostback", "false");
    expect(parseInput(endpointInputSchema, form)).toMatchObject({ removeSigningSecret: true, enabled: true, amountsFromPostback: false });
  });
});

describe(`incoming endpoints API for a merchant (${testDriver})`, () => {
  it("lists and reads the endpoints it posts to, without the network's settings", async () => {
    const list = await merchant.get("/incoming-endpoints?limit=200");
    const ids = list.body.data.map((e: { id: string }) => e.id);
    expect(ids).toContain(world.endpointId);
    expect(ids).not.toContain(other.endpointId);
    const mine = list.body.data.find((e: { id: string }) => e.id === world.endpointId);
    expect(mine).toMatchObject({ networkId: world.networkId, networkName: expect.any(String), secretHint: expect.any(String), path: `/api/postback/${world.endpointId}` });
    for (const hidden of ["secret", "secretHash", "rateLimitPerMinute", "hasSigningSecret", "defaultStatus"]) expect(mine).not.toHaveProperty(hidden);
    expect((await merchant.get(`/incoming-endpoints/${world.endpointId}`)).body).toMatchObject({ id: world.endpointId, statusMap: { paid: "approved" } });
    expect((await merchant.get(`/incoming-endpoints/${other.endpointId}`)).status).toBe(404);
  });

  it("answers 404 to a merchant that writes and to an affiliate", async () => {
    const affiliate = await apiClient(handle.db, world.affiliateId);
    for (const answer of [
      await merchant.post("/incoming-endpoints", newEndpoint()),
      await merchant.patch(`/incoming-endpoints/${world.endpointId}`, { enabled: false }),
      await merchant.post(`/incoming-endpoints/${world.endpointId}/rotate-secret`),
      await affiliate.get("/incoming-endpoints"),
    ]) {
      expect(answer).toMatchObject({ status: 404, body: { error: { code: "unknown_endpoint" } } });
    }
  });
});
