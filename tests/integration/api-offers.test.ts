import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { caps, conversionRules, offerGoals, offers, payoutRules } from "@/db/schema";
import { parseInput } from "@/lib/platform/input";
import { offerInputSchema } from "@/lib/tracking/offers";
import { ruleInputSchema } from "@/lib/program/manage";
import { testDriver } from "../helpers/test-db";
import { createWorld, type World } from "../helpers/world";
import { apiClient, type ApiClient, apiWorlds } from "../helpers/api";

let handle: DatabaseHandle;
let world: World;
let other: World;
let network: ApiClient;
let networkRead: ApiClient;
let affiliate: ApiClient;
let merchant: ApiClient;

beforeAll(async () => {
  ({ handle, world, other, network, networkRead, affiliate, merchant } = await apiWorlds());
});
afterAll(async () => {
  await handle.close();
});

const newOffer = (over: Record<string, unknown> = {}) => ({
  name: `API offer ${randomUUID().slice(0, 8)}`,
  merchantId: world.merchantId,
  landingUrl: "https://shop.example.com/land?cid={click_id}&s1={sub1}",
  defaultPayout: 12.5,
  defaultRevenue: "20",
  currency: "usd",
  clickLifetimeHours: 48,
  ...over,
});

async function createdOffer(over: Record<string, unknown> = {}) {
  const answer = await network.post("/offers", newOffer(over));
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body as { id: string; name: string };
}

const expect422 = (answer: { status: number; body: any }, field: string) => {
  expect(answer.status, JSON.stringify(answer.body)).toBe(422);
  expect(answer.body).toMatchObject({ ok: false, error: { code: expect.any(String), message: expect.any(String), field } });
};

