import { afterEach, describe, expect, it } from "vitest";
import { LoadGate } from "@/lib/outgoing/load-gate";
import { requestsBeingAnswered, whileAnswering } from "@/lib/platform/answering";

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const settle = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

describe("the embedded dispatcher's load gate", () => {
  const gates: LoadGate[] = [];
  const gate = (busy: () => boolean, busyAtOnce = 2, maxWaitMs?: number) => {
    const made = new LoadGate({ busy, busyAtOnce, tickMs: 10, maxWaitMs });
    gates.push(made);
    return made;
  };
  afterEach(() => gates.splice(0).forEach((g) => g.stop()));

  it("holds nothing back while the app is not busy", async () => {
    const g = gate(() => false);
    const entered: number[] = [];
    for (let n = 0; n < 50; n++) void g.enter().then(() => entered.push(n));
    await settle();
    expect(entered).toEqual(Array.from({ length: 50 }, (_, n) => n));
  });

  it("lets at most its number in at once while busy, in order, the next as one leaves", async () => {
    const g = gate(() => true, 2);
    const order: number[] = [];
    const leave: (() => void)[] = [];
    for (let n = 0; n < 5; n++) void g.enter().then((exit) => (order.push(n), leave.push(exit)));
    await pause(30);
    expect(order).toEqual([0, 1]);
    leave[0]();
    await pause(5);
    expect(order).toEqual([0, 1, 2]);
    leave[1]();
    leave[2]();
    await pause(5);
    expect(order).toEqual([0, 1, 2, 3, 4]);
  });

  it("keeps up with work that is quick to do, however long the app stays busy", async () => {
    const g = gate(() => true, 1);
    let done = 0;
    const started = Date.now();
    await Promise.all(
      Array.from({ length: 100 }, async () => {
        const exit = await g.enter();
        await pause(0);
        done++;
        exit();
      }),
    );
    expect(done).toBe(100);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("lets in every holder that has waited its longest, however long the app stays busy", async () => {
    const g = gate(() => true, 1, 60);
    const order: number[] = [];
    for (let n = 0; n < 10; n++) void g.enter().then(() => order.push(n)); // no holder ever leaves
    await pause(30);
    expect(order).toEqual([0]);
    await pause(100);
    expect(order).toEqual(Array.from({ length: 10 }, (_, n) => n));
  });

  it("lets everyone waiting in at once when the requests are answered", async () => {
    let busy = true;
    const g = gate(() => busy, 1);
    const order: number[] = [];
    for (let n = 0; n < 20; n++) void g.enter().then(() => order.push(n));
    await pause(30);
    expect(order).toEqual([0]);
    busy = false;
    await pause(30);
    expect(order).toEqual(Array.from({ length: 20 }, (_, n) => n));
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
