import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { deliveries, deliveryAttempts } from "@/db/schema";
import { handleIncomingPostback } from "@/lib/incoming/incoming";
import { dispatchSettingsFromEnv } from "@/lib/outgoing/delivery-attempts";
import { dispatchCommitted, installDispatcher, wakeDeliveries } from "@/lib/outgoing/dispatcher";
import { PER_HOST_CONCURRENCY, startEmbeddedDispatcher } from "@/lib/outgoing/embedded-dispatcher";
import { resetEnvForTests } from "@/lib/platform/env";
import { testDriver, useFreshProcessDatabase } from "../helpers/test-db";
import { startTracker, type Tracker } from "../helpers/tracker";
import { createWorld, postbackRequest, type World } from "../helpers/world";

// A short schedule and timeout, the local trackers let through the SSRF guard, a short sweeper grace.
Object.assign(process.env, {
  DELIVERY_RETRY_SCHEDULE: "0,150ms,300ms",
  DELIVERY_TIMEOUT_MS: "400",
  POSTBACK_ALLOWED_ADDRESSES: "127.0.0.1",
  DELIVERY_SWEEP_GRACE_MS: "100",
});
resetEnvForTests();

let handle: DatabaseHandle;
let tracker: Tracker;
let dispatcher: ReturnType<typeof startEmbeddedDispatcher>;

beforeAll(async () => {
  handle = await useFreshProcessDatabase();
  tracker = await startTracker();
  dispatcher = startEmbeddedDispatcher({ db: handle.db, settings: dispatchSettingsFromEnv(), sweep: { graceMs: 100, batch: 100, maxBatches: 5, intervalMs: 150 } });
  installDispatcher(dispatcher);
});
afterAll(async () => {
  dispatcher.stop();
  await tracker.close();
  await handle.close();
});

/** A network, merchant, affiliate and offer of their own, with the affiliate's postback to `url`. */
async function worldPostingTo(url: string): Promise<World> {
  const world = await createWorld(handle.db);
  await world.addPostback({ urlTemplate: url });
  return world;
}

async function convert(world: World, params: Record<string, string>, wake = true) {
  const response = await handleIncomingPostback(handle.db, postbackRequest(world.endpointId, { token: world.secret, ...params }), world.endpointId, {
    afterCommit: wake ? (committed) => void dispatchCommitted(committed) : undefined,
  });
  const body = await response.json();
  const [delivery] = await handle.db.select().from(deliveries).where(eq(deliveries.conversionId, body.conversion_id));
  return delivery;
}

async function settled(deliveryId: string, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await dispatcher.idle();
    const [row] = await handle.db.select().from(deliveries).where(eq(deliveries.id, deliveryId));
    if (row.state !== "pending" || Date.now() > deadline) return row;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe(`the embedded dispatcher runs the core delivery on the outbox's schedule (${testDriver})`, () => {
  it("relays an incoming postback to the tracker", async () => {
    const world = await worldPostingTo(`${tracker.url}/relay?cid={click_id}&s={status}`);
    const click = await world.click();
    const delivery = await convert(world, { click_id: click, status: "sale" });
    expect(await settled(delivery.id)).toMatchObject({ state: "delivered", attempts: 1 });
    expect(tracker.received.filter((r) => r.url.startsWith("/relay")).map((r) => r.url)).toContain(`/relay?cid=${click}&s=approved`);
  });

  it("retries on the schedule, then delivers", async () => {
    const flaky = await startTracker([500, 502, 200]);
    const world = await worldPostingTo(`${flaky.url}/flaky?cid={click_id}`);
    const delivery = await convert(world, { click_id: await world.click() });
    expect(await settled(delivery.id)).toMatchObject({ state: "delivered", attempts: 3 });
    const gaps = flaky.received.slice(1).map((r, i) => r.at - flaky.received[i].at);
    expect(gaps[0]).toBeGreaterThanOrEqual(140);
    expect(gaps[1]).toBeGreaterThanOrEqual(290);
    const attempts = await handle.db.select().from(deliveryAttempts).where(eq(deliveryAttempts.deliveryId, delivery.id)).orderBy(deliveryAttempts.seq);
    expect(attempts.map((a) => a.responseStatus)).toEqual([500, 502, 200]);
    await flaky.close();
  });

  it("fails the delivery after the last attempt of a tracker that never answers", async () => {
    const silent = await startTracker(["hang"]);
    const world = await worldPostingTo(`${silent.url}/silent?cid={click_id}`);
    const delivery = await convert(world, { click_id: await world.click() });
    expect(await settled(delivery.id)).toMatchObject({ state: "failed", attempts: 3, lastErrorClass: "timeout" });
    await silent.close();
  });

  it("delivers a delivery whose wake-up was lost, through the sweeper", async () => {
    const own = await startTracker();
    const world = await worldPostingTo(`${own.url}/swept?cid={click_id}`);
    const delivery = await convert(world, { click_id: await world.click() }, false);
    expect(delivery.state).toBe("pending");
    expect(await settled(delivery.id)).toMatchObject({ state: "delivered", attempts: 1 });
    expect(own.received).toHaveLength(1);
    await own.close();
  });

  it("sends a delivery woken twice once", async () => {
    const own = await startTracker([{ status: 200, delayMs: 100 }]);
    const world = await worldPostingTo(`${own.url}/twice?cid={click_id}`);
    const delivery = await convert(world, { click_id: await world.click() }, false);
    await Promise.all([wakeDeliveries([{ id: delivery.id, host: delivery.destinationHost }]), wakeDeliveries([{ id: delivery.id, host: delivery.destinationHost }])]);
    expect(await settled(delivery.id)).toMatchObject({ state: "delivered", attempts: 1 });
    expect(own.received).toHaveLength(1);
    await own.close();
  });

  it("holds at most the per-host limit of requests open to one tracker at a time", async () => {
    const slow = await startTracker([{ status: 200, delayMs: 150 }]);
    const busy = await worldPostingTo(`${slow.url}/busy?cid={click_id}`);
    for (let i = 0; i < PER_HOST_CONCURRENCY + 5; i++) await convert(busy, { click_id: await busy.click() });
    const deadline = Date.now() + 5000;
    while (slow.received.length < PER_HOST_CONCURRENCY + 5 && Date.now() < deadline) await dispatcher.idle();
    expect(slow.received).toHaveLength(PER_HOST_CONCURRENCY + 5);
    expect(slow.maxInFlight()).toBeLessThanOrEqual(PER_HOST_CONCURRENCY);
    expect(slow.maxInFlight()).toBeGreaterThan(1);
    await slow.close();
  });
});

describe("the Inngest function under @inngest/test", () => {
  it("runs one attempt and reports the delivery delivered", async () => {
    const { InngestTestEngine } = await import("@inngest/test");
    const { deliverPostback } = await import("@/inngest/functions/deliver-postback");
    const own = await startTracker();
    const world = await worldPostingTo(`${own.url}/inngest?cid={click_id}`);
    const delivery = await convert(world, { click_id: await world.click() }, false);
    const engine = new InngestTestEngine({ function: deliverPostback });
    const { result } = await engine.execute({ events: [{ name: "postline/delivery.requested", data: { deliveryId: delivery.id, host: delivery.destinationHost } }] });
    expect(result).toEqual({ outcome: "delivered", attempt: 1 });
    expect(own.received).toHaveLength(1);
    await own.close();
  });
});
