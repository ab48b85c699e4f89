import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { clicks, deliveries, deliveryAttempts, offers, users } from "@/db/schema";
import { findConversions } from "@/lib/conversions/find";
import { changeStatusManually } from "@/lib/conversions/conversions";
import { type ConversionTimeline, conversionTimeline, type TimelineEntry } from "@/lib/conversions/timeline";
import { handleIncomingPostback } from "@/lib/incoming/incoming";
import { attemptDelivery, type DispatchSettings } from "@/lib/outgoing/delivery-attempts";
import { postbackInputSchema } from "@/lib/outgoing/postback-config";
import { diffText, dryRunPostback } from "@/lib/outgoing/postback-dry-run";
import { AppError } from "@/lib/platform/errors";
import { createTestDatabase, testDriver } from "../helpers/test-db";
import { startTracker, type Tracker } from "../helpers/tracker";
import { createWorld, postbackRequest, sessionUserFor, type World } from "../helpers/world";

let handle: DatabaseHandle;
let affTracker: Tracker;
let merchantServer: Tracker;
const settings: DispatchSettings = { schedule: [0, 30, 60], timeoutMs: 2000, maxResponseBytes: 4096, allowedAddresses: ["127.0.0.1"], pauseAfterFailures: 100 };

beforeAll(async () => {
  handle = await createTestDatabase();
  affTracker = await startTracker([200, 500, 200]);
  merchantServer = await startTracker([200]);
});
afterAll(async () => {
  await affTracker.close();
  await merchantServer.close();
  await handle.close();
});

async function post(world: World, params: Record<string, string>) {
  const response = await handleIncomingPostback(handle.db, postbackRequest(world.endpointId, { token: world.secret, ...params }), world.endpointId);
  return (await response.json()) as { ok: boolean; conversion_id: string };
}

/** Plays the dispatcher for every pending delivery of the conversion, waiting out retries. */
async function deliverAll(conversionId: string) {
  const pending = await handle.db.select().from(deliveries).where(and(eq(deliveries.conversionId, conversionId), eq(deliveries.state, "pending")));
  for (const delivery of pending) {
    for (;;) {
      const outcome = await attemptDelivery(handle.db, delivery.id, settings);
      if (outcome.outcome !== "retry") break;
      await new Promise((r) => setTimeout(r, outcome.retryInMs + 5));
    }
  }
}

const kinds = (entries: TimelineEntry[]) =>
  entries.map((e) =>
    e.kind === "incoming" ? `incoming:${e.result}` : e.kind === "status" ? `status:${e.to}` : e.kind === "attempt" ? `attempt:${e.postbackName}:${e.attemptNumber}:${e.ok ? "ok" : "failed"}` : e.kind,
  );

