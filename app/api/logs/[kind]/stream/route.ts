import { getDb } from "@/lib/platform/database";
import { AppError, describeForLog } from "@/lib/platform/errors";
import { incomingSince, outgoingSince, parseLogFilters, type StreamFrom } from "@/lib/reports/logs";
import { getEnv } from "@/lib/platform/env";
import { withUser } from "@/lib/platform/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";
// Vercel cuts a function at maxDuration; the stream ends itself before that and the browser's
// EventSource reconnects with the last cursor (Last-Event-ID), so nothing is missed.
export const maxDuration = 30;
const POLL_MS = 500;
// Rows are re-read this far back, so a transaction that committed late is still seen; the page
// drops what it already has by id and version.
const OVERLAP_MS = 3_000;
const PAGE = 200;

export const GET = withUser("logs:read", async (request, user, { params }: { params: Promise<{ kind: string }> }) => {
  const { kind } = await params;
  if (kind !== "incoming" && kind !== "outgoing") throw new AppError("not_found");
  const search = new URL(request.url).searchParams;
  const filters = parseLogFilters(search);
  const resumeFrom = request.headers.get("last-event-id") ?? search.get("since");
  let cursor = resumeFrom && !Number.isNaN(Date.parse(resumeFrom)) ? new Date(resumeFrom) : new Date();
  const encoder = new TextEncoder();
  const db = getDb();
  // The reader going away (a closed tab, a new filter) closes the stream under the loop: it stops
  // quietly, writing nothing more.
  let closed = false;

  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const sent = new Map<string, string>();
      const deadline = Date.now() + getEnv().LOG_STREAM_SECONDS * 1000;
      const write = (text: string) => {
        if (closed) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          closed = true;
        }
      };
      write("retry: 1000\n\n");
      try {
        const read = (from: StreamFrom) => (kind === "incoming" ? incomingSince(db, user, filters, from, PAGE) : outgoingSince(db, user, filters, from, PAGE));
        while (Date.now() < deadline && !closed && !request.signal.aborted) {
          let rows = await read({ since: cursor, overlapMs: OVERLAP_MS });
          for (;;) {
            for (const row of rows) {
              const version = "changedAt" in row ? row.changedAt : row.at;
              if (sent.get(row.id) === version) continue;
              sent.set(row.id, version);
              if (new Date(version) > cursor) cursor = new Date(version);
              write(`id: ${cursor.toISOString()}\nevent: row\ndata: ${JSON.stringify(row)}\n\n`);
            }
            // A full page: a burst is being written; read on after its last row, not from the cursor again.
            if (rows.length < PAGE || closed || request.signal.aborted) break;
            const last = rows.at(-1)!;
            rows = await read({ after: { at: new Date("changedAt" in last ? last.changedAt : last.at), seq: last.seq } });
          }
          await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        }
        write(`id: ${cursor.toISOString()}\nevent: end\ndata: {}\n\n`);
      } catch (error) {
        if (!closed && !request.signal.aborted) console.error("[postline] log stream stopped", describeForLog(error));
      } finally {
        if (!closed) {
          closed = true;
          controller.close();
        }
      }
    },
    cancel() {
      closed = true;
    },
  });
  return new Response(stream, {
    headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-store, no-transform", "x-accel-buffering": "no" },
  });
});
