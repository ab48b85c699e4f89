import type { Database } from "@/db/client";
import { requestsBeingAnswered } from "@/lib/platform/answering";
import { type QueuedDelivery, findOverdueDeliveries, type OverdueCursor, type SweepSettings } from "./deliveries";
import { attemptDelivery, type DispatchSettings } from "./delivery-attempts";
import type { Dispatcher } from "./dispatcher";
import { KeyedSemaphore } from "./keyed-semaphore";
import { LoadGate } from "./load-gate";
import { approveHeldConversion, findDueHolds } from "@/lib/program/holds";
import { runStatsRollup } from "@/lib/reports/rollups";
import { maintainPartitions, type RetentionSettings } from "@/lib/platform/retention";

/** Deliveries to one destination host run at most this many at a time, so one slow tracker holds back no other. */
export const PER_HOST_CONCURRENCY = 10;
/** Requests being answered at once from which the relay gives way: a burst, not a steady load. */
const BUSY_REQUESTS = 8;
/** Attempts running at once while the app is busy: a bounded share of its one thread. */
const BUSY_AT_ONCE = 1;
const ERROR_BACKOFF_MAX_MS = 30_000;

export type EmbeddedDispatcherOptions = {
  db: Database;
  settings: DispatchSettings;
  sweep: SweepSettings & { intervalMs: number };
  /** How often the stats rollups run (the Inngest cron's minute by default). */
  rollupIntervalMs?: number;
  /** Partitions made ahead and dropped past retention, at start and then every `intervalMs` (as the Inngest cron does each hour). */
  retention?: { settings: RetentionSettings; intervalMs: number };
  log?: (line: string) => void;
};

/**
 * Dispatch for one machine with no Inngest server: the outbox holds each delivery's state and next
 * attempt time, so this runs the core `attemptDelivery` directly on that schedule, as the Inngest
 * function does, with the same claim, per-host limit and sweeper. Its timers live in memory; what a
 * restart drops, the sweeper finds in the outbox when the next process starts.
 */
