import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { campaigns, capCounters, clicks, conversionEvents, conversions, deliveries, incomingPostbackLog, ipConversionTimes, memberships, offers, organizations, trackingLinks } from "@/db/schema";
import { decideInBulk, previewBulkDecision } from "@/lib/conversions/conversions";
import { handleIncomingPostback } from "@/lib/incoming/incoming";
import { handleClick } from "@/lib/tracking/clicks";
import { conversionTimeline } from "@/lib/conversions/timeline";
import type { Viewer } from "@/lib/access/users";
import { z } from "zod";
import { addCap, addGoal, addPayoutRule, addRule, affiliatePayouts, capChangeSchema, getOfferProgram, goalChangeSchema, payoutRuleChangeSchema, removeProgramPart, ruleChangeSchema, ruleInputSchema } from "@/lib/program/manage";
import { parseInput } from "@/lib/platform/input";
import { approveHeldConversion, findDueHolds } from "@/lib/program/holds";
import { periodStart } from "@/lib/program/caps";
import { attemptDelivery, dispatchSettingsFromEnv } from "@/lib/outgoing/delivery-attempts";
import { createTestDatabase, testDriver } from "../helpers/test-db";
import { startTracker } from "../helpers/tracker";
import { createWorld, postbackRequest, type World } from "../helpers/world";
import { apiClient } from "../helpers/api";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(async () => {
  await handle.close();
});

async function post(world: World, params: Record<string, string>) {
  const response = await handleIncomingPostback(handle.db, postbackRequest(world.endpointId, { token: world.secret, ...params }), world.endpointId);
  return { status: response.status, body: await response.json() };
}

async function conversionOf(id: string) {
  const [row] = await handle.db.select().from(conversions).where(eq(conversions.id, id));
  return row;
}

const goal = (key: string, values: Partial<Parameters<typeof addGoal>[3]> = {}) => ({
  key,
  name: key,
  payoutKind: "flat" as const,
  payout: "5",
  revenueKind: "flat" as const,
  revenue: "8",
  multiple: false,
  holdHours: null,
  ...values,
});

describe(`goals (${testDriver})`, () => {
  it("counts a conversion per goal of one click, with each goal's amounts, and refuses an unknown goal with 422", async () => {
    const world = await createWorld(handle.db);
    await addGoal(handle.db, world.networkId, world.offerId, goal("registration", { payout: "2", revenue: "3" }));
    await addGoal(handle.db, world.networkId, world.offerId, goal("deposit", { payoutKind: "percent", payout: "10", revenueKind: "percent", revenue: "25", multiple: true }));
    const click = await world.click();

    const lead = await post(world, { click_id: click, status: "paid" });
    const registration = await post(world, { click_id: click, goal: "registration", status: "paid" });
    const deposit1 = await post(world, { click_id: click, event: "deposit", txid: "d1", sale_amount: "200", status: "paid" });
    const deposit2 = await post(world, { click_id: click, adv_event_id: "deposit", txid: "d2", sale_amount: "50.50", status: "paid" });
    const again = await post(world, { click_id: click, goal: "registration", status: "paid" });
    expect([lead, registration, deposit1, deposit2].map((r) => r.body.result)).toEqual(["accepted", "accepted", "accepted", "accepted"]);
    expect(again.body.result).toBe("duplicate");

    const rows = await Promise.all([lead, registration, deposit1, deposit2].map((r) => conversionOf(r.body.conversion_id)));
    expect(rows.map((r) => [r.goalKey, r.payout, r.revenue])).toEqual([
      ["default", "10.0000", "15.0000"],
      ["registration", "2.0000", "3.0000"],
      // 10% and 25% of the sale amount
      ["deposit", "20.0000", "50.0000"],
      ["deposit", "5.0500", "12.6250"],
    ]);

    // Keys are matched whatever their case.
    const inCapitals = await post(world, { click_id: click, goal: "Registration", status: "paid" });
    expect(inCapitals.body).toMatchObject({ result: "duplicate", conversion_id: registration.body.conversion_id });

    const unknown = await post(world, { click_id: click, goal: "withdrawal" });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error).toMatchObject({ code: "unknown_goal", field: "goal" });
  });

  it("changes a goal's amounts through the API for the conversions from then on, the ones made keeping theirs", async () => {
    const world = await createWorld(handle.db);
    const goalId = await addGoal(handle.db, world.networkId, world.offerId, goal("deposit", { payoutKind: "percent", payout: "10" }));
    const deposit = async () => conversionOf((await post(world, { click_id: await world.click(), goal: "deposit", sale_amount: "200", status: "paid" })).body.conversion_id);
    const before = await deposit();
    const network = await apiClient(handle.db, world.networkId);
    expect(await network.patch(`/offers/${world.offerId}/goals/${goalId}`, { payoutKind: "flat", payout: "30", name: "Deposit" })).toMatchObject({
      status: 200,
      body: { key: "deposit", name: "Deposit", payoutKind: "flat", payout: 30 },
    });
    const after = await deposit();
    expect([before.payout, after.payout]).toEqual(["20.0000", "30.0000"]);
    expect((await conversionOf(before.id)).payout).toBe("20.0000");
    expect(await network.patch(`/offers/${world.offerId}/goals/${goalId}`, { payoutKind: "" })).toMatchObject({ status: 422, body: { error: { field: "payout" } } });
    const other = await createWorld(handle.db);
    const otherNetwork = await apiClient(handle.db, other.networkId);
    expect((await otherNetwork.patch(`/offers/${world.offerId}/goals/${goalId}`, { payout: "1" })).status).toBe(404);
    expect((await otherNetwork.patch(`/offers/${other.offerId}/goals/${goalId}`, { payout: "1" })).status).toBe(404);
  });

  it("sets a goal's hold for approvals from then on, and gives it back to the offer's hold with 0", async () => {
    const world = await createWorld(handle.db, { offer: { holdHours: 1 } });
    const goalId = await addGoal(handle.db, world.networkId, world.offerId, goal("deposit", { multiple: true }));
    const network = await apiClient(handle.db, world.networkId);
    const holdOfNext = async () => {
      const id = (await post(world, { click_id: await world.click(), goal: "deposit", txid: `t${Math.random()}`, status: "paid" })).body.conversion_id;
      const row = await conversionOf(id);
      return row.holdUntil ? Math.round((row.holdUntil.getTime() - row.createdAt.getTime()) / 3_600_000) : null;
    };
    expect(await holdOfNext()).toBe(1);
    expect(await network.patch(`/offers/${world.offerId}/goals/${goalId}`, { holdHours: 48 })).toMatchObject({ status: 200, body: { holdHours: 48, payout: 5 } });
    expect(await holdOfNext()).toBe(48);
    // From the form: blank keeps it, 0 hands it back to the offer.
    expect(parseInput(goalChangeSchema, { name: "Deposit", holdHours: "" })).toEqual({ name: "Deposit" });
    expect(await network.patch(`/offers/${world.offerId}/goals/${goalId}`, { holdHours: 0 })).toMatchObject({ status: 200, body: { holdHours: null } });
    expect(await holdOfNext()).toBe(1);
    expect(await network.patch(`/offers/${world.offerId}/goals/${goalId}`, { holdHours: 24 * 91 })).toMatchObject({ status: 422, body: { error: { field: "holdHours" } } });
  });

  it("sends a postback that listens for one goal only that goal's conversions, the filter set through the API", async () => {
    const world = await createWorld(handle.db);
    await addGoal(handle.db, world.networkId, world.offerId, goal("deposit"));
    const affiliate = await apiClient(handle.db, world.affiliateId);
    const settings = { name: "Deposits", scope: "all", statuses: ["approved"], urlTemplate: "https://tracker.example.com/pb?cid={aff_click_id}&g={goal}" };
    const bad = await affiliate.post("/postbacks", { ...settings, goals: ["first deposit"] });
    expect(bad).toMatchObject({ status: 422, body: { error: { code: "invalid_input", field: "goals" } } });
    // Keys are matched as stored (lower case), once each, as the form's one line sends them too.
    const created = await affiliate.post("/postbacks", { ...settings, goals: "Deposit, deposit" });
    expect(created).toMatchObject({ status: 201, body: { goals: ["deposit"] } });
    const onlyDeposits = created.body.id as string;
    const everything = await world.addPostback();
    const click = await world.click();
    const sale = await post(world, { click_id: click, status: "paid" });
    const deposit = await post(world, { click_id: click, goal: "deposit", status: "paid" });
    const postbacksOf = async (conversionId: string) =>
      (await handle.db.select({ postbackId: deliveries.postbackId }).from(deliveries).where(eq(deliveries.conversionId, conversionId))).map((d) => d.postbackId).sort();
    expect(await postbacksOf(sale.body.conversion_id)).toEqual([everything]);
    expect(await postbacksOf(deposit.body.conversion_id)).toEqual([everything, onlyDeposits].sort());
    // Emptied, it listens for every goal again.
    expect(await affiliate.patch(`/postbacks/${onlyDeposits}`, { goals: [] })).toMatchObject({ status: 200, body: { goals: null } });
  });
});

