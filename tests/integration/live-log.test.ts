import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { incomingPostbackLog } from "@/db/schema";
import { handleIncomingPostback } from "@/lib/incoming/incoming";
import { createId } from "@/lib/platform/ids";
import { LiveLogWatcher, STREAM_MAX_ROWS, stampOf } from "@/lib/reports/live-log";
import type { IncomingRow, LogFilters, LogKind, LogRow, OutgoingRow } from "@/lib/reports/logs";
import type { Viewer } from "@/lib/access/users";
import { createTestDatabase, rowsOf, testDriver } from "../helpers/test-db";
import { createWorld, postbackRequest, sessionUserFor } from "../helpers/world";

let handle: DatabaseHandle;
let watcher: LiveLogWatcher;
const closers: (() => void)[] = [];

beforeAll(async () => {
  handle = await createTestDatabase();
  watcher = new LiveLogWatcher(handle, "listen");
});
afterAll(async () => {
  for (const close of closers) close();
  await watcher.stop();
  await handle.close();
});

/** An open stream, as the stream route opens one: what it received so far. */
async function openStream(kind: LogKind, viewer: Viewer, filters: LogFilters = {}, since = stampOf(new Date())) {
  const received: LogRow[] = [];
  const batches: number[] = [];
  let skipped = 0;
  const close = await watcher.follow(kind, viewer, filters, since, (rows, _position, left) => {
    received.push(...rows);
    batches.push(rows.length);
    skipped += left;
  });
  closers.push(close);
  return { received, batches, close, skipped: () => skipped };
}

async function until(check: () => boolean, what: string, ms = 5_000) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function postback(world: Awaited<ReturnType<typeof createWorld>>, params: Record<string, string>) {
  const response = await handleIncomingPostback(handle.db, postbackRequest(world.endpointId, { token: world.secret, ...params }), world.endpointId);
  return (await response.json()) as { conversion_id?: string };
}

