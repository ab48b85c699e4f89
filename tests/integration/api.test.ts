import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { revokeApiKey } from "@/lib/access/api-keys";
import { apiKeys } from "@/db/schema";
import { eq } from "drizzle-orm";
import { resetEnvForTests } from "@/lib/platform/env";
import { createTestDatabase, testDriver } from "../helpers/test-db";
import { startTracker } from "../helpers/tracker";
import { createWorld, type World } from "../helpers/world";
import { apiClient, type ApiClient } from "../helpers/api";

let handle: DatabaseHandle;
let world: World;
let affiliate: ApiClient;
let affiliateRead: ApiClient;
let network: ApiClient;
let otherAffiliate: ApiClient;

const postback = (over: Record<string, unknown> = {}) => ({
  name: "My tracker",
  scope: "all",
  statuses: ["approved"],
  urlTemplate: "https://tracker.example.com/pb?cid={aff_click_id}&status={status}",
  ...over,
});

// A small limit, so that going over it takes a few requests.
const API_REQUESTS_PER_MINUTE = 40;
beforeAll(async () => {
  process.env.API_REQUESTS_PER_MINUTE = String(API_REQUESTS_PER_MINUTE);
  // The tracker of the Test below listens on loopback, which the delivery guard refuses by default.
  process.env.POSTBACK_ALLOWED_ADDRESSES = "127.0.0.1";
  resetEnvForTests();
  handle = await createTestDatabase();
  world = await createWorld(handle.db);
  const other = await createWorld(handle.db);
  affiliate = await apiClient(handle.db, world.affiliateId);
  affiliateRead = await apiClient(handle.db, world.affiliateId, "read");
  network = await apiClient(handle.db, world.networkId);
  otherAffiliate = await apiClient(handle.db, other.affiliateId);
});
afterAll(async () => {
  delete process.env.API_REQUESTS_PER_MINUTE;
  delete process.env.POSTBACK_ALLOWED_ADDRESSES;
  resetEnvForTests();
  await handle.close();
});