describe(`goal macros (${testDriver})`, () => {
  it("fills {goal} and {goal_name} in the request the tracker receives", async () => {
    const tracker = await startTracker();
    try {
      const world = await createWorld(handle.db);
      await addGoal(handle.db, world.networkId, world.offerId, goal("deposit", { name: "First deposit" }));
      await world.addPostback({ urlTemplate: `${tracker.url}/pb?g={goal}&n={goal_name}&s={status}` });
      const answer = await post(world, { click_id: await world.click(), goal: "deposit", status: "paid" });
      const [delivery] = await handle.db.select().from(deliveries).where(eq(deliveries.conversionId, answer.body.conversion_id));
      const settings = { ...dispatchSettingsFromEnv(), allowedAddresses: ["127.0.0.1"] };
      expect(await attemptDelivery(handle.db, delivery.id, settings)).toMatchObject({ outcome: "delivered" });
      expect(tracker.received.map((r) => r.url)).toEqual(["/pb?g=deposit&n=First%20deposit&s=approved"]);
    } finally {
      await tracker.close();
    }
  });
});

describe(`payouts per affiliate (${testDriver})`, () => {
  it("applies the affiliate's rule for the goal over the offer-wide one, from its date, and records which rule won", async () => {
    const world = await createWorld(handle.db);
    await addGoal(handle.db, world.networkId, world.offerId, goal("sale", { payout: "5" }));
    const offerWide = await addPayoutRule(handle.db, world.networkId, world.offerId, { affiliateId: world.affiliateId, goalKey: null, payoutKind: "flat", payout: "12", revenueKind: "flat", revenue: undefined, validFrom: new Date(Date.now() - 86_400_000) });
    const forSales = await addPayoutRule(handle.db, world.networkId, world.offerId, { affiliateId: world.affiliateId, goalKey: "sale", payoutKind: "percent", payout: "15", revenueKind: "flat", revenue: undefined, validFrom: new Date(Date.now() - 3_600_000) });
    await addPayoutRule(handle.db, world.networkId, world.offerId, { affiliateId: world.affiliateId, goalKey: "sale", payoutKind: "flat", payout: "99", revenueKind: "flat", revenue: undefined, validFrom: new Date(Date.now() + 86_400_000) });

    const click = await world.click();
    const base = await conversionOf((await post(world, { click_id: click, status: "paid" })).body.conversion_id);
    const sale = await conversionOf((await post(world, { click_id: click, goal: "sale", sale_amount: "80", status: "paid" })).body.conversion_id);
    expect([base.payout, base.revenue, base.payoutRuleId]).toEqual(["12.0000", "15.0000", offerWide]);
    expect([sale.payout, sale.revenue, sale.payoutRuleId]).toEqual(["12.0000", "8.0000", forSales]);
  });

  it("decides each amount by its own rule: a goal's revenue-only rule leaves the payout to the offer-wide payout rule", async () => {
    const world = await createWorld(handle.db);
    await addGoal(handle.db, world.networkId, world.offerId, goal("sale", { payout: "5", revenue: "8" }));
    const offerWidePayout = await addPayoutRule(handle.db, world.networkId, world.offerId, { affiliateId: world.affiliateId, goalKey: null, payoutKind: "flat", payout: "12", revenueKind: "flat", revenue: undefined, validFrom: new Date(Date.now() - 86_400_000) });
    const saleRevenue = await addPayoutRule(handle.db, world.networkId, world.offerId, { affiliateId: world.affiliateId, goalKey: "sale", payoutKind: "flat", payout: undefined, revenueKind: "percent", revenue: "30", validFrom: new Date(Date.now() - 3_600_000) });

    const click = await world.click();
    const sale = await conversionOf((await post(world, { click_id: click, goal: "sale", sale_amount: "100", status: "paid" })).body.conversion_id);
    expect([sale.payout, sale.payoutRuleId, sale.revenue, sale.revenueRuleId]).toEqual(["12.0000", offerWidePayout, "30.0000", saleRevenue]);
    // A payout the merchant sends (the endpoint allows it) is no rule's; the revenue still is.
    const sent = await conversionOf((await post(world, { click_id: await world.click(), goal: "sale", sale_amount: "100", payout: "7", status: "paid" })).body.conversion_id);
    expect([sent.payout, sent.payoutRuleId, sent.revenue, sent.revenueRuleId]).toEqual(["7.0000", null, "30.0000", saleRevenue]);
    // The same when the amounts come with a later status.
    const later = await world.click();
    const lead = (await post(world, { click_id: later, goal: "sale", status: "reg" })).body.conversion_id;
    await post(world, { click_id: later, goal: "sale", sale_amount: "200", payout: "9", status: "paid" });
    const paid = await conversionOf(lead);
    expect([paid.payout, paid.payoutRuleId, paid.revenue, paid.revenueRuleId]).toEqual(["9.0000", null, "60.0000", saleRevenue]);

    const [offer] = await handle.db.select().from(offers).where(eq(offers.id, world.offerId));
    const shown = (await affiliatePayouts(handle.db, world.affiliateId, [offer])).get(world.offerId)!;
    expect(shown.find((g) => g.key === "sale")).toMatchObject({ payout: "12.0000", kind: "flat", byRule: true });

    const network = await apiClient(handle.db, world.networkId);
    const listed = await network.get(`/conversions/${sale.id}`);
    expect(listed.body).toMatchObject({ payoutRuleId: offerWidePayout, revenueRuleId: saleRevenue });
    // The timeline names them to the network only.
    expect((await network.get(`/conversions/${sale.id}/timeline`)).body.conversion).toMatchObject({ payoutRuleId: offerWidePayout, revenueRuleId: saleRevenue });
    const affiliate = await apiClient(handle.db, world.affiliateId);
    expect((await affiliate.get(`/conversions/${sale.id}/timeline`)).body.conversion).toMatchObject({ payout: "12.0000", payoutRuleId: null, revenueRuleId: null });
  });

  it("changes a payout rule's amounts or start for conversions from then on, through the API", async () => {
    const world = await createWorld(handle.db);
    const ruleId = await addPayoutRule(handle.db, world.networkId, world.offerId, { affiliateId: world.affiliateId, goalKey: null, payoutKind: "flat", payout: "12", revenueKind: "flat", revenue: undefined, validFrom: new Date(Date.now() - 60_000) });
    const payoutOfNext = async () => (await conversionOf((await post(world, { click_id: await world.click(), status: "paid" })).body.conversion_id)).payout;
    const first = (await post(world, { click_id: await world.click(), status: "paid" })).body.conversion_id;
    const network = await apiClient(handle.db, world.networkId);
    expect(await network.patch(`/offers/${world.offerId}/payout-rules/${ruleId}`, { payout: "15" })).toMatchObject({ status: 200, body: { id: ruleId, payout: 15, payoutKind: "flat" } });
    expect(await payoutOfNext()).toBe("15.0000");
    expect((await conversionOf(first)).payout).toBe("12.0000");
    // Started later: until then the offer's own payout applies.
    expect(await network.patch(`/offers/${world.offerId}/payout-rules/${ruleId}`, { validFrom: "2999-01-01" })).toMatchObject({ status: 200 });
    expect(await payoutOfNext()).toBe("10.0000");
    expect((await network.patch(`/offers/${world.offerId}/payout-rules/${ruleId}`, { payoutKind: "" })).body.error).toMatchObject({ field: "payout" });
    expect((await network.patch(`/offers/${world.offerId}/payout-rules/${ruleId}`, { validFrom: "2026-02-30" })).body.error).toMatchObject({ field: "validFrom" });
    const other = await createWorld(handle.db);
    expect((await (await apiClient(handle.db, other.networkId)).patch(`/offers/${world.offerId}/payout-rules/${ruleId}`, { payout: "1" })).status).toBe(404);
  });

  it("starts a rule given as a day at that day's start in the network's time zone; an instant stays as given", async () => {
    const world = await createWorld(handle.db);
    await handle.db.update(organizations).set({ timeZone: "Asia/Tokyo" }).where(eq(organizations.id, world.networkId));
    const network = await apiClient(handle.db, world.networkId);
    const byDay = await network.post(`/offers/${world.offerId}/payout-rules`, { affiliateId: world.affiliateId, payout: 20, validFrom: "2026-12-10" });
    expect(byDay).toMatchObject({ status: 201, body: { validFrom: "2026-12-09T15:00:00.000Z" } });
    const byInstant = await network.post(`/offers/${world.offerId}/payout-rules`, { affiliateId: world.affiliateId, payout: 21, validFrom: "2026-12-10T12:00:00Z" });
    expect(byInstant.body.validFrom).toBe("2026-12-10T12:00:00.000Z");
    for (const validFrom of ["2026-02-31", "2026-13-01", "2026-12-32", "0000-01-01", "next week", "10000-01-01", "99999"]) {
      const impossible = await network.post(`/offers/${world.offerId}/payout-rules`, { affiliateId: world.affiliateId, payout: 22, validFrom });
      expect([validFrom, impossible.status, impossible.body.error?.field]).toEqual([validFrom, 422, "validFrom"]);
    }
  });

  it("lets the merchant's amount set the payout only where the endpoint allows it, the network's choice through the API", async () => {
    const allowing = await createWorld(handle.db);
    const refusing = await createWorld(handle.db);
    const network = await apiClient(handle.db, refusing.networkId);
    expect(await network.get(`/incoming-endpoints/${refusing.endpointId}`)).toMatchObject({ status: 200, body: { amountsFromPostback: true } });
    expect(await network.patch(`/incoming-endpoints/${refusing.endpointId}`, { amountsFromPostback: false })).toMatchObject({ status: 200, body: { amountsFromPostback: false } });
    const a = await conversionOf((await post(allowing, { click_id: await allowing.click(), payout: "3.33", status: "paid" })).body.conversion_id);
    const r = await conversionOf((await post(refusing, { click_id: await refusing.click(), payout: "3.33", status: "paid" })).body.conversion_id);
    expect(a.payout).toBe("3.3300");
    expect(r.payout).toBe("10.0000");
  });
});

