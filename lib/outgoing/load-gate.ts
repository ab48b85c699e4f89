import { WaitQueue } from "./keyed-semaphore";

type Waiter = { since: number; resolve: () => void };

/**
 * Background work that gives way to the requests this process is answering. While `busy()` holds,
 * at most `busyAtOnce` holders are inside at once and the rest wait in order: in the app's own
 * thread that bounds the share of the event loop the work takes, while a steady load, whose
 * attempts finish quickly, still flows. Otherwise every holder goes in at once. A holder that has
 * waited `maxWaitMs` goes in whatever the load: giving way delays work, it never starves it.
 */
export class LoadGate {
  private inside = 0;
  private stopped = false;
  private readonly maxWaitMs: number;
  private readonly waiting = new WaitQueue<Waiter>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly options: { busy: () => boolean; busyAtOnce: number; tickMs?: number; maxWaitMs?: number }) {
    this.maxWaitMs = options.maxWaitMs ?? 30_000;
    // Waiters are also let in on a timer: a holder past its longest wait, or the load easing.
    this.timer = setInterval(() => this.admit(), options.tickMs ?? 50);
    this.timer.unref();
  }

  /** Resolves with the function that lets the holder out again. */
  async enter(): Promise<() => void> {
    if (!this.stopped && (this.waiting.size > 0 || !this.mayGoIn(Date.now()))) {
      await new Promise<void>((resolve) => this.waiting.push({ since: Date.now(), resolve }));
    }
    this.inside++;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.inside--;
      this.admit();
    };
  }

  /** Lets every waiter go in (its caller checks whether it should still run). */
  stop() {
    this.stopped = true;
    clearInterval(this.timer);
    for (let waiter = this.waiting.shift(); waiter; waiter = this.waiting.shift()) waiter.resolve();
  }

  private mayGoIn(since: number) {
    return this.stopped || !this.options.busy() || this.inside < this.options.busyAtOnce || Date.now() - since >= this.maxWaitMs;
  }

  private admit() {
    // `inside` grows as each admitted holder resumes, so count the ones let in during this pass.
    let admitted = 0;
    for (let next = this.waiting.peek(); next; next = this.waiting.peek()) {
      const roomWhileBusy = this.inside + admitted < this.options.busyAtOnce;
      if (!(this.stopped || !this.options.busy() || roomWhileBusy || Date.now() - next.since >= this.maxWaitMs)) break;
      this.waiting.shift()!.resolve();
      admitted++;
    }
  }
}
