import { type Column, getTableColumns, is, SQL, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import { placeholderFor } from "./prepared";

type RowValues<T extends PgTable> = { [K in keyof T["$inferInsert"]]?: T["$inferInsert"][K] | SQL };

/**
 * `INSERT INTO table (…) SELECT … FROM source`: one row of `values` for each row of `source`
 * (a CTE), so that the insert happens only when the statement before it produced a row. Values
 * are SQL over `source`, or plain values bound to placeholders named `${group}.${key}` (the
 * statement takes `values` itself as `{ [group]: values }`, see db/prepared.ts), cast to their
 * column's type: Postgres does not infer the types of parameters in a select list. Drizzle's own
 * `insert().select()` wants every column of the table, in order.
 */
export function insertForEachRow<T extends PgTable>(table: T, source: SQL, values: RowValues<T>, group: string): SQL {
  const columns = getTableColumns(table);
  const entries = Object.entries(values);
  const names = entries.map(([key]) => sql.identifier(columns[key].name));
  const selected = entries.map(([key, value]) => (is(value, SQL) ? value : castPlaceholder(columns[key], `${group}.${key}`)));
  return sql`insert into ${table} (${sql.join(names, sql`, `)}) select ${sql.join(selected, sql`, `)} from ${source}`;
}

/** The placeholder `name` for a value of `column` (db/prepared.ts), cast to the column's type. */
export function castPlaceholder(column: Column, name: string): SQL {
  return sql`cast(${placeholderFor(column, name)} as ${sql.raw(column.getSQLType())})`;
}

/** The columns of `table` as fields of a CTE that returned them all, for a typed select from it. */
export function columnsOf<T extends PgTable, S extends object>(table: T, cte: S): Pick<S, keyof T["$inferSelect"] & keyof S> {
  return Object.fromEntries(Object.keys(getTableColumns(table)).map((key) => [key, cte[key as keyof S]])) as never;
}
