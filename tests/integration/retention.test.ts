import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { clicks, conversions, deliveries, deliveryAttempts, incomingPostbackLog, offers } from "@/db/schema";
import { findConversions } from "@/lib/conversions/find";
import { conversionTimeline } from "@/lib/conversions/timeline";
import { handleIncomingPostback } from "@/lib/incoming/incoming";
import { attemptDelivery, type DispatchSettings } from "@/lib/outgoing/delivery-attempts";
import { createId } from "@/lib/platform/ids";
import { listPartitions, maintainPartitions, type RetentionSettings, weekStart } from "@/lib/platform/retention";
import { startEmbeddedDispatcher } from "@/lib/outgoing/embedded-dispatcher";
import { retentionHealth } from "@/lib/reports/health";
import { createTestDatabase, testDriver, useFreshProcessDatabase } from "../helpers/test-db";
import { startTracker, type Tracker } from "../helpers/tracker";
import { createWorld, postbackRequest, sessionUserFor, type World } from "../helpers/world";

const DAY = 86_400_000;
const WEEK = 7 * DAY;
const settings: RetentionSettings = { days: { clicks: 14, incoming_postback_log: 14, delivery_attempts: 14 }, weeksAhead: 3 };
const dispatch: DispatchSettings = { schedule: [0], timeoutMs: 2000, maxResponseBytes: 4096, allowedAddresses: ["127.0.0.1"], pauseAfterFailures: 100 };

let handle: DatabaseHandle;
let tracker: Tracker;
let world: World;

beforeAll(async () => {
  handle = await createTestDatabase();
  tracker = await startTracker([200]);
  world = await createWorld(handle.db);
});
afterAll(async () => {
  await tracker.close();
  await handle.close();
});

const weekName = (table: string, from: Date) => `${table}_w${from.toISOString().slice(0, 10).replaceAll("-", "")}`;
const tables = ["clicks", "incoming_postback_log", "delivery_attempts"] as const;

async function post(params: Record<string, string>) {
  const response = await handleIncomingPostback(handle.db, postbackRequest(world.endpointId, { token: world.secret, ...params }), world.endpointId);
  return (await response.json()) as { ok: boolean; conversion_id: string; status: string };
}

