// The ingest load: `concurrency` workers, each sending one incoming postback at a time with a
// txid of its own, until stopped (or `maxRequests` have been sent). Every request is recorded —
// txid, start and end time, HTTP status, the JSON `result`, or the network error — so that
// "acknowledged but not stored" can be computed exactly afterwards.
import { postbackUrl } from "./app.mjs";
import { sleep } from "./util.mjs";

export function classify(record) {
  if (record.status >= 200 && record.status < 300) return "2xx";
  if (record.status >= 400 && record.status < 500) return "4xx";
  if (record.status >= 500) return "5xx";
  if (record.error === "ECONNREFUSED") return "refused";
  if (record.error === "TimeoutError" || record.error === "AbortError") return "timeout";
  return "network";
}

/** Sends one postback and records what came back. */
export async function sendPostback(base, clickId, txid, timeoutMs = 30_000) {
  const record = { txid, t0: Date.now(), t1: 0, status: 0, result: null, conversionId: null, error: null };
  try {
    const response = await fetch(postbackUrl(base, clickId, txid), { signal: AbortSignal.timeout(timeoutMs) });
    record.status = response.status;
    const text = await response.text();
    try {
      const body = JSON.parse(text);
      record.result = body.result ?? null;
      record.conversionId = body.conversion_id ?? null;
      record.error = body.error?.code ?? null;
    } catch {
      record.error = `not JSON: ${text.slice(0, 80)}`;
    }
  } catch (error) {
    record.status = 0;
    record.error = error?.cause?.code ?? error?.name ?? String(error);
  }
  record.t1 = Date.now();
  return record;
}

/**
 * Starts the load. `target()` gives the current base URL (the app may be restarted on the same
 * port). After an answer that is not 2xx a worker waits `pauseOnErrorMs` (the app or its database
 * is down; no point in hammering it), and `pauseMs` after every request (pacing).
 */
export function startLoad({ base, clickId, prefix, concurrency, maxRequests = 50_000, pauseMs = 0, pauseOnErrorMs = 250, timeoutMs = 30_000 }) {
  const records = [];
  let stopped = false;
  let seq = 0;
  async function worker() {
    while (!stopped && seq < maxRequests) {
      const txid = `${prefix}-${++seq}`;
      const record = await sendPostback(base, clickId, txid, timeoutMs);
      records.push(record);
      const ok = record.status >= 200 && record.status < 300;
      if (!ok && pauseOnErrorMs) await sleep(pauseOnErrorMs);
      else if (pauseMs) await sleep(pauseMs);
    }
  }
  const workers = Array.from({ length: concurrency }, () => worker());
  return {
    records,
    /** Stops sending; resolves once every request in flight has its answer. */
    async stop() {
      stopped = true;
      await Promise.all(workers);
      return records;
    },
    acknowledged: () => records.filter((r) => r.status >= 200 && r.status < 300).length,
  };
}
