import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { deliveries, outgoingPostbacks } from "@/db/schema";
import { demoReceiverInbox, listDemoReceipts, receiveDemoRequest, recordDemoReceipt } from "@/lib/demo/receiver";
import { DEMO, seedDemoData } from "@/lib/demo/seed";
import { handleIncomingPostback } from "@/lib/incoming/incoming";
import { attemptDelivery } from "@/lib/outgoing/delivery-attempts";
import { testPostback } from "@/lib/outgoing/postback-config";
import { listOutgoing } from "@/lib/reports/logs";
import { handleClick } from "@/lib/tracking/clicks";
import { createTestDatabase, testDriver } from "../helpers/test-db";
import { startTracker, type Tracker } from "../helpers/tracker";
import { postbackRequest, sessionUserFor } from "../helpers/world";

let handle: DatabaseHandle;
let tracker: Tracker;
beforeAll(async () => {
  handle = await createTestDatabase();
  await seedDemoData(handle.db);
  tracker = await startTracker();
});
afterAll(async () => {
  await tracker.close();
  await handle.close();
});

// As `npm run dev` has it: no address let through the SSRF guard.
const settings = { schedule: [0, 5000], timeoutMs: 2000, maxResponseBytes: 4096, allowedAddresses: [], pauseAfterFailures: 10 };

async function demoConversion(affClickId: string, txid: string) {
  const click = await handleClick(handle.db, new Request(`http://postline.test/c/${DEMO.trackingLinkCode}?aff_click_id=${affClickId}`), DEMO.trackingLinkCode);
  const clickId = new URL(click.headers.get("location")!).searchParams.get("click_id")!;
  const answer = await handleIncomingPostback(handle.db, postbackRequest(DEMO.endpointId, { token: DEMO.endpointSecret, click_id: clickId, txid, status: "sale" }), DEMO.endpointId);
  const { conversion_id: conversionId } = await answer.json();
  const [delivery] = await handle.db.select().from(deliveries).where(eq(deliveries.conversionId, conversionId));
  return { clickId, delivery };
}

describe(`the demo receiver (${testDriver})`, () => {
  it("takes the demo postback's Test, with no settings, and shows it", async () => {
    const { result } = await testPostback(handle.db, sessionUserFor(DEMO.affiliateId, "affiliate"), { id: DEMO.postbackId }, settings);
    expect(result).toMatchObject({ ok: true, status: 200 });
    const receipts = await listDemoReceipts(handle.db, DEMO.affiliateId);
    expect(receipts.some((r) => JSON.stringify(r).includes("dlv_test_"))).toBe(true);
  });

  it("gets the demo's first relay, with no settings: the delivery is delivered and the request shows in the receiver", async () => {
    const { delivery } = await demoConversion("demo-1", "ORDER-1");
    expect(delivery.destinationHost).toBe("demo-receiver.invalid");
    expect(await attemptDelivery(handle.db, delivery.id, settings)).toMatchObject({ outcome: "delivered", attempt: 1 });

    const [row] = await listOutgoing(handle.db, sessionUserFor(DEMO.affiliateId, "affiliate"), {}, { limit: 50 });
    expect(row).toMatchObject({ id: delivery.id, state: "delivered", lastStatusCode: 200, postbackName: "Demo receiver" });
    const [receipt] = await listDemoReceipts(handle.db, DEMO.affiliateId);
    expect(receipt).toMatchObject({
      method: "GET",
      url: `https://demo-receiver.invalid/${DEMO.affiliateId}?subid=demo-1&status=approved&payout=12.50&tid=ORDER-1`,
      via: "in-process",
    });
    expect(receipt.headers["webhook-id"]).toBe(delivery.id);
  });

  it("takes requests from outside on its route, for an organization's inbox only, and keeps the last 100", async () => {
    const answer = await receiveDemoRequest(
      handle.db,
      new Request(`http://postline.test/api/demo-receiver/${DEMO.networkId}?cid=1&token=abc`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "status=approved" }),
      DEMO.networkId,
    );
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ ok: true, received: expect.stringMatching(/^rcp_/) });
    expect(await listDemoReceipts(handle.db, DEMO.networkId)).toEqual([
      expect.objectContaining({ method: "POST", url: `http://postline.test/api/demo-receiver/${DEMO.networkId}?cid=1&token=••••`, body: "status=approved", via: "http" }),
    ]);

    const unknown = await receiveDemoRequest(handle.db, new Request("http://postline.test/api/demo-receiver/org_nobody"), "org_nobody");
    expect(unknown.status).toBe(404);
    expect(await listDemoReceipts(handle.db, "org_nobody")).toEqual([]);

    for (let i = 0; i < 105; i++) await recordDemoReceipt(handle.db, { inbox: DEMO.merchantId, method: "GET", url: `https://x/${i}`, headers: {}, body: null, via: "http" });
    const kept = await listDemoReceipts(handle.db, DEMO.merchantId, 1000);
    expect(kept).toHaveLength(100);
    expect(kept[0].url).toBe("https://x/104");
    expect(kept.at(-1)!.url).toBe("https://x/5");
    // Another inbox keeps its own.
    expect(await listDemoReceipts(handle.db, DEMO.networkId)).toHaveLength(1);
  });

  it("answers only its own reserved name in the process: every other URL still goes through the SSRF guard", async () => {
    expect(demoReceiverInbox(`https://demo-receiver.invalid/${DEMO.affiliateId}?x=1`)).toBe(DEMO.affiliateId);
    for (const lookalike of ["https://demo-receiver.invalid.example.com/org", "https://demo-receiver.invalid:8443/org", "https://user@demo-receiver.invalid/org", "ftp://demo-receiver.invalid/org", "https://demo-receiver.invalid./org", "not a url"]) {
      expect(demoReceiverInbox(lookalike), lookalike).toBeNull();
    }
    // Pointed at a loopback tracker instead, the demo postback is refused by the guard, as before.
    await handle.db.update(outgoingPostbacks).set({ urlTemplate: `${tracker.url}/pb?cid={click_id}` }).where(eq(outgoingPostbacks.id, DEMO.postbackId));
    const { delivery } = await demoConversion("demo-2", "ORDER-2");
    expect(await attemptDelivery(handle.db, delivery.id, settings)).toMatchObject({ outcome: "failed", error: expect.stringContaining("private or reserved") });
    expect(tracker.received).toHaveLength(0);
  });
});