describe(`management API: keys, errors and conventions on ${testDriver}`, () => {
  it("refuses a request without a key, with an unknown key, a revoked key and an expired key (401)", async () => {
    expect(await affiliate.call("GET", "/postbacks", { key: null })).toMatchObject({ status: 401, body: { ok: false, error: { code: "missing_api_key" } } });
    expect(await affiliate.call("GET", "/postbacks", { key: "pk_nope" })).toMatchObject({ status: 401, body: { error: { code: "invalid_api_key" } } });
    const doomed = await apiClient(handle.db, world.affiliateId);
    const [row] = await handle.db.select().from(apiKeys).where(eq(apiKeys.prefix, doomed.key.slice(0, 7)));
    expect((await doomed.get("/postbacks")).status).toBe(200);
    await revokeApiKey(handle.db, world.affiliateId, row.id);
    expect((await doomed.get("/postbacks")).status).toBe(401);
    const expiring = await apiClient(handle.db, world.affiliateId);
    await handle.db.update(apiKeys).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(apiKeys.prefix, expiring.key.slice(0, 7)));
    expect((await expiring.get("/postbacks")).body.error.code).toBe("invalid_api_key");
  });

  it("stamps the key's last use", async () => {
    const fresh = await apiClient(handle.db, world.networkId);
    await fresh.get("/postbacks");
    const [row] = await handle.db.select().from(apiKeys).where(eq(apiKeys.prefix, fresh.key.slice(0, 7)));
    expect(row.lastUsedAt).not.toBeNull();
  });

  it("answers an unknown address 404 and a wrong method 405, in the error shape", async () => {
    expect(await affiliate.get("/nothing-here")).toMatchObject({ status: 404, body: { ok: false, error: { code: "unknown_endpoint" } } });
    expect(await affiliate.call("PUT", "/postbacks")).toMatchObject({ status: 405, body: { ok: false, error: { code: "method_not_allowed" } } });
  });

  it("tells the rate limit in RateLimit-* headers", async () => {
    const answer = await affiliate.get("/postbacks");
    expect(answer.headers.get("ratelimit-limit")).toBe(String(API_REQUESTS_PER_MINUTE));
    expect(Number(answer.headers.get("ratelimit-remaining"))).toBeLessThan(API_REQUESTS_PER_MINUTE);
    expect(Number(answer.headers.get("ratelimit-reset"))).toBeGreaterThanOrEqual(0);
  });

  it("refuses a key over its limit with 429 and Retry-After, and other keys go on", async () => {
    const busy = await apiClient(handle.db, world.affiliateId, "read");
    let last = await busy.get("/postbacks");
    // Three windows' worth: a minute that turns during the loop starts a new count, which this still fills.
    for (let i = 0; i < API_REQUESTS_PER_MINUTE * 3 && last.status === 200; i++) last = await busy.get("/postbacks");
    expect(last).toMatchObject({ status: 429, body: { ok: false, error: { code: "rate_limited" } } });
    expect(Number(last.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(last.headers.get("ratelimit-remaining")).toBe("0");
    expect((await affiliateRead.get("/postbacks")).status).toBe(200);
  });

  it("answers malformed JSON 400 and a field of the wrong kind 422 with the field", async () => {
    expect(await affiliate.call("POST", "/postbacks", { body: "{nope" })).toMatchObject({ status: 400, body: { error: { code: "malformed_body" } } });
    expect(await affiliate.post("/postbacks", postback({ scope: "everything" }))).toMatchObject({ status: 422, body: { ok: false, error: { code: "invalid_input", field: "scope" } } });
    expect(await affiliate.get("/postbacks?limit=0")).toMatchObject({ status: 422, body: { error: { field: "limit" } } });
    expect(await affiliate.get("/postbacks?cursor=garbage")).toMatchObject({ status: 422, body: { error: { field: "cursor" } } });
    expect(await affiliate.get("/postbacks/%E0%A4%A")).toMatchObject({ status: 400, body: { ok: false, error: { code: "malformed_path", field: "id" } } });
  });
});

describe(`management API: Idempotency-Key on ${testDriver}`, () => {
  it("answers a repeat with the same key and body with the first result, creating once", async () => {
    const body = postback({ name: "Idempotent" });
    const first = await affiliate.post("/postbacks", body, { "idempotency-key": "create-1" });
    const again = await affiliate.post("/postbacks", body, { "idempotency-key": "create-1" });
    expect(first.status).toBe(201);
    expect(again).toMatchObject({ status: 201, body: first.body });
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    const list = await affiliate.get("/postbacks?limit=200");
    expect(list.body.data.filter((p: { name: string }) => p.name === "Idempotent")).toHaveLength(1);
  });

  it("refuses the same key with another body (409) and keeps keys apart per API key", async () => {
    await affiliate.post("/postbacks", postback({ name: "K2" }), { "idempotency-key": "create-2" });
    expect(await affiliate.post("/postbacks", postback({ name: "K2 changed" }), { "idempotency-key": "create-2" })).toMatchObject({
      status: 409,
      body: { ok: false, error: { code: "idempotency_key_reused", field: "Idempotency-Key" } },
    });
    expect((await otherAffiliate.post("/postbacks", postback({ name: "K2 changed" }), { "idempotency-key": "create-2" })).status).toBe(201);
  });

  it("does not keep a refusal: the corrected request with the same key runs", async () => {
    expect((await affiliate.post("/postbacks", postback({ scope: "bad" }), { "idempotency-key": "create-3" })).status).toBe(422);
    expect((await affiliate.post("/postbacks", postback({ scope: "bad" }), { "idempotency-key": "create-3" })).status).toBe(422);
  });
});

describe(`management API: postbacks on ${testDriver}`, () => {
  it("creates, reads, lists by cursor, updates and deletes the caller's postbacks", async () => {
    const toMerchant = (over: Record<string, unknown> = {}) => postback({ scope: "merchant", merchantId: world.merchantId, ...over });
    const created = await network.post("/postbacks", toMerchant({ name: "To merchant", urlTemplate: "https://merchant.example.com/cb?c={click_id}", headers: { "X-Token": "abc" }, signingSecret: "s3cret" }));
    expect(created).toMatchObject({ status: 201, body: { name: "To merchant", scope: "merchant", merchantId: world.merchantId, headers: { "X-Token": "abc" }, hasSigningSecret: true, enabled: true } });
    expect(JSON.stringify(created.body)).not.toContain("s3cret");
    const id = created.body.id;
    expect((await network.get(`/postbacks/${id}`)).body).toMatchObject({ id, name: "To merchant" });

    for (const name of ["P1", "P2", "P3"]) await network.post("/postbacks", toMerchant({ name }));
    const seen: string[] = [];
    let cursor: string | null = "";
    while (cursor !== null) {
      const page: { body: { data: { id: string }[]; nextCursor: string | null } } = await network.get(`/postbacks?limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.data.map((p) => p.id));
      cursor = page.body.nextCursor;
    }
    expect(seen).toHaveLength(4);
    expect(new Set(seen).size).toBe(4);

    const updated = await network.patch(`/postbacks/${id}`, toMerchant({ name: "Renamed", enabled: false }));
    expect(updated).toMatchObject({ status: 200, body: { id, name: "Renamed", enabled: false, hasSigningSecret: true } });
    // Only the fields sent change: the URL, the headers and the secret stay.
    const renamed = await network.patch(`/postbacks/${id}`, { name: "Only the name" });
    expect(renamed).toMatchObject({ status: 200, body: { name: "Only the name", enabled: false, headers: { "X-Token": "abc" }, hasSigningSecret: true, urlTemplate: postback().urlTemplate } });
    expect(await network.patch(`/postbacks/${id}`, { nmae: "typo" })).toMatchObject({ status: 422, body: { error: { field: "nmae" } } });
    expect(await network.patch(`/postbacks/${id}`, { urlTemplate: "https://t.example.com/?c={clik_id}" })).toMatchObject({ status: 422, body: { error: { field: "urlTemplate" } } });
    expect((await network.get(`/postbacks/${id}`)).body.urlTemplate).toBe(postback().urlTemplate);
    expect(await network.delete(`/postbacks/${id}`)).toMatchObject({ status: 200, body: { ok: true } });
    expect((await network.get(`/postbacks/${id}`)).status).toBe(404);
  });

  it("refuses a template with an unknown macro (422 on urlTemplate), as the form does", async () => {
    expect(await affiliate.post("/postbacks", postback({ urlTemplate: "https://t.example.com/?c={clik_id}" }))).toMatchObject({
      status: 422,
      body: { error: { field: "urlTemplate" } },
    });
  });

  it("answers another organization's postback 404 on every verb", async () => {
    const { body } = await affiliate.post("/postbacks", postback({ name: "Mine" }));
    expect((await otherAffiliate.get(`/postbacks/${body.id}`)).status).toBe(404);
    expect((await otherAffiliate.patch(`/postbacks/${body.id}`, postback())).status).toBe(404);
    expect((await otherAffiliate.delete(`/postbacks/${body.id}`)).status).toBe(404);
    expect((await otherAffiliate.post(`/postbacks/${body.id}/test`, {})).status).toBe(404);
    expect((await affiliate.get(`/postbacks/${body.id}`)).status).toBe(200);
  });

  it("lets a read-only key read and refuses its writes with 403", async () => {
    expect((await affiliateRead.get("/postbacks")).status).toBe(200);
    expect(await affiliateRead.post("/postbacks", postback())).toMatchObject({ status: 403, body: { ok: false, error: { code: "read_only_key" } } });
  });

  it("sends a saved postback once with Test, and a repeat with the same Idempotency-Key sends nothing more", async () => {
    const tracker = await startTracker([{ status: 200, body: "OK" }]);
    try {
      const { body } = await affiliate.post("/postbacks", postback({ name: "Tested", urlTemplate: `${tracker.url}/pb?cid={aff_click_id}&status={status}` }));
      const sent = await affiliate.post(`/postbacks/${body.id}/test`, { testWith: "sample" }, { "idempotency-key": "test-1" });
      expect(sent).toMatchObject({ status: 200, body: { sample: true, response: { ok: true, status: 200, body: "OK" } } });
      expect(sent.body.request.url).toContain(`${tracker.url}/pb?cid=`);
      const again = await affiliate.post(`/postbacks/${body.id}/test`, { testWith: "sample" }, { "idempotency-key": "test-1" });
      expect(again.body).toEqual(sent.body);
      expect(tracker.received).toHaveLength(1);
      expect(await affiliate.post(`/postbacks/${body.id}/test`, { testWith: "latest" })).toMatchObject({ status: 422, body: { error: { field: "testWith" } } });
      expect(await affiliate.post(`/postbacks/${body.id}/test`, { testWith: "nonsense" })).toMatchObject({ status: 422, body: { error: { field: "testWith" } } });
    } finally {
      await tracker.close();
    }
  });
});
