import { type Column, getTableColumns, is, SQL, type SQLWrapper, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import type { Database } from "./client";

/*
 * The hot statements (a postback, a click, a delivery) are built once per database and shape with
 * drizzle's own `.prepare(name)`, and run with each call's values: a named prepared statement on
 * PostgreSQL, drizzle's execute on both drivers.
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

/**
 * An expression, always true, that lets the statement's own transaction commit without waiting for
 * its WAL to reach disk; only for a statement run on its own, never in a transaction that writes
 * more. For counters written before the conversion they count: the conversion's synchronous commit
 * (or its log row's) flushes the WAL up to itself, this commit with it, so a crash can lose a count
 * only if nothing written after it was acknowledged.
 */
export const commitWithoutFlushWait = sql`set_config('synchronous_commit', 'off', true) is not null`;

/** A placeholder whose value is encoded as `table`'s column `key` when bound (JSON, dates). */
export function bound<T extends PgTable>(table: T, key: keyof T["$inferInsert"] & string, name: string = key): SQL {
  return sql`${placeholderFor(getTableColumns(table)[key], name)}`;
}

/**
 * The placeholder `name` for a value of `column`, encoded by the column; null stays SQL NULL
 * (a jsonb column's own encoder would store the JSON value `null`).
 */
export function placeholderFor(column: Column, name: string): SQLWrapper {
  const encoder = { mapToDriverValue: (value: unknown) => (value === null || value === undefined ? null : column.mapToDriverValue(value)) };
  return sql.param(sql.placeholder(name), encoder);
}

/** `bound()` for each of `keys`, for `.values()` or `.set()`, named `group.key` (see `valuesOf`). */
export function boundRow<T extends PgTable, K extends keyof T["$inferInsert"] & string>(table: T, keys: readonly K[], group: string): Record<K, SQL> {
  return Object.fromEntries(keys.map((key) => [key, bound(table, key, `${group}.${key}`)])) as Record<K, SQL>;
}

/** A row's values under the placeholder names `boundRow` gave them; a key the row lacks binds as null. */
export function valuesOf(group: string, keys: readonly string[], row: Record<string, unknown>): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const key of keys) values[`${group}.${key}`] = row[key] ?? null;
  return values;
}

type RowValues<T extends PgTable> = { [K in keyof T["$inferInsert"]]?: T["$inferInsert"][K] | SQL };

/**
 * `INSERT INTO table (…) SELECT … FROM source`: one row of `values` for each row of `source` (a
 * CTE), so that the insert happens only when the statement before it produced a row. Values are
 * SQL, or plain values bound to placeholders named `${group}.${key}`, cast to their column's type
 * (PostgreSQL does not infer the types of parameters in a select list).
 */
export function insertForEachRow<T extends PgTable>(table: T, source: SQL, values: RowValues<T>, group: string): SQL {
  const columns = getTableColumns(table);
  const entries = Object.entries(values);
  const names = entries.map(([key]) => sql.identifier(columns[key].name));
  const selected = entries.map(([key, value]) => (is(value, SQL) ? value : castPlaceholder(columns[key], `${group}.${key}`)));
  return sql`insert into ${table} (${sql.join(names, sql`, `)}) select ${sql.join(selected, sql`, `)} from ${source}`;
}

/** The placeholder `name` for a value of `column`, cast to the column's type. */
export function castPlaceholder(column: Column, name: string): SQL {
  return sql`cast(${placeholderFor(column, name)} as ${sql.raw(column.getSQLType())})`;
}

/** The columns of `table` as fields of a CTE that returned them all, for a typed select from it. */
export function columnsOf<T extends PgTable, S extends object>(table: T, cte: S): Pick<S, keyof T["$inferSelect"] & keyof S> {
  return Object.fromEntries(Object.keys(getTableColumns(table)).map((key) => [key, cte[key as keyof S]])) as never;
}