describe(`a conversion's timeline on ${testDriver}`, () => {
  let world: World;
  let other: World;
  let conversionId: string;
  let clickId: string;
  let affDeliveryId: string;

  beforeAll(async () => {
    world = await createWorld(handle.db);
    other = await createWorld(handle.db);
    await handle.db.update(offers).set({ defaultPayout: "7.7700", defaultRevenue: "19.1900" }).where(eq(offers.id, world.offerId));
    await world.addPostback({
      name: "Aff tracker",
      statuses: ["lead", "approved"],
      urlTemplate: `${affTracker.url}/aff-hook?token=AFFSECRET1&subid={aff_click_id}&status={status}&payout={payout}`,
      headers: { "X-Api-Key": "AFFHEADER1" },
    });
    await world.addPostback({
      name: "Merchant server",
      ownerOrgId: world.networkId,
      recipientOrgId: world.merchantId,
      scope: "offer",
      offerId: world.offerId,
      statuses: ["approved"],
      urlTemplate: `${merchantServer.url}/merchant-hook?cid={click_id}&rev={revenue}&key=MERCHKEY1`,
    });
    clickId = await world.click();
    await handle.db.update(clicks).set({ affClickId: "AFF-TL-1", sub1: "newsletter", country: "DE" }).where(eq(clicks.id, clickId));

    const lead = await post(world, { click_id: clickId, status: "reg" });
    conversionId = lead.conversion_id;
    await deliverAll(conversionId);
    // A request with a wrong token names the click: refused, and on the timeline.
    await handleIncomingPostback(handle.db, postbackRequest(world.endpointId, { token: "wrong-token", click_id: clickId, status: "paid" }), world.endpointId);
    await post(world, { click_id: clickId, status: "paid", txid: "ORD-TL-1" });
    await deliverAll(conversionId);
    const [affDelivery] = await handle.db
      .select()
      .from(deliveries)
      .innerJoin(deliveryAttempts, eq(deliveryAttempts.deliveryId, deliveries.id))
      .where(and(eq(deliveries.conversionId, conversionId), eq(deliveries.recipientOrgId, world.affiliateId)));
    affDeliveryId = affDelivery.deliveries.id;
  });

  it("shows the network every step in order, the affiliate's postback with its secrets masked", async () => {
    const timeline = await conversionTimeline(handle.db, sessionUserFor(world.networkId, "network"), conversionId);
    expect(kinds(timeline.entries)).toEqual([
      "click",
      "incoming:accepted",
      "status:lead",
      "attempt:Aff tracker:1:ok",
      "incoming:rejected",
      "incoming:accepted",
      "status:approved",
      "attempt:Aff tracker:1:failed",
      "attempt:Aff tracker:2:ok",
      "attempt:Merchant server:1:ok",
    ]);
    const refused = timeline.entries.find((e) => e.kind === "incoming" && e.result === "rejected");
    expect(refused).toMatchObject({ errorCode: "invalid_token", httpStatus: 401, matched: false, params: { token: "••••", click_id: clickId } });
    const approved = timeline.entries.find((e) => e.kind === "status" && e.to === "approved");
    expect(approved).toMatchObject({ actor: { kind: "merchant_postback", name: null }, payout: "7.7700", revenue: "19.1900", originalStatus: "paid" });
    const click = timeline.entries[0];
    expect(click).toMatchObject({ kind: "click", country: "DE", affiliateValues: { subs: { sub1: "newsletter" }, affClickId: "AFF-TL-1" } });
    expect(click.kind === "click" && click.landingUrl).toBe(`https://shop.example.com/land?cid=${clickId}&s1=newsletter&src=&ext=AFF-TL-1`);
    const text = JSON.stringify(timeline);
    expect(text).toContain("/aff-hook?token=••••&subid=AFF-TL-1");
    expect(text).not.toContain("AFFSECRET1");
    expect(text).not.toContain("AFFHEADER1");
    expect(text).not.toContain("wrong-token");
    expect(timeline.deliveries.map((d) => [d.postbackName, d.forStatus, d.state, d.masked])).toEqual([
      ["Aff tracker", "lead", "delivered", true],
      ["Aff tracker", "approved", "delivered", true],
      ["Merchant server", "approved", "delivered", false],
    ]);
  });

  it("never shows the affiliate the merchant's requests or the revenue", async () => {
    const timeline = await conversionTimeline(handle.db, sessionUserFor(world.affiliateId, "affiliate"), conversionId);
    expect(kinds(timeline.entries)).toEqual([
      "click",
      "incoming:accepted",
      "status:lead",
      "attempt:Aff tracker:1:ok",
      "incoming:rejected",
      "incoming:accepted",
      "status:approved",
      "attempt:Aff tracker:1:failed",
      "attempt:Aff tracker:2:ok",
    ]);
    for (const entry of timeline.entries) if (entry.kind === "incoming") expect(entry.params).toBeNull();
    expect(timeline.conversion).toMatchObject({ payout: "7.7700", revenue: null });
    const text = JSON.stringify(timeline);
    for (const hidden of ["19.19", "merchant-hook", "MERCHKEY1", "shop.example.com", "203.0.113.7"]) expect(text).not.toContain(hidden);
    expect(text).toContain("/aff-hook?token=••••&subid=AFF-TL-1&status=approved&payout=7.77");
  });

  it("never shows the merchant the affiliate's postback or the payout", async () => {
    const timeline = await conversionTimeline(handle.db, sessionUserFor(world.merchantId, "merchant"), conversionId);
    expect(kinds(timeline.entries)).toEqual([
      "click",
      "incoming:accepted",
      "status:lead",
      "incoming:rejected",
      "incoming:accepted",
      "status:approved",
      "attempt:Merchant server:1:ok",
    ]);
    expect(timeline.conversion).toMatchObject({ payout: null, revenue: "19.1900" });
    expect(timeline.entries[0]).toMatchObject({ kind: "click", affiliateValues: null });
    const text = JSON.stringify(timeline);
    for (const hidden of ["7.77", "aff-hook", "AFFSECRET1", "Aff tracker"]) expect(text).not.toContain(hidden);
    expect(text).toContain("/merchant-hook?cid=");
  });

  it("answers not found for another organization's conversion, an unknown id and an admin", async () => {
    for (const viewer of [
      sessionUserFor(other.networkId, "network"),
      sessionUserFor(other.merchantId, "merchant"),
      sessionUserFor(other.affiliateId, "affiliate"),
      sessionUserFor("org_demo_platform", "platform"),
    ]) {
      await expect(conversionTimeline(handle.db, viewer, conversionId)).rejects.toMatchObject({ code: "not_found", status: 404 });
    }
    await expect(conversionTimeline(handle.db, sessionUserFor(world.networkId, "network"), "conv_nope")).rejects.toBeInstanceOf(AppError);
    await expect(conversionTimeline(handle.db, sessionUserFor(world.networkId, "network"), "x".repeat(500))).rejects.toMatchObject({ code: "not_found" });
  });

  it("finds the conversion from each id a party has, within its own organization only", async () => {
    const network = sessionUserFor(world.networkId, "network");
    const merchant = sessionUserFor(world.merchantId, "merchant");
    const affiliate = sessionUserFor(world.affiliateId, "affiliate");
    for (const [term, by] of [
      [conversionId, "conversion_id"],
      [clickId, "click_id"],
      ["AFF-TL-1", "aff_click_id"],
      ["ORD-TL-1", "transaction_id"],
      [` ${affDeliveryId} `, "delivery_id"],
    ] as const) {
      for (const viewer of [network, affiliate]) {
        const found = await findConversions(handle.db, viewer, term);
        expect(found.map((f) => [f.conversionId, f.matchedBy])).toEqual([[conversionId, [by]]]);
      }
      for (const viewer of [sessionUserFor(other.networkId, "network"), sessionUserFor(other.affiliateId, "affiliate"), sessionUserFor(other.merchantId, "merchant")]) {
        expect(await findConversions(handle.db, viewer, term)).toEqual([]);
      }
    }
    // The affiliate's delivery id is not the merchant's to read.
    expect(await findConversions(handle.db, merchant, affDeliveryId)).toEqual([]);
    expect((await findConversions(handle.db, merchant, "ORD-TL-1")).map((f) => f.conversionId)).toEqual([conversionId]);
    // The same tracker id on two clicks: both conversions, newest first.
    const second = await world.click();
    await handle.db.update(clicks).set({ affClickId: "AFF-TL-1" }).where(eq(clicks.id, second));
    const { conversion_id: secondId } = await post(world, { click_id: second, status: "reg" });
    expect((await findConversions(handle.db, affiliate, "AFF-TL-1")).map((f) => f.conversionId)).toEqual([secondId, conversionId]);
    await expect(findConversions(handle.db, affiliate, "   ")).rejects.toMatchObject({ code: "invalid_input", field: "q" });
    await expect(findConversions(handle.db, affiliate, "x".repeat(129))).rejects.toMatchObject({ code: "invalid_input", field: "q" });
  });
});

