import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { deliveries, incomingPostbackLog } from "@/db/schema";
import { handleIncomingPostback } from "@/lib/incoming/incoming";
import { attemptDelivery } from "@/lib/outgoing/delivery-attempts";
import { createId } from "@/lib/platform/ids";
import { exportCsv, getDeliveryDetail, listIncoming, listOutgoing, logRowsSince, parseLogFilters, toCsv } from "@/lib/reports/logs";
import { createTestDatabase, testDriver } from "../helpers/test-db";
import { startTracker, type Tracker } from "../helpers/tracker";
import { createWorld, postbackRequest, sessionUserFor } from "../helpers/world";

let handle: DatabaseHandle;
let tracker: Tracker;
beforeAll(async () => {
  handle = await createTestDatabase();
  tracker = await startTracker([{ status: 200, body: "OK", headers: { "set-cookie": "sid=tracker-session" } }]);
});
afterAll(async () => {
  await tracker.close();
  await handle.close();
});

const settings = { schedule: [0], timeoutMs: 2000, maxResponseBytes: 4096, allowedAddresses: ["127.0.0.1"], pauseAfterFailures: 10 };

describe(`log queries on ${testDriver}`, () => {
  it("lets a stream read on past a full page of rows written in the same instant", async () => {
    const world = await createWorld(handle.db);
    const viewer = sessionUserFor(world.networkId, "network");
    const at = new Date();
    await handle.db.insert(incomingPostbackLog).values(
      Array.from({ length: 250 }, (_, i) => ({ id: createId("incomingLog"), endpointId: world.endpointId, networkId: world.networkId, merchantId: world.merchantId, method: "GET", result: "accepted" as const, httpStatus: 200, clickId: `clk_${i}`, createdAt: at })),
    );
    const first = await logRowsSince(handle.db, "incoming", viewer, {}, { since: new Date(at.getTime() - 3000) }, 200);
    expect(first).toHaveLength(200);
    const last = first.at(-1)!;
    const rest = await logRowsSince(handle.db, "incoming", viewer, {}, { after: { version: last.version, seq: last.seq } }, 200);
    expect(rest).toHaveLength(50);
    expect(new Set([...first, ...rest].map((r) => r.row.id)).size).toBe(250);
  });

  it("streams a CSV export of several pages as one file, newest first, up to its limit", async () => {
    const world = await createWorld(handle.db);
    const viewer = sessionUserFor(world.networkId, "network");
    const at = Date.now();
    await handle.db.insert(incomingPostbackLog).values(
      Array.from({ length: 450 }, (_, i) => ({ id: createId("incomingLog"), endpointId: world.endpointId, networkId: world.networkId, method: "GET", result: "accepted" as const, httpStatus: 200, clickId: `clk_csv_${i}`, createdAt: new Date(at + i) })),
    );
    const text = await new Response(await exportCsv(handle.db, "incoming", viewer, {}, 10_000)).text();
    const lines = text.split("\r\n");
    expect(lines).toHaveLength(451);
    expect(lines[0]).toContain("clickId");
    expect(lines[1]).toContain("clk_csv_449");
    expect(lines[450]).toContain("clk_csv_0");
    expect(text).toBe(toCsv("incoming", await listIncoming(handle.db, viewer, {}, { limit: 500 })));
    const capped = (await new Response(await exportCsv(handle.db, "incoming", viewer, {}, 300)).text()).split("\r\n");
    expect(capped).toHaveLength(301);
    expect((await new Response(await exportCsv(handle.db, "incoming", viewer, { q: "nothing-matches" }, 10_000)).text()).split("\r\n")).toEqual([lines[0]]);
  });

  it("ignores a filter value that does not belong to the tab, and neutralises formulas in CSV", async () => {
    const world = await createWorld(handle.db);
    const viewer = sessionUserFor(world.networkId, "network");
    await handle.db.insert(incomingPostbackLog).values({ id: createId("incomingLog"), networkId: world.networkId, method: "GET", result: "rejected", httpStatus: 401, clickId: "=HYPERLINK(\"x\")" });
    const rows = await listIncoming(handle.db, viewer, parseLogFilters({ result: "delivered", codeClass: "9xx" }), { limit: 50 });
    expect(rows).toHaveLength(1);
    expect(toCsv("incoming", rows).split("\r\n")[1]).toContain(`"'=HYPERLINK(""x"")"`);
  });
});

describe(`a network reads its affiliates' deliveries (${testDriver})`, () => {
  it("lists them and shows their attempts with the affiliate's secrets masked; another network's stay not found", async () => {
    const world = await createWorld(handle.db);
    await world.addPostback({
      name: "Affiliate tracker",
      method: "POST",
      bodyFormat: "form",
      urlTemplate: `${tracker.url}/pb?cid={click_id}&api_key=url-secret-123`,
      bodyTemplate: "status={status}&password=body-secret-456",
      headers: { "X-Tracker-Campaign": "header-secret-789" },
      signingSecret: "signing-secret-abc",
    });
    const response = await handleIncomingPostback(handle.db, postbackRequest(world.endpointId, { token: world.secret, click_id: await world.click(), status: "paid" }), world.endpointId);
    const { conversion_id: conversionId } = await response.json();
    const [delivery] = await handle.db.select().from(deliveries).where(eq(deliveries.conversionId, conversionId));
    expect(await attemptDelivery(handle.db, delivery.id, settings)).toMatchObject({ outcome: "delivered" });

    const network = sessionUserFor(world.networkId, "network");
    const affiliate = sessionUserFor(world.affiliateId, "affiliate");
    const [row] = await listOutgoing(handle.db, network, {}, { limit: 50 });
    expect(row).toMatchObject({ id: delivery.id, state: "delivered", postbackName: "Affiliate tracker", own: false, masked: true, ownerName: expect.stringContaining("Affiliate") });
    expect((await logRowsSince(handle.db, "outgoing", network, {}, { since: new Date(Date.now() - 60_000) }, 50)).map((r) => r.row.id)).toEqual([delivery.id]);

    const seen = await getDeliveryDetail(handle.db, network, delivery.id);
    const attempt = seen!.attempts[0];
    const everything = JSON.stringify(seen);
    for (const secret of ["url-secret-123", "body-secret-456", "header-secret-789", "signing-secret-abc", "tracker-session"]) expect(everything).not.toContain(secret);
    expect(attempt.url).toBe(`${tracker.url}/pb?cid=${row.clickId}&api_key=••••`);
    expect(attempt.requestBody).toBe("status=approved&password=••••");
    expect(attempt.requestHeaders).toMatchObject({ "X-Tracker-Campaign": "••••", "webhook-signature": "••••", "webhook-id": delivery.id, "content-type": "application/x-www-form-urlencoded" });
    expect(attempt.responseStatus).toBe(200);
    expect(attempt.responseBody).toBe("OK");

    // The affiliate, its owner, sees its own request as it was logged, and may replay it.
    const own = await getDeliveryDetail(handle.db, affiliate, delivery.id);
    expect(own!.delivery).toMatchObject({ own: true, masked: false });
    expect(own!.attempts[0].requestHeaders["X-Tracker-Campaign"]).toBe("header-secret-789");
    expect(own!.attempts[0].requestBody).toBe("status=approved&password=body-secret-456");

    // Another network: not in its list, and its detail is "not found" (the route's 404).
    const other = sessionUserFor((await createWorld(handle.db)).networkId, "network");
    expect(await listOutgoing(handle.db, other, {}, { limit: 50 })).toEqual([]);
    expect(await getDeliveryDetail(handle.db, other, delivery.id)).toBeNull();
  });
});
