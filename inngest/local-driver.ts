import { randomUUID } from "node:crypto";
import { serve } from "inngest/lambda";
import { requestsBeingAnswered } from "@/lib/answering";
import { inngest, type OutgoingEvent, setLocalSendTarget } from "./client";
import { functions } from "./functions";
import { KeyedSemaphore } from "./keyed-semaphore";
import { LoadGate } from "./load-gate";

/*
 * The embedded local driver: with no Inngest server, it runs the app's Inngest functions in this
 * process through the SDK's real serve handler, as the Inngest executor would — one step per call,
 * memoised step results, retries with the `retry-after` a RetryAfterError sets, onFailure,
 * per-key concurrency, event-id dedupe and the cron functions on a timer. It speaks the SDK's
 * internal executor protocol, so `inngest` is pinned exactly and tests/integration/local-driver
 * guards it. Single-machine mode: its queue lives in memory, and the outbox sweeper recovers
 * whatever a restart drops.
 */

type Fn = (typeof functions)[number];

/*
 * The driver's own serve handler: the same client and functions as /api/inngest, but no route
 * exposes it, so only this process can call it. It skips the request signature that the public
 * route demands: signing each call and verifying it, with the response signed back, cost a tenth
 * of a delivery's CPU. (`skipSignatureValidation` is an option of the SDK's handler class that
 * the adapters pass through, not a documented one; the exact pin and
 * tests/integration/local-driver guard it.) It is the SDK's AWS Lambda adapter because that one
 * takes and returns plain objects: building a web Request and reading a Response per call was
 * another tenth. The public route keeps refusing unsigned calls.
 */
const inProcessHandler = serve({ client: inngest, functions, skipSignatureValidation: true } as Parameters<typeof serve>[0]);

type Op = { op: string; id: string; name?: string; displayName?: string; data?: unknown; error?: unknown };
type Step = { type: "data"; data: unknown } | { type: "error"; error: unknown };
type Event = { id: string; name: string; data: Record<string, unknown>; ts: number };
export type RunResult = { status: "completed" | "failed"; result?: unknown; error?: unknown };


const UNIT_MS: Record<string, number> = { w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 };
function sleepMs(name: string): number {
  if (/^\d{4}-\d\d-\d\dT/.test(name)) return Math.max(0, Date.parse(name) - Date.now());
  return [...name.matchAll(/(\d+)([wdhms])/g)].reduce((total, [, n, unit]) => total + Number(n) * UNIT_MS[unit], 0);
}
function retryAfterMs(header: string | null): number | undefined {
  if (header == null) return undefined;
  if (/^\d+$/.test(header)) return Number(header) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}
/** Requests being answered at once from which the relay gives way: a burst, not a steady load (50 connections keep ~50). */
const BUSY_REQUESTS = 8;
const backoffMs = (attempt: number) => Math.min(1000 * 2 ** attempt, 60_000);
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export type LocalDriver = {
  send(events: readonly OutgoingEvent[]): string[];
  /** Resolves when every run started so far (and those they started) has finished. */
  idle(): Promise<void>;
  stop(): void;
};