describe(`caps (${testDriver})`, () => {
  it("accepts exactly the cap's number of 300 postbacks arriving at once, and rejects the rest with cap_reached", async () => {
    const world = await createWorld(handle.db);
    await addCap(handle.db, world.networkId, world.offerId, { goalKey: null, affiliateId: null, period: "day", metric: "count", capLimit: "100", action: "reject" });
    const clicks = await Promise.all(Array.from({ length: 300 }, () => world.click()));
    const answers = await Promise.all(clicks.map((click) => post(world, { click_id: click, status: "paid" })));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const rows = await handle.db.select().from(conversions).where(eq(conversions.offerId, world.offerId));
    expect(rows).toHaveLength(300);
    expect(rows.filter((r) => r.status === "approved")).toHaveLength(100);
    const rejected = rows.filter((r) => r.status === "rejected");
    expect(rejected).toHaveLength(200);
    expect(rejected[0].decisions[0]).toMatchObject({ by: "cap", action: "reject" });
    expect(rejected[0].decisions[0].reason).toContain("cap_reached");
    const [counter] = await handle.db.select().from(capCounters);
    const program = await getOfferProgram(handle.db, world.networkId, world.offerId, "UTC");
    expect(program.caps[0]).toMatchObject({ used: 100, share: 1, nearLimit: true });
    expect(counter).toBeDefined();
  });

  it("raises a cap through the API without starting its count again, and changes what happens over it", async () => {
    const world = await createWorld(handle.db);
    const capId = await addCap(handle.db, world.networkId, world.offerId, { goalKey: null, affiliateId: null, period: "day", metric: "count", capLimit: "2", action: "reject" });
    const statusOfNext = async () => (await post(world, { click_id: await world.click(), status: "paid" })).body.status;
    expect([await statusOfNext(), await statusOfNext(), await statusOfNext()]).toEqual(["approved", "approved", "rejected"]);
    const network = await apiClient(handle.db, world.networkId);
    expect(await network.patch(`/offers/${world.offerId}/caps/${capId}`, { capLimit: "3" })).toMatchObject({ status: 200, body: { capLimit: 3, action: "reject", used: 2 } });
    // The day's two still count: one more fits, not three.
    expect([await statusOfNext(), await statusOfNext()]).toEqual(["approved", "rejected"]);
    expect(await network.patch(`/offers/${world.offerId}/caps/${capId}`, { action: "hold" })).toMatchObject({ status: 200, body: { capLimit: 3, action: "hold" } });
    expect(await statusOfNext()).toBe("hold");
    expect(await network.patch(`/offers/${world.offerId}/caps/${capId}`, {})).toMatchObject({ status: 422, body: { error: { code: "invalid_input", field: "capLimit" } } });
    const other = await createWorld(handle.db);
    const otherNetwork = await apiClient(handle.db, other.networkId);
    expect((await otherNetwork.patch(`/offers/${world.offerId}/caps/${capId}`, { capLimit: "100" })).status).toBe(404);
    expect((await otherNetwork.patch(`/offers/${other.offerId}/caps/${capId}`, { capLimit: "100" })).status).toBe(404);
  });

  it("holds or zeroes the payout over a payout cap per affiliate, counting in the network's time zone", async () => {
    const world = await createWorld(handle.db);
    await addCap(handle.db, world.networkId, world.offerId, { goalKey: null, affiliateId: world.affiliateId, period: "month", metric: "payout", capLimit: "25", action: "zero_payout" });
    const payouts = [];
    for (let i = 0; i < 4; i++) payouts.push((await conversionOf((await post(world, { click_id: await world.click(), status: "paid" })).body.conversion_id)).payout);
    // 10 + 10 fit in 25; the third and fourth would not.
    expect(payouts).toEqual(["10.0000", "10.0000", "0.0000", "0.0000"]);
    // Taken at zero as a lead, it stays at zero when the merchant's approval names a payout.
    const click = await world.click();
    const lead = await post(world, { click_id: click, status: "pending" });
    expect(await conversionOf(lead.body.conversion_id)).toMatchObject({ status: "lead", payout: "0.0000" });
    await post(world, { click_id: click, status: "paid", payout: "7" });
    expect(await conversionOf(lead.body.conversion_id)).toMatchObject({ status: "approved", payout: "0.0000" });
    expect(periodStart("day", "Asia/Tokyo", new Date("2026-12-06T16:00:00Z"))).toBe("2026-12-07");
    expect(periodStart("week", "UTC", new Date("2026-12-06T16:00:00Z"))).toBe("week:2026-11-30");
  });

  it("caps conversions per hour on the network's clock: the hour's counter is its own, and a full hour rejects with its reason", async () => {
    const world = await createWorld(handle.db);
    // India is 5 h 30 min ahead of UTC: its hours start at half past in UTC.
    await handle.db.update(organizations).set({ timeZone: "Asia/Kolkata" }).where(eq(organizations.id, world.networkId));
    const network = await apiClient(handle.db, world.networkId);
    const cap = await network.post(`/offers/${world.offerId}/caps`, { period: "hour", capLimit: 2 });
    expect(cap).toMatchObject({ status: 201, body: { period: "hour", used: 0, periodStart: periodStart("hour", "Asia/Kolkata", new Date()) } });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await post(world, { click_id: await world.click(), status: "paid" })).body.status);
    const [counter] = await handle.db.select().from(capCounters).where(eq(capCounters.capId, cap.body.id));
    // Unless the test ran across the top of an hour, the third was over.
    if (counter.periodStart === periodStart("hour", "Asia/Kolkata", new Date())) {
      expect(statuses).toEqual(["approved", "approved", "rejected"]);
      expect((await network.get(`/offers/${world.offerId}`)).body.program.caps[0]).toMatchObject({ used: 2, reached: true });
      const [rejected] = (await network.get("/conversions?rule=cap_reached")).body.data;
      expect(rejected.decisions[0]).toMatchObject({ reason: `cap_reached: 2 conversions an hour (${counter.periodStart})`, values: { period: "hour" } });
    }
    expect(counter.periodStart).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}$/);
    expect(periodStart("hour", "Asia/Kolkata", new Date("2026-12-06T16:29:59Z"))).toBe("2026-12-06T21");
    expect(periodStart("hour", "Asia/Kolkata", new Date("2026-12-06T16:30:00Z"))).toBe("2026-12-06T22");
    expect(periodStart("hour", "UTC", new Date("2026-12-06T23:59:59Z"))).toBe("2026-12-06T23");
    // When clocks go back, the repeated hour on the clock is one period.
    expect(periodStart("hour", "Europe/Berlin", new Date("2026-10-25T00:30:00Z"))).toBe(periodStart("hour", "Europe/Berlin", new Date("2026-10-25T01:30:00Z")));
  });

  it("counts in a payout cap the payout a sale amount sets with a later status, so the next conversion is over it", async () => {
    const world = await createWorld(handle.db, { offer: { payoutKind: "percent", defaultPayout: "10" } });
    const capId = await addCap(handle.db, world.networkId, world.offerId, { goalKey: null, affiliateId: null, period: "day", metric: "payout", capLimit: "25", action: "reject" });
    const used = async () => (await handle.db.select().from(capCounters).where(eq(capCounters.capId, capId)))[0]?.used;
    const click = await world.click();
    const lead = await post(world, { click_id: click, status: "reg" });
    expect(await used()).toBe("0.0000");
    await post(world, { click_id: click, status: "paid", sale_amount: "300" });
    expect((await conversionOf(lead.body.conversion_id)).payout).toBe("30.0000");
    expect(await used()).toBe("30.0000");
    // A refund's amount frees no place: a rejection does not.
    await post(world, { click_id: click, status: "nope", sale_amount: "50" });
    expect(await used()).toBe("30.0000");
    const next = await post(world, { click_id: await world.click(), status: "paid", sale_amount: "10" });
    expect(next.body).toMatchObject({ status: "rejected" });
    expect((await conversionOf(next.body.conversion_id)).decisions).toEqual([expect.objectContaining({ kind: "cap_reached" })]);
  });

  it("caps the network's revenue, counting a later sale's revenue, and keeps the limit from the affiliate's view", async () => {
    const world = await createWorld(handle.db, { offer: { revenueKind: "percent", defaultRevenue: "20" } });
    const network = await apiClient(handle.db, world.networkId);
    const added = await network.post(`/offers/${world.offerId}/caps`, { period: "week", metric: "revenue", capLimit: "50", action: "hold" });
    expect(added).toMatchObject({ status: 201, body: { metric: "revenue", capLimit: 50 } });
    const sale = async (amount: string) => (await post(world, { click_id: await world.click(), status: "paid", sale_amount: amount })).body;
    // 20% of each sale: 20 + 20 fit in 50, the third's 20 would not.
    expect([(await sale("100")).status, (await sale("100")).status]).toEqual(["approved", "approved"]);
    const over = await sale("100");
    expect(over.status).toBe("hold");
    expect(await conversionOf(over.conversion_id)).toMatchObject({ revenue: "20.0000", decisions: [expect.objectContaining({ kind: "cap_reached", values: { metric: "revenue", limit: "50.0000", period: "week" } })] });
    expect((await network.get(`/offers/${world.offerId}`)).body.program.caps[0]).toMatchObject({ used: 40 });
    // A lead's revenue set later by its sale is counted too (0 → 6), and a small sale still fits.
    const click = await world.click();
    await post(world, { click_id: click, status: "reg" });
    await post(world, { click_id: click, status: "paid", sale_amount: "30" });
    expect((await network.get(`/offers/${world.offerId}`)).body.program.caps[0]).toMatchObject({ used: 46 });
    expect((await sale("20")).status).toBe("approved");
    expect((await sale("20")).status).toBe("hold");
    // Full, it takes no lead either, though a lead's revenue is 0 until its sale.
    expect((await post(world, { click_id: await world.click(), status: "reg" })).body.status).toBe("hold");

    // The network reads the cap's limit in the decision; the affiliate, who never reads revenue, does not.
    const decisionOf = async (orgId: string) => ((await (await apiClient(handle.db, orgId)).get("/conversions?rule=cap_reached")).body.data as { id: string; decisions: { values?: object; reason: string }[] }[]).find((c) => c.id === over.conversion_id)!.decisions[0];
    expect((await decisionOf(world.networkId)).values).toMatchObject({ limit: "50.0000" });
    const seenByAffiliate = await decisionOf(world.affiliateId);
    expect(seenByAffiliate.values).toEqual({ metric: "revenue", period: "week" });
    const timelineDecision = async (viewer: Viewer) => (await conversionTimeline(handle.db, viewer, over.conversion_id)).entries.find((e) => e.kind === "status" && e.change === "created");
    expect(await timelineDecision({ orgId: world.affiliateId, orgKind: "affiliate" })).toMatchObject({ decisions: [{ values: { metric: "revenue", period: "week" } }] });
    expect((await timelineDecision({ orgId: world.affiliateId, orgKind: "affiliate" }) as { decisions: { values: object }[] }).decisions[0].values).not.toHaveProperty("limit");
    expect(await timelineDecision({ orgId: world.networkId, orgKind: "network" })).toMatchObject({ decisions: [{ values: { limit: "50.0000" } }] });
  });

  it("keeps a payout cap's limit from the merchant: in its list, its timeline, the answer to its approval of a held conversion, and in decisions recorded before their figures were", async () => {
    const world = await createWorld(handle.db);
    await addCap(handle.db, world.networkId, world.offerId, { goalKey: null, affiliateId: null, period: "day", metric: "payout", capLimit: "17", action: "hold" });
    const first = await post(world, { click_id: await world.click(), status: "paid" });
    const click = await world.click();
    const held = await post(world, { click_id: click, status: "paid" });
    expect([first.body.status, held.body.status]).toEqual(["approved", "hold"]);
    const merchant = await apiClient(handle.db, world.merchantId);
    const merchantsDecision = async () => ((await merchant.get("/conversions?rule=cap_reached")).body.data as { id: string; decisions: { reason: string; values?: object }[] }[]).find((c) => c.id === held.body.conversion_id)!.decisions[0];
    expect(await merchantsDecision()).toMatchObject({ reason: "cap_reached: the payout cap a day", values: { metric: "payout", period: "day" } });
    expect((await merchantsDecision()).values).not.toHaveProperty("limit");
    const timeline = await conversionTimeline(handle.db, { orgId: world.merchantId, orgKind: "merchant" }, held.body.conversion_id);
    expect(JSON.stringify(timeline)).not.toContain("17.0000");
    const repeat = await post(world, { click_id: click, status: "paid" });
    expect(repeat.body.reason).toMatch(/^Held for review \(cap_reached: the payout cap a day[^)]*\)/);
    expect(repeat.body.reason).not.toContain("17");
    // A decision recorded before decisions kept their figures named the limit in its reason.
    const legacy = [{ by: "cap" as const, id: "cap_old", kind: "cap_reached", action: "hold" as const, reason: "cap_reached: 17.0000 of payout a day (2026-12-01)" }];
    await handle.db.update(conversions).set({ decisions: legacy }).where(eq(conversions.id, held.body.conversion_id));
    expect((await merchantsDecision()).reason).toBe("cap_reached: the payout cap a day");
    expect((await post(world, { click_id: click, status: "paid" })).body.reason).not.toContain("17");
    const network = await apiClient(handle.db, world.networkId);
    expect(((await network.get("/conversions?rule=cap_reached")).body.data as { id: string; decisions: { reason: string }[] }[]).find((c) => c.id === held.body.conversion_id)!.decisions[0].reason).toContain("17.0000");
  });

  it("shows the affiliate the caps its conversions count against: its own with their use, shared ones as reached or not, never a revenue cap, a soft cap or another's", async () => {
    const world = await createWorld(handle.db);
    const other = `org_aff_other_${world.affiliateId}`;
    await handle.db.insert(organizations).values({ id: other, name: "Another affiliate", kind: "affiliate" });
    await handle.db.insert(memberships).values({ id: `mem_${other}`, networkId: world.networkId, affiliateId: other, status: "approved" });
    const cap = (values: Partial<Parameters<typeof addCap>[3]>) => addCap(handle.db, world.networkId, world.offerId, { goalKey: null, affiliateId: null, period: "day", metric: "count", capLimit: "2", action: "reject", ...values });
    const shared = await cap({});
    const own = await cap({ affiliateId: world.affiliateId, metric: "payout", capLimit: "100", period: "month" });
    await cap({ affiliateId: other, capLimit: "1" });
    await cap({ metric: "revenue", capLimit: "1000" });
    await cap({ action: "flag", capLimit: "1" });
    const affiliate = await apiClient(handle.db, world.affiliateId);
    const capsSeen = async () => (await affiliate.get(`/offers/${world.offerId}`)).body.caps;
    expect(await capsSeen()).toEqual([
      { id: shared, goalKey: null, period: "day", metric: "count", capLimit: 2, yours: false, used: null, reached: false },
      { id: own, goalKey: null, period: "month", metric: "payout", capLimit: 100, yours: true, used: 0, reached: false },
    ]);
    for (let i = 0; i < 2; i++) await post(world, { click_id: await world.click(), status: "paid" });
    expect(await capsSeen()).toMatchObject([{ id: shared, used: null, reached: true }, { id: own, used: 20, reached: false }]);
    // The list of offers says the same.
    expect((await affiliate.get("/offers")).body.data.find((o: { id: string }) => o.id === world.offerId).caps).toHaveLength(2);
  });

  it("lets conversions through a full soft cap flagged for review, still counting them in the hard caps, and keeps its clicks off the fallback", async () => {
    const world = await createWorld(handle.db, { offer: { capFallbackUrl: "https://fallback.example.com/full" } });
    const capOf = (values: Partial<Parameters<typeof addCap>[3]>) => addCap(handle.db, world.networkId, world.offerId, { goalKey: null, affiliateId: null, period: "day", metric: "count", capLimit: "1", action: "flag", ...values });
    const soft = await capOf({});
    const hard = await capOf({ capLimit: "3", action: "reject" });
    const next = async () => conversionOf((await post(world, { click_id: await world.click(), status: "paid" })).body.conversion_id);
    expect(await next()).toMatchObject({ status: "approved", flagged: false, decisions: [] });
    // Over the soft cap: approved, flagged, and counted in the hard cap all the same.
    const flagged = await next();
    expect(flagged).toMatchObject({ status: "approved", flagged: true, decisions: [expect.objectContaining({ by: "cap", id: soft, action: "flag", kind: "cap_reached" })] });
    expect(await next()).toMatchObject({ status: "approved", flagged: true });
    const overBoth = await next();
    expect(overBoth).toMatchObject({ status: "rejected", flagged: false });
    expect(overBoth.decisions.map((d) => [d.id, d.action])).toEqual([[soft, "flag"], [hard, "reject"]]);
    const used = async (capId: string) => (await handle.db.select().from(capCounters).where(eq(capCounters.capId, capId)))[0].used;
    expect([await used(soft), await used(hard)]).toEqual(["1.0000", "3.0000"]);
    // The soft cap alone sends no click to the fallback; the full hard cap does.
    const clickTo = async (w: typeof world) => (await handleClick(handle.db, new Request(`http://postline.test/c/${w.code}`), w.code)).headers.get("location");
    const softOnly = await createWorld(handle.db, { offer: { capFallbackUrl: "https://fallback.example.com/full" } });
    await addCap(handle.db, softOnly.networkId, softOnly.offerId, { goalKey: null, affiliateId: null, period: "day", metric: "count", capLimit: "1", action: "flag" });
    await post(softOnly, { click_id: await softOnly.click(), status: "paid" });
    expect(await clickTo(softOnly)).toMatch(/^https:\/\/shop\.example\.com\/land/);
    expect(await clickTo(world)).toBe("https://fallback.example.com/full");
  });
});

