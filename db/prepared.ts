import { Column, DrizzleQueryError, getTableColumns, getTableName, is, Param, Placeholder, SQL, type SQLWrapper, Subquery, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import { PostgresJsPreparedQuery } from "drizzle-orm/postgres-js/session";
import type { Database } from "./client";

/*
 * Drizzle builds a query's SQL text again on every call, and on the hot paths (a postback, a
 * click, a delivery) that cost more Node time than running the query (BENCHMARKS.md). These
 * statements are built once per database and shape, with placeholders, and run with each call's
 * values: a named prepared statement on Postgres.
 *
 * A placeholder named `group.key` takes its value from `values[group][key]` (absent: null), so
 * that a call passes its rows as they are (`{ c: conversion, e: event }`) rather than copying
 * forty values into one object under prefixed names; a plain name is looked up as it is.
 */

type Runnable = { execute(values?: Record<string, unknown>): Promise<unknown> };
const statements = new WeakMap<Database, Map<string, Runnable>>();

/** The statement `build` makes for `shape`, built on first use by this database. */
export function preparedStatement<R extends Runnable>(db: Database, shape: string, build: (name: string) => R): Pick<R, "execute"> {
  let byShape = statements.get(db);
  if (!byShape) statements.set(db, (byShape = new Map()));
  let statement = byShape.get(shape) as R | undefined;
  if (!statement) {
    statement = withDirectExecute(build(`postline_${byShape.size}`));
    byShape.set(shape, statement);
  }
  return statement;
}

/** What drizzle 0.45's postgres.js prepared query holds (internal fields, read once per statement). */
type PostgresJsInternals = {
  client: { unsafe(query: string, params: unknown[], options: { prepare: boolean }): Promise<Record<string, unknown>[]> & { values(): Promise<unknown[][]> } };
  queryString: string;
  params: unknown[];
  fields?: SelectedField[];
  customResultMapper?: unknown;
  joinsNotNullableMap?: Record<string, boolean>;
  prepare: boolean;
};

/**
 * On postgres.js, a hot statement's values are bound and its rows mapped here rather than by
 * drizzle's `execute`, which per call fills every placeholder through up to three entity checks,
 * and wraps the query in four async layers (tracing spans, a no-op cache) that each cost a
 * promise and its async-context hooks (measured in BENCHMARKS.md). The query text, the order of
 * its parameters, their encoders and the row mapping are drizzle's own, taken once; PGlite keeps
 * drizzle's path. tests/integration/prepared.test.ts holds both paths to the same results.
 */
function withDirectExecute<R extends Runnable>(statement: R): R {
  const internals = statement as unknown as PostgresJsInternals;
  if (!Array.isArray(internals.params) || (is(statement, PostgresJsPreparedQuery) && typeof internals.queryString !== "string")) {
    // Read at build time, so a drizzle upgrade that moves these fails every test that runs a statement.
    throw new Error("drizzle-orm's prepared query no longer holds the fields db/prepared.ts reads (written for drizzle-orm 0.45.4)");
  }
  if (!is(statement, PostgresJsPreparedQuery) || internals.customResultMapper) return withGroupedValues(statement, internals.params);
  const { client, queryString, fields, prepare } = internals;
  const binders = internals.params.map(binderFor);
  const mapRow = fields ? rowMapper(fields, internals.joinsNotNullableMap) : null;
  const options = { prepare };
  const execute = async (values: Record<string, unknown> = {}) => {
    const params = new Array(binders.length);
    for (let i = 0; i < binders.length; i++) params[i] = binders[i](values);
    try {
      if (!mapRow) return await client.unsafe(queryString, params, options);
      const rows = await client.unsafe(queryString, params, options).values();
      return rows.map(mapRow);
    } catch (error) {
      // Wrapped as drizzle's execute wraps it: lib/errors.ts reads the driver's error inside
      // (a reset database socket is an outage, 503, only there) and logs its code, not its detail.
      throw new DrizzleQueryError(queryString, params, error as Error);
    }
  };
  return Object.assign(Object.create(statement), { execute }) as R;
}

/** Drizzle's own execute (PGlite), given each placeholder's value under its full name. */
function withGroupedValues<R extends Runnable>(statement: R, params: unknown[]): R {
  const names = [...new Set(params.map((param) => (is(param, Param) ? param.value : param)).filter((p) => is(p, Placeholder)).map((p) => p.name))];
  const lookups = names.map((name) => [name, valueOf(name)] as const);
  const execute = async (values: Record<string, unknown> = {}) => statement.execute(Object.fromEntries(lookups.map(([name, lookup]) => [name, lookup(values)])));
  return Object.assign(Object.create(statement), { execute }) as R;
}

/** How one parameter of a prepared query gets its value, as drizzle's `fillPlaceholders` does it. */
function binderFor(param: unknown): (values: Record<string, unknown>) => unknown {
  if (is(param, Placeholder)) return valueOf(param.name);
  if (is(param, Param) && is(param.value, Placeholder)) {
    const value = valueOf(param.value.name);
    const encoder = param.encoder as { mapToDriverValue(value: unknown): unknown };
    return (values) => encoder.mapToDriverValue(value(values));
  }
  return () => param;
}

type SelectedField = { path: string[]; field: unknown };
type Decoder = { mapFromDriverValue(value: unknown): unknown };

/**
 * Drizzle's `mapResultRow` with its per-column decisions taken once: each column decoded into its
 * place in the nested result, and a left-joined table whose first column is null becomes null.
 */
function rowMapper(fields: SelectedField[], joinsNotNullableMap: Record<string, boolean> | undefined) {
  const columns = fields.map(({ path, field }) => ({
    path,
    decoder: decoderOf(field),
    table: joinsNotNullableMap && path.length === 2 && is(field, Column) ? getTableName(field.table) : null,
  }));
  return (row: unknown[]) => {
    const result: Record<string, unknown> = {};
    let nullify: Record<string, string | false> | null = null;
    for (let i = 0; i < columns.length; i++) {
      const { path, decoder, table } = columns[i];
      let node = result;
      for (let depth = 0; depth < path.length - 1; depth++) node = (node[path[depth]] ??= {}) as Record<string, unknown>;
      const raw = row[i];
      const value = (node[path[path.length - 1]] = raw === null ? null : decoder.mapFromDriverValue(raw));
      if (table) {
        nullify ??= {};
        const objectName = path[0];
        if (!(objectName in nullify)) nullify[objectName] = value === null ? table : false;
        else if (typeof nullify[objectName] === "string" && nullify[objectName] !== table) nullify[objectName] = false;
      }
    }
    if (nullify) {
      for (const [objectName, table] of Object.entries(nullify)) {
        if (typeof table === "string" && !joinsNotNullableMap![table]) result[objectName] = null;
      }
    }
    return result;
  };
}

/** The decoder drizzle reads a selected field with (an SQL's `decoder` is internal to drizzle). */
function decoderOf(field: unknown): Decoder {
  type WithDecoder = { decoder: Decoder };
  if (is(field, Column)) return field;
  if (is(field, SQL)) return (field as unknown as WithDecoder).decoder;
  if (is(field, Subquery)) return (field._ as unknown as { sql: WithDecoder }).sql.decoder;
  return (field as { sql: WithDecoder }).sql.decoder;
}

function valueOf(name: string): (values: Record<string, unknown>) => unknown {
  const dot = name.indexOf(".");
  const missing = () => new Error(`No value for placeholder "${name}" was provided`);
  if (dot < 0) {
    return (values) => {
      const value = values[name];
      if (value === undefined && !(name in values)) throw missing();
      return value;
    };
  }
  const group = name.slice(0, dot);
  const key = name.slice(dot + 1);
  return (values) => {
    const row = values[group] as Record<string, unknown> | undefined;
    if (row === undefined || row === null) throw missing();
    return row[key] ?? null;
  };
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

/**
 * `bound()` for each of `keys`, for `.values()` or `.set()`, named `group.key`: the statement
 * takes the row as `{ [group]: row }`, and a key the row lacks binds as null.
 */
export function boundRow<T extends PgTable, K extends keyof T["$inferInsert"] & string>(table: T, keys: readonly K[], group: string): Record<K, SQL> {
  return Object.fromEntries(keys.map((key) => [key, bound(table, key, `${group}.${key}`)])) as Record<K, SQL>;
}

/** A shape key from the names of what is set: statements differ only in which keys they bind. */
export function shapeOf(values: Record<string, unknown>): string {
  return Object.keys(values).join(",");
}