describe(`retention by weekly partitions (${testDriver})`, () => {
  const thisWeek = weekStart(new Date());
  // A click two weeks ahead lands in a partition the schedule made ahead; the clock then moves on.
  const clickedAt = new Date(thisWeek.getTime() + 2 * WEEK + DAY);
  const later = new Date(thisWeek.getTime() + 3 * WEEK + 40 * DAY);
  let clickId: string;
  let conversionId: string;

  it("makes the current week and the weeks ahead of every retained table", async () => {
    const result = await maintainPartitions(handle.db, settings, new Date());
    const partitions = await listPartitions(handle.db);
    for (const table of tables) {
      for (let week = 0; week <= settings.weeksAhead; week++) {
        const from = new Date(thisWeek.getTime() + week * WEEK);
        const covering = partitions.filter((p) => p.table === table && (p.from === null || p.from <= from) && p.to >= new Date(from.getTime() + WEEK));
        expect(covering, `${table}, week ${week}`).toHaveLength(1);
      }
      // The last week ahead is always one the schedule made (the migration makes two).
      expect(result.created).toContain(weekName(table, new Date(thisWeek.getTime() + settings.weeksAhead * WEEK)));
    }
    expect(result.dropped).toEqual([]);
    // Run again: nothing left to make.
    expect(await maintainPartitions(handle.db, settings, new Date())).toEqual({ created: [], dropped: [] });
  });

  it("writes a click, an incoming log row and an attempt into their week's partition", async () => {
    await world.addPostback({ urlTemplate: `${tracker.url}/pb?cid={aff_click_id}&s1={sub1}&ua={user_agent}&ip={ip}&at={click_time}&c={country}&src={source}` });
    clickId = createId("click");
    await handle.db.insert(clicks).values({
      id: clickId, trackingLinkId: world.linkId, campaignId: world.campaignId, offerId: world.offerId, affiliateId: world.affiliateId, networkId: world.networkId,
      sub1: "spring", affClickId: "TRK-77", source: "newsletter", ip: "203.0.113.9", userAgent: "Mozilla/5.0 Retention", country: "FR", createdAt: clickedAt,
    });
    const lead = await post({ click_id: clickId, status: "reg", txid: "RET-1" });
    expect(lead.ok).toBe(true);
    conversionId = lead.conversion_id;
    await handle.db.insert(incomingPostbackLog).values({ id: createId("incomingLog"), networkId: world.networkId, merchantId: world.merchantId, method: "GET", result: "accepted", httpStatus: 200, clickId, createdAt: clickedAt });
    const [delivery] = await handle.db.select().from(deliveries).where(eq(deliveries.conversionId, conversionId));
    await handle.db.insert(deliveryAttempts).values({
      id: createId("attempt"), deliveryId: delivery.id, ownerOrgId: world.affiliateId, attemptNumber: 0, trigger: "test", method: "GET", url: "http://x", durationMs: 1, ok: true, createdAt: clickedAt,
    });
    const week = new Date(thisWeek.getTime() + 2 * WEEK);
    for (const table of tables) {
      const rows = await handle.db.execute(sql`select count(*)::int as n from ${sql.identifier(weekName(table, week))}`);
      expect((Array.isArray(rows) ? rows : (rows as { rows: { n: number }[] }).rows)[0]).toEqual({ n: 1 });
    }
  });

  it("drops whole weeks past retention, and the conversion keeps its page, its search, its postback and its status updates", async () => {
    const dropWeek = new Date(thisWeek.getTime() + 2 * WEEK);
    const result = await maintainPartitions(handle.db, settings, later);
    for (const table of tables) {
      expect(result.dropped).toContain(weekName(table, dropWeek));
      // The partition of everything before partitioning goes too, once its last row is past.
      expect(result.dropped).toContain(`${table}_legacy`);
      expect(result.created).toContain(weekName(table, weekStart(later)));
    }
    const left = await listPartitions(handle.db);
    expect(left.map((p) => p.name)).not.toContain(weekName("clicks", dropWeek));
    expect(left.filter((p) => p.table === "clicks").every((p) => p.from !== null && p.to.getTime() > later.getTime() - 40 * DAY)).toBe(true);
    expect(await handle.db.select().from(clicks).where(eq(clicks.id, clickId))).toEqual([]);
    expect(await handle.db.select().from(incomingPostbackLog).where(eq(incomingPostbackLog.clickId, clickId))).toEqual([]);
    expect(await handle.db.select().from(deliveryAttempts).where(eq(deliveryAttempts.ok, true))).toEqual([]);

    // The page: the click as the conversion kept it, with the landing URL it was sent to.
    const timeline = await conversionTimeline(handle.db, sessionUserFor(world.networkId, "network"), conversionId);
    expect(timeline.entries.find((e) => e.kind === "click")).toMatchObject({
      kind: "click",
      at: clickedAt.toISOString(),
      clickId,
      country: "FR",
      affiliateValues: { subs: { sub1: "spring" }, affClickId: "TRK-77", source: "newsletter" },
    });
    // Search by the tracker's click id reads the conversion's copy.
    expect((await findConversions(handle.db, sessionUserFor(world.affiliateId, "affiliate"), "TRK-77")).map((m) => m.conversionId)).toEqual([conversionId]);

    // The test's clock jumped ahead and dropped this real week too: the schedule at the real time makes it again.
    await maintainPartitions(handle.db, settings, new Date());
    // The postback, rendered after the click is gone, carries every value of the click.
    const [delivery] = await handle.db.select().from(deliveries).where(eq(deliveries.conversionId, conversionId));
    expect((await attemptDelivery(handle.db, delivery.id, dispatch)).outcome).toBe("delivered");
    const sent = new URL(tracker.received.at(-1)!.url, tracker.url).searchParams;
    expect(Object.fromEntries(sent)).toEqual({ cid: "TRK-77", s1: "spring", ua: "Mozilla/5.0 Retention", ip: "203.0.113.9", at: clickedAt.toISOString(), c: "FR", src: "newsletter" });

    // A later status from the merchant still finds its conversion by the dropped click's id.
    const approved = await post({ click_id: clickId, status: "paid", txid: "RET-1" });
    expect(approved).toMatchObject({ ok: true, conversion_id: conversionId });
    const [row] = await handle.db.select().from(conversions).where(eq(conversions.id, conversionId));
    expect(row.status).toBe("approved");
  });

  it("keeps clicks as long as an offer's click lifetime, whatever the retention", async () => {
    const farther = new Date(later.getTime() + 4 * WEEK);
    await handle.db.update(offers).set({ clickLifetimeHours: 24 * 60 }).where(eq(offers.id, world.offerId));
    const result = await maintainPartitions(handle.db, settings, farther);
    // The week of `later` is past the log's retention at `farther`, not past 60 days.
    const week = weekStart(later);
    expect(result.dropped).toContain(weekName("incoming_postback_log", week));
    expect(result.dropped).not.toContain(weekName("clicks", week));
    expect((await listPartitions(handle.db)).map((p) => p.name)).toContain(weekName("clicks", week));
    await handle.db.update(offers).set({ clickLifetimeHours: 720 }).where(eq(offers.id, world.offerId));
  });

  it("runs twice at once without an error, and makes each week once", async () => {
    const muchLater = new Date(later.getTime() + 10 * WEEK);
    const [first, second] = await Promise.all([maintainPartitions(handle.db, settings, muchLater), maintainPartitions(handle.db, settings, muchLater)]);
    const created = [...first.created, ...second.created];
    expect(new Set(created).size).toBe(created.length);
    for (const table of tables) expect(created).toContain(weekName(table, weekStart(muchLater)));
    const partitions = await listPartitions(handle.db);
    for (const table of tables) {
      const own = partitions.filter((p) => p.table === table);
      // Nothing ends before its table's cutoff: its retention, or for clicks the offer's click lifetime (30 days).
      const keptDays = table === "clicks" ? 30 : 14;
      expect(own.filter((p) => p.to.getTime() <= muchLater.getTime() - keptDays * DAY).map((p) => p.name)).toEqual([]);
      expect(own.at(-1)!.to).toEqual(new Date(weekStart(muchLater).getTime() + (settings.weeksAhead + 1) * WEEK));
    }
    // A click written now, in the last week kept, is read back by its id.
    const at = new Date(weekStart(muchLater).getTime() + DAY);
    const id = createId("click");
    await handle.db.insert(clicks).values({ id, trackingLinkId: world.linkId, campaignId: world.campaignId, offerId: world.offerId, affiliateId: world.affiliateId, networkId: world.networkId, createdAt: at });
    expect((await handle.db.select({ id: clicks.id }).from(clicks).where(eq(clicks.id, id))).map((r) => r.id)).toEqual([id]);
  });
});