describe(`hold period (${testDriver})`, () => {
  it("holds a merchant's approval until the time, ignores a second approval meanwhile, and approves it then through the pipeline", async () => {
    const world = await createWorld(handle.db, { offer: { holdHours: 1 } });
    await world.addPostback({ statuses: ["approved"] });
    const first = await post(world, { click_id: await world.click(), status: "paid" });
    expect(first.body.status).toBe("hold");
    const held = await conversionOf(first.body.conversion_id);
    expect(held.holdUntil!.getTime()).toBeGreaterThan(Date.now() + 3_500_000);
    const early = await post(world, { click_id: held.clickId, status: "paid" });
    expect(early.body).toMatchObject({ result: "ignored", status: "hold" });

    expect(await approveHeldConversion(handle.db, held.id)).toEqual({ approved: false, deliveries: [] });
    await handle.db.update(conversions).set({ holdUntil: new Date(Date.now() - 1000) }).where(eq(conversions.id, held.id));
    expect(await findDueHolds(handle.db)).toContain(held.id);
    const ended = await approveHeldConversion(handle.db, held.id);
    expect(ended.approved).toBe(true);
    expect(ended.deliveries).toHaveLength(1);
    const events = await handle.db.select().from(conversionEvents).where(eq(conversionEvents.conversionId, held.id)).orderBy(conversionEvents.seq);
    expect(events.map((e) => [e.toStatus, e.source])).toEqual([["hold", "incoming_postback"], ["approved", "hold_expiry"]]);
  });

  it("a rejection during the hold cancels it", async () => {
    const world = await createWorld(handle.db, { offer: { holdHours: 1 } });
    const first = await post(world, { click_id: await world.click(), status: "paid" });
    await post(world, { click_id: (await conversionOf(first.body.conversion_id)).clickId, status: "nope" });
    await handle.db.update(conversions).set({ holdUntil: new Date(Date.now() - 1000) }).where(eq(conversions.id, first.body.conversion_id));
    expect(await approveHeldConversion(handle.db, first.body.conversion_id)).toEqual({ approved: false, deliveries: [] });
    expect((await conversionOf(first.body.conversion_id)).status).toBe("rejected");
  });
});

