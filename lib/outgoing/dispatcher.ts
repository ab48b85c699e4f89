import type { QueuedDelivery } from "./deliveries";

/**
 * The one dispatch port: how committed deliveries are woken. Chosen once at boot
 * (instrumentation.ts): Inngest in production, the embedded dispatcher on one machine. The
 * database is the outbox, so a wake-up that fails or is lost delays a delivery until the sweeper
 * finds it; it never loses one.
 */
export interface Dispatcher {
  readonly kind: "inngest" | "embedded";
  /** `cause` names a later wake of the same delivery (a replay), so that it is not deduplicated away. */
  wake(deliveries: QueuedDelivery[], cause?: string): Promise<void>;
  /** Approves a held conversion at its time unless it is rejected first. */
  scheduleHold(hold: HeldConversion): Promise<void>;
  /** Cancels the scheduled end of holds that ended early (a rejection, or the network's approval). */
  cancelHolds(conversionIds: string[]): Promise<void>;
  stop(): void;
}

export type HeldConversion = { conversionId: string; until: Date };
/** What a committed change leaves to the dispatcher: its deliveries, a hold to end on time, holds that ended early. */
export type Committed = { deliveries: QueuedDelivery[]; hold?: HeldConversion | null; endedHolds?: string[] };

// On globalThis: instrumentation and the route bundles are separate module graphs in one process.
const holder = globalThis as unknown as { __postlineDispatcher?: Dispatcher };

export function installDispatcher(dispatcher: Dispatcher): Dispatcher {
  holder.__postlineDispatcher?.stop();
  holder.__postlineDispatcher = dispatcher;
  return dispatcher;
}

/** Every edge hands over what it committed through this (after its answer); it never rejects. */
export async function dispatchCommitted(committed: Committed): Promise<void> {
  await wakeDeliveries(committed.deliveries);
  const dispatcher = holder.__postlineDispatcher;
  if (committed.hold) {
    try {
      await dispatcher?.scheduleHold(committed.hold);
    } catch (error) {
      console.error(`[postline] could not schedule the end of a hold now; the sweep will (${(error as Error).message})`);
    }
  }
  if (committed.endedHolds?.length) {
    // A hold whose cancellation is lost still ends harmlessly: its approval finds nothing held.
    try {
      await dispatcher?.cancelHolds(committed.endedHolds);
    } catch (error) {
      console.error(`[postline] could not cancel the scheduled end of ${committed.endedHolds.length} holds; each will find nothing to approve (${(error as Error).message})`);
    }
  }
}

/** Wakes deliveries; it never rejects. */
export async function wakeDeliveries(queued: QueuedDelivery[], cause?: string): Promise<void> {
  if (queued.length === 0) return;
  const dispatcher = holder.__postlineDispatcher;
  if (!dispatcher) {
    console.warn(`[postline] no dispatcher in this process; ${queued.length} deliveries wait for the sweeper`);
    return;
  }
  try {
    await dispatcher.wake(queued, cause);
  } catch (error) {
    console.error(`[postline] could not wake ${queued.length} deliveries now; the sweeper will (${(error as Error).message})`);
  }
}
