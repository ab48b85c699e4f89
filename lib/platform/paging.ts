import { type AnyColumn, desc, type SQL, sql } from "drizzle-orm";
import { AppError } from "./errors";

/**
 * Cursor paging, newest first: a page is the rows older than the last row of the previous one by
 * (time, id). The cursor is that pair as opaque base64url; a row written while a client pages
 * never shifts a page.
 */
export type PageCursor = { at: string; id: string };
export type Page = { limit: number; after?: PageCursor };

/**
 * PostgreSQL's own text of a time, to the microsecond: a cursor made from a JS Date (milliseconds)
 * would skip the rows stamped earlier in the same millisecond as the last row of a page.
 */
export const timeText = (column: AnyColumn) => sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
const TIME_TEXT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

/**
 * A row of a list read a page at a time, with its time as `timeText`: the next page's cursor is
 * made from it. Lists select it only for a page (`cursorColumn`), so the pages' rows stay as they are.
 */
export type Paged<Row> = Row & { cursorAt: string };

/** The `cursorAt` column to spread into a list's select when it reads a page; nothing otherwise. */
export function cursorColumn(time: AnyColumn, page: Page | undefined) {
  return page && { cursorAt: timeText(time) };
}

/** `at`: the row's `timeText`, never a Date (milliseconds only). */
export function encodeCursor(at: string, id: string): string {
  return Buffer.from(JSON.stringify([at, id])).toString("base64url");
}

export function decodeCursor(cursor: string | undefined): PageCursor | undefined {
  if (!cursor) return undefined;
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown[];
    if (typeof id === "string" && typeof at === "string" && TIME_TEXT.test(at) && !Number.isNaN(Date.parse(at))) return { at, id };
  } catch {
    // answered below
  }
  throw new AppError("invalid_input", "errors.input.invalidCursor", { field: "cursor" });
}

/** The rows after the cursor, as a row comparison an index on (time, id) serves. */
export function olderThan(time: AnyColumn, id: AnyColumn, after: PageCursor | undefined): SQL | undefined {
  return after ? sql`(${time}, ${id}) < (${after.at}::timestamptz, ${after.id})` : undefined;
}

export function newestFirst(time: AnyColumn, id: AnyColumn) {
  return [desc(time), desc(id)];
}
