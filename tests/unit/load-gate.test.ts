import { afterEach, describe, expect, it } from "vitest";
import { LoadGate } from "@/inngest/load-gate";
import { requestsBeingAnswered, whileAnswering } from "@/lib/answering";

const SAMPLE_MS = 20;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Keeps the event loop fully busy for `ms`, as a burst of requests would. */
function busyFor(ms: number) {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // spin
  }
}
/** Saturates the loop across two samples, then lets the gate's timer see it. */
async function saturate() {
  for (let i = 0; i < 3; i++) {
    busyFor(SAMPLE_MS * 2);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe("the embedded relay's load gate", () => {
  const gates: LoadGate[] = [];
  const gate = (width: () => number) => {
    const made = new LoadGate({ saturatedWidth: width, sampleMs: SAMPLE_MS });
    gates.push(made);
    return made;
  };
  afterEach(() => gates.splice(0).forEach((g) => g.stop()));

  it("holds nothing back while the event loop has room", async () => {
    const g = gate(() => 1);
    await pause(SAMPLE_MS * 3);
    const entered = await Promise.race([Promise.all([g.enter(), g.enter(), g.enter(), g.enter()]).then(() => true), pause(500).then(() => false)]);
    expect(entered).toBe(true);
  });

  it("lets only the saturated width through while the loop is saturated, the rest once it has room again, in order", async () => {
    const g = gate(() => 1);
    await saturate();
    const order: number[] = [];
    const holders = [0, 1, 2].map((n) => g.enter().then(() => order.push(n)));
    await Promise.resolve();
    await Promise.resolve();
    expect(order).toEqual([0]);
    // The loop idles: the next sample admits the others.
    await pause(SAMPLE_MS * 4);
    await Promise.all(holders);
    expect(order).toEqual([0, 1, 2]);
  });

  it("admits the next waiter when a holder leaves, even while saturated", async () => {
    const g = gate(() => 1);
    await saturate();
    await g.enter();
    let secondIn = false;
    const second = g.enter().then(() => (secondIn = true));
    await Promise.resolve();
    expect(secondIn).toBe(false);
    g.leave();
    await second;
    expect(secondIn).toBe(true);
  });
});

describe("requests being answered", () => {
  it("counts a request while it is answered, and not after, whether it succeeded or failed", async () => {
    const before = requestsBeingAnswered();
    let release!: () => void;
    const answered = whileAnswering(() => new Promise<void>((resolve) => (release = resolve)));
    const failed = whileAnswering(async () => {
      await pause(5);
      throw new Error("refused");
    });
    expect(requestsBeingAnswered()).toBe(before + 2);
    await expect(failed).rejects.toThrow("refused");
    expect(requestsBeingAnswered()).toBe(before + 1);
    release();
    await answered;
    expect(requestsBeingAnswered()).toBe(before);
  });
});