export function startEmbeddedDispatcher(options: EmbeddedDispatcherOptions): Dispatcher & { idle(): Promise<void> } {
  const { db, settings } = options;
  const log = options.log ?? ((line: string) => console.log(line));
  const semaphore = new KeyedSemaphore();
  // Under a burst, postbacks waiting for their answer come first: the deliveries they wrote are
  // committed and go out as the burst eases, none waiting more than 30 s for its turn.
  const gate = new LoadGate({ busy: () => requestsBeingAnswered() >= BUSY_REQUESTS, busyAtOnce: BUSY_AT_ONCE, maxWaitMs: 30_000 });
  // A delivery held here (running or waiting for its next attempt) is not started twice by a second wake-up.
  const held = new Map<string, NodeJS.Timeout | null>();
  const running = new Set<Promise<void>>();
  let stopped = false;
  let sweeping = false;

  function schedule(delivery: QueuedDelivery, inMs: number, errors = 0) {
    if (stopped) return;
    if (inMs <= 0) {
      held.set(delivery.id, null);
      track(run(delivery, errors));
      return;
    }
    const timer = setTimeout(() => {
      held.set(delivery.id, null);
      track(run(delivery, errors));
    }, inMs);
    timer.unref();
    held.set(delivery.id, timer);
  }

  async function run(delivery: QueuedDelivery, errors: number) {
    await semaphore.acquire(delivery.host, PER_HOST_CONCURRENCY);
    let leave: (() => void) | undefined;
    try {
      leave = await gate.enter();
      if (stopped) return void held.delete(delivery.id);
      const outcome = await attemptDelivery(db, delivery.id, settings);
      if (outcome.outcome === "retry") return schedule(delivery, outcome.retryInMs);
      held.delete(delivery.id);
    } catch (error) {
      // The database was out of reach: try again soon; the outbox keeps the delivery meanwhile.
      const delay = Math.min(1000 * 2 ** errors, ERROR_BACKOFF_MAX_MS);
      log(`[postline] delivery ${delivery.id} to ${delivery.host}: ${(error as Error).name} (${(error as Error).message}); again in ${delay} ms`);
      schedule(delivery, delay, errors + 1);
    } finally {
      leave?.();
      semaphore.release(delivery.host);
    }
  }

  function track(promise: Promise<void>) {
    running.add(promise);
    promise.finally(() => running.delete(promise));
  }

  async function sweep() {
    if (sweeping || stopped) return;
    sweeping = true;
    try {
      let after: OverdueCursor | undefined;
      for (let page = 0; page < options.sweep.maxBatches; page++) {
        const overdue = await findOverdueDeliveries(db, options.sweep.graceMs, options.sweep.batch, after);
        for (const d of overdue.deliveries) if (!held.has(d.id)) schedule({ id: d.id, host: d.destinationHost }, 0);
        if (!overdue.next) break;
        after = overdue.next;
      }
    } catch (error) {
      log(`[postline] the delivery sweep failed: ${(error as Error).message}`);
    } finally {
      sweeping = false;
    }
  }

  // Holds end on their timer in this process, or, after a restart, at the next sweep.
  const holdTimers = new Map<string, NodeJS.Timeout>();
  async function endHold(conversionId: string) {
    holdTimers.delete(conversionId);
    try {
      const { deliveries } = await approveHeldConversion(db, conversionId);
      for (const delivery of deliveries) if (!held.has(delivery.id)) schedule(delivery, 0);
    } catch (error) {
      log(`[postline] could not end the hold of ${conversionId}: ${(error as Error).message}; the sweep will`);
    }
  }
  async function sweepHolds() {
    for (const conversionId of await findDueHolds(db)) if (!holdTimers.has(conversionId)) await endHold(conversionId);
  }

  // The stats rollups, on the clock of the Inngest cron that does the same (inngest/functions/roll-up-stats.ts).
  let rolling = false;
  async function rollUp() {
    if (rolling || stopped) return;
    rolling = true;
    try {
      await runStatsRollup(db);
    } catch (error) {
      log(`[postline] the stats rollup failed: ${(error as Error).message}; the next run starts over`);
    } finally {
      rolling = false;
    }
  }
  const roller = setInterval(() => void rollUp(), options.rollupIntervalMs ?? 60_000);
  roller.unref();
  void rollUp();

  // Retention (inngest/functions/maintain-partitions.ts runs the same on its cron).
  let maintaining = false;
  async function maintain(retention: NonNullable<EmbeddedDispatcherOptions["retention"]>) {
    if (maintaining || stopped) return;
    maintaining = true;
    try {
      const { created, dropped } = await maintainPartitions(db, retention.settings);
      if (created.length + dropped.length > 0) log(`[postline] partitions made: ${created.join(", ") || "none"}; dropped: ${dropped.join(", ") || "none"}`);
    } catch (error) {
      log(`[postline] partition upkeep failed: ${(error as Error).message}; the next run tries again`);
    } finally {
      maintaining = false;
    }
  }
  const retention = options.retention;
  const maintainer = retention ? setInterval(() => void maintain(retention), retention.intervalMs) : null;
  maintainer?.unref();
  if (retention) void maintain(retention);

  const sweeper = setInterval(() => void sweep().then(sweepHolds).catch((error) => log(`[postline] the hold sweep failed: ${(error as Error).message}`)), options.sweep.intervalMs);
  sweeper.unref();
  // At start: whatever a previous process left owed is picked up at once.
  void sweep().then(sweepHolds).catch((error) => log(`[postline] the hold sweep failed: ${(error as Error).message}`));

  return {
    kind: "embedded",
    async wake(deliveries, cause) {
      for (const delivery of deliveries) {
        // A later wake (Retry now) brings forward a delivery waiting on its timer; a running one is left alone.
        const timer = held.get(delivery.id);
        if (cause && timer) {
          clearTimeout(timer);
          held.delete(delivery.id);
        }
        if (!held.has(delivery.id)) schedule(delivery, 0);
      }
    },
    async scheduleHold(hold) {
      // Timers longer than Node allows (about 24.8 days) are left to the sweep.
      const inMs = hold.until.getTime() - Date.now();
      if (stopped || holdTimers.has(hold.conversionId) || inMs > 2_000_000_000) return;
      const timer = setTimeout(() => track(endHold(hold.conversionId)), Math.max(0, inMs));
      timer.unref();
      holdTimers.set(hold.conversionId, timer);
    },
    async cancelHolds(conversionIds) {
      for (const id of conversionIds) {
        clearTimeout(holdTimers.get(id));
        holdTimers.delete(id);
      }
    },
    async idle() {
      while (running.size > 0 || sweeping || rolling || maintaining) await Promise.all([...running, new Promise((resolve) => setTimeout(resolve, 5))]);
    },
    stop() {
      stopped = true;
      clearInterval(sweeper);
      clearInterval(roller);
      if (maintainer) clearInterval(maintainer);
      for (const timer of held.values()) if (timer) clearTimeout(timer);
      for (const timer of holdTimers.values()) clearTimeout(timer);
      held.clear();
      gate.stop();
    },
  };
}
