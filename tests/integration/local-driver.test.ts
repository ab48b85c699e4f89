import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { deliveries, deliveryAttempts } from "@/db/schema";
import type { LocalDriver } from "@/inngest/local-driver";
import { createTestDatabase, testDriver, useFreshProcessDatabase } from "../helpers/test-db";
import { startTracker, type Tracker } from "../helpers/tracker";
import { createWorld, postbackRequest, type World } from "../helpers/world";

// Settings the functions read from the environment: a short schedule, a short timeout, the
// local tracker let through the SSRF guard, a short sweeper grace.
Object.assign(process.env, {
  DELIVERY_RETRY_SCHEDULE: "0,150ms,300ms",
  DELIVERY_TIMEOUT_MS: "400",
  POSTBACK_ALLOWED_ADDRESSES: "127.0.0.1",
  DELIVERY_SWEEP_GRACE_MS: "100",
});
delete process.env.INNGEST_DEV;
delete process.env.INNGEST_EVENT_KEY;
delete process.env.INNGEST_SIGNING_KEY;

let handle: DatabaseHandle;
let tracker: Tracker;
let driver: LocalDriver;
let world: World;
let incoming: typeof import("@/lib/incoming");
let dispatch: typeof import("@/inngest/dispatch");

beforeAll(async () => {
  handle = await useFreshProcessDatabase();
  tracker = await startTracker();
  const { createLocalDriver } = await import("@/inngest/local-driver");
  const { setLocalSendTarget } = await import("@/inngest/client");
  driver = createLocalDriver({ cronIntervalMs: 150 });
  setLocalSendTarget((events) => driver.send(events));
  incoming = await import("@/lib/incoming");
  dispatch = await import("@/inngest/dispatch");
  world = await createWorld(handle.db);
});
afterAll(async () => {
  driver.stop();
  await tracker.close();
  await handle.close();
});

async function convert(params: Record<string, string>, wake = true) {
  const response = await incoming.handleIncomingPostback(handle.db, postbackRequest(world.endpointId, { token: world.secret, ...params }), world.endpointId, {
    afterCommit: wake ? (queued) => void dispatch.wakeDeliveries(queued) : undefined,
  });
  const body = await response.json();
  const [delivery] = await handle.db.select().from(deliveries).where(eq(deliveries.conversionId, body.conversion_id));
  return delivery;
}

async function settled(deliveryId: string, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await driver.idle();
    const [row] = await handle.db.select().from(deliveries).where(eq(deliveries.id, deliveryId));
    if (row.state !== "pending" || Date.now() > deadline) return row;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe(`the local driver runs the Inngest functions in process (${testDriver})`, () => {
  it("relays an incoming postback to the tracker through the real serve handler", async () => {
    await world.addPostback({ urlTemplate: `${tracker.url}/relay?cid={click_id}&s={status}` });
    const click = await world.click();
    tracker.received.length = 0;
    const delivery = await convert({ click_id: click, status: "sale" });
    expect(await settled(delivery.id)).toMatchObject({ state: "delivered", attempts: 1 });
    expect(tracker.received.map((r) => r.url)).toEqual([`/relay?cid=${click}&s=approved`]);
  });

  it("retries on the schedule through RetryAfterError, then delivers", async () => {
    tracker.setReplies([500, 502, 200]);
    tracker.received.length = 0;
    const delivery = await convert({ click_id: await world.click() });
    expect(await settled(delivery.id)).toMatchObject({ state: "delivered", attempts: 3 });
    tracker.setReplies([200]);
    const gaps = tracker.received.slice(1).map((r, i) => r.at - tracker.received[i].at);
    expect(gaps[0]).toBeGreaterThanOrEqual(140);
    expect(gaps[1]).toBeGreaterThanOrEqual(290);
    const attempts = await handle.db.select().from(deliveryAttempts).where(eq(deliveryAttempts.deliveryId, delivery.id)).orderBy(deliveryAttempts.seq);
    expect(attempts.map((a) => a.responseStatus)).toEqual([500, 502, 200]);
  });

  it("fails the delivery after the last attempt of a tracker that never answers", async () => {
    tracker.setReplies(["hang"]);
    const delivery = await convert({ click_id: await world.click() });
    expect(await settled(delivery.id)).toMatchObject({ state: "failed", attempts: 3, lastErrorClass: "timeout" });
    tracker.setReplies([200]);
  });

  it("delivers a delivery whose wake-up was lost, through the sweeper", async () => {
    tracker.received.length = 0;
    const delivery = await convert({ click_id: await world.click() }, false);
    expect(delivery.state).toBe("pending");
    expect(await settled(delivery.id)).toMatchObject({ state: "delivered", attempts: 1 });
    expect(tracker.received).toHaveLength(1);
  });

  it("holds at most the per-host limit of requests open to one tracker at a time", async () => {
    const { PER_HOST_CONCURRENCY } = await import("@/inngest/functions/deliver-postback");
    const slow = await startTracker([{ status: 200, delayMs: 150 }]);
    const busy = await createWorld(handle.db);
    await busy.addPostback({ urlTemplate: `${slow.url}/busy?cid={click_id}` });
    const made = [];
    for (let i = 0; i < PER_HOST_CONCURRENCY + 5; i++) {
      const response = await incoming.handleIncomingPostback(handle.db, postbackRequest(busy.endpointId, { token: busy.secret, click_id: await busy.click() }), busy.endpointId, { afterCommit: (queued) => void dispatch.wakeDeliveries(queued) });
      made.push((await response.json()).conversion_id);
    }
    await driver.idle();
    expect(slow.received).toHaveLength(PER_HOST_CONCURRENCY + 5);
    expect(slow.maxInFlight()).toBeLessThanOrEqual(PER_HOST_CONCURRENCY);
    expect(slow.maxInFlight()).toBeGreaterThan(1);
    await slow.close();
  });

  it("in local mode the public serve handler refuses an unsigned call (only the driver, in process, runs functions)", async () => {
    const { inngestHandler } = await import("@/inngest/serve");
    const body = JSON.stringify({ version: 2, event: { name: "postline/delivery.requested", data: { deliveryId: "x", host: "h" } }, steps: {}, ctx: { run_id: "r", attempt: 0, max_attempts: 1 } });
    const response = await inngestHandler.POST(
      new Request("http://localhost/api/inngest?fnId=postline-deliver-postback&stepId=step", { method: "POST", headers: { host: "localhost", "content-type": "application/json" }, body }) as never,
      undefined as never,
    );
    expect(response.status).toBe(401);
  });
});

describe("the same function under @inngest/test", () => {
  it("runs one attempt step and reports the delivery delivered", async () => {
    const { InngestTestEngine } = await import("@inngest/test");
    const { deliverPostback } = await import("@/inngest/functions/deliver-postback");
    tracker.received.length = 0;
    const delivery = await convert({ click_id: await world.click() }, false);
    const engine = new InngestTestEngine({ function: deliverPostback });
    const { result } = await engine.execute({ events: [{ name: "postline/delivery.requested", data: { deliveryId: delivery.id, host: delivery.destinationHost } }] });
    expect(result).toEqual({ outcome: "delivered", attempt: 1 });
    expect(tracker.received).toHaveLength(1);
  });
});
void createTestDatabase;
