import { sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { createTestDatabase, rowsOf, serverAddressOf } from "../helpers/test-db";

// postgres.js reserves a transaction's connection when its BEGIN is written; unpatched, a BEGIN
// that filled a connection's pipeline went out unreserved: the transaction failed with
// UNSAFE_TRANSACTION and its connection went back to the pool with the transaction still open
// (db/patch-postgres.mjs). `npm run chaos` hit it with 1,000 identical postbacks at once.
const serverUrl = process.env.DATABASE_URL;

describe.skipIf(!serverUrl)("transactions when connections are full (PostgreSQL)", () => {
  let owner: DatabaseHandle;
  let url: string;
  let database: string;

  beforeAll(async () => {
    owner = await createTestDatabase();
    ({ name: database, url } = await serverAddressOf(owner));
    await owner.db.execute(sql`create table tx_probe (n int not null)`);
  });
  afterAll(async () => {
    await owner.close();
  });

  it("runs and commits a transaction whose BEGIN fills the pipeline, and leaves no transaction open", async () => {
    // max_pipeline 0 makes every BEGIN the one that fills its connection's pipeline (upstream #1210).
    // max_pipeline is a connection option postgres.js reads but does not declare in its types.
    const client = postgres(url, { max: 4, max_pipeline: 0, onnotice: () => {} } as postgres.Options<{}>);
    try {
      for (let n = 0; n < 3; n++) await client.begin((tx) => tx`insert into tx_probe (n) values (${n})`);
      const [{ count }] = await owner.db.execute(sql`select count(*)::int as count from tx_probe`).then(rowsOf<{ count: number }>);
      expect(count).toBe(3);
      const open = await client`select pid from pg_stat_activity where datname = ${database} and state like 'idle in transaction%'`;
      expect(open).toHaveLength(0);
    } finally {
      await client.end({ timeout: 5 });
    }
  });
});
