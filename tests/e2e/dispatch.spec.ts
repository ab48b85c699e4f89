import { rmSync } from "node:fs";
import { eq } from "drizzle-orm";
import { expect, test } from "@playwright/test";
import { createDatabase } from "@/db/client";
import { deliveries, outgoingPostbacks } from "@/db/schema";
import { DEMO, seedDemoData } from "@/lib/demo/seed";
import { startEmbeddedServer, waitFor, waitUntilUp } from "../helpers/next-server";
import { startTracker } from "../helpers/tracker";

const PORT = 3197;
const BASE = `http://127.0.0.1:${PORT}`;
const DATA_DIR = ".data/e2e-dispatch";

function startServer() {
  return startEmbeddedServer(PORT, DATA_DIR, { DELIVERY_RETRY_SCHEDULE: "0,4s,4s" });
}

test("with no Inngest server, a postback reaches the tracker, and a delivery in retry survives a kill -9", async () => {
  test.setTimeout(120_000);
  const tracker = await startTracker([500, 200]);
  rmSync(DATA_DIR, { recursive: true, force: true });
  const setup = createDatabase({ dataDir: DATA_DIR });
  await setup.migrate();
  await seedDemoData(setup.db);
  await setup.db.update(outgoingPostbacks).set({ urlTemplate: `${tracker.url}/keitaro?subid={aff_click_id}&status={status}&tid={txid}` }).where(eq(outgoingPostbacks.id, DEMO.postbackId));
  await setup.close();

  let server = startServer();
  try {
    await waitUntilUp(BASE);
    const click = await fetch(`${BASE}/c/${DEMO.trackingLinkCode}?aff_click_id=kt-1`, { redirect: "manual" });
    const clickId = new URL(click.headers.get("location")!).searchParams.get("click_id");
    const answer = await fetch(`${BASE}/api/postback/${DEMO.endpointId}?token=${DEMO.endpointSecret}&click_id=${clickId}&txid=KILL-1&status=sale`);
    expect(await answer.json()).toEqual(expect.objectContaining({ ok: true, result: "accepted" }));

    // The first attempt meets a 500; the delivery now waits 4 s for its retry. Kill the server in that window.
    await waitFor(() => tracker.received.length, (n) => n >= 1, 10_000);
    expect(tracker.received[0].url).toBe("/keitaro?subid=kt-1&status=approved&tid=KILL-1");
    // The attempt is recorded (and the delivery set to retry) just after the tracker answers; a kill
    // before that leaves the attempt claimed, and a claimed attempt is re-run only when its lease
    // (timeout + 30 s) runs out. This test is about a delivery waiting for its retry: give it that moment.
    await new Promise((r) => setTimeout(r, 1000));
    await server.kill("SIGKILL");

    server = startServer();
    await waitUntilUp(BASE);
    await waitFor(() => tracker.received.length, (n) => n >= 2, 20_000);
    expect(tracker.received).toHaveLength(2);
    // The same delivery, so the same id, on both attempts: a receiver can dedupe on it.
    expect(tracker.received[1].headers["webhook-id"]).toBe(tracker.received[0].headers["webhook-id"]);
    // The server records the answer just after the tracker sends it; give it that moment before stopping.
    await new Promise((r) => setTimeout(r, 1500));
    await server.kill("SIGTERM");
  } finally {
    await server.kill("SIGKILL");
    await tracker.close();
  }
  const check = createDatabase({ dataDir: DATA_DIR });
  const [row] = await check.db.select().from(deliveries).where(eq(deliveries.postbackId, DEMO.postbackId));
  await check.close();
  expect(row).toMatchObject({ state: "delivered", attempts: 2 });
});
