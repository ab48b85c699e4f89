import { eq } from "drizzle-orm";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { conversions } from "@/db/schema";
import { decideInBulk } from "@/lib/conversions/conversions";
import { handleIncomingPostback } from "@/lib/incoming/incoming";
import { addRule, ruleInputSchema } from "@/lib/program/manage";
import { type Committed, dispatchCommitted, installDispatcher } from "@/lib/outgoing/dispatcher";
import { createTestDatabase, testDriver } from "../helpers/test-db";
import { startTracker, type Tracker } from "../helpers/tracker";
import { createWorld, postbackRequest, type World } from "../helpers/world";

// A real HTTP server stands in for Inngest's API: it takes the app's registration and its events.
let handle: DatabaseHandle;
let inngestApi: Tracker;
beforeAll(async () => {
  handle = await createTestDatabase();
  inngestApi = await startTracker([{ status: 200, body: JSON.stringify({ ok: true, ids: ["evt"], status: 200 }), headers: { "content-type": "application/json" } }]);
  // Read by the SDK's client when its module loads, so the Inngest modules are imported after.
  Object.assign(process.env, {
    INNGEST_BASE_URL: inngestApi.url,
    INNGEST_EVENT_KEY: "test-event-key",
    INNGEST_SIGNING_KEY: "signkey-test-0123456789abcdef0123456789abcdef",
    INNGEST_DEV: "",
  });
  const { createInngestDispatcher } = await import("@/inngest/dispatcher");
  installDispatcher(createInngestDispatcher());
});
afterAll(async () => {
  await handle.close();
  await inngestApi.close();
});

async function postback(world: World, params: Record<string, string>) {
  let committed: Committed = { deliveries: [] };
  const response = await handleIncomingPostback(handle.db, postbackRequest(world.endpointId, { token: world.secret, ...params }), world.endpointId, {
    afterCommit: (c) => (committed = c),
  });
  await dispatchCommitted(committed);
  return (await response.json()) as { conversion_id: string; status: string };
}

/** The events the app sent to Inngest since `from`, by name. */
function sentEvents(from: number) {
  return inngestApi.received
    .slice(from)
    .filter((r) => r.url.startsWith("/e/"))
    .flatMap((r) => JSON.parse(r.body) as { name: string; data: { conversionId?: string } }[]);
}

describe(`holds under Inngest (${testDriver})`, () => {
  it("registers the hold's run as cancelled by the end of that conversion's hold", async () => {
    const { inngestHandler } = await import("@/inngest/serve");
    const from = inngestApi.received.length;
    const response = await inngestHandler.PUT(new NextRequest("http://127.0.0.1:3000/api/inngest", { method: "PUT" }), undefined as never);
    expect(response.status).toBe(200);
    const registration = inngestApi.received.slice(from).find((r) => r.url === "/fn/register");
    const functions = JSON.parse(registration!.body).functions as { id: string; cancel?: { event: string; if: string }[] }[];
    const holdRun = functions.find((f) => f.id.endsWith("approve-held-conversion"));
    expect(holdRun?.cancel).toEqual([{ event: "postline/conversion.hold-ended", if: "event.data.conversionId == async.data.conversionId" }]);
  });

  it("schedules a hold's end, and cancels it when the merchant rejects or the network approves during the hold", async () => {
    const world = await createWorld(handle.db, { offer: { holdHours: 1 } });
    const from = inngestApi.received.length;
    const rejected = await postback(world, { click_id: await world.click(), status: "paid" });
    const approvedByNetwork = await postback(world, { click_id: await world.click(), status: "paid" });
    expect([rejected.status, approvedByNetwork.status]).toEqual(["hold", "hold"]);
    const [row] = await handle.db.select().from(conversions).where(eq(conversions.id, rejected.conversion_id));
    expect(sentEvents(from)).toEqual([
      { name: "postline/conversion.held", data: { conversionId: rejected.conversion_id, until: row.holdUntil!.toISOString() }, id: `hold:${rejected.conversion_id}`, ts: expect.any(Number) },
      expect.objectContaining({ name: "postline/conversion.held", data: expect.objectContaining({ conversionId: approvedByNetwork.conversion_id }) }),
    ]);

    const beforeEnds = inngestApi.received.length;
    await postback(world, { click_id: row.clickId, status: "nope" });
    const bulk = await decideInBulk(handle.db, { orgId: world.networkId }, { filters: { status: "hold" }, to: "approved" });
    expect(bulk.moved).toBe(1);
    await dispatchCommitted(bulk);
    expect(sentEvents(beforeEnds).map((e) => [e.name, e.data.conversionId])).toEqual([
      ["postline/conversion.hold-ended", rejected.conversion_id],
      ["postline/conversion.hold-ended", approvedByNetwork.conversion_id],
    ]);

    // A conversion that never waited out a hold period has no run to cancel.
    const plain = await createWorld(handle.db);
    const beforePlain = inngestApi.received.length;
    const lead = await postback(plain, { click_id: await plain.click(), status: "reg" });
    await postback(plain, { click_id: (await handle.db.select().from(conversions).where(eq(conversions.id, lead.conversion_id)))[0].clickId, status: "nope" });
    expect(sentEvents(beforePlain)).toEqual([]);
    // Nor does one a rule holds for review: it has no time to wait for.
    await addRule(handle.db, plain.networkId, plain.offerId, ruleInputSchema.parse({ kind: "min_click_seconds", action: "hold", threshold: 3600, windowMinutes: null, countries: null }));
    const forReview = await postback(plain, { click_id: await plain.click(), status: "paid" });
    expect(forReview.status).toBe("hold");
    await decideInBulk(handle.db, { orgId: plain.networkId }, { filters: { status: "hold" }, to: "rejected" }).then(dispatchCommitted);
    expect(sentEvents(beforePlain)).toEqual([]);
  });
});
