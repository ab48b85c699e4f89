import { WaitQueue } from "./keyed-semaphore";

type Waiter = { since: number; resolve: () => void };

/**
 * Background work that gives way to the requests this process is answering: while `busy()` holds,
 * about `busyStartsPerSecond` holders go in (credit accrues each `tickMs`, so a rate below one a
 * tick is honoured, not rounded up to one), the rest wait in order; otherwise every holder goes in
 * at once. A rate, not a count of holders at once:
 * in a thread of its own the relay ran two deliveries at a time at hundreds a second. However long
 * `busy()` holds (a long burst, or requests that are slow to send their bodies), a holder that has
 * waited `maxWaitMs` goes in: giving way delays deliveries, it never starves them.
 */
export class LoadGate {
  private tokens: number;
  private stopped = false;
  private readonly perTick: number;
  private readonly capacity: number;
  private readonly maxWaitMs: number;
  private readonly waiting = new WaitQueue<Waiter>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly options: { busy: () => boolean; busyStartsPerSecond: number; tickMs?: number; maxWaitMs?: number }) {
    const tickMs = options.tickMs ?? 50;
    this.perTick = (options.busyStartsPerSecond * tickMs) / 1000;
    // Credit does not pile up beyond one tick's worth (or one holder): a lull does not buy a burst.
    this.capacity = Math.max(1, this.perTick);
    this.maxWaitMs = options.maxWaitMs ?? 30_000;
    this.tokens = this.capacity;
    this.timer = setInterval(() => {
      this.tokens = Math.min(this.capacity, this.tokens + this.perTick);
      this.admit();
    }, tickMs);
    this.timer.unref();
  }

  async enter(): Promise<void> {
    if (this.stopped || (this.waiting.size === 0 && this.mayGoIn(Date.now()))) return;
    await new Promise<void>((resolve) => this.waiting.push({ since: Date.now(), resolve }));
  }

  /** Lets every waiter go in (its caller checks whether it should still run). */
  stop() {
    this.stopped = true;
    clearInterval(this.timer);
    for (let waiter = this.waiting.shift(); waiter; waiter = this.waiting.shift()) waiter.resolve();
  }

  private mayGoIn(since: number) {
    if (!this.options.busy() || Date.now() - since >= this.maxWaitMs) return true;
    if (this.tokens < 1) return false;
    this.tokens--;
    return true;
  }

  private admit() {
    for (let next = this.waiting.peek(); next && this.mayGoIn(next.since); next = this.waiting.peek()) this.waiting.shift()!.resolve();
  }
}
