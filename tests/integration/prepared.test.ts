import { eq, sql } from "drizzle-orm";
import { integer, jsonb, numeric, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, type Database, type DatabaseHandle } from "@/db/client";
import { boundRow, commitWithoutFlushWait, preparedStatement, valuesOf } from "@/db/prepared";
import { describeForLog } from "@/lib/platform/errors";
import { createTestDatabase, rowsOf, serverAddressOf, testDriver } from "../helpers/test-db";

// The hot statements are built once and run with each call's values (db/prepared.ts): they must
// give the rows drizzle's own query gives (encoders, decoders, nested selections, a left join that
// found nothing), and fail as it fails.
const items = pgTable("prepared_probe_items", {
  id: text("id").primaryKey(),
  data: jsonb("data").$type<{ tags: string[] } | null>(),
  at: timestamp("at", { withTimezone: true }),
  amount: numeric("amount"),
  n: integer("n"),
  tagId: text("tag_id"),
});
const tags = pgTable("prepared_probe_tags", { id: text("id").primaryKey(), label: text("label").notNull(), since: timestamp("since", { withTimezone: true }).notNull() });
const ITEM_COLUMNS = ["id", "data", "at", "amount", "n", "tagId"] as const;

describe(`prepared hot statements (${testDriver})`, () => {
  let handle: DatabaseHandle;
  let db: Database;

  beforeAll(async () => {
    handle = await createTestDatabase();
    db = handle.db;
    await db.execute(sql`create table prepared_probe_tags (id text primary key, label text not null, since timestamptz not null)`);
    await db.execute(sql`create table prepared_probe_items (id text primary key, data jsonb, at timestamptz, amount numeric, n integer, tag_id text)`);
    await db.insert(tags).values({ id: "t1", label: "spring", since: new Date("2026-03-01T10:00:00.123Z") });
  });
  afterAll(async () => {
    await handle.close();
  });

  const insert = () =>
    preparedStatement(db, "probe-insert", (name) => db.insert(items).values(boundRow(items, ITEM_COLUMNS, "item")).returning().prepare(name));
  const read = () =>
    preparedStatement(db, "probe-read", (name) =>
      db
        .select({ item: { id: items.id, data: items.data, at: items.at, amount: items.amount }, tag: { label: tags.label, since: tags.since }, doubled: sql<number>`${items.n} * 2` })
        .from(items)
        .leftJoin(tags, eq(tags.id, items.tagId))
        .where(eq(items.id, sql.placeholder("id")))
        .prepare(name),
    );
  const readThroughDrizzle = (id: string) =>
    db
      .select({ item: { id: items.id, data: items.data, at: items.at, amount: items.amount }, tag: { label: tags.label, since: tags.since }, doubled: sql<number>`${items.n} * 2` })
      .from(items)
      .leftJoin(tags, eq(tags.id, items.tagId))
      .where(eq(items.id, id));

  it("binds JSON, timestamps, numbers and nulls, and returns the row as drizzle decodes it", async () => {
    const at = new Date("2026-11-25T08:30:00.456Z");
    const [inserted] = await insert().execute(valuesOf("item", ITEM_COLUMNS, { id: "i1", data: { tags: ["a", "b"] }, at, amount: "12.50", n: 21, tagId: "t1" }));
    expect(inserted).toEqual({ id: "i1", data: { tags: ["a", "b"] }, at, amount: "12.50", n: 21, tagId: "t1" });

    // A key the row lacks binds as null, and a null is SQL NULL, not the JSON value null.
    const [withNulls] = await insert().execute(valuesOf("item", ITEM_COLUMNS, { id: "i2" }));
    expect(withNulls).toEqual({ id: "i2", data: null, at: null, amount: null, n: null, tagId: null });
    const [stored] = await db.execute(sql`select data is null as sql_null from prepared_probe_items where id = 'i2'`).then((r) => (Array.isArray(r) ? r : (r as { rows: unknown[] }).rows));
    expect(stored).toEqual({ sql_null: true });
  });

  it("maps nested selections, and a left join that found nothing to null, like drizzle", async () => {
    const [found] = await read().execute({ id: "i1" });
    expect(found).toEqual({
      item: { id: "i1", data: { tags: ["a", "b"] }, at: new Date("2026-11-25T08:30:00.456Z"), amount: "12.50" },
      tag: { label: "spring", since: new Date("2026-03-01T10:00:00.123Z") },
      doubled: 42,
    });
    expect(found.tag?.since).toBeInstanceOf(Date);
    expect([found]).toEqual(await readThroughDrizzle("i1"));

    const [untagged] = await read().execute({ id: "i2" });
    expect(untagged.tag).toBeNull();
    expect([untagged]).toEqual(await readThroughDrizzle("i2"));
    expect(await read().execute({ id: "nope" })).toEqual([]);
  });

  it("refuses a call that leaves a placeholder without a value", async () => {
    await expect(read().execute({})).rejects.toThrow('No value for placeholder "id" was provided');
  });

  it("fails as drizzle's execute fails: the driver's error wrapped, read by its code, with no row values in the log", async () => {
    // lib/errors.ts reads the driver's error inside drizzle's wrapper: only there is a reset
    // database socket an outage (503), and only the code and message reach the log.
    await insert().execute(valuesOf("item", ITEM_COLUMNS, { id: "dup" }));
    const failed = await insert().execute(valuesOf("item", ITEM_COLUMNS, { id: "dup" })).catch((error: unknown) => error);
    expect(describeForLog(failed)).toMatch(/^query failed: 23505 /);
  });

  it("turns synchronous_commit off for the statement that carries commitWithoutFlushWait only: the connection's next statement has it on again", async () => {
    // One connection, so the second statement runs where the first did.
    const one = testDriver === "postgres" ? createDatabase({ url: (await serverAddressOf(handle)).url, poolMax: 1 }) : handle;
    try {
      const setting = async (condition: ReturnType<typeof sql>) =>
        rowsOf<{ value: string }>(await one.db.execute(sql`select current_setting('synchronous_commit') as value where ${condition}`))[0]?.value;
      expect(await setting(commitWithoutFlushWait)).toBe("off");
      expect(await setting(sql`true`)).toBe("on");
    } finally {
      if (one !== handle) await one.close();
    }
  });
});