describe(`offers API for a network (${testDriver})`, () => {
  it("creates an offer from JSON types, reads it with its program, and lists it newest first by cursor", async () => {
    const created = await createdOffer({ description: "Spring sale" });
    expect(created).toMatchObject({
      currency: "USD",
      defaultPayout: 12.5,
      defaultRevenue: 20,
      clickLifetimeHours: 48,
      allowMultipleConversions: false,
      status: "active",
      description: "Spring sale",
      merchantId: world.merchantId,
      program: { goals: [], payoutRules: [], caps: [], rules: [] },
    });
    const [row] = await handle.db.select().from(offers).where(eq(offers.id, created.id));
    expect(row).toMatchObject({ networkId: world.networkId, defaultPayout: "12.5000", currency: "USD" });

    const read = await network.get(`/offers/${created.id}`);
    expect(read).toMatchObject({ status: 200, body: { id: created.id, name: created.name, landingUrl: expect.stringContaining("{click_id}") } });

    const second = await createdOffer();
    const first = await network.get("/offers?limit=1");
    expect(first.body.data.map((o: { id: string }) => o.id)).toEqual([second.id]);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const next = await network.get(`/offers?limit=1&cursor=${first.body.nextCursor}`);
    expect(next.body.data.map((o: { id: string }) => o.id)).toEqual([created.id]);
    const all = await network.get("/offers?limit=200");
    const ids = all.body.data.map((o: { id: string }) => o.id);
    expect(ids).toEqual(expect.arrayContaining([world.offerId, created.id, second.id]));
    expect(ids).not.toContain(other.offerId);
  });

  it("updates only the fields sent, and pauses and resumes with the status alone", async () => {
    const created = await createdOffer({ description: "Keep me", allowMultipleConversions: true });
    const renamed = await network.patch(`/offers/${created.id}`, { name: "Renamed", defaultPayout: "7.25" });
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
    // Left out: not read as blank, false or the default.
    expect(renamed.body).toMatchObject({ name: "Renamed", defaultPayout: 7.25, description: "Keep me", allowMultipleConversions: true, clickLifetimeHours: 48, status: "active" });

    expect((await network.patch(`/offers/${created.id}`, { status: "paused" })).body.status).toBe("paused");
    const [paused] = await handle.db.select().from(offers).where(eq(offers.id, created.id));
    expect(paused).toMatchObject({ status: "paused", name: "Renamed", description: "Keep me" });
    const cleared = await network.patch(`/offers/${created.id}`, { description: null, allowMultipleConversions: false });
    expect(cleared.body).toMatchObject({ description: null, allowMultipleConversions: false, status: "paused" });
    expect((await network.patch(`/offers/${created.id}`, { status: "active" })).body.status).toBe("active");
  });

  it("refuses bad input with 422 and the field", async () => {
    expect422(await network.post("/offers", newOffer({ defaultPayout: -1 })), "defaultPayout");
    expect422(await network.post("/offers", newOffer({ clickLifetimeHours: true })), "clickLifetimeHours");
    expect422(await network.post("/offers", newOffer({ clickLifetimeHours: undefined })), "clickLifetimeHours");
    expect422(await network.post("/offers", newOffer({ allowMultipleConversions: "yes" })), "allowMultipleConversions");
    expect422(await network.post("/offers", newOffer({ landingUrl: "https://shop.example.com/?c={clickid}" })), "landingUrl");
    expect422(await network.post("/offers", newOffer({ merchantId: world.affiliateId })), "merchantId");
    expect422(await network.post("/offers", newOffer({ name: "" })), "name");
    expect422(await network.patch(`/offers/${world.offerId}`, { status: "gone" }), "status");
    expect422(await network.patch(`/offers/${world.offerId}`, { currency: "EURO" }), "currency");
    // A misspelt field is refused, not silently ignored.
    expect422(await network.patch(`/offers/${world.offerId}`, { nmae: "x" }), "nmae");
  });

  it("refuses a bad page size or cursor with 422 and the field, for every party", async () => {
    for (const client of [network, affiliate, merchant]) {
      expect422(await client.get("/offers?limit=0"), "limit");
      expect422(await client.get("/offers?limit=many"), "limit");
      expect422(await client.get("/offers?cursor=not-one-of-ours"), "cursor");
    }
  });

  it("answers 404 for another network's offer", async () => {
    expect((await network.get(`/offers/${other.offerId}`)).status).toBe(404);
    expect((await network.patch(`/offers/${other.offerId}`, { name: "Mine now" })).status).toBe(404);
    expect((await network.patch(`/offers/${other.offerId}`, { status: "paused" })).status).toBe(404);
    expect((await network.patch(`/offers/${other.offerId}/hold`, { holdHours: 5 })).status).toBe(404);
    const [theirs] = await handle.db.select().from(offers).where(eq(offers.id, other.offerId));
    expect(theirs).toMatchObject({ status: "active", name: expect.not.stringContaining("Mine"), holdHours: null });
  });

  it("refuses a read-only key that writes with 403 and lets it read", async () => {
    expect((await networkRead.get("/offers")).status).toBe(200);
    for (const answer of [
      await networkRead.post("/offers", newOffer()),
      await networkRead.patch(`/offers/${world.offerId}`, { status: "paused" }),
      await networkRead.patch(`/offers/${world.offerId}/hold`, { holdHours: 5 }),
    ]) {
      expect(answer).toMatchObject({ status: 403, body: { ok: false, error: { code: "read_only_key" } } });
    }
  });

  it("creates an offer once for a repeated Idempotency-Key", async () => {
    const body = newOffer();
    const key = { "idempotency-key": randomUUID() };
    const first = await network.post("/offers", body, key);
    const again = await network.post("/offers", body, key);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await handle.db.select().from(offers).where(eq(offers.name, body.name))).toHaveLength(1);
    expect((await network.post("/offers", { ...body, name: "Another" }, key)).status).toBe(409);
  });

  it("keeps the form's strings parsing as before", () => {
    const form = new FormData();
    for (const [k, v] of Object.entries({ name: "F", merchantId: "org_x", landingUrl: "https://a.example.com/?c={click_id}", defaultPayout: "1.50", defaultRevenue: "2", currency: "eur", clickLifetimeHours: "24", status: "paused", description: "" })) form.set(k, v);
    expect(parseInput(offerInputSchema, form)).toMatchObject({ defaultPayout: "1.50", clickLifetimeHours: 24, allowMultipleConversions: false, description: null, status: "paused" });
    form.set("allowMultipleConversions", "on");
    expect(parseInput(offerInputSchema, form).allowMultipleConversions).toBe(true);
    const rule = new FormData();
    for (const [k, v] of Object.entries({ kind: "countries", action: "reject", threshold: "", windowMinutes: "", countries: "us, de" })) rule.set(k, v);
    expect(parseInput(ruleInputSchema, rule)).toMatchObject({ threshold: null, windowMinutes: null, countries: ["US", "DE"] });
  });
});

