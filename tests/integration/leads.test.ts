import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { apiKeys, conversionEvents, conversions } from "@/db/schema";
import { handleIncomingPostback } from "@/lib/incoming/incoming";
import { handleLeadSubmission } from "@/lib/incoming/leads";
import { createId } from "@/lib/platform/ids";
import { generateSecret, hashSecret } from "@/lib/access/secrets";
import { createTestDatabase, testDriver } from "../helpers/test-db";
import { createWorld, postbackRequest, type World } from "../helpers/world";

let handle: DatabaseHandle;
let world: World;
let apiKey: string;
beforeAll(async () => {
  handle = await createTestDatabase();
  world = await createWorld(handle.db);
  apiKey = generateSecret("pk");
  await handle.db.insert(apiKeys).values({ id: createId("apiKey"), orgId: world.affiliateId, name: "test", prefix: apiKey.slice(0, 8), keyHash: hashSecret(apiKey) });
});
afterAll(() => handle.close());

async function submit(body: Record<string, string>, init: { key?: string | null; as?: "json" | "form" } = {}) {
  const headers: Record<string, string> = {};
  if (init.key !== null) headers.authorization = `Bearer ${init.key ?? apiKey}`;
  const asForm = init.as === "form";
  headers["content-type"] = asForm ? "application/x-www-form-urlencoded" : "application/json";
  const response = await handleLeadSubmission(
    handle.db,
    new Request("http://postline.test/api/leads", { method: "POST", headers, body: asForm ? new URLSearchParams(body).toString() : JSON.stringify(body) }),
  );
  return { status: response.status, body: await response.json() };
}

describe(`leads API on ${testDriver}`, () => {
  it("creates a lead for the affiliate's click, with its fields, once per click and lead id", async () => {
    const click = await world.click();
    const first = await submit({ click_id: click, lead_id: "L-1", email: "pat@example.com" });
    expect(first).toMatchObject({ status: 200, body: { ok: true, result: "accepted", status: "lead" } });
    const again = await submit({ click_id: click, lead_id: "L-1" }, { as: "form" });
    expect(again.body).toMatchObject({ result: "duplicate", conversion_id: first.body.conversion_id });
    const rows = await handle.db.select().from(conversions).where(eq(conversions.clickId, click));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: "lead", leadId: "L-1", details: { email: "pat@example.com" } });
    const events = await handle.db.select().from(conversionEvents).where(eq(conversionEvents.conversionId, rows[0].id));
    expect(events.map((e) => e.source)).toEqual(["lead_api"]);
  });

  it("stores a lead without a lead id without one, at the offer's default payout, revenue and currency", async () => {
    const click = await world.click();
    expect((await submit({ click_id: click })).body.result).toBe("accepted");
    const [row] = await handle.db.select().from(conversions).where(eq(conversions.clickId, click));
    expect(row).toMatchObject({ leadId: null, conversionKey: `click:${click}`, payout: "10.0000", revenue: "15.0000", currency: "EUR", affiliateId: world.affiliateId });
  });

  it("lets the merchant's postback move the lead on, and a later lead changes nothing", async () => {
    const click = await world.click();
    const lead = await submit({ click_id: click, lead_id: "L-2" });
    const response = await handleIncomingPostback(handle.db, postbackRequest(world.endpointId, { token: world.secret, click_id: click, txid: "ORDER-9", status: "sale" }), world.endpointId);
    expect(await response.json()).toMatchObject({ result: "accepted", status: "approved", conversion_id: lead.body.conversion_id });
    const [row] = await handle.db.select().from(conversions).where(eq(conversions.clickId, click));
    expect(row).toMatchObject({ status: "approved", transactionId: "ORDER-9" });
    expect((await submit({ click_id: click, lead_id: "L-2" })).body).toMatchObject({ result: "duplicate", status: "approved" });
  });

  it("takes a key made on the API keys page, and refuses it once revoked", async () => {
    const { createApiKey, listApiKeys, revokeApiKey } = await import("@/lib/access/api-keys");
    const { key } = await createApiKey(handle.db, world.affiliateId, { name: "landing server", access: "write" });
    expect((await submit({ click_id: await world.click() }, { key })).body.result).toBe("accepted");
    const [made] = (await listApiKeys(handle.db, world.affiliateId)).filter((k) => k.name === "landing server");
    expect(made.prefix).toBe(key.slice(0, 7));
    await expect(revokeApiKey(handle.db, "org_other", made.id)).rejects.toMatchObject({ code: "not_found" });
    await revokeApiKey(handle.db, world.affiliateId, made.id);
    expect((await submit({ click_id: await world.click() }, { key })).body.error).toMatchObject({ code: "invalid_api_key" });
  });

  it("refuses a missing or wrong key, another affiliate's click and a missing click id", async () => {
    const click = await world.click();
    expect((await submit({ click_id: click }, { key: null })).body.error).toMatchObject({ code: "missing_api_key" });
    expect((await submit({ click_id: click }, { key: "pk_wrong" })).status).toBe(401);
    const other = await createWorld(handle.db);
    const foreignClick = await other.click();
    const foreign = await submit({ click_id: foreignClick });
    expect(foreign).toMatchObject({ status: 404, body: { ok: false, error: { code: "unknown_click", field: "click_id" } } });
    expect(await handle.db.select().from(conversions).where(eq(conversions.clickId, foreignClick))).toEqual([]);
    expect((await submit({ lead_id: "x" })).body.error).toMatchObject({ code: "missing_parameter", field: "click_id" });
  });

  it("refuses a malformed click id with the postback endpoint's rule, and makes nothing from a longer id that begins with a click's", async () => {
    const click = await world.click();
    const longer = `${click}${"x".repeat(200)}`;
    const refused = await submit({ click_id: longer });
    expect(refused).toMatchObject({ status: 422, body: { ok: false, error: { code: "invalid_parameter", field: "click_id" } } });
    expect((await submit({ click_id: "bad id" })).body.error).toMatchObject({ code: "invalid_parameter", field: "click_id" });
    expect(await handle.db.select().from(conversions).where(eq(conversions.clickId, click))).toEqual([]);
  });
});
