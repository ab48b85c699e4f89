import { parentPort, workerData } from "node:worker_threads";
import { adoptAnsweringCounter } from "@/lib/answering";
import type { OutgoingEvent } from "./client";
import { startLocalDriver } from "./local-driver";

/*
 * The relay thread's entry (started by relay-thread.ts): the local driver, the Inngest functions
 * and their own database pool run here; the app's thread sends the wake-ups as messages, and
 * shares its count of requests being answered so that the relay still gives way to a burst.
 */
// In the app's thread Next logged a stray rejection; here it would end the thread, and with it
// every retry timer the driver holds in memory.
process.on("unhandledRejection", (reason) => console.error("[postline] relay thread: unhandled rejection", reason));

const { cronIntervalMs, answering } = workerData as { cronIntervalMs: number; answering: Int32Array };
adoptAnsweringCounter(answering);
const driver = startLocalDriver({ cronIntervalMs });
parentPort!.on("message", (events: OutgoingEvent[]) => driver.send(events));