describe(`the live-log watcher on ${testDriver}`, () => {
  it("serves every open stream of the instance from one listener, and a row written after they opened reaches each of them", async () => {
    const world = await createWorld(handle.db);
    const other = await createWorld(handle.db);
    const network = sessionUserFor(world.networkId, "network");
    const merchant = sessionUserFor(world.merchantId, "merchant");
    const streams: Awaited<ReturnType<typeof openStream>>[] = [];
    for (let i = 0; i < 6; i++) streams.push(await openStream("incoming", i % 2 ? merchant : network));
    const stranger = await openStream("incoming", sessionUserFor(other.networkId, "network"));
    expect(watcher.stats()).toMatchObject({ listeners: 1, followers: 7 });
    if (testDriver === "postgres") {
      const listening = await handle.db.execute(sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and query ilike 'listen %'`);
      expect(rowsOf<{ n: number }>(listening)[0].n).toBe(1);
    }

    const readsBefore = watcher.stats().reads;
    const clickId = await world.click();
    await postback(world, { click_id: clickId, txid: `tx-${clickId}`, status: "paid" });
    await until(() => streams.every((s) => s.received.some((r) => (r as IncomingRow).clickId === clickId)), "the row on every stream");
    for (const stream of streams) expect(stream.received.filter((r) => (r as IncomingRow).clickId === clickId)).toHaveLength(1);
    // One read of the tables per wake-up for the whole instance, not one per open stream.
    expect(watcher.stats().reads - readsBefore).toBeLessThan(streams.length);
    expect(stranger.received).toEqual([]);
  });

  // Only a server runs two transactions at once (PGlite runs one at a time).
  it.runIf(testDriver === "postgres")("streams a row whose transaction committed after newer rows had been streamed", async () => {
    const world = await createWorld(handle.db);
    const stream = await openStream("incoming", sessionUserFor(world.networkId, "network"));
    const row = (clickId: string) => ({ id: createId("incomingLog"), endpointId: world.endpointId, networkId: world.networkId, merchantId: world.merchantId, method: "GET", result: "accepted" as const, httpStatus: 200, clickId });
    let commit = () => {};
    const held = new Promise<void>((resolve) => (commit = resolve));
    // Stamped when its transaction began (now()), visible only when it commits, after the rows below.
    const late = handle.db.transaction(async (tx) => {
      await tx.insert(incomingPostbackLog).values(row("clk_committed_late"));
      await held;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    for (let i = 0; i < 5; i++) {
      await handle.db.insert(incomingPostbackLog).values(row(`clk_on_time_${i}`));
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    const clickIds = () => stream.received.map((r) => (r as IncomingRow).clickId);
    await until(() => clickIds().includes("clk_on_time_4"), "the rows committed on time");
    expect(clickIds()).not.toContain("clk_committed_late");
    commit();
    await late;
    await until(() => clickIds().includes("clk_committed_late"), "the row committed late", 3_000);
    expect(clickIds().filter((id) => id === "clk_committed_late")).toHaveLength(1);
  });

  it("filters each stream's rows by its viewer's filters, an id search exactly", async () => {
    const world = await createWorld(handle.db);
    const network = sessionUserFor(world.networkId, "network");
    const [first, second] = [await world.click(), await world.click()];
    const searching = await openStream("incoming", network, { q: `tx-${second}` });
    const rejectedOnly = await openStream("incoming", network, { result: "rejected" });
    const all = await openStream("incoming", network);
    await postback(world, { click_id: first, txid: `tx-${first}`, status: "paid" });
    await postback(world, { click_id: second, txid: `tx-${second}`, status: "paid" });
    await postback(world, { click_id: second, txid: `tx-${second}`, status: "paid" });
    await postback(world, { click_id: second, status: "paid", token: "wrong" });
    await until(() => all.received.length === 4, "four rows");
    expect(searching.received.map((r) => (r as IncomingRow).transactionId)).toEqual([`tx-${second}`, `tx-${second}`]);
    expect(rejectedOnly.received.map((r) => (r as IncomingRow).httpStatus)).toEqual([401]);
  });

  it("streams a delivery to its owner and to the network, and again when its state moves", async () => {
    const world = await createWorld(handle.db);
    await world.addPostback();
    const affiliate = await openStream("outgoing", sessionUserFor(world.affiliateId, "affiliate"));
    const network = await openStream("outgoing", sessionUserFor(world.networkId, "network"));
    const merchant = await openStream("outgoing", sessionUserFor(world.merchantId, "merchant"));
    const { conversion_id: conversionId } = await postback(world, { click_id: await world.click(), status: "paid" });
    await until(() => affiliate.received.length > 0 && network.received.length > 0, "the delivery");
    const [mine] = affiliate.received as OutgoingRow[];
    expect(mine).toMatchObject({ conversionId, state: "pending", own: true, masked: false });
    expect(network.received[0]).toMatchObject({ id: mine.id, own: false, masked: true });
    expect(merchant.received).toEqual([]);

    await handle.db.execute(sql`update deliveries set state = 'cancelled', updated_at = now() where id = ${mine.id}`);
    await until(() => affiliate.received.some((r) => (r as OutgoingRow).state === "cancelled"), "the changed delivery");
  });

  it("a stream resumed after a burst (a page reloaded on it) counts none of the rows it already shows as left out, and sends what comes next", async () => {
    const world = await createWorld(handle.db);
    const network = sessionUserFor(world.networkId, "network");
    const row = (clickId: string) => ({ id: createId("incomingLog"), endpointId: world.endpointId, networkId: world.networkId, merchantId: world.merchantId, method: "GET", result: "accepted" as const, httpStatus: 200, clickId });
    // 150 postbacks' rows a millisecond apart, the newest a second ago.
    const start = Date.now() - 1_000 - STREAM_MAX_ROWS * 3;
    const burst = Array.from({ length: STREAM_MAX_ROWS * 3 }, (_, i) => ({ ...row(`clk_shown_${i}`), createdAt: new Date(start + i) }));
    await handle.db.insert(incomingPostbackLog).values(burst);
    // The reloaded page shows the newest rows and resumes from the newest one's stamp; the stream
    // goes back over the overlap before it (3 s), which holds the whole burst.
    const stream = await openStream("incoming", network, {}, stampOf(burst.at(-1)!.createdAt));
    await postback(world, { click_id: "clk_after_the_reload" });
    await until(() => stream.received.some((r) => (r as IncomingRow).clickId === "clk_after_the_reload"), "the row written after");
    expect(stream.skipped()).toBe(0);
  });

  it("under a burst a stream sends the newest page of rows and says how many it left out; it sends again once the burst is over", async () => {
    const world = await createWorld(handle.db);
    const network = sessionUserFor(world.networkId, "network");
    const row = (clickId: string) => ({ id: createId("incomingLog"), endpointId: world.endpointId, networkId: world.networkId, merchantId: world.merchantId, method: "GET", result: "accepted" as const, httpStatus: 200, clickId });
    const stream = await openStream("incoming", network);
    const burst = Array.from({ length: STREAM_MAX_ROWS * 3 }, (_, i) => row(`clk_burst_${i}`));
    // One statement: the rows share a stamp and are told apart by their seq, the last one the newest.
    await handle.db.insert(incomingPostbackLog).values(burst);
    await until(() => stream.received.length + stream.skipped() === burst.length, "every row of the burst sent or counted");
    expect(stream.skipped()).toBeGreaterThan(0);
    expect(Math.max(...stream.batches)).toBeLessThanOrEqual(STREAM_MAX_ROWS);
    const clickIds = stream.received.map((r) => (r as IncomingRow).clickId);
    expect(new Set(clickIds).size).toBe(clickIds.length);
    expect(clickIds).toContain(`clk_burst_${burst.length - 1}`);

    await handle.db.insert(incomingPostbackLog).values(row("clk_after_the_burst"));
    await until(() => stream.received.some((r) => (r as IncomingRow).clickId === "clk_after_the_burst"), "the row after the burst");
  });

  it("resumes a stream from its cursor: rows written before it opened come first, from memory or, older, from the tables", async () => {
    const world = await createWorld(handle.db);
    const network = sessionUserFor(world.networkId, "network");
    const row = (clickId: string, ageMs: number) => ({
      id: createId("incomingLog"), endpointId: world.endpointId, networkId: world.networkId, merchantId: world.merchantId,
      method: "GET", result: "accepted" as const, httpStatus: 200, clickId, createdAt: new Date(Date.now() - ageMs),
    });
    // Older than anything the watcher holds in memory: read from the tables for this stream.
    await handle.db.insert(incomingPostbackLog).values(row("clk_long_ago", 120_000));
    const resumed = await openStream("incoming", network, {}, stampOf(new Date(Date.now() - 121_000)));
    expect(resumed.received.map((r) => (r as IncomingRow).clickId)).toEqual(["clk_long_ago"]);

    await handle.db.insert(incomingPostbackLog).values(row("clk_recent", 1_000));
    await until(() => resumed.received.length === 2, "the recent row");
    const late = await openStream("incoming", network, {}, stampOf(new Date(Date.now() - 2_000)));
    expect(late.received.map((r) => (r as IncomingRow).clickId)).toEqual(["clk_recent"]);
  });
});
