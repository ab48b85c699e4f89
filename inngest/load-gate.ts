import { performance } from "node:perf_hooks";
import { WaitQueue } from "./keyed-semaphore";

/**
 * Background work that gives way to the requests this process is answering. While the event loop
 * is saturated (its utilisation over the last sample at or above `threshold`), at most
 * `saturatedWidth()` holders run at once and the rest wait in order; with room to spare, any
 * number run. The width is asked each time, so the caller can narrow it as requests pile up.
 */
export class LoadGate {
  private saturated = false;
  private running = 0;
  private readonly waiting = new WaitQueue();
  private readonly timer: NodeJS.Timeout;
  private readonly saturatedWidth: () => number;

  constructor(options: { saturatedWidth: () => number; threshold?: number; sampleMs?: number }) {
    const threshold = options.threshold ?? 0.9;
    this.saturatedWidth = options.saturatedWidth;
    let last = performance.eventLoopUtilization();
    this.timer = setInterval(() => {
      const now = performance.eventLoopUtilization();
      this.saturated = performance.eventLoopUtilization(now, last).utilization >= threshold;
      last = now;
      this.admit();
    }, options.sampleMs ?? 100);
    this.timer.unref();
  }

  async enter(): Promise<void> {
    if (this.waiting.size === 0 && this.hasRoom()) {
      this.running++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  leave() {
    this.running--;
    this.admit();
  }

  stop() {
    clearInterval(this.timer);
  }

  private hasRoom() {
    return !this.saturated || this.running < this.saturatedWidth();
  }

  private admit() {
    while (this.waiting.size > 0 && this.hasRoom()) {
      this.running++;
      this.waiting.shift()!();
    }
  }
}