describe(`what is still to come, and who changed a status by hand, on ${testDriver}`, () => {
  it("shows a waiting delivery's next attempt and a hold's end, and names the network's person to the network only", async () => {
    const down = await startTracker([503]);
    try {
      const world = await createWorld(handle.db, { offer: { holdHours: 24 } });
      await world.addPostback({ name: "Down tracker", statuses: ["hold", "rejected"], urlTemplate: `${down.url}/pb?c={click_id}` });
      const { conversion_id: id } = await post(world, { click_id: await world.click(), status: "paid" });
      const [delivery] = await handle.db.select().from(deliveries).where(eq(deliveries.conversionId, id));
      expect(await attemptDelivery(handle.db, delivery.id, { ...settings, schedule: [0, 3_600_000] })).toMatchObject({ outcome: "retry" });
      const [waiting] = await handle.db.select().from(deliveries).where(eq(deliveries.id, delivery.id));

      const network = sessionUserFor(world.networkId, "network");
      const timeline = await conversionTimeline(handle.db, network, id);
      expect(timeline.entries.map((e) => e.kind)).toEqual(["click", "incoming", "status", "attempt", "next_attempt", "hold_ends"]);
      expect(timeline.entries[4]).toMatchObject({ kind: "next_attempt", at: waiting.nextAttemptAt.toISOString(), attemptNumber: 2, postbackName: "Down tracker" });
      expect(timeline.entries[5].at).toBe(timeline.conversion.holdUntil);
      expect(timeline.entries[3]).toMatchObject({ kind: "attempt", ok: false, errorClass: "non_2xx", response: { status: 503 } });

      await handle.db.insert(users).values({ id: `usr_tl_${world.networkId}`, orgId: world.networkId, email: `tl-${world.networkId}@example.com`, name: "Nora Network", passwordHash: "x" });
      await handle.db.transaction((tx) => changeStatusManually(tx, { orgId: world.networkId, userId: `usr_tl_${world.networkId}` }, id, "rejected"));
      const byHand = (t: ConversionTimeline) => t.entries.find((e) => e.kind === "status" && e.to === "rejected");
      expect(byHand(await conversionTimeline(handle.db, network, id))).toMatchObject({ source: "manual", actor: { kind: "network_user", name: "Nora Network" } });
      const affiliateView = await conversionTimeline(handle.db, sessionUserFor(world.affiliateId, "affiliate"), id);
      expect(byHand(affiliateView)).toMatchObject({ actor: { kind: "network", name: null } });
      expect(JSON.stringify(affiliateView)).not.toContain("Nora");
      // Rejected: no hold's end is to come any more.
      expect(affiliateView.entries.some((e) => e.kind === "hold_ends")).toBe(false);
    } finally {
      await down.close();
    }
  });
});

