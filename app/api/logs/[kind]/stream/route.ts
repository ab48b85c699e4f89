import { AppError, describeForLog } from "@/lib/platform/errors";
import { getEnv } from "@/lib/platform/env";
import { withUser } from "@/lib/platform/route";
import { getLiveLogWatcher, stampOf } from "@/lib/reports/live-log";
import { parseLogFilters } from "@/lib/reports/logs";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";
// Vercel cuts a function at maxDuration; the stream ends itself before that and the browser's
// EventSource reconnects with the last cursor (Last-Event-ID), so nothing is missed.
export const maxDuration = 30;
/**
 * Each row's JSON, made once for every open stream of the instance: the watcher hands the same
 * row object to every stream whose viewer sees it the same way (lib/reports/logs.ts liveRowMatcher).
 */
const rowJson = new WeakMap<object, string>();
const jsonOf = (row: object) => {
  let json = rowJson.get(row);
  if (json === undefined) rowJson.set(row, (json = JSON.stringify(row)));
  return json;
};
/** A comment line now and then keeps proxies from closing a quiet stream. */
const HEARTBEAT_MS = 10_000;

/**
 * The viewer's new and changed log rows as server-sent events. The instance's one watcher reads
 * the tables and hands rows to every open stream; this stream only filters them for its viewer.
 */
export const GET = withUser("logs:read", async (request, user, { params }: { params: Promise<{ kind: string }> }) => {
  const { kind } = await params;
  if (kind !== "incoming" && kind !== "outgoing") throw new AppError("not_found");
  const search = new URL(request.url).searchParams;
  const filters = parseLogFilters(search);
  const resumeFrom = request.headers.get("last-event-id") ?? search.get("since");
  const since = resumeFrom && !Number.isNaN(Date.parse(resumeFrom)) ? resumeFrom : stampOf(new Date());
  const encoder = new TextEncoder();
  const watcher = getLiveLogWatcher();
  // The reader going away (a closed tab, a new filter) closes the stream under the watcher: it
  // stops quietly, writing nothing more.
  let closed = false;
  let finish = () => {};

  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const write = (text: string) => {
        if (closed) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          closed = true;
        }
      };
      const ended = new Promise<void>((resolve) => {
        finish = resolve;
      });
      request.signal.addEventListener("abort", () => finish());
      if (request.signal.aborted) finish();
      write("retry: 1000\n\n");
      let unfollow = () => {};
      const deadline = setTimeout(() => finish(), getEnv().LOG_STREAM_SECONDS * 1000);
      const heartbeat = setInterval(() => write(": keep-alive\n\n"), HEARTBEAT_MS);
      try {
        unfollow = await watcher.follow(kind, user, filters, since, (rows, position, skipped) => {
          // A batch goes out as one chunk: one write through the response per batch, not per row.
          const left = skipped > 0 ? `event: skipped\ndata: {"count":${skipped}}\n\n` : "";
          write(left + rows.map((row) => `id: ${position}\nevent: row\ndata: ${jsonOf(row)}\n\n`).join(""));
        });
        await ended;
        // What the stream still holds goes out before the cursor the page resumes from.
        unfollow();
        write(`id: ${watcher.positionOf(kind, since)}\nevent: end\ndata: {}\n\n`);
      } catch (error) {
        if (!closed && !request.signal.aborted) console.error("[postline] log stream stopped", describeForLog(error));
      } finally {
        unfollow();
        clearTimeout(deadline);
        clearInterval(heartbeat);
        if (!closed) {
          closed = true;
          controller.close();
        }
      }
    },
    cancel() {
      closed = true;
      finish();
    },
  });
  return new Response(stream, {
    headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-store, no-transform", "x-accel-buffering": "no" },
  });
});
