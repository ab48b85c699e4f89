import { rmSync } from "node:fs";
import { eq } from "drizzle-orm";
import { expect, test } from "@playwright/test";
import { createDatabase } from "@/db/client";
import { conversions, offers, outgoingPostbacks } from "@/db/schema";
import { DEMO, seedDemoData } from "@/lib/demo/seed";
import { startEmbeddedServer, waitFor, waitUntilUp } from "../helpers/next-server";
import { startTracker } from "../helpers/tracker";

const PORT = 3193;
const BASE = `http://127.0.0.1:${PORT}`;
const DATA_DIR = ".data/e2e-hold";

function startServer() {
  return startEmbeddedServer(PORT, DATA_DIR);
}

test("a held conversion survives a kill -9 of the server and is approved on time, the tracker told once", async () => {
  test.setTimeout(120_000);
  const tracker = await startTracker([200]);
  rmSync(DATA_DIR, { recursive: true, force: true });
  const setup = createDatabase({ dataDir: DATA_DIR });
  await setup.migrate();
  await seedDemoData(setup.db);
  await setup.db.update(offers).set({ holdHours: 1 }).where(eq(offers.id, DEMO.offerId));
  await setup.db.update(outgoingPostbacks).set({ urlTemplate: `${tracker.url}/pb?cid={click_id}&status={status}`, statuses: ["approved"] }).where(eq(outgoingPostbacks.id, DEMO.postbackId));
  await setup.close();

  let server = startServer();
  let conversionId = "";
  try {
    await waitUntilUp(BASE);
    const click = await fetch(`${BASE}/c/${DEMO.trackingLinkCode}`, { redirect: "manual" });
    const clickId = new URL(click.headers.get("location")!).searchParams.get("click_id");
    const answer = await (await fetch(`${BASE}/api/postback/${DEMO.endpointId}?token=${DEMO.endpointSecret}&click_id=${clickId}&status=sale`)).json();
    expect(answer).toMatchObject({ ok: true, result: "accepted", status: "hold" });
    conversionId = answer.conversion_id;
    await server.kill("SIGKILL");
    expect(tracker.received).toHaveLength(0);

    // While the server is down, the hour passes (but for three seconds).
    const db = createDatabase({ dataDir: DATA_DIR });
    const due = new Date(Date.now() + 3000);
    await db.db.update(conversions).set({ holdUntil: due }).where(eq(conversions.id, conversionId));
    await db.close();

    server = startServer();
    await waitUntilUp(BASE);
    await waitFor(() => tracker.received.length, (n) => n >= 1, 20_000);
    expect(tracker.received).toHaveLength(1);
    expect(tracker.received[0].url).toBe(`/pb?cid=${clickId}&status=approved`);
    expect(tracker.received[0].at).toBeGreaterThanOrEqual(due.getTime());
    expect(tracker.received[0].at).toBeLessThan(due.getTime() + 5000);
    await new Promise((r) => setTimeout(r, 1500));
    expect(tracker.received).toHaveLength(1);
    await server.kill("SIGTERM");
  } finally {
    await server.kill("SIGKILL");
    await tracker.close();
  }
  const check = createDatabase({ dataDir: DATA_DIR });
  const [row] = await check.db.select().from(conversions).where(eq(conversions.id, conversionId));
  await check.close();
  expect(row.status).toBe("approved");
});
