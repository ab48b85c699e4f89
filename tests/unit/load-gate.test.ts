import { afterEach, describe, expect, it } from "vitest";
import { LoadGate } from "@/lib/outgoing/load-gate";
import { requestsBeingAnswered, whileAnswering } from "@/lib/platform/answering";

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const settle = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

describe("the embedded relay's load gate", () => {
  const gates: LoadGate[] = [];
  const gate = (busy: () => boolean) => {
    const made = new LoadGate({ busy, busyStartsPerSecond: 100, tickMs: 20 }); // two per tick
    gates.push(made);
    return made;
  };
  afterEach(() => gates.splice(0).forEach((g) => g.stop()));

  it("holds nothing back while the app is not busy", async () => {
    const g = gate(() => false);
    const entered: number[] = [];
    for (let n = 0; n < 50; n++) void g.enter().then(() => entered.push(n));
    await settle(); // no tick of the gate's timer in between
    expect(entered).toEqual(Array.from({ length: 50 }, (_, n) => n));
  });

  it("lets in every holder that has waited its longest, however long the app stays busy", async () => {
    const g = new LoadGate({ busy: () => true, busyStartsPerSecond: 50, tickMs: 20, maxWaitMs: 60 }); // one per tick
    gates.push(g);
    const order: number[] = [];
    const holders = Array.from({ length: 30 }, (_, n) => g.enter().then(() => order.push(n)));
    await pause(30);
    expect(order.length).toBeLessThan(5);
    // At one a tick, 30 would take 600 ms; past 60 ms of waiting they all go in, in order.
    await pause(150);
    expect(order).toEqual(Array.from({ length: 30 }, (_, n) => n));
    await Promise.all(holders);
  });

  it("keeps a rate below one holder a tick while busy, instead of rounding it up to one a tick", async () => {
    // 10 a second with a 10 ms tick is a tenth of a holder a tick: rounded up, 100 a second.
    const g = new LoadGate({ busy: () => true, busyStartsPerSecond: 10, tickMs: 10 });
    gates.push(g);
    let entered = 0;
    for (let n = 0; n < 50; n++) void g.enter().then(() => entered++);
    await pause(300);
    expect(entered).toBeGreaterThanOrEqual(2);
    expect(entered).toBeLessThanOrEqual(6);
  });

  it("lets a few in per tick while busy, in order, and the rest at once when the requests are answered", async () => {
    let busy = true;
    const g = gate(() => busy);
    const order: number[] = [];
    const holders = Array.from({ length: 20 }, (_, n) => g.enter().then(() => order.push(n)));
    await settle();
    expect(order).toEqual([0, 1]);
    await pause(50); // two or three ticks
    expect(order.length).toBeGreaterThanOrEqual(4);
    expect(order.length).toBeLessThanOrEqual(10);
    expect(order).toEqual(Array.from({ length: order.length }, (_, n) => n));
    busy = false;
    await pause(30);
    expect(order).toEqual(Array.from({ length: 20 }, (_, n) => n));
    await Promise.all(holders);
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
