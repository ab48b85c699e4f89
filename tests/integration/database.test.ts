import { once } from "node:events";
import { readFileSync } from "node:fs";
import path from "node:path";
import { connect, createServer } from "node:net";
import { eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DatabaseHandle, MIGRATIONS_FOLDER } from "@/db/client";
import { clicks, conversionEvents, conversions, memberships, offers, organizations, users } from "@/db/schema";
import { DEMO, DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemoData } from "@/lib/demo/seed";
import { getCampaign } from "@/lib/tracking/campaigns";
import { listAffiliateOffers, getNetworkOffer } from "@/lib/tracking/offers";
import { loadActiveUser, verifyCredentials } from "@/lib/access/users";
import { handleIncomingPostback } from "@/lib/incoming/incoming";
import { addPayoutRule } from "@/lib/program/manage";
import { createTestDatabase, rowsOf, testDriver } from "../helpers/test-db";
import { createWorld, postbackRequest } from "../helpers/world";

let handle: DatabaseHandle;

beforeAll(async () => {
  handle = await createTestDatabase();
  await seedDemoData(handle.db);
});
afterAll(() => handle.close());

describe(`database on ${testDriver}`, () => {
  it("runs the committed migrations on this driver", async () => {
    expect(handle.driver).toBe(testDriver);
    const tables = await handle.db.execute(
      sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
    );
    const names = rowsOf<{ table_name: string }>(tables).map((r) => r.table_name);
    expect(names).toEqual(
      expect.arrayContaining([
        "organizations", "users", "memberships", "offers", "campaigns", "tracking_links", "clicks", "conversions",
        "conversion_events", "incoming_endpoints", "incoming_postback_log", "outgoing_postbacks", "deliveries",
        "delivery_attempts", "api_keys", "rate_limit_buckets",
      ]),
    );
    await handle.migrate(); // applying again is a no-op, as on every restart
  });

  it("migration 0018 gives a recorded payout rule to the amounts that rule set", async () => {
    const own = await createTestDatabase();
    try {
      const world = await createWorld(own.db);
      const rule = (payout?: string, revenue?: string) =>
        addPayoutRule(own.db, world.networkId, world.offerId, { affiliateId: world.affiliateId, goalKey: null, payoutKind: "flat", payout, revenueKind: "flat", revenue, validFrom: new Date() });
      const [payoutOnly, revenueOnly, both] = [await rule("1"), await rule(undefined, "2"), await rule("3", "4")];
      const ids: string[] = [];
      for (const ruleId of [payoutOnly, revenueOnly, both]) {
        const response = await handleIncomingPostback(own.db, postbackRequest(world.endpointId, { token: world.secret, click_id: await world.click(), status: "paid" }), world.endpointId);
        const { conversion_id } = await response.json();
        // As recorded before 0018: one id for both amounts.
        await own.db.update(conversions).set({ payoutRuleId: ruleId, revenueRuleId: null }).where(eq(conversions.id, conversion_id));
        ids.push(conversion_id);
      }
      const migration = readFileSync(path.join(MIGRATIONS_FOLDER, "0018_revenue_rule.sql"), "utf8").split("--> statement-breakpoint");
      await own.db.execute(sql.raw(migration[1]));
      const rows = await own.db.select().from(conversions).where(inArray(conversions.id, ids));
      const byId = new Map(rows.map((r) => [r.id, [r.payoutRuleId, r.revenueRuleId]]));
      expect(ids.map((id) => byId.get(id))).toEqual([[payoutOnly, null], [null, revenueOnly], [both, both]]);
    } finally {
      await own.close();
    }
  });

  it("keeps no foreign keys on the hot path's event rows but an attempt's to its delivery and an event's to its actor", async () => {
    // Each key is a lookup and a row lock per insert, and a lookup planned on a nearly empty table
    // stays a sequential scan as it grows (db/schema/clicks.ts, BENCHMARKS.md).
    const keys = await handle.db.execute(sql`
      select c.conrelid::regclass::text as "table", a.attname as "column", c.confrelid::regclass::text as "references"
      from pg_constraint c join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
      where c.contype = 'f' and c.conrelid::regclass::text in ('clicks', 'conversions', 'conversion_events', 'incoming_postback_log', 'deliveries', 'delivery_attempts')
      order by 1, 2`);
    expect(rowsOf(keys)).toEqual([
      { table: "conversion_events", column: "actor_user_id", references: "users" },
      { table: "delivery_attempts", column: "delivery_id", references: "deliveries" },
    ]);
  });

  it("writes only the indexes some query reads on the tables every click and postback writes", async () => {
    // Every index is written on every insert (and a delivery's on each update of its state), so an
    // index no query uses is pure cost on the hot paths; one a new query needs comes with that
    // query (db/schema/clicks.ts, BENCHMARKS.md).
    const indexes = await handle.db.execute(sql`
      select tablename as "table", indexname as "index" from pg_indexes
      where schemaname = 'public' and tablename in ('clicks', 'conversions', 'conversion_events', 'incoming_postback_log', 'deliveries')
      order by 1, 2`);
    expect(rowsOf<{ table: string; index: string }>(indexes).map((r) => `${r.table}.${r.index}`)).toEqual([
      "clicks.clicks_affiliate_time_idx",
      "clicks.clicks_network_time_idx",
      "clicks.clicks_pkey",
      "conversion_events.conversion_events_pkey",
      "conversion_events.conversion_events_status_key",
      "conversions.conversions_aff_click_id_idx",
      "conversions.conversions_affiliate_time_idx",
      "conversions.conversions_click_idx",
      "conversions.conversions_hold_idx",
      "conversions.conversions_merchant_time_idx",
      "conversions.conversions_merchant_transaction_key",
      "conversions.conversions_network_time_idx",
      "conversions.conversions_offer_key",
      "conversions.conversions_pkey",
      "conversions.conversions_transaction_idx",
      "deliveries.deliveries_conversion_idx",
      "deliveries.deliveries_network_seq_idx",
      "deliveries.deliveries_owner_seq_idx",
      "deliveries.deliveries_pkey",
      "deliveries.deliveries_postback_event_key",
      "deliveries.deliveries_recipient_seq_idx",
      "deliveries.deliveries_state_next_idx",
      "deliveries.deliveries_updated_seq_idx",
      "incoming_postback_log.incoming_log_click_idx",
      "incoming_postback_log.incoming_log_conversion_idx",
      "incoming_postback_log.incoming_log_created_seq_idx",
      "incoming_postback_log.incoming_log_merchant_seq_idx",
      "incoming_postback_log.incoming_log_network_seq_idx",
      "incoming_postback_log.incoming_log_transaction_idx",
      "incoming_postback_log.incoming_postback_log_pkey",
    ]);
  });

  it("seeds the demo once and never over existing data", async () => {
    const orgs = await handle.db.select().from(organizations);
    expect(orgs.map((o) => o.kind).sort()).toEqual(["affiliate", "merchant", "network", "platform"]);
    expect(await seedDemoData(handle.db)).toBe(false);
    expect(await handle.db.select().from(organizations)).toHaveLength(4);
  });
});