describe(`the dry run of an edited template on ${testDriver}`, () => {
  let world: World;
  let tracker: Tracker;
  let postbackId: string;
  let conversionIds: string[];
  const affiliate = () => sessionUserFor(world.affiliateId, "affiliate");
  const draft = (urlTemplate: string) => postbackInputSchema.parse({ name: "Dry", scope: "all", statuses: ["approved"], urlTemplate, headers: "X-Source: postline" });

  beforeAll(async () => {
    tracker = await startTracker([200]);
    world = await createWorld(handle.db);
    postbackId = await world.addPostback({ statuses: ["approved"], urlTemplate: `${tracker.url}/dry?subid={aff_click_id}&status={status}&t={timestamp}`, headers: { "X-Source": "postline" } });
    conversionIds = [];
    for (let i = 0; i < 22; i++) {
      const click = await world.click();
      await handle.db.update(clicks).set({ affClickId: `ext-${i}` }).where(eq(clicks.id, click));
      const { conversion_id } = await post(world, { click_id: click, status: "paid" });
      conversionIds.push(conversion_id);
      await deliverAll(conversion_id);
    }
  }, 60_000);
  afterAll(() => tracker.close());

  it("marks a renamed parameter on each of the last 20 conversions, and sends nothing", async () => {
    const sentBefore = tracker.received.length;
    const attemptsBefore = (await handle.db.select().from(deliveryAttempts).where(eq(deliveryAttempts.postbackId, postbackId))).length;
    expect(sentBefore).toBe(22);

    const rows = await dryRunPostback(handle.db, affiliate(), { id: postbackId, draft: draft(`${tracker.url}/dry?clickid={aff_click_id}&status={status}&t={timestamp}`) }, settings);
    expect(rows.map((r) => r.conversionId)).toEqual(conversionIds.slice(2).reverse());
    for (const [i, row] of rows.entries()) {
      expect(row.changed).toBe(true);
      expect(row.diff!.url.filter((p) => p.change !== "same")).toEqual([
        { text: "subid", change: "removed" },
        { text: "clickid", change: "added" },
      ]);
      expect(row.diff!.headers.every((p) => p.change === "same")).toBe(true);
      expect(row.rendered.url).toContain(`/dry?clickid=ext-${21 - i}&status=approved&t=`);
      expect(row.sent!.url).toBe(row.rendered.url.replace("clickid=", "subid="));
    }
    expect(tracker.received).toHaveLength(sentBefore);
    expect(await handle.db.select().from(deliveryAttempts).where(eq(deliveryAttempts.postbackId, postbackId))).toHaveLength(attemptsBefore);
  });

  it("shows no difference where the template is unchanged: the same delivery id and timestamp as sent", async () => {
    const rows = await dryRunPostback(handle.db, affiliate(), { id: postbackId, draft: draft(`${tracker.url}/dry?subid={aff_click_id}&status={status}&t={timestamp}`) }, settings);
    expect(rows).toHaveLength(20);
    for (const row of rows) {
      expect(row.changed).toBe(false);
      expect(row.rendered).toEqual({ method: row.sent!.method, url: row.sent!.url, headers: row.sent!.headers, body: row.sent!.body });
    }
  });

  it("renders an unsaved postback with nothing to compare, and refuses another owner's postback id", async () => {
    const rows = await dryRunPostback(handle.db, affiliate(), { draft: draft(`${tracker.url}/new?c={aff_click_id}`) }, settings);
    expect(rows).toHaveLength(20);
    expect(rows.every((r) => r.sent === null && r.changed && r.rendered.url.startsWith(`${tracker.url}/new?c=ext-`))).toBe(true);
    const stranger = await createWorld(handle.db);
    await expect(
      dryRunPostback(handle.db, sessionUserFor(stranger.affiliateId, "affiliate"), { id: postbackId, draft: draft(`${tracker.url}/x`) }, settings),
    ).rejects.toMatchObject({ code: "not_found" });
    expect(await dryRunPostback(handle.db, sessionUserFor(stranger.affiliateId, "affiliate"), { draft: draft(`${tracker.url}/x`) }, settings)).toEqual([]);
  });

  it("diffs token by token", () => {
    expect(diffText("a=1&b=2", "a=1&c=2")).toEqual([
      { text: "a=1&", change: "same" },
      { text: "b", change: "removed" },
      { text: "c", change: "added" },
      { text: "=2", change: "same" },
    ]);
    expect(diffText("same", "same")).toEqual([{ text: "same", change: "same" }]);
    expect(diffText("", "new")).toEqual([{ text: "new", change: "added" }]);
  });
});