describe(`what the program decided stays decided (${testDriver})`, () => {
  it("keeps a conversion a rule holds for review on hold through the merchant's repeat approval, and a cap's hold off the goal's timer", async () => {
    const world = await createWorld(handle.db, { offer: { holdHours: 1 } });
    await addRule(handle.db, world.networkId, world.offerId, ruleInputSchema.parse({ kind: "min_click_seconds", action: "hold", threshold: 3600, windowMinutes: null, countries: null }));
    const first = await post(world, { click_id: await world.click(), status: "paid" });
    expect(first.body.status).toBe("hold");
    const held = await conversionOf(first.body.conversion_id);
    expect(held.holdUntil).toBeNull();
    const repeat = await post(world, { click_id: held.clickId, status: "paid" });
    expect(repeat.body).toMatchObject({ result: "ignored", status: "hold" });
    expect(repeat.body.reason).toContain("Held for review");
  });

  it("takes a percentage payout from a sale amount that comes with a later status", async () => {
    const world = await createWorld(handle.db, { offer: { payoutKind: "percent", defaultPayout: "10" } });
    const click = await world.click();
    const lead = await post(world, { click_id: click, status: "reg" });
    expect((await conversionOf(lead.body.conversion_id)).payout).toBe("0.0000");
    await post(world, { click_id: click, status: "paid", sale_amount: "300" });
    expect((await conversionOf(lead.body.conversion_id)).payout).toBe("30.0000");
  });

  it("refuses to remove a goal that has conversions", async () => {
    const world = await createWorld(handle.db);
    const goalId = await addGoal(handle.db, world.networkId, world.offerId, goal("deposit"));
    await post(world, { click_id: await world.click(), goal: "deposit", status: "paid" });
    await expect(removeProgramPart(handle.db, world.networkId, world.offerId, "goal", goalId)).rejects.toMatchObject({ code: "conflict" });
    const other = await createWorld(handle.db);
    await expect(removeProgramPart(handle.db, other.networkId, other.offerId, "goal", goalId)).rejects.toMatchObject({ code: "not_found" });
  });
});