describe("sign-in", () => {
  it("accepts each demo account with its password and carries organization and role", async () => {
    for (const account of DEMO_ACCOUNTS) {
      const user = await verifyCredentials(handle.db, account.email.toUpperCase(), DEMO_PASSWORD);
      expect(user).toMatchObject({ email: account.email, orgId: account.orgId, role: "owner" });
    }
  });

  it("refuses a wrong password and an unknown email alike", async () => {
    expect(await verifyCredentials(handle.db, DEMO_ACCOUNTS[1].email, "wrong")).toBeNull();
    expect(await verifyCredentials(handle.db, "nobody@example.com", DEMO_PASSWORD)).toBeNull();
  });

  it("locks out a disabled user and the users of a disabled organization at once", async () => {
    const merchant = DEMO_ACCOUNTS[2];
    const before = await verifyCredentials(handle.db, merchant.email, DEMO_PASSWORD);
    expect(before).not.toBeNull();
    await handle.db.update(organizations).set({ disabledAt: new Date() }).where(eq(organizations.id, merchant.orgId));
    expect(await verifyCredentials(handle.db, merchant.email, DEMO_PASSWORD)).toBeNull();
    expect(await loadActiveUser(handle.db, before!.userId, 0)).toBeNull();
    await handle.db.update(organizations).set({ disabledAt: null }).where(eq(organizations.id, merchant.orgId));

    await handle.db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, before!.userId));
    expect(await loadActiveUser(handle.db, before!.userId, 0)).toBeNull();
    await handle.db.update(users).set({ disabledAt: null }).where(eq(users.id, before!.userId));
    expect(await loadActiveUser(handle.db, before!.userId, 0)).not.toBeNull();
  });
});

describe("first admin", () => {
  it("is made once, on a database without an admin", async () => {
    const { ensureFirstAdmin } = await import("@/lib/access/admin");
    const fresh = await createTestDatabase();
    try {
      expect(await ensureFirstAdmin(fresh.db, "root@example.com", "first-admin-pass")).toBe(true);
      expect(await ensureFirstAdmin(fresh.db, "other@example.com", "first-admin-pass")).toBe(false);
      expect(await verifyCredentials(fresh.db, "root@example.com", "first-admin-pass")).toMatchObject({ orgKind: "platform", role: "owner" });
      expect(await verifyCredentials(fresh.db, "other@example.com", "first-admin-pass")).toBeNull();
    } finally {
      await fresh.close();
    }
    // The demo data has its admin already.
    expect(await ensureFirstAdmin(handle.db, "late@example.com", "first-admin-pass")).toBe(false);
  });
});