describe(`the schedule that runs it (${testDriver})`, () => {
  const ahead = (weeks: number) => weekName("delivery_attempts", new Date(weekStart(new Date()).getTime() + weeks * WEEK));

  it("runs in the embedded dispatcher at start and on its interval", async () => {
    const dispatcher = startEmbeddedDispatcher({
      db: handle.db,
      settings: dispatch,
      sweep: { graceMs: 60_000, batch: 10, maxBatches: 1, intervalMs: 60_000 },
      retention: { settings: { ...settings, weeksAhead: 8 }, intervalMs: 60_000 },
      log: () => {},
    });
    try {
      await expect.poll(async () => (await listPartitions(handle.db)).map((p) => p.name), { timeout: 10_000 }).toContain(ahead(8));
    } finally {
      dispatcher.stop();
      await dispatcher.idle();
    }
  });

  it("shows the admin each table's retention and its partitions", async () => {
    const health = await retentionHealth(handle.db, settings);
    expect(health.weeksAhead).toBe(settings.weeksAhead);
    expect(health.tables.map((t) => [t.table, t.days])).toEqual(tables.map((t) => [t, 14]));
    expect(health.tables[0].partitions.map((p) => p.name)).toContain(weekName("clicks", weekStart(new Date())));
    // Clicks go no earlier than the offers' 30-day click lifetime allows; the log after its 14 days.
    expect(Date.now() - health.tables[0].dropsBefore.getTime()).toBeGreaterThanOrEqual(30 * DAY - 60_000);
    expect(Date.now() - health.tables[1].dropsBefore.getTime()).toBeLessThan(15 * DAY);
  });

  it("runs as the Inngest function on its cron, with the settings of the environment", async () => {
    const processDb = await useFreshProcessDatabase();
    try {
      process.env.RETENTION_WEEKS_AHEAD = "9";
      const { resetEnvForTests } = await import("@/lib/platform/env");
      resetEnvForTests();
      const { InngestTestEngine } = await import("@inngest/test");
      const { maintainPartitionsFunction } = await import("@/inngest/functions/maintain-partitions");
      const { functions } = await import("@/inngest/functions");
      expect(functions).toContain(maintainPartitionsFunction);
      const { result } = await new InngestTestEngine({ function: maintainPartitionsFunction }).execute();
      expect((result as { created: string[] }).created).toContain(ahead(9));
      expect((await listPartitions(processDb.db)).map((p) => p.name)).toContain(ahead(9));
    } finally {
      delete process.env.RETENTION_WEEKS_AHEAD;
      await processDb.close();
    }
  });
});
