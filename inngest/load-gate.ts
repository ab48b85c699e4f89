import { WaitQueue } from "./keyed-semaphore";

/**
 * Background work that gives way to the requests this process is answering: while `busy()` holds,
 * at most `busyStartsPerSecond` holders go in (a few each `tickMs`), the rest wait in order;
 * otherwise every holder goes in at once. A rate, not a count of holders at once: in a thread of
 * its own the relay ran two deliveries at a time at hundreds a second.
 */
export class LoadGate {
  private tokens: number;
  private readonly perTick: number;
  private readonly waiting = new WaitQueue();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly options: { busy: () => boolean; busyStartsPerSecond: number; tickMs?: number }) {
    const tickMs = options.tickMs ?? 50;
    this.perTick = Math.max(1, Math.round((options.busyStartsPerSecond * tickMs) / 1000));
    this.tokens = this.perTick;
    this.timer = setInterval(() => {
      this.tokens = this.perTick;
      this.admit();
    }, tickMs);
    this.timer.unref();
  }

  async enter(): Promise<void> {
    if (this.waiting.size === 0 && this.mayGoIn()) return;
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  stop() {
    clearInterval(this.timer);
  }

  private mayGoIn() {
    if (!this.options.busy()) return true;
    if (this.tokens === 0) return false;
    this.tokens--;
    return true;
  }

  private admit() {
    while (this.waiting.size > 0 && this.mayGoIn()) this.waiting.shift()!();
  }
}