describe("password reset", () => {
  it("ends the sessions signed in before it", async () => {
    const { resetPassword } = await import("@/lib/access/admin");
    const affiliate = await verifyCredentials(handle.db, DEMO_ACCOUNTS[3].email, DEMO_PASSWORD);
    expect(await loadActiveUser(handle.db, affiliate!.userId, affiliate!.sessionVersion)).not.toBeNull();
    const password = await resetPassword(handle.db, affiliate!.userId);
    expect(await loadActiveUser(handle.db, affiliate!.userId, affiliate!.sessionVersion)).toBeNull();
    expect(await verifyCredentials(handle.db, DEMO_ACCOUNTS[3].email, DEMO_PASSWORD)).toBeNull();
    const again = await verifyCredentials(handle.db, DEMO_ACCOUNTS[3].email, password);
    expect(await loadActiveUser(handle.db, again!.userId, again!.sessionVersion)).not.toBeNull();
  });
});

describe("rows belong to their organization", () => {
  it("finds an offer for its network and not for another one", async () => {
    await handle.db.insert(organizations).values({ id: "org_other_network", name: "Other", kind: "network" });
    expect(await getNetworkOffer(handle.db, DEMO.networkId, DEMO.offerId)).not.toBeNull();
    expect(await getNetworkOffer(handle.db, "org_other_network", DEMO.offerId)).toBeNull();
  });

  it("finds a campaign for its affiliate and not for another one", async () => {
    await handle.db.insert(organizations).values({ id: "org_other_affiliate", name: "Other aff", kind: "affiliate" });
    expect((await getCampaign(handle.db, DEMO.affiliateId, DEMO.campaignId))?.links).toHaveLength(1);
    expect(await getCampaign(handle.db, "org_other_affiliate", DEMO.campaignId)).toBeNull();
  });

  it("shows an affiliate only the offers of networks that approved it", async () => {
    expect((await listAffiliateOffers(handle.db, DEMO.affiliateId)).map((r) => r.offer.id)).toEqual([DEMO.offerId]);
    await handle.db.insert(memberships).values({ id: "mem_pending", networkId: DEMO.networkId, affiliateId: "org_other_affiliate" });
    expect(await listAffiliateOffers(handle.db, "org_other_affiliate")).toEqual([]);
  });
});

describe("natural keys", () => {
  it("refuse a second conversion for the same merchant transaction and a second event for the same status", async () => {
    await handle.db.insert(clicks).values({
      id: "clk_key_test", trackingLinkId: "lnk_demo", campaignId: DEMO.campaignId, offerId: DEMO.offerId,
      affiliateId: DEMO.affiliateId, networkId: DEMO.networkId,
    });
    const base = {
      clickId: "clk_key_test", offerId: DEMO.offerId, networkId: DEMO.networkId, merchantId: DEMO.merchantId,
      affiliateId: DEMO.affiliateId, status: "lead" as const,
    };
    await handle.db.insert(conversions).values({ ...base, id: "conv_a", conversionKey: "tx:T-1", transactionId: "T-1" });
    // The same merchant transaction under another key, and the same key without a transaction: both refused.
    await expect(handle.db.insert(conversions).values({ ...base, id: "conv_b", conversionKey: "tx:T-2", transactionId: "T-1" })).rejects.toThrow();
    await expect(handle.db.insert(conversions).values({ ...base, id: "conv_c", conversionKey: "tx:T-1" })).rejects.toThrow();
    // Without a transaction id, only the key decides (NULLs are distinct).
    await handle.db.insert(conversions).values({ ...base, id: "conv_d", conversionKey: "lead:clk_key_test:1" });
    await handle.db.insert(conversions).values({ ...base, id: "conv_e", conversionKey: "lead:clk_key_test:2" });

    const event = { conversionId: "conv_a", kind: "created" as const, toStatus: "lead" as const, source: "incoming_postback" as const };
    await handle.db.insert(conversionEvents).values({ ...event, id: "evt_1" });
    await expect(handle.db.insert(conversionEvents).values({ ...event, id: "evt_2" })).rejects.toThrow();
    const [{ count }] = await handle.db.select({ count: sql<number>`count(*)::int` }).from(offers);
    expect(count).toBe(1);
  });
});

describe.skipIf(testDriver !== "pglite")("the embedded database under a burst", () => {
  it("lets the server take a new connection while a backlog of queries is worked through", async () => {
    // PGlite runs on this thread; its queries must not run back to back in one turn of the event
    // loop, or a burst keeps new connections waiting (db/client.ts oneQueryPerTurn).
    let done = 0;
    let doneWhenAccepted = -1;
    const server = createServer((socket) => {
      doneWhenAccepted = done;
      socket.end();
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const { port } = server.address() as { port: number };
    const burst = Array.from({ length: 60 }, () => handle.db.execute(sql`select count(*) from generate_series(1, 5000)`).then(() => done++));
    const closed = once(connect(port, "127.0.0.1"), "close");
    await Promise.all(burst);
    await closed;
    server.close();
    expect(done).toBe(60);
    expect(doneWhenAccepted).toBeGreaterThanOrEqual(0);
    expect(doneWhenAccepted).toBeLessThan(10);
  });
});
