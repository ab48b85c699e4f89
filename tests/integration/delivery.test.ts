import { createHmac } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { and, eq, isNotNull, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { clicks, deliveries, deliveryAttempts, outgoingPostbacks } from "@/db/schema";
import { findOverdueDeliveries, type OverdueCursor } from "@/lib/outgoing/deliveries";
import { type AttemptOutcome, attemptDelivery, type DispatchSettings, replayDelivery } from "@/lib/outgoing/delivery-attempts";
import { handleIncomingPostback } from "@/lib/incoming/incoming";
import { deletePostback } from "@/lib/outgoing/postback-config";
import { createTestDatabase, testDriver } from "../helpers/test-db";
import { startTracker, type Tracker } from "../helpers/tracker";
import { createWorld, postbackRequest, sessionUserFor, type World } from "../helpers/world";

let handle: DatabaseHandle;
let tracker: Tracker;
const settings: DispatchSettings = {
  schedule: [0, 40, 80, 120],
  timeoutMs: 300,
  maxResponseBytes: 4096,
  allowedAddresses: ["127.0.0.1"],
  pauseAfterFailures: 2,
};

beforeAll(async () => {
  handle = await createTestDatabase();
  tracker = await startTracker();
});
afterAll(async () => {
  await tracker.close();
  await handle.close();
});

/** Plays the dispatcher: attempts until the delivery settles, waiting out each retry delay. */
async function runUntilSettled(deliveryId: string): Promise<AttemptOutcome[]> {
  const outcomes: AttemptOutcome[] = [];
  for (;;) {
    const outcome = await attemptDelivery(handle.db, deliveryId, settings);
    outcomes.push(outcome);
    if (outcome.outcome !== "retry") return outcomes;
    await new Promise((r) => setTimeout(r, outcome.retryInMs));
  }
}

async function convert(world: World, params: Record<string, string>) {
  const response = await handleIncomingPostback(handle.db, postbackRequest(world.endpointId, { token: world.secret, ...params }), world.endpointId);
  const body = await response.json();
  expect(body.ok).toBe(true);
  return handle.db.select().from(deliveries).where(eq(deliveries.conversionId, body.conversion_id));
}

async function clickWithSubs(world: World) {
  const id = await world.click();
  await handle.db.update(clicks).set({ affClickId: "ext 42/x", sub1: "news", source: "fb" }).where(eq(clicks.id, id));
  return id;
}

describe(`outgoing deliveries on ${testDriver}`, () => {
  it("sends the tracker exactly the rendered URL, with the delivery id in a header", async () => {
    const world = await createWorld(handle.db);
    await world.addPostback({ urlTemplate: `${tracker.url}/pb?subid={aff_click_id}&s={status}&p={payout}&cur={currency}&tid={txid}&raw={_sub1}&src={source}` });
    const click = await clickWithSubs(world);
    const [delivery] = await convert(world, { click_id: click, txid: "ORD 7", status: "sale", payout: "12.5" });
    tracker.received.length = 0;
    expect(await runUntilSettled(delivery.id)).toEqual([{ outcome: "delivered", attempt: 1 }]);
    expect(tracker.received).toHaveLength(1);
    expect(tracker.received[0].method).toBe("GET");
    expect(tracker.received[0].url).toBe("/pb?subid=ext%2042%2Fx&s=approved&p=12.50&cur=EUR&tid=ORD%207&raw=news&src=fb");
    expect(tracker.received[0].headers["webhook-id"]).toBe(delivery.id);
    expect(tracker.received[0].headers["x-postline-delivery-id"]).toBe(delivery.id);

    const [row] = await handle.db.select().from(deliveries).where(eq(deliveries.id, delivery.id));
    expect(row).toMatchObject({ state: "delivered", attempts: 1, lastStatusCode: 200 });
    const [attempt] = await handle.db.select().from(deliveryAttempts).where(eq(deliveryAttempts.deliveryId, delivery.id));
    expect(attempt).toMatchObject({ ok: true, trigger: "initial", attemptNumber: 1, responseStatus: 200, responseBody: "answer 200", method: "GET" });
    expect(attempt.url).toBe(`${tracker.url}/pb?subid=ext%2042%2Fx&s=approved&p=12.50&cur=EUR&tid=ORD%207&raw=news&src=fb`);
  });

  it("gives each delivery its postback's destination host and a delivery id", async () => {
    const world = await createWorld(handle.db);
    const templates = ["HTTPS://Tracker.Example.COM:8443/pb?x={click_id}", "  http://[::1]:9/x ", "http://user@host.example/y", "{click_id}"];
    for (const urlTemplate of templates) await world.addPostback({ urlTemplate });
    const rows = await convert(world, { click_id: await world.click() });
    expect(rows.map((r) => r.destinationHost).sort()).toEqual(["[::1]:9", "tracker.example.com:8443", "unknown", "user@host.example"]);
    for (const row of rows) expect(row.id).toMatch(/^dlv_[A-Za-z0-9_-]{22}$/);
  });

  it("deleting a postback removes its deliveries and their attempts, and a queued one is never sent", async () => {
    const world = await createWorld(handle.db);
    const postbackId = await world.addPostback({ urlTemplate: `${tracker.url}/deleted?cid={click_id}` });
    const [sent] = await convert(world, { click_id: await world.click() });
    expect(await runUntilSettled(sent.id)).toEqual([{ outcome: "delivered", attempt: 1 }]);
    const [queued] = await convert(world, { click_id: await world.click() });
    tracker.received.length = 0;

    await deletePostback(handle.db, sessionUserFor(world.affiliateId, "affiliate"), postbackId);
    expect(await handle.db.select().from(deliveries).where(eq(deliveries.postbackId, postbackId))).toEqual([]);
    expect(await handle.db.select().from(deliveryAttempts).where(eq(deliveryAttempts.deliveryId, sent.id))).toEqual([]);
    expect(await attemptDelivery(handle.db, queued.id, settings)).toMatchObject({ outcome: "skipped" });
    expect(tracker.received).toEqual([]);
  });

  it("pages through overdue deliveries oldest first, so a sweep reaches every one of a backlog", async () => {
    const world = await createWorld(handle.db);
    await world.addPostback({ urlTemplate: `${tracker.url}/backlog?cid={click_id}` });
    const owed: (typeof deliveries.$inferSelect)[] = [];
    for (let i = 0; i < 5; i++) owed.push(...(await convert(world, { click_id: await world.click() })));
    // As if the process that should have sent them had died two minutes ago: the first two a
    // second apart, the other three due at the same microsecond (ties are paged by id).
    for (const [i, delivery] of owed.entries()) {
      const due = i < 2 ? new Date(Date.now() - 125_000 + i * 1000) : sql`date_trunc('second', now()) - interval '119.999999 seconds'`;
      await handle.db.update(deliveries).set({ nextAttemptAt: due }).where(eq(deliveries.id, delivery.id));
    }
    const seen: string[] = [];
    let after: OverdueCursor | undefined;
    for (let page = 0; page < 10; page++) {
      const result = await findOverdueDeliveries(handle.db, 60_000, 2, after);
      seen.push(...result.deliveries.map((d) => d.id).filter((id) => owed.some((o) => o.id === id)));
      if (!result.next) break;
      after = result.next;
    }
    const ties = owed.slice(2).map((d) => d.id).sort((a, b) => (a < b ? -1 : 1));
    expect(seen).toEqual([owed[0].id, owed[1].id, ...ties]);
  });

  it("retries a tracker that answers 500 twice, logging three attempts, then delivers", async () => {
    const world = await createWorld(handle.db);
    await world.addPostback({ urlTemplate: `${tracker.url}/flaky?cid={click_id}` });
    const [delivery] = await convert(world, { click_id: await world.click() });
    tracker.setReplies([500, 500, 200]);
    tracker.received.length = 0;
    const outcomes = await runUntilSettled(delivery.id);
    tracker.setReplies([200]);
    expect(outcomes.map((o) => o.outcome)).toEqual(["retry", "retry", "delivered"]);
    expect(outcomes.slice(0, 2).map((o) => (o as { retryInMs: number }).retryInMs)).toEqual([40, 80]);
    expect(tracker.received.map((r) => r.headers["webhook-id"])).toEqual([delivery.id, delivery.id, delivery.id]);
    // The waits between attempts follow the schedule.
    expect(tracker.received[1].at - tracker.received[0].at).toBeGreaterThanOrEqual(40);
    expect(tracker.received[2].at - tracker.received[1].at).toBeGreaterThanOrEqual(80);
    const attempts = await handle.db.select().from(deliveryAttempts).where(eq(deliveryAttempts.deliveryId, delivery.id)).orderBy(deliveryAttempts.seq);
    expect(attempts.map((a) => [a.attemptNumber, a.trigger, a.responseStatus, a.errorClass])).toEqual([
      [1, "initial", 500, "non_2xx"],
      [2, "retry", 500, "non_2xx"],
      [3, "retry", 200, null],
    ]);
  });

  it("fails a delivery whose tracker never answers after the last attempt, and delivers it on replay", async () => {
    const world = await createWorld(handle.db);
    await world.addPostback({ urlTemplate: `${tracker.url}/slow?cid={click_id}` });
    const [delivery] = await convert(world, { click_id: await world.click() });
    tracker.setReplies(["hang"]);
    const outcomes = await runUntilSettled(delivery.id);
    expect(outcomes.map((o) => o.outcome)).toEqual(["retry", "retry", "retry", "failed"]);
    const attempts = await handle.db.select().from(deliveryAttempts).where(eq(deliveryAttempts.deliveryId, delivery.id));
    expect(attempts.every((a) => a.errorClass === "timeout" && a.durationMs >= 300 && a.durationMs < 2000)).toBe(true);
    // No answer, no headers: SQL NULL in every attempt, retries and the last alike (not the JSON value null).
    const withHeaders = await handle.db.$count(deliveryAttempts, and(eq(deliveryAttempts.deliveryId, delivery.id), isNotNull(deliveryAttempts.responseHeaders)));
    expect(withHeaders).toBe(0);
    expect((await handle.db.select().from(deliveries).where(eq(deliveries.id, delivery.id)))[0]).toMatchObject({ state: "failed", attempts: 4, lastErrorClass: "timeout" });

    await expect(replayDelivery(handle.db, "org_someone_else", delivery.id)).rejects.toMatchObject({ code: "not_found" });
    tracker.setReplies([200]);
    await replayDelivery(handle.db, world.affiliateId, delivery.id);
    expect(await runUntilSettled(delivery.id)).toEqual([{ outcome: "delivered", attempt: 1 }]);
    const [last] = await handle.db.select().from(deliveryAttempts).where(eq(deliveryAttempts.deliveryId, delivery.id)).orderBy(deliveryAttempts.seq).offset(4);
    expect(last).toMatchObject({ trigger: "replay", ok: true });
    await expect(replayDelivery(handle.db, world.affiliateId, delivery.id)).rejects.toMatchObject({ code: "conflict" });
  });

  it("keeps the status, headers and partial body of an answer whose body is still coming at the timeout; a 2xx is delivered", async () => {
    // A tracker that answers at once, then sends its body one byte a second.
    const trickle = createServer((req, res) => {
      res.writeHead(req.url?.startsWith("/busy") ? 503 : 200, { "content-type": "text/plain", "x-tracker": "slow" });
      res.write("ok");
      const timer = setInterval(() => res.write("."), 1000);
      res.on("close", () => clearInterval(timer));
    });
    await new Promise<void>((resolve) => trickle.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(trickle.address() as AddressInfo).port}`;
    try {
      const world = await createWorld(handle.db);
      await world.addPostback({ urlTemplate: `${base}/pb?cid={click_id}` });
      const [delivery] = await convert(world, { click_id: await world.click() });
      expect(await runUntilSettled(delivery.id)).toEqual([{ outcome: "delivered", attempt: 1 }]);
      const [attempt] = await handle.db.select().from(deliveryAttempts).where(eq(deliveryAttempts.deliveryId, delivery.id));
      expect(attempt).toMatchObject({ ok: true, responseStatus: 200, responseHeaders: { "x-tracker": "slow" }, errorClass: "timeout", errorMessage: expect.stringContaining("not complete") });
      expect(attempt.responseBody).toMatch(/^ok[\s\S]*cut at the timeout/);
      expect((await handle.db.select().from(deliveries).where(eq(deliveries.id, delivery.id)))[0]).toMatchObject({ state: "delivered", lastStatusCode: 200 });

      const busy = await createWorld(handle.db);
      await busy.addPostback({ urlTemplate: `${base}/busy?cid={click_id}` });
      const [refused] = await convert(busy, { click_id: await busy.click() });
      expect(await attemptDelivery(handle.db, refused.id, settings)).toMatchObject({ outcome: "retry" });
      const [failed] = await handle.db.select().from(deliveryAttempts).where(eq(deliveryAttempts.deliveryId, refused.id));
      expect(failed).toMatchObject({ ok: false, responseStatus: 503, responseHeaders: { "x-tracker": "slow" }, errorClass: "timeout" });
      expect(failed.responseBody).toMatch(/^ok/);
    } finally {
      trickle.closeAllConnections();
      await new Promise((resolve) => trickle.close(resolve));
    }
  });

  it("makes a second concurrent attempt on the same delivery a no-op", async () => {
    const world = await createWorld(handle.db);
    await world.addPostback({ urlTemplate: `${tracker.url}/once?cid={click_id}` });
    const [delivery] = await convert(world, { click_id: await world.click() });
    tracker.received.length = 0;
    const outcomes = await Promise.all([attemptDelivery(handle.db, delivery.id, settings), attemptDelivery(handle.db, delivery.id, settings)]);
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(["delivered", "skipped"]);
    expect(tracker.received).toHaveLength(1);
  });

  it("posts a JSON body with values escaped for JSON, signed in the Standard Webhooks form", async () => {
    const world = await createWorld(handle.db);
    const secret = `whsec_${Buffer.from("0123456789abcdef0123456789abcdef").toString("base64")}`;
    await world.addPostback({
      method: "POST",
      bodyFormat: "json",
      urlTemplate: `${tracker.url}/json`,
      bodyTemplate: '{"click":"{aff_click_id}","status":"{status:approved=1 rejected=2}","amount":{payout}}',
      headers: { Authorization: "Bearer tracker-token" },
      signingSecret: secret,
    });
    const click = await world.click();
    await handle.db.update(clicks).set({ affClickId: 'he said "hi"\\' }).where(eq(clicks.id, click));
    const [delivery] = await convert(world, { click_id: click, status: "sale", payout: "7" });
    tracker.received.length = 0;
    await runUntilSettled(delivery.id);
    const got = tracker.received[0];
    expect(got.method).toBe("POST");
    expect(JSON.parse(got.body)).toEqual({ click: 'he said "hi"\\', status: "1", amount: 7 });
    expect(got.headers["content-type"]).toBe("application/json");
    expect(got.headers.authorization).toBe("Bearer tracker-token");
    const timestamp = got.headers["webhook-timestamp"] as string;
    const expected = createHmac("sha256", Buffer.from("0123456789abcdef0123456789abcdef")).update(`${delivery.id}.${timestamp}.${got.body}`).digest("base64");
    expect(got.headers["webhook-signature"]).toBe(`v1,${expected}`);
    // The log keeps the request, with the secret header masked.
    const [attempt] = await handle.db.select().from(deliveryAttempts).where(eq(deliveryAttempts.deliveryId, delivery.id));
    expect(attempt.requestBody).toBe(got.body);
    expect(attempt.requestHeaders.Authorization).toBe("••••");
  });

  it("prints one line per failed attempt, with the delivery, the host and the error class, and no stack", async () => {
    const world = await createWorld(handle.db);
    await world.addPostback({ urlTemplate: `${tracker.url}/down?cid={click_id}` });
    const [delivery] = await convert(world, { click_id: await world.click() });
    tracker.setReplies([503]);
    const printed: string[] = [];
    const spies = (["log", "warn", "error"] as const).map((level) => vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void printed.push(args.map(String).join(" "))));
    try {
      await runUntilSettled(delivery.id);
    } finally {
      for (const spy of spies) spy.mockRestore();
      tracker.setReplies([200]);
    }
    const host = new URL(tracker.url).host;
    expect(printed).toEqual([
      `[postline] delivery attempt failed delivery=${delivery.id} host=${host} attempt=1 error=non_2xx status=503 next_in_ms=40`,
      `[postline] delivery attempt failed delivery=${delivery.id} host=${host} attempt=2 error=non_2xx status=503 next_in_ms=80`,
      `[postline] delivery attempt failed delivery=${delivery.id} host=${host} attempt=3 error=non_2xx status=503 next_in_ms=120`,
      `[postline] delivery attempt failed delivery=${delivery.id} host=${host} attempt=4 error=non_2xx status=503 next=none`,
    ]);
  });

  it("pauses a postback, with the reason, after the set number of failed deliveries in a row", async () => {
    const world = await createWorld(handle.db);
    const postbackId = await world.addPostback({ urlTemplate: `${tracker.url}/down?cid={click_id}` });
    tracker.setReplies([503]);
    for (let i = 0; i < 2; i++) {
      const [delivery] = await convert(world, { click_id: await world.click() });
      expect((await runUntilSettled(delivery.id)).at(-1)?.outcome).toBe("failed");
    }
    tracker.setReplies([200]);
    const [postback] = await handle.db.select().from(outgoingPostbacks).where(eq(outgoingPostbacks.id, postbackId));
    expect(postback.pausedAt).not.toBeNull();
    expect(postback.pausedReason).toMatch(/Paused after 2 deliveries in a row failed \(last: HTTP 503\)/);
    // A paused postback gets no new deliveries.
    expect(await convert(world, { click_id: await world.click() })).toEqual([]);
  });

  it("sends header values from click data percent-encoded, and leaves the network's revenue out of an affiliate's postback", async () => {
    const world = await createWorld(handle.db);
    await world.addPostback({ urlTemplate: `${tracker.url}/hdr?rev={revenue}&pay={payout}`, headers: { "X-Sub": "{sub1}" } });
    const click = await world.click();
    await handle.db.update(clicks).set({ sub1: "line\nbreak é" }).where(eq(clicks.id, click));
    const [delivery] = await convert(world, { click_id: click, status: "sale", payout: "3", revenue: "8" });
    tracker.received.length = 0;
    expect((await runUntilSettled(delivery.id)).at(-1)?.outcome).toBe("delivered");
    expect(tracker.received[0].headers["x-sub"]).toBe("line%0Abreak%20%C3%A9".replace("%20", " "));
    expect(tracker.received[0].url).toBe("/hdr?rev=&pay=3.00");
  });

  it("fails at once, without retrying, a URL the SSRF guard refuses", async () => {
    const world = await createWorld(handle.db);
    await world.addPostback({ urlTemplate: "http://10.0.0.1/pb?cid={click_id}" });
    const [delivery] = await convert(world, { click_id: await world.click() });
    expect(await runUntilSettled(delivery.id)).toEqual([{ outcome: "failed", attempt: 1, error: expect.stringContaining("private or reserved") }]);
    const [attempt] = await handle.db.select().from(deliveryAttempts).where(eq(deliveryAttempts.deliveryId, delivery.id));
    expect(attempt).toMatchObject({ errorClass: "blocked", responseStatus: null });
  });
});
