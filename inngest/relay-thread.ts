import { randomUUID } from "node:crypto";
import { Worker } from "node:worker_threads";
import { answeringCounter } from "@/lib/answering";
import { type OutgoingEvent, setLocalSendTarget } from "./client";

const RESTART_MIN_MS = 1_000;
const RESTART_MAX_MS = 60_000;

const globalForRelay = globalThis as unknown as { __postlineRelayThread?: true };

/**
 * Runs the embedded relay in a worker thread of this process, and sends it this thread's
 * wake-ups. Node runs a thread's JavaScript on one core: sharing the app's thread, the relay took
 * the time postbacks and clicks needed, and on a 2-core machine fell seconds behind a steady 200
 * postbacks/s (BENCHMARKS.md). Postgres only: PGlite is one database in this thread's memory.
 * A thread that dies is started again (sooner if it had run a while); the wake-ups it held are the
 * outbox sweeper's, as after a restart of the whole process. Once per process, like the driver.
 */
export function startRelayThread(options: { cronIntervalMs: number }) {
  if (globalForRelay.__postlineRelayThread) return;
  globalForRelay.__postlineRelayThread = true;
  let worker: Worker;
  let restartInMs = RESTART_MIN_MS;
  const start = () => {
    const startedAt = Date.now();
    worker = new Worker(new URL("./relay-worker.ts", import.meta.url), { workerData: { cronIntervalMs: options.cronIntervalMs, answering: answeringCounter() } });
    // The server's lifetime is the process's: the thread never holds it open.
    worker.unref();
    worker.on("error", (error) => console.error("[postline] the relay thread failed", error));
    worker.on("exit", (code) => {
      if (Date.now() - startedAt > RESTART_MAX_MS) restartInMs = RESTART_MIN_MS;
      console.error(`[postline] the relay thread stopped (exit code ${code}); starting it again in ${restartInMs / 1000} s`);
      setTimeout(start, restartInMs).unref();
      restartInMs = Math.min(restartInMs * 2, RESTART_MAX_MS);
    });
  };
  start();
  // The wake-ups of one turn of the event loop cross in one message: a message per postback was
  // about 2% of the app thread's CPU under load (postMessage, its serialisation, the worker's
  // message event), one per turn about 0.5% (BENCHMARKS.md). The wait is that one turn.
  let outbox: PlainEvent[] = [];
  const flush = () => {
    const batch = outbox;
    outbox = [];
    worker.postMessage(batch);
  };
  setLocalSendTarget((events: readonly OutgoingEvent[]) => {
    // Plain copies: the SDK's event objects carry functions, which cannot cross to a thread.
    const plain = events.map((event) => ({ id: event.id ?? randomUUID(), name: event.name, data: event.data }));
    if (outbox.length === 0) setImmediate(flush);
    outbox.push(...plain);
    return plain.map((event) => event.id);
  });
}

type PlainEvent = { id: string; name: string; data: OutgoingEvent["data"] };