describe(`offers API for affiliates and merchants (${testDriver})`, () => {
  it("lists an affiliate's offers with its payouts and none of the network's terms", async () => {
    const list = await affiliate.get("/offers?limit=200");
    expect(list.status).toBe(200);
    const mine = list.body.data.find((o: { id: string }) => o.id === world.offerId);
    expect(mine).toMatchObject({ networkId: world.networkId, networkName: expect.any(String), currency: "EUR", payouts: [{ goalKey: "default", payout: 10, payoutKind: "flat", yourRate: false }] });
    for (const hidden of ["landingUrl", "defaultRevenue", "merchantId", "program"]) expect(mine).not.toHaveProperty(hidden);
    expect(list.body.data.map((o: { id: string }) => o.id)).not.toContain(other.offerId);
    expect((await affiliate.get(`/offers/${world.offerId}`)).body).toMatchObject({ id: world.offerId, payouts: expect.any(Array) });
    expect((await affiliate.get(`/offers/${other.offerId}`)).status).toBe(404);
  });

  it("lists a merchant's offers with their network, and nothing of the payouts", async () => {
    const list = await merchant.get("/offers?limit=200");
    const ids = list.body.data.map((o: { id: string }) => o.id);
    expect(ids).toContain(world.offerId);
    expect(ids).not.toContain(other.offerId);
    const mine = list.body.data.find((o: { id: string }) => o.id === world.offerId);
    expect(mine).toMatchObject({ networkId: world.networkId, networkName: expect.any(String), status: "active" });
    for (const hidden of ["landingUrl", "defaultPayout", "defaultRevenue", "payouts"]) expect(mine).not.toHaveProperty(hidden);
    expect((await merchant.get(`/offers/${world.offerId}`)).status).toBe(200);
    expect((await merchant.get(`/offers/${other.offerId}`)).status).toBe(404);
  });

  it("answers 404 to a party whose pages cannot change offers", async () => {
    for (const answer of [
      await merchant.post("/offers", newOffer()),
      await affiliate.post("/offers", newOffer()),
      await affiliate.patch(`/offers/${world.offerId}`, { status: "paused" }),
      await merchant.post(`/offers/${world.offerId}/goals`, { key: "x", name: "x", payout: 1, revenue: 1 }),
      await affiliate.delete(`/offers/${world.offerId}/caps/cap_x`),
    ]) {
      expect(answer).toMatchObject({ status: 404, body: { error: { code: "unknown_endpoint" } } });
    }
  });
});