export function createLocalDriver(options: { cronIntervalMs: number; log?: (line: string) => void }): LocalDriver {
  const log = options.log ?? (() => {});
  const seenEventIds = new Set<string>();
  const running = new Set<Promise<unknown>>();
  const semaphore = new KeyedSemaphore();
  // Under a burst, postbacks waiting for their answer come first: the deliveries they wrote are
  // committed, and go out as the burst eases. With BUSY_REQUESTS or more requests being answered
  // the relay starts about 2 steps a second, never none, and none waits more than 30 s for its
  // turn; at a steady load it is not held back at all. Each delivery run during a burst cost the
  // relay thread about 3 ms of CPU: at 20 a second the thread took 6-8% of a core from the
  // postbacks, at 2 under 3% (BENCHMARKS.md).
  const gate = new LoadGate({ busy: () => requestsBeingAnswered() >= BUSY_REQUESTS, busyStartsPerSecond: 2 });
  let stopped = false;

  async function call(fnId: string, stepId: string, body: unknown) {
    const request = {
      httpMethod: "POST",
      path: "/api/inngest",
      headers: { host: "localhost", "content-type": "application/json" },
      queryStringParameters: { fnId, stepId },
      body: JSON.stringify(body),
    };
    const response = await inProcessHandler(request as never, {} as never);
    const headers = new Map(Object.entries(response.headers ?? {}).map(([name, value]) => [name.toLowerCase(), String(value)]));
    let json: unknown;
    try {
      json = JSON.parse(response.body);
    } catch {
      json = response.body;
    }
    return { status: response.statusCode, noRetry: headers.get("x-inngest-no-retry") ?? null, retryAfter: headers.get("retry-after") ?? null, json };
  }

  /**
   * One run to its end. The concurrency slot is held only while a step executes, as Inngest counts
   * it: a run that waits out a retry delay or a sleep does not hold back others to its host.
   */
  async function execute(fnId: string, event: Event, maxAttempts: number, slot?: { key: string; limit: number }): Promise<RunResult & { runId: string }> {
    const runId = randomUUID();
    const steps: Record<string, Step> = {};
    // No fn_id and no use_api in ctx: either would make the SDK call the Inngest API. Version -1
    // ("the SDK decides": 2, as the executor's own): the SDK checks it against nested unions of
    // literals in which 2 comes last, and every inner union that failed built ZodErrors, with
    // stack traces (-1 matches first: 8% less Node CPU per delivery, BENCHMARKS.md).
    const body = (attempt: number) => ({ version: -1, event, events: [event], steps, ctx: { run_id: runId, attempt, max_attempts: maxAttempts } });
    let attempt = 0;
    while (!stopped) {
      if (slot) await semaphore.acquire(slot.key, slot.limit);
      await gate.enter();
      if (stopped) {
        if (slot) semaphore.release(slot.key);
        break;
      }
      const r = await call(fnId, "step", body(attempt)).finally(() => slot && semaphore.release(slot.key));
      if (r.status === 200) return { status: "completed", result: r.json, runId };
      if (r.status === 206) {
        let progressed = false;
        for (const op of r.json as Op[]) {
          if (op.op === "StepRun") steps[op.id] = { type: "data", data: op.data ?? null };
          else if (op.op === "StepFailed") steps[op.id] = { type: "error", error: op.error };
          else if (op.op === "Sleep") {
            await wait(sleepMs(op.name ?? "0s"));
            steps[op.id] = { type: "data", data: null };
          } else if (op.op === "StepError") {
            const delay = retryAfterMs(r.retryAfter) ?? backoffMs(attempt);
            log(`${fnId}: step ${op.displayName} failed (attempt ${attempt}); again in ${delay} ms`);
            await wait(delay);
            attempt++;
            continue;
          } else throw new Error(`local driver: unsupported op ${op.op} in ${fnId}`);
          progressed = true;
        }
        // The Inngest executor counts attempts per step.
        if (progressed) attempt = 0;
        continue;
      }
      if (r.status === 500 && r.noRetry === "false") {
        await wait(retryAfterMs(r.retryAfter) ?? backoffMs(attempt));
        attempt++;
        continue;
      }
      if (r.status === 400 || (r.status === 500 && r.noRetry === "true")) return { status: "failed", error: r.json, runId };
      throw new Error(`local driver: the serve handler answered ${r.status}: ${JSON.stringify(r.json)}`);
    }
    return { status: "failed", error: { message: "local driver stopped" }, runId };
  }

  async function run(fn: Fn, event: Event) {
    const fnId = fn.id(inngest.id);
    const limit = fn.opts.concurrency;
    const spec = Array.isArray(limit) ? limit[0] : typeof limit === "object" ? limit : undefined;
    const keyPath = spec?.key?.replace(/^event\./, "").split(".");
    const key = keyPath ? `${fnId}:${String(keyPath.reduce<unknown>((v, k) => (v as Record<string, unknown>)?.[k], event))}` : fnId;
    const slot = spec?.limit ? { key, limit: spec.limit } : undefined;
    const outcome = await execute(fnId, event, (fn.opts.retries ?? 3) + 1, slot);
    if (outcome.status === "failed" && fn.opts.onFailure) {
      const failure: Event = { id: randomUUID(), name: "inngest/function.failed", ts: Date.now(), data: { function_id: fnId, run_id: outcome.runId, error: outcome.error, event } };
      await execute(`${fnId}-failure`, failure, 2);
    }
    return outcome;
  }

  function track(promise: Promise<unknown>) {
    const tracked = promise.catch((error) => console.error("[postline] local dispatch run failed", error)).finally(() => running.delete(tracked));
    running.add(tracked);
  }

  function send(events: readonly OutgoingEvent[]): string[] {
    return events.map((raw) => {
      const event: Event = { id: raw.id ?? randomUUID(), name: raw.name, data: { ...(raw.data ?? {}) }, ts: Date.now() };
      // Like Inngest, an event id is taken once.
      if (seenEventIds.has(event.id)) return event.id;
      if (seenEventIds.size > 100_000) seenEventIds.clear();
      seenEventIds.add(event.id);
      for (const fn of functions) {
        const triggers = (fn.opts.triggers ?? []) as { event?: string }[];
        if (triggers.some((t) => t.event === event.name)) track(run(fn, event));
      }
      return event.id;
    });
  }

  const cronFunctions = functions.filter((fn) => ((fn.opts.triggers ?? []) as { cron?: string }[]).some((t) => t.cron));
  const tick = () => {
    for (const fn of cronFunctions) {
      const cron = ((fn.opts.triggers ?? []) as { cron?: string }[]).find((t) => t.cron)?.cron;
      track(run(fn, { id: randomUUID(), name: "inngest/scheduled.timer", data: { cron }, ts: Date.now() }));
    }
  };
  const timer = setInterval(tick, options.cronIntervalMs);
  timer.unref();
  tick(); // at start: whatever a previous process left pending is picked up at once

  return {
    send,
    async idle() {
      while (running.size > 0) await Promise.all([...running]);
    },
    stop() {
      stopped = true;
      clearInterval(timer);
      gate.stop();
    },
  };
}

const globalForDriver = globalThis as unknown as { __postlineDriver?: LocalDriver };

/** Starts the process's local driver once and routes `inngest.send()` to it. */
export function startLocalDriver(options: { cronIntervalMs: number; log?: (line: string) => void }): LocalDriver {
  if (!globalForDriver.__postlineDriver) {
    const driver = createLocalDriver(options);
    setLocalSendTarget((events) => driver.send(events));
    globalForDriver.__postlineDriver = driver;
  }
  return globalForDriver.__postlineDriver;
}
