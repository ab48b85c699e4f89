import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { apiClient, type ApiClient } from "../helpers/api";
import { createTestDatabase, testDriver } from "../helpers/test-db";
import { createWorld, type World } from "../helpers/world";

let handle: DatabaseHandle;
let world: World;
beforeAll(async () => {
  handle = await createTestDatabase();
  world = await createWorld(handle.db);
});
afterAll(() => handle.close());

/** Rows per list, stamped one microsecond apart inside one millisecond: a millisecond cursor would skip all but one. */
const COUNT = 5;
const STAMP = sql`'2026-01-01T00:00:00.123000Z'::timestamptz + g * interval '1 microsecond'`;
const series = sql`generate_series(1, ${COUNT}::int) g`;
const idsOf = (prefix: string) => Array.from({ length: COUNT }, (_, i) => `${prefix}_${i + 1}`);

/** Every page of `path`, `limit` rows at a time, following nextCursor to the end. */
async function walk(client: ApiClient, path: string, limit: number) {
  const ids: string[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 100; pages++) {
    const answer = await client.get(`${path}?limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    for (const row of answer.body.data) expect(Object.keys(row)).not.toContain("cursorAt");
    ids.push(...answer.body.data.map((row: { id: string }) => row.id));
    cursor = answer.body.nextCursor;
    if (!cursor) return ids;
  }
  throw new Error(`${path} did not end`);
}

/** Pages of 1 and 2 give every row of the list once, in the order of one big page, the microsecond rows among them. */
async function expectWholeList(client: ApiClient, path: string, inserted: string[]) {
  const all = await client.get(`${path}?limit=200`);
  expect(all.body.nextCursor).toBeNull();
  const everyRow = all.body.data.map((row: { id: string }) => row.id);
  expect(everyRow).toEqual(expect.arrayContaining(inserted));
  for (const limit of [1, 2]) {
    const walked = await walk(client, path, limit);
    expect(walked, `${path} by ${limit}`).toEqual(everyRow);
    expect(new Set(walked).size).toBe(walked.length);
  }
}

describe(`API paging on ${testDriver}: rows one microsecond apart`, () => {
  it("offers: the network's, the approved affiliate's and the merchant's", async () => {
    const tag = `off_${world.networkId}`;
    await handle.db.execute(sql`
      insert into offers (id, network_id, merchant_id, name, landing_url, created_at)
      select ${tag} || '_' || g, ${world.networkId}, ${world.merchantId}, 'Micro offer ' || g, 'https://shop.example.com/', ${STAMP} from ${series}`);
    for (const orgId of [world.networkId, world.affiliateId, world.merchantId]) {
      await expectWholeList(await apiClient(handle.db, orgId, "read"), "/offers", idsOf(tag));
    }
  });

  it("incoming endpoints: the network's and the merchant's", async () => {
    const tag = `end_${world.networkId}`;
    await handle.db.execute(sql`
      insert into incoming_endpoints (id, network_id, merchant_id, name, secret_hash, secret_hint, created_at)
      select ${tag} || '_' || g, ${world.networkId}, ${world.merchantId}, 'Micro endpoint ' || g, 'hash-' || g, 'hint', ${STAMP} from ${series}`);
    for (const orgId of [world.networkId, world.merchantId]) {
      await expectWholeList(await apiClient(handle.db, orgId, "read"), "/incoming-endpoints", idsOf(tag));
    }
  });

  it("memberships: the network's affiliates and the affiliate's networks", async () => {
    const affiliates = `aff_${world.networkId}`;
    const networks = `net_${world.affiliateId}`;
    await handle.db.execute(sql`
      insert into organizations (id, name, kind)
      select ${affiliates} || '_' || g, 'Micro affiliate ' || g, 'affiliate'::org_kind from ${series}
      union all select ${networks} || '_' || g, 'Micro network ' || g, 'network'::org_kind from ${series}`);
    await handle.db.execute(sql`
      insert into memberships (id, network_id, affiliate_id, status, created_at)
      select 'mem_a_' || ${affiliates} || '_' || g, ${world.networkId}, ${affiliates} || '_' || g, 'pending'::membership_status, ${STAMP} from ${series}
      union all select 'mem_n_' || ${networks} || '_' || g, ${networks} || '_' || g, ${world.affiliateId}, 'approved'::membership_status, ${STAMP} from ${series}`);
    await expectWholeList(await apiClient(handle.db, world.networkId, "read"), "/memberships", idsOf(`mem_a_${affiliates}`));
    await expectWholeList(await apiClient(handle.db, world.affiliateId, "read"), "/memberships", idsOf(`mem_n_${networks}`));
  });

  it("networks an affiliate may ask to join", async () => {
    const tag = `join_${world.affiliateId}`;
    await handle.db.execute(sql`
      insert into organizations (id, name, kind, created_at)
      select ${tag} || '_' || g, 'Joinable network ' || g, 'network', ${STAMP} from ${series}`);
    await expectWholeList(await apiClient(handle.db, world.affiliateId, "read"), "/networks", idsOf(tag));
  });

  it("the affiliate's campaigns and tracking links", async () => {
    const campaignsTag = `cmp_${world.affiliateId}`;
    const linksTag = `lnk_${world.affiliateId}`;
    await handle.db.execute(sql`
      insert into campaigns (id, affiliate_id, offer_id, name, created_at)
      select ${campaignsTag} || '_' || g, ${world.affiliateId}, ${world.offerId}, 'Micro campaign ' || g, ${STAMP} from ${series}`);
    await handle.db.execute(sql`
      insert into tracking_links (id, code, campaign_id, affiliate_id, offer_id, created_at)
      select ${linksTag} || '_' || g, ${linksTag} || '-' || g, ${world.campaignId}, ${world.affiliateId}, ${world.offerId}, ${STAMP} from ${series}`);
    const affiliate = await apiClient(handle.db, world.affiliateId, "read");
    await expectWholeList(affiliate, "/campaigns", idsOf(campaignsTag));
    await expectWholeList(affiliate, "/tracking-links", idsOf(linksTag));
  });
});
