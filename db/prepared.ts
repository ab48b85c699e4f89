import { Column, getTableColumns, type SQL, type SQLWrapper, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import type { Database } from "./client";

/*
 * Drizzle builds a query's SQL text again on every call, and on the hot paths (a postback, a
 * click, a delivery) that cost more Node time than running the query (BENCHMARKS.md). These
 * statements are built once per database and shape, with placeholders, and run with each call's
 * values: a named prepared statement on Postgres.
 */

type Runnable = { execute(values?: Record<string, unknown>): Promise<unknown> };
const statements = new WeakMap<Database, Map<string, Runnable>>();

/** The statement `build` makes for `shape`, built on first use by this database. */
export function preparedStatement<R extends Runnable>(db: Database, shape: string, build: (name: string) => R): R {
  let byShape = statements.get(db);
  if (!byShape) statements.set(db, (byShape = new Map()));
  let statement = byShape.get(shape) as R | undefined;
  if (!statement) {
    statement = build(`postline_${byShape.size}`);
    byShape.set(shape, statement);
  }
  return statement;
}

/** A placeholder whose value is encoded as `table`'s column `key` when bound (JSON, dates, numbers as text). */
export function bound<T extends PgTable>(table: T, key: keyof T["$inferInsert"] & string, name: string = key): SQL {
  return sql`${placeholderFor(getTableColumns(table)[key], name)}`;
}

/**
 * The placeholder `name` for a value of `column`. Columns whose encoder passes values through
 * (text, enum, numeric as text, integer, boolean) get a bare placeholder: drizzle fills one with
 * a single type check, where an encoded one costs three and a call, per value per execution (a
 * new conversion binds some forty values).
 */
export function placeholderFor(column: Column, name: string): SQLWrapper {
  return column.mapToDriverValue === Column.prototype.mapToDriverValue ? sql.placeholder(name) : sql.param(sql.placeholder(name), nullSafeEncoder(column));
}

/**
 * The column's encoder, except that null stays SQL NULL: drizzle encodes a bound placeholder's
 * null too, and a jsonb column's encoder would store the JSON value `null`.
 */
function nullSafeEncoder(column: { mapToDriverValue(value: unknown): unknown }) {
  return { mapToDriverValue: (value: unknown) => (value === null || value === undefined ? null : column.mapToDriverValue(value)) };
}

/** `bound()` for each of `keys`, for `.values()` or `.set()`, and the placeholder names prefixed. */
export function boundRow<T extends PgTable, K extends keyof T["$inferInsert"] & string>(table: T, keys: readonly K[], prefix = ""): Record<K, SQL> {
  return Object.fromEntries(keys.map((key) => [key, bound(table, key, `${prefix}${key}`)])) as Record<K, SQL>;
}

/** The values for `boundRow(…, prefix)`'s placeholders; an absent value binds as null. */
export function bindings(values: Record<string, unknown>, keys: readonly string[], prefix = ""): Record<string, unknown> {
  return Object.fromEntries(keys.map((key) => [`${prefix}${key}`, values[key] ?? null]));
}

/** A shape key from the names of what is set: statements differ only in which keys they bind. */
export function shapeOf(values: Record<string, unknown>): string {
  return Object.keys(values).sort().join(",");
}
