import { type AnyColumn, desc, type SQL, sql } from "drizzle-orm";
import { AppError } from "./errors";

/**
 * Cursor paging, newest first: a page is the rows older than the last row of the previous one by
 * (time, id). The cursor is that pair as opaque base64url; a row written while a client pages
 * never shifts a page.
 */
export type PageCursor = { at: Date; id: string };
export type Page = { limit: number; after?: PageCursor };

export function encodeCursor(at: Date | string, id: string): string {
  return Buffer.from(JSON.stringify([new Date(at).toISOString(), id])).toString("base64url");
}

export function decodeCursor(cursor: string | undefined): PageCursor | undefined {
  if (!cursor) return undefined;
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown[];
    const date = new Date(String(at));
    if (typeof id === "string" && !Number.isNaN(date.getTime())) return { at: date, id };
  } catch {
    // answered below
  }
  throw new AppError("invalid_input", "This cursor is not one this API gave out: pass nextCursor as it was returned.", { field: "cursor" });
}

/** The rows after the cursor, as a row comparison an index on (time, id) serves. */
export function olderThan(time: AnyColumn, id: AnyColumn, after: PageCursor | undefined): SQL | undefined {
  return after ? sql`(${time}, ${id}) < (${after.at.toISOString()}::timestamptz, ${after.id})` : undefined;
}

export function newestFirst(time: AnyColumn, id: AnyColumn) {
  return [desc(time), desc(id)];
}
