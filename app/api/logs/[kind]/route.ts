import { getDb } from "@/lib/platform/database";
import { AppError } from "@/lib/platform/errors";
import { jsonResponse } from "@/lib/platform/http";
import { exportCsv, listIncoming, listOutgoing, parseLogFilters } from "@/lib/reports/logs";
import { withUser } from "@/lib/platform/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const PAGE = 50;
const CSV_MAX_ROWS = 10_000;

/** A page of log rows (older than `before`), or the filtered rows as CSV with `format=csv`. */
export const GET = withUser("logs:read", async (request, user, { params }: { params: Promise<{ kind: string }> }) => {
  const { kind } = await params;
  if (kind !== "incoming" && kind !== "outgoing") throw new AppError("not_found");
  const search = new URL(request.url).searchParams;
  const filters = parseLogFilters(search);
  if (search.get("format") === "csv") {
    const body = await exportCsv(getDb(), kind, user, filters, CSV_MAX_ROWS);
    return new Response(body, {
      headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="postline-${kind}-log.csv"`, "cache-control": "no-store" },
    });
  }
  const page = { before: Number(search.get("before")) || undefined, limit: PAGE };
  const rows = kind === "incoming" ? await listIncoming(getDb(), user, filters, page) : await listOutgoing(getDb(), user, filters, page);
  return jsonResponse(200, { rows, next: rows.length === PAGE ? rows.at(-1)!.seq : null });
});