describe(`an offer's program over the API (${testDriver})`, () => {
  it("adds goals, payout rules, caps and rules, shows them on the offer and to the affiliate, and removes them", async () => {
    const offer = await createdOffer();
    const goal = await network.post(`/offers/${offer.id}/goals`, { key: "deposit", name: "Deposit", payout: 25, revenue: "40", multiple: true, holdHours: 24 });
    expect(goal).toMatchObject({ status: 201, body: { key: "deposit", payout: 25, revenue: 40, multiple: true, holdHours: 24, payoutKind: "flat" } });
    const rule = await network.post(`/offers/${offer.id}/payout-rules`, { affiliateId: world.affiliateId, goalKey: "deposit", payout: 30 });
    expect(rule).toMatchObject({ status: 201, body: { affiliateId: world.affiliateId, goalKey: "deposit", payout: 30, revenue: null } });
    const cap = await network.post(`/offers/${offer.id}/caps`, { period: "day", capLimit: 100 });
    expect(cap).toMatchObject({ status: 201, body: { period: "day", metric: "count", capLimit: 100, action: "reject", used: 0, goalKey: null, affiliateId: null } });
    const check = await network.post(`/offers/${offer.id}/rules`, { kind: "countries", countries: ["us", "de"], action: "reject" });
    expect(check).toMatchObject({ status: 201, body: { kind: "countries", countries: ["US", "DE"], threshold: null } });

    const read = await network.get(`/offers/${offer.id}`);
    expect(read.body.program.goals.map((g: { id: string }) => g.id)).toEqual([goal.body.id]);
    expect(read.body.program.payoutRules.map((r: { id: string }) => r.id)).toEqual([rule.body.id]);
    expect(read.body.program.caps.map((c: { id: string }) => c.id)).toEqual([cap.body.id]);
    expect(read.body.program.rules.map((r: { id: string }) => r.id)).toEqual([check.body.id]);

    const seen = await affiliate.get(`/offers/${offer.id}`);
    expect(seen.body.payouts).toEqual(expect.arrayContaining([expect.objectContaining({ goalKey: "deposit", payout: 30, yourRate: true })]));

    for (const [path, id] of [["payout-rules", rule.body.id], ["caps", cap.body.id], ["rules", check.body.id], ["goals", goal.body.id]]) {
      expect((await network.delete(`/offers/${offer.id}/${path}/${id}`)).body).toEqual({ ok: true });
    }
    expect((await network.get(`/offers/${offer.id}`)).body.program).toEqual({ goals: [], payoutRules: [], caps: [], rules: [] });
  });

  it("sets the hold and the capped clicks' URL, changing only what is sent", async () => {
    const offer = await createdOffer();
    const set = await network.patch(`/offers/${offer.id}/hold`, { holdHours: 72, capFallbackUrl: "https://fallback.example.com/" });
    expect(set).toMatchObject({ status: 200, body: { holdHours: 72, capFallbackUrl: "https://fallback.example.com/" } });
    const cleared = await network.patch(`/offers/${offer.id}/hold`, { holdHours: null });
    expect(cleared.body).toMatchObject({ holdHours: null, capFallbackUrl: "https://fallback.example.com/" });
    expect422(await network.patch(`/offers/${offer.id}/hold`, { capFallbackUrl: "ftp://x.example.com" }), "capFallbackUrl");
    expect422(await network.patch(`/offers/${offer.id}/hold`, { holdHours: 0 }), "holdHours");
  });

  it("refuses bad program input with 422 and the field", async () => {
    const unapproved = await createWorld(handle.db);
    expect422(await network.post(`/offers/${world.offerId}/goals`, { key: "Bad Key", name: "x", payout: 1, revenue: 1 }), "key");
    expect422(await network.post(`/offers/${world.offerId}/goals`, { key: "reg", name: "x", payout: true, revenue: 1 }), "payout");
    expect422(await network.post(`/offers/${world.offerId}/payout-rules`, { affiliateId: unapproved.affiliateId, payout: 1 }), "affiliateId");
    expect422(await network.post(`/offers/${world.offerId}/payout-rules`, { affiliateId: world.affiliateId }), "payout");
    expect422(await network.post(`/offers/${world.offerId}/payout-rules`, { affiliateId: world.affiliateId, payout: 1, goalKey: "nope" }), "goalKey");
    expect422(await network.post(`/offers/${world.offerId}/caps`, { period: "year", capLimit: 1 }), "period");
    expect422(await network.post(`/offers/${world.offerId}/caps`, { period: "day" }), "capLimit");
    expect422(await network.post(`/offers/${world.offerId}/rules`, { kind: "ip_limit" }), "threshold");
    expect422(await network.post(`/offers/${world.offerId}/rules`, { kind: "min_click_seconds", threshold: "soon" }), "threshold");
    expect422(await network.post(`/offers/${world.offerId}/rules`, { kind: "countries", countries: ["USA"] }), "countries");
  });

  it("answers 404 for another network's offer or a part of another offer", async () => {
    const goal = { key: "reg", name: "Reg", payout: 1, revenue: 2 };
    expect((await network.post(`/offers/${other.offerId}/goals`, goal)).status).toBe(404);
    expect((await network.post(`/offers/${other.offerId}/caps`, { period: "day", capLimit: 1 })).status).toBe(404);
    const theirs = await (await apiClient(handle.db, other.networkId)).post(`/offers/${other.offerId}/caps`, { period: "day", capLimit: 1 });
    expect(theirs.status).toBe(201);
    expect((await network.delete(`/offers/${other.offerId}/caps/${theirs.body.id}`)).status).toBe(404);
    // A cap of one of my offers, named under another of my offers.
    const mine = await network.post(`/offers/${world.offerId}/caps`, { period: "week", capLimit: 5 });
    const otherOffer = await createdOffer();
    expect((await network.delete(`/offers/${otherOffer.id}/caps/${mine.body.id}`)).status).toBe(404);
    expect(await handle.db.select().from(caps).where(eq(caps.id, theirs.body.id))).toHaveLength(1);
    expect(await handle.db.select().from(caps).where(eq(caps.id, mine.body.id))).toHaveLength(1);
  });

  it("refuses a read-only key that changes the program with 403", async () => {
    for (const answer of [
      await networkRead.post(`/offers/${world.offerId}/goals`, { key: "reg", name: "Reg", payout: 1, revenue: 2 }),
      await networkRead.post(`/offers/${world.offerId}/payout-rules`, { affiliateId: world.affiliateId, payout: 1 }),
      await networkRead.post(`/offers/${world.offerId}/caps`, { period: "day", capLimit: 1 }),
      await networkRead.post(`/offers/${world.offerId}/rules`, { kind: "ip_limit", threshold: 3, windowMinutes: 60 }),
      await networkRead.delete(`/offers/${world.offerId}/goals/goal_x`),
    ]) {
      expect(answer).toMatchObject({ status: 403, body: { error: { code: "read_only_key" } } });
    }
  });

  it("adds each part once for a repeated Idempotency-Key", async () => {
    const offer = await createdOffer();
    const parts: [string, Record<string, unknown>, () => Promise<unknown[]>][] = [
      ["goals", { key: "deposit", name: "Deposit", payout: 5, revenue: 8 }, () => handle.db.select().from(offerGoals).where(eq(offerGoals.offerId, offer.id))],
      ["payout-rules", { affiliateId: world.affiliateId, payout: 3 }, () => handle.db.select().from(payoutRules).where(eq(payoutRules.offerId, offer.id))],
      ["caps", { period: "month", capLimit: 50, metric: "payout", action: "hold" }, () => handle.db.select().from(caps).where(eq(caps.offerId, offer.id))],
      ["rules", { kind: "ip_limit", threshold: 3, windowMinutes: 60 }, () => handle.db.select().from(conversionRules).where(and(eq(conversionRules.offerId, offer.id)))],
    ];
    for (const [path, body, rows] of parts) {
      const key = { "idempotency-key": randomUUID() };
      const first = await network.post(`/offers/${offer.id}/${path}`, body, key);
      const again = await network.post(`/offers/${offer.id}/${path}`, body, key);
      expect(first.status, `${path}: ${JSON.stringify(first.body)}`).toBe(201);
      expect(again.body, path).toEqual(first.body);
      expect(await rows(), path).toHaveLength(1);
    }
  });
});
