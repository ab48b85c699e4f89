import { z } from "zod";
import { AppError } from "@/lib/platform/errors";
import { decodeCursor, encodeCursor, type Page } from "@/lib/platform/paging";

export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50).meta({ description: "Rows per page, 1–200." }),
  cursor: z.string().max(200).optional().meta({ description: "`nextCursor` of the previous page." }),
});

/** The page to read: one row more than asked, which only says whether another page exists. */
export function pageFrom(query: { limit: number; cursor?: string }): Page {
  return { limit: query.limit + 1, after: decodeCursor(query.cursor) };
}

/**
 * `{ data, nextCursor }` from a read of `limit + 1` rows. `timeOf` gives the row's time as the
 * database wrote it (`timeText`, to the microsecond, the list's `cursorAt`); a Date's milliseconds can skip a row.
 */
export function pageOf<T extends { id: string }>(rows: T[], query: { limit: number }, timeOf: (row: T) => string) {
  const data = rows.slice(0, query.limit);
  const last = data.at(-1);
  return { data, nextCursor: rows.length > query.limit && last ? encodeCursor(timeOf(last), last.id) : null };
}

export const pageSchema = <T extends z.ZodType>(item: T) =>
  z.object({ data: z.array(item), nextCursor: z.string().nullable().meta({ description: "Pass as `cursor` for the next page; null on the last." }) });

/** Logs page by their sequence number: the cursor is the last row's, as opaque text. */
export function seqPageFrom(query: { limit: number; cursor?: string }): { limit: number; before?: number } {
  if (!query.cursor) return { limit: query.limit + 1 };
  const before = Number(/^s(\d+)$/.exec(Buffer.from(query.cursor, "base64url").toString("utf8"))?.[1]);
  if (!Number.isSafeInteger(before) || before < 1) throw new AppError("invalid_input", "errors.input.invalidCursor", { field: "cursor" });
  return { limit: query.limit + 1, before };
}

export function seqPageOf<T extends { seq: number }>(rows: T[], query: { limit: number }) {
  const data = rows.slice(0, query.limit);
  const last = data.at(-1);
  return { data, nextCursor: rows.length > query.limit && last ? Buffer.from(`s${last.seq}`).toString("base64url") : null };
}