describe(`conversion rules (${testDriver})`, () => {
  it("changes a rule's setting and action for conversions from then on, and refuses a setting its kind lacks", async () => {
    const world = await createWorld(handle.db);
    const ruleId = await addRule(handle.db, world.networkId, world.offerId, ruleInputSchema.parse({ kind: "min_click_seconds", action: "flag", threshold: 3600, windowMinutes: null, countries: null }));
    const next = async () => conversionOf((await post(world, { click_id: await world.click(), status: "paid" })).body.conversion_id);
    expect(await next()).toMatchObject({ status: "approved", flagged: true });
    const network = await apiClient(handle.db, world.networkId);
    expect(await network.patch(`/offers/${world.offerId}/rules/${ruleId}`, { action: "reject" })).toMatchObject({ status: 200, body: { kind: "min_click_seconds", action: "reject", threshold: 3600 } });
    expect(await next()).toMatchObject({ status: "rejected" });
    // A fresh click is 0 s old: a minimum of 0 s lets it through.
    expect(await network.patch(`/offers/${world.offerId}/rules/${ruleId}`, { threshold: 0 })).toMatchObject({ status: 200, body: { threshold: 0, action: "reject" } });
    expect(await next()).toMatchObject({ status: "approved", flagged: false, decisions: [] });
    expect(await network.patch(`/offers/${world.offerId}/rules/${ruleId}`, { countries: ["US"] })).toMatchObject({
      status: 422,
      body: { error: { field: "countries", message: "The rule “click to conversion at least” has no such setting." } },
    });
    expect(await network.patch(`/offers/${world.offerId}/rules/${ruleId}`, { windowMinutes: 5 })).toMatchObject({ status: 422, body: { error: { field: "windowMinutes" } } });
    expect(await network.patch(`/offers/${world.offerId}/rules/${ruleId}`, { threshold: "" })).toMatchObject({ status: 422, body: { error: { field: "threshold" } } });
    // A countries rule's list can change, not empty: a rule without countries would reject every click.
    const countriesRule = await addRule(handle.db, world.networkId, world.offerId, ruleInputSchema.parse({ kind: "countries", action: "flag", threshold: null, windowMinutes: null, countries: ["US"] }));
    expect(await network.patch(`/offers/${world.offerId}/rules/${countriesRule}`, { countries: [] })).toMatchObject({ status: 422, body: { error: { field: "countries", message: "Two-letter country codes, like US, DE." } } });
    expect(await network.patch(`/offers/${world.offerId}/rules/${countriesRule}`, { countries: " , ", action: "reject" })).toMatchObject({ status: 422, body: { error: { field: "countries" } } });
    expect(await network.patch(`/offers/${world.offerId}/rules/${countriesRule}`, { countries: "", action: "reject" })).toMatchObject({ status: 200, body: { countries: ["US"], action: "reject" } });
    expect(await network.patch(`/offers/${world.offerId}/rules/${countriesRule}`, { countries: "de, fr" })).toMatchObject({ status: 200, body: { countries: ["DE", "FR"] } });
    const other = await createWorld(handle.db);
    const otherNetwork = await apiClient(handle.db, other.networkId);
    expect((await otherNetwork.patch(`/offers/${world.offerId}/rules/${ruleId}`, { action: "flag" })).status).toBe(404);
    // Its own offer, another network's rule: not found either.
    expect((await otherNetwork.patch(`/offers/${other.offerId}/rules/${ruleId}`, { action: "flag" })).status).toBe(404);
  });

  it("refuses a change form sent with every field blank (422 on the form's first field), whatever ids it carries", () => {
    const ids = { offerId: "off_x", id: "part_x" };
    const blank = { ...ids, name: "", payout: "", payoutKind: "", revenue: "", revenueKind: "", holdHours: "", validFrom: "", capLimit: "", action: "", threshold: "", windowMinutes: "", countries: "" };
    const schemas = [
      [goalChangeSchema, "payout"],
      [payoutRuleChangeSchema, "payout"],
      [capChangeSchema, "capLimit"],
      [ruleChangeSchema, "threshold"],
    ] as const;
    // However the ids are added: beside the change (the offer page's actions) or into it.
    const partIds = z.object({ offerId: z.string(), id: z.string() });
    for (const [schema, field] of schemas) {
      for (const withIds of [partIds.and(schema), schema.extend(partIds.shape)]) {
        const parsed = withIds.safeParse(blank);
        expect([parsed.success, parsed.error?.issues.map((issue) => issue.path.join("."))]).toEqual([false, [field]]);
      }
    }
  });

  it("rejects, holds or flags by click-to-conversion time, IP and country, recording each reason", async () => {
    const world = await createWorld(handle.db);
    await addRule(handle.db, world.networkId, world.offerId, ruleInputSchema.parse({ kind: "min_click_seconds", action: "flag", threshold: 60, windowMinutes: null, countries: null }));
    await addRule(handle.db, world.networkId, world.offerId, ruleInputSchema.parse({ kind: "ip_limit", action: "reject", threshold: 2, windowMinutes: 60, countries: null }));
    await addRule(handle.db, world.networkId, world.offerId, ruleInputSchema.parse({ kind: "countries", action: "hold", threshold: null, windowMinutes: null, countries: ["DE"] }));
    const clickFrom = async (ip: string, country: string) => {
      const id = await world.click(1);
      await handle.db.update(clicks).set({ ip, country }).where(eq(clicks.id, id));
      return id;
    };
    const fresh = await post(world, { click_id: await world.click(), status: "paid" });
    const fromDe = [] as string[];
    for (let i = 0; i < 3; i++) fromDe.push((await post(world, { click_id: await clickFrom("203.0.113.9", "DE"), status: "paid" })).body.conversion_id);
    const fromUs = await post(world, { click_id: await clickFrom("203.0.113.10", "US"), status: "paid" });

    const freshRow = await conversionOf(fresh.body.conversion_id);
    expect(freshRow).toMatchObject({ status: "hold", flagged: true });
    expect(freshRow.decisions.map((d) => d.kind).sort()).toEqual(["countries", "min_click_seconds"]);
    expect(freshRow.decisions.find((d) => d.kind === "min_click_seconds")!.reason).toContain("under the minimum of 60 s");
    const de = await Promise.all(fromDe.map(conversionOf));
    expect(de.map((r) => r.status)).toEqual(["approved", "approved", "rejected"]);
    expect(de[2].decisions[0].reason).toContain("2 conversions from this IP");
    expect((await conversionOf(fromUs.body.conversion_id)).status).toBe("hold");
  });

  it("blocks an affiliate's sub id or source: rejects its conversions, sends its clicks to the fallback, and keeps the value from the merchant", async () => {
    const world = await createWorld(handle.db, { offer: { capFallbackUrl: "https://fallback.example.com/blocked?cid={click_id}" } });
    // A second affiliate on the offer, sending the same sub id: the rule is not for it.
    const other = `org_aff_other_${world.affiliateId}`;
    await handle.db.insert(organizations).values({ id: other, name: "Another affiliate", kind: "affiliate" });
    await handle.db.insert(memberships).values({ id: `mem_${other}`, networkId: world.networkId, affiliateId: other, status: "approved" });
    const otherCampaign = `cmp_${other}`;
    await handle.db.insert(campaigns).values({ id: otherCampaign, affiliateId: other, offerId: world.offerId, name: "Other campaign" });
    await handle.db.insert(trackingLinks).values({ id: `lnk_${other}`, code: `code-${other}`, campaignId: otherCampaign, affiliateId: other, offerId: world.offerId });

    const network = await apiClient(handle.db, world.networkId);
    const blockSub1 = await network.post(`/offers/${world.offerId}/rules`, { kind: "blocked_subs", param: "sub1", blockedValues: "site-9, Spam", action: "reject", affiliateId: world.affiliateId });
    expect(blockSub1).toMatchObject({ status: 201, body: { kind: "blocked_subs", param: "sub1", blockedValues: ["site-9", "Spam"], affiliateId: world.affiliateId, action: "reject", threshold: null } });
    const flagSource = await network.post(`/offers/${world.offerId}/rules`, { kind: "blocked_subs", param: "source", blockedValues: ["push"], action: "flag", threshold: 5 });
    // A setting the kind does not have is not kept.
    expect(flagSource).toMatchObject({ status: 201, body: { param: "source", blockedValues: ["push"], affiliateId: null, threshold: null } });

    // Clicks through the real click path: the click id is in the redirect either way.
    const clickTo = async (code: string, query: string) => {
      const location = (await handleClick(handle.db, new Request(`http://postline.test/c/${code}?${query}`), code)).headers.get("location")!;
      return { location, clickId: new URL(location).searchParams.get("cid")! };
    };
    const blocked = await clickTo(world.code, "sub1=SPAM");
    expect(blocked.location).toMatch(/^https:\/\/fallback\.example\.com\/blocked\?cid=clk_/);
    const allowed = await clickTo(world.code, "sub1=site-10");
    const otherAffiliates = await clickTo(`code-${other}`, "sub1=spam");
    const flaggedSource = await clickTo(world.code, "source=push");
    for (const click of [allowed, otherAffiliates, flaggedSource]) expect(click.location).toMatch(/^https:\/\/shop\.example\.com\/land/);

    const convert = async (clickId: string) => post(world, { click_id: clickId, status: "paid" });
    const rejected = await convert(blocked.clickId);
    expect(rejected).toMatchObject({ status: 200, body: { status: "rejected" } });
    expect(JSON.stringify(rejected.body)).not.toContain("SPAM");
    expect(await conversionOf(rejected.body.conversion_id)).toMatchObject({
      status: "rejected",
      decisions: [{ by: "rule", id: blockSub1.body.id, kind: "blocked_subs", action: "reject", reason: "the click's sub1 is blocked", values: { param: "sub1", value: "SPAM" } }],
    });
    expect(await conversionOf((await convert(allowed.clickId)).body.conversion_id)).toMatchObject({ status: "approved", decisions: [] });
    expect(await conversionOf((await convert(otherAffiliates.clickId)).body.conversion_id)).toMatchObject({ status: "approved", decisions: [] });
    expect(await conversionOf((await convert(flaggedSource.clickId)).body.conversion_id)).toMatchObject({ status: "approved", flagged: true, decisions: [{ kind: "blocked_subs", values: { param: "source", value: "push" } }] });

    // The merchant reads that a sub id was blocked, never which: not in its list, timeline or log.
    const decisionSeenBy = async (orgId: string) =>
      ((await (await apiClient(handle.db, orgId)).get("/conversions?rule=blocked_subs")).body.data as { id: string; decisions: { values?: object }[] }[]).find((c) => c.id === rejected.body.conversion_id)!.decisions[0];
    expect((await decisionSeenBy(world.merchantId)).values).toEqual({ param: "sub1" });
    expect((await decisionSeenBy(world.affiliateId)).values).toEqual({ param: "sub1", value: "SPAM" });
    const merchantTimeline = await conversionTimeline(handle.db, { orgId: world.merchantId, orgKind: "merchant" }, rejected.body.conversion_id);
    // (Its landing URL may carry sub1: the merchant's landing page was sent it with the visitor.)
    expect(merchantTimeline.entries.find((e) => e.kind === "status")).toMatchObject({ decisions: [{ reason: "the click's sub1 is blocked", values: { param: "sub1" } }] });
    expect(JSON.stringify(merchantTimeline.entries.filter((e) => e.kind !== "click"))).not.toContain("SPAM");
    const [logRow] = await handle.db.select().from(incomingPostbackLog).where(eq(incomingPostbackLog.conversionId, rejected.body.conversion_id));
    expect(logRow.message).toContain("the click's sub1 is blocked");
    expect(logRow.message).not.toContain("SPAM");

    // Changed: the list is replaced (blank keeps it, an empty one is refused), and the old value passes.
    const change = (body: object) => network.patch(`/offers/${world.offerId}/rules/${blockSub1.body.id}`, body);
    expect(await change({ blockedValues: "", action: "flag" })).toMatchObject({ status: 200, body: { blockedValues: ["site-9", "Spam"], action: "flag" } });
    expect(await change({ blockedValues: " , " })).toMatchObject({ status: 422, body: { error: { field: "blockedValues" } } });
    expect(await change({ blockedValues: "site-10", param: "aff_sub" })).toMatchObject({ status: 422, body: { error: { field: "param", message: "Pick sub1 to sub10 or source." } } });
    expect(await change({ blockedValues: "site-10", param: "sub1", action: "reject" })).toMatchObject({ status: 200, body: { blockedValues: ["site-10"] } });
    expect(await change({ threshold: 5 })).toMatchObject({ status: 422, body: { error: { field: "threshold", message: "The rule “blocked sub ids” has no such setting." } } });
    const minimum = await addRule(handle.db, world.networkId, world.offerId, ruleInputSchema.parse({ kind: "min_click_seconds", action: "flag", threshold: 0 }));
    expect(await network.patch(`/offers/${world.offerId}/rules/${minimum}`, { blockedValues: "x" })).toMatchObject({ status: 422, body: { error: { field: "blockedValues" } } });
    expect(await conversionOf((await convert((await clickTo(world.code, "sub1=spam")).clickId)).body.conversion_id)).toMatchObject({ status: "approved", decisions: [] });
    expect(await conversionOf((await convert((await clickTo(world.code, "sub1=SITE-10")).clickId)).body.conversion_id)).toMatchObject({ status: "rejected" });

    // Bad input: 422 on the field at fault.
    const unapproved = await createWorld(handle.db);
    for (const [body, field] of [
      [{ kind: "blocked_subs", param: "sub11", blockedValues: "x" }, "param"],
      // A per-IP rule counts every affiliate's conversions from the IP: it cannot be one affiliate's.
      [{ kind: "ip_limit", threshold: 3, windowMinutes: 60, affiliateId: world.affiliateId }, "affiliateId"],
      [{ kind: "blocked_subs", blockedValues: "x" }, "param"],
      [{ kind: "blocked_subs", param: "sub1" }, "blockedValues"],
      [{ kind: "blocked_subs", param: "sub1", blockedValues: "x", affiliateId: unapproved.affiliateId }, "affiliateId"],
    ] as const) {
      expect(await network.post(`/offers/${world.offerId}/rules`, body)).toMatchObject({ status: 422, body: { error: { field } } });
    }
    expect((await network.post(`/offers/${world.offerId}/rules`, { kind: "blocked_subs", param: "sub11", blockedValues: "x" })).body.error.message).toBe("Pick sub1 to sub10 or source.");
  });

  it("blocks IP addresses and ranges (IPv4 and IPv6): rejects their conversions, sends their clicks to the fallback, keeps the IP from the merchant", async () => {
    const world = await createWorld(handle.db, { offer: { capFallbackUrl: "https://fallback.example.com/ip?cid={click_id}" } });
    const network = await apiClient(handle.db, world.networkId);
    expect(await network.post(`/offers/${world.offerId}/rules`, { kind: "blocked_ips", blockedValues: "198.51.100.0/24, 10.0.0.300, bots" })).toMatchObject({
      status: 422,
      body: { error: { field: "blockedValues", message: "Not an address or CIDR range: 10.0.0.300, bots." } },
    });
    const rule = await network.post(`/offers/${world.offerId}/rules`, { kind: "blocked_ips", blockedValues: "198.51.100.0/24, 2001:db8::/32", action: "reject", param: "sub1" });
    expect(rule).toMatchObject({ status: 201, body: { kind: "blocked_ips", blockedValues: ["198.51.100.0/24", "2001:db8::/32"], param: null } });
    const clickFrom = async (ip: string) => {
      const location = (await handleClick(handle.db, new Request(`http://postline.test/c/${world.code}`, { headers: { "x-forwarded-for": ip } }), world.code)).headers.get("location")!;
      return { location, clickId: new URL(location).searchParams.get("cid")! };
    };
    const [inRange, v6, mapped, outside] = await Promise.all(["198.51.100.7", "2001:db8::5", "::ffff:198.51.100.9", "203.0.113.20"].map(clickFrom));
    for (const blocked of [inRange, v6, mapped]) expect(blocked.location).toMatch(/^https:\/\/fallback\.example\.com\/ip/);
    expect(outside.location).toMatch(/^https:\/\/shop\.example\.com\/land/);
    const rejected = await post(world, { click_id: inRange.clickId, status: "paid" });
    expect(await conversionOf(rejected.body.conversion_id)).toMatchObject({
      status: "rejected",
      decisions: [{ kind: "blocked_ips", reason: "the click's IP is blocked", values: { param: "IP", value: "198.51.100.7" } }],
    });
    expect((await post(world, { click_id: outside.clickId, status: "paid" })).body.status).toBe("approved");
    const merchant = await apiClient(handle.db, world.merchantId);
    const seen = (await merchant.get("/conversions?rule=blocked_ips")).body.data.find((c: { id: string }) => c.id === rejected.body.conversion_id);
    expect(seen.decisions[0].values).toEqual({ param: "IP" });
    // A change is checked as the rule's kind: addresses for a blocked_ips rule.
    const change = (body: object) => network.patch(`/offers/${world.offerId}/rules/${rule.body.id}`, body);
    expect(await change({ blockedValues: "not-an-ip" })).toMatchObject({ status: 422, body: { error: { field: "blockedValues", message: "Not an address or CIDR range: not-an-ip." } } });
    expect(await change({ param: "sub1" })).toMatchObject({ status: 422, body: { error: { field: "param" } } });
    expect(await change({ blockedValues: "203.0.113.20" })).toMatchObject({ status: 200, body: { blockedValues: ["203.0.113.20"] } });
  });

  it("sends a blocked click to the landing page when its rule only holds, or when the offer has no fallback URL", async () => {
    const clickTo = async (w: World, query: string) => (await handleClick(handle.db, new Request(`http://postline.test/c/${w.code}?${query}`), w.code)).headers.get("location")!;
    const held = await createWorld(handle.db, { offer: { capFallbackUrl: "https://fallback.example.com/held" } });
    await addRule(handle.db, held.networkId, held.offerId, ruleInputSchema.parse({ kind: "blocked_subs", param: "sub1", blockedValues: "spam", action: "hold" }));
    expect(await clickTo(held, "sub1=spam")).toMatch(/^https:\/\/shop\.example\.com\/land/);
    const noFallback = await createWorld(handle.db);
    await addRule(handle.db, noFallback.networkId, noFallback.offerId, ruleInputSchema.parse({ kind: "blocked_subs", param: "sub1", blockedValues: "spam", action: "reject" }));
    const location = await clickTo(noFallback, "sub1=spam");
    expect(location).toMatch(/^https:\/\/shop\.example\.com\/land/);
    // Its conversion is rejected all the same.
    const answer = await post(noFallback, { click_id: new URL(location).searchParams.get("cid")!, status: "paid" });
    expect(answer.body.status).toBe("rejected");
  });

  it("shows the affiliate the sub ids blocked for it on its offers, its own and everyone's, never another's or a flag the network keeps to itself", async () => {
    const world = await createWorld(handle.db);
    const other = `org_aff_other_${world.affiliateId}`;
    await handle.db.insert(organizations).values({ id: other, name: "Another affiliate", kind: "affiliate" });
    await handle.db.insert(memberships).values({ id: `mem_${other}`, networkId: world.networkId, affiliateId: other, status: "approved" });
    const block = (values: Record<string, unknown>) => addRule(handle.db, world.networkId, world.offerId, ruleInputSchema.parse({ kind: "blocked_subs", param: "sub1", action: "reject", ...values }));
    const own = await block({ blockedValues: "site-9, spam", affiliateId: world.affiliateId });
    const everyone = await block({ param: "source", blockedValues: "push", action: "hold" });
    await block({ blockedValues: "theirs", affiliateId: other });
    await block({ blockedValues: "watched", action: "flag" });
    await addRule(handle.db, world.networkId, world.offerId, ruleInputSchema.parse({ kind: "min_click_seconds", action: "reject", threshold: 5 }));
    const affiliate = await apiClient(handle.db, world.affiliateId);
    expect((await affiliate.get(`/offers/${world.offerId}`)).body.blockedSubs).toEqual([
      { id: own, param: "sub1", blockedValues: ["site-9", "spam"], action: "reject", yours: true },
      { id: everyone, param: "source", blockedValues: ["push"], action: "hold", yours: false },
    ]);
    const listed = (await affiliate.get("/offers")).body.data.find((o: { id: string }) => o.id === world.offerId);
    expect(listed.blockedSubs.map((b: { id: string }) => b.id)).toEqual([own, everyone]);
    // The merchant's view of the offer has none of it.
    const merchantsView = await (await apiClient(handle.db, world.merchantId)).get(`/offers/${world.offerId}`);
    expect(merchantsView.status).toBe(200);
    expect(merchantsView.body).not.toHaveProperty("blockedSubs");
  });

  it("lets exactly the per-IP limit of 40 postbacks from one address arriving at once through, and a repeat takes no place", async () => {
    const world = await createWorld(handle.db);
    await addRule(handle.db, world.networkId, world.offerId, ruleInputSchema.parse({ kind: "ip_limit", action: "reject", threshold: 5, windowMinutes: 60, countries: null }));
    const fromOneIp = await Promise.all(
      Array.from({ length: 40 }, async () => {
        const id = await world.click(1);
        await handle.db.update(clicks).set({ ip: "203.0.113.77" }).where(eq(clicks.id, id));
        return id;
      }),
    );
    // The first click's postback twice more: duplicates of one conversion count once.
    const answers = await Promise.all([...fromOneIp, fromOneIp[0], fromOneIp[0]].map((click) => post(world, { click_id: click, status: "paid" })));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const rows = await handle.db.select().from(conversions).where(eq(conversions.offerId, world.offerId));
    expect(rows).toHaveLength(40);
    expect(rows.filter((r) => r.status === "approved")).toHaveLength(5);
    const rejected = rows.filter((r) => r.status === "rejected");
    expect(rejected).toHaveLength(35);
    expect(rejected[0].decisions[0]).toMatchObject({ by: "rule", kind: "ip_limit", action: "reject" });
    // Another address of the same offer starts its own count.
    const other = await world.click(1);
    await handle.db.update(clicks).set({ ip: "203.0.113.78" }).where(eq(clicks.id, other));
    const answer = await post(world, { click_id: other, status: "paid" });
    expect((await conversionOf(answer.body.conversion_id)).status).toBe("approved");
  });

  it("counts neither a status update nor a transaction id another click converted against the per-IP limit", async () => {
    const world = await createWorld(handle.db);
    await addGoal(handle.db, world.networkId, world.offerId, goal("deposit", { multiple: true }));
    await addRule(handle.db, world.networkId, world.offerId, ruleInputSchema.parse({ kind: "ip_limit", action: "reject", threshold: 2, windowMinutes: 60, countries: null }));
    const clickFrom = async (ip: string) => {
      const id = await world.click(1);
      await handle.db.update(clicks).set({ ip }).where(eq(clicks.id, id));
      return id;
    };
    const statusOf = async (answer: { body: { conversion_id: string } }) => (await conversionOf(answer.body.conversion_id)).status;

    const first = await clickFrom("203.0.113.90");
    const pending = await post(world, { click_id: first, status: "pending" });
    // The same conversion approved: a status update, not a second conversion from the address.
    const approved = await post(world, { click_id: first, status: "paid" });
    expect(approved.body).toMatchObject({ result: "accepted", status: "approved", conversion_id: pending.body.conversion_id });
    const deposit = await post(world, { click_id: first, goal: "deposit", txid: "dep-1", status: "paid" });
    expect(await statusOf(deposit)).toBe("approved");

    // Clicks from another address name that deposit's transaction, on its goal and on the default
    // one (once per click): both refused, and neither counted there.
    const taken = [
      await post(world, { click_id: await clickFrom("203.0.113.91"), goal: "deposit", txid: "dep-1", status: "paid" }),
      await post(world, { click_id: await clickFrom("203.0.113.91"), txid: "dep-1", status: "paid" }),
    ];
    expect(taken.map((answer) => [answer.status, answer.body.error?.code])).toEqual([
      [409, "transaction_conflict"],
      [409, "transaction_conflict"],
    ]);
    const fromSecond = [await post(world, { click_id: await clickFrom("203.0.113.91"), status: "paid" }), await post(world, { click_id: await clickFrom("203.0.113.91"), status: "paid" })];
    expect(await Promise.all(fromSecond.map(statusOf))).toEqual(["approved", "approved"]);
    // Each address's third conversion is over the limit.
    expect(await statusOf(await post(world, { click_id: await clickFrom("203.0.113.90"), status: "paid" }))).toBe("rejected");
    expect(await statusOf(await post(world, { click_id: await clickFrom("203.0.113.91"), status: "paid" }))).toBe("rejected");
  });

  it("counts each per-IP rule over its own window", async () => {
    const world = await createWorld(handle.db);
    await addRule(handle.db, world.networkId, world.offerId, ruleInputSchema.parse({ kind: "ip_limit", action: "flag", threshold: 1, windowMinutes: 10, countries: null }));
    await addRule(handle.db, world.networkId, world.offerId, ruleInputSchema.parse({ kind: "ip_limit", action: "reject", threshold: 1, windowMinutes: 60, countries: null }));
    // A conversion from the address half an hour ago: inside the hour, outside the ten minutes.
    await handle.db.insert(ipConversionTimes).values({ offerId: world.offerId, ip: "203.0.113.95", times: sql`array[now() - interval '30 minutes']`, keys: ["click:earlier"] });
    const id = await world.click(1);
    await handle.db.update(clicks).set({ ip: "203.0.113.95" }).where(eq(clicks.id, id));
    const row = await conversionOf((await post(world, { click_id: id, status: "paid" })).body.conversion_id);
    expect(row).toMatchObject({ status: "rejected", flagged: false });
    expect(row.decisions.map((d) => [d.kind, d.action])).toEqual([["ip_limit", "reject"]]);
  });

  it("approves flagged conversions in bulk, after saying how many postbacks that sends", async () => {
    const world = await createWorld(handle.db);
    await world.addPostback({ statuses: ["approved"] });
    await addRule(handle.db, world.networkId, world.offerId, ruleInputSchema.parse({ kind: "min_click_seconds", action: "hold", threshold: 3600, windowMinutes: null, countries: null }));
    for (let i = 0; i < 3; i++) await post(world, { click_id: await world.click(), status: "paid" });
    const preview = await previewBulkDecision(handle.db, world.networkId, { filters: { rule: "min_click_seconds" }, to: "approved" });
    expect(preview).toMatchObject({ conversions: 3, postbacks: 3 });
    const done = await decideInBulk(handle.db, { orgId: world.networkId, userId: null as never }, { filters: { rule: "min_click_seconds" }, to: "approved" });
    expect(done.moved).toBe(3);
    expect(done.deliveries).toHaveLength(3);
    const other = await createWorld(handle.db);
    expect(await previewBulkDecision(handle.db, other.networkId, { filters: { rule: "min_click_seconds" }, to: "approved" })).toMatchObject({ conversions: 0 });
    const rows = await handle.db.select().from(conversions).where(and(eq(conversions.offerId, world.offerId), eq(conversions.status, "approved")));
    expect(rows).toHaveLength(3);
  });

  it("rejects flagged conversions in bulk, those the flag let through approved included (their reversal sent)", async () => {
    const world = await createWorld(handle.db);
    await world.addPostback({ statuses: ["rejected"] });
    await addRule(handle.db, world.networkId, world.offerId, ruleInputSchema.parse({ kind: "min_click_seconds", action: "flag", threshold: 3600, windowMinutes: null, countries: null }));
    const flagged = [];
    for (let i = 0; i < 2; i++) flagged.push((await post(world, { click_id: await world.click(), status: "paid" })).body.conversion_id);
    const unflagged = (await post(world, { click_id: await world.click(2), status: "paid" })).body.conversion_id;
    expect((await Promise.all(flagged.map(conversionOf))).map((c) => [c.status, c.flagged])).toEqual([["approved", true], ["approved", true]]);
    const decision = { filters: { flagged: true }, to: "rejected" } as const;
    expect(await previewBulkDecision(handle.db, world.networkId, decision)).toMatchObject({ conversions: 2, postbacks: 2 });
    const done = await decideInBulk(handle.db, { orgId: world.networkId, userId: null as never }, decision);
    expect([done.moved, done.deliveries.length]).toEqual([2, 2]);
    // Reviewed: no longer flagged, the flag's reason kept.
    expect((await Promise.all(flagged.map(conversionOf))).map((c) => [c.status, c.flagged, c.decisions[0]?.kind])).toEqual([["rejected", false, "min_click_seconds"], ["rejected", false, "min_click_seconds"]]);
    expect((await conversionOf(unflagged)).status).toBe("approved");
    expect(await previewBulkDecision(handle.db, world.networkId, { filters: { flagged: true }, to: "approved" })).toMatchObject({ conversions: 0 });
  });

  it("decides in bulk through the API: a dry run counts, the decision moves only what was counted", async () => {
    const world = await createWorld(handle.db);
    await world.addPostback({ statuses: ["rejected"] });
    await addRule(handle.db, world.networkId, world.offerId, ruleInputSchema.parse({ kind: "min_click_seconds", action: "hold", threshold: 3600, windowMinutes: null, countries: null }));
    for (let i = 0; i < 2; i++) await post(world, { click_id: await world.click(), status: "paid" });
    const network = await apiClient(handle.db, world.networkId);
    const dry = await network.post("/conversions/decisions", { to: "rejected", rule: "min_click_seconds", dryRun: true });
    expect(dry).toMatchObject({ status: 200, body: { dryRun: true, conversions: 2, postbacks: 2 } });
    // Made after the dry run: not part of the decision counted.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const late = (await post(world, { click_id: await world.click(), status: "paid" })).body.conversion_id;
    const done = await network.post("/conversions/decisions", { to: "rejected", rule: "min_click_seconds", asOf: dry.body.asOf });
    expect(done).toMatchObject({ status: 200, body: { dryRun: false, conversions: 2, postbacks: 2 } });
    expect((await conversionOf(late)).status).toBe("hold");
    expect((await network.post("/conversions/decisions", { to: "pending" })).status).toBe(422);
    const affiliate = await apiClient(handle.db, world.affiliateId);
    // Outside the key's party, the endpoint is not there.
    expect((await affiliate.post("/conversions/decisions", { to: "approved", dryRun: true })).status).toBe(404);
  });

  it("approving flagged conversions a flag let through approved keeps them approved, sends nothing, and clears their flag", async () => {
    const world = await createWorld(handle.db);
    await world.addPostback({ statuses: ["approved"] });
    await addRule(handle.db, world.networkId, world.offerId, ruleInputSchema.parse({ kind: "min_click_seconds", action: "flag", threshold: 3600, windowMinutes: null, countries: null }));
    const approved = (await post(world, { click_id: await world.click(), status: "paid" })).body.conversion_id;
    const lead = (await post(world, { click_id: await world.click(), status: "reg" })).body.conversion_id;
    expect([(await conversionOf(approved)).flagged, (await conversionOf(lead)).flagged]).toEqual([true, true]);
    const decision = { filters: { flagged: true }, to: "approved" } as const;
    // Only the lead's approval is sent.
    expect(await previewBulkDecision(handle.db, world.networkId, decision)).toMatchObject({ conversions: 2, postbacks: 1 });
    const done = await decideInBulk(handle.db, { orgId: world.networkId, userId: null as never }, decision);
    expect([done.moved, done.deliveries.length]).toEqual([2, 1]);
    expect([await conversionOf(approved), await conversionOf(lead)].map((c) => [c.status, c.flagged])).toEqual([["approved", false], ["approved", false]]);
    expect(await previewBulkDecision(handle.db, world.networkId, decision)).toMatchObject({ conversions: 0 });
    // Nor does a conversion the merchant rejects from the start, or one it rejects later.
    const bornRejected = (await post(world, { click_id: await world.click(), status: "nope" })).body.conversion_id;
    expect(await conversionOf(bornRejected)).toMatchObject({ status: "rejected", flagged: false, decisions: [expect.objectContaining({ kind: "min_click_seconds", action: "flag" })] });
    const rejectedLater = await world.click();
    const flaggedLead = (await post(world, { click_id: rejectedLater, status: "reg" })).body.conversion_id;
    await post(world, { click_id: rejectedLater, status: "nope" });
    expect(await conversionOf(flaggedLead)).toMatchObject({ status: "rejected", flagged: false });
  });
});
