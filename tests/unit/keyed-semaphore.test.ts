import { describe, expect, it } from "vitest";
import { KeyedSemaphore } from "@/lib/outgoing/keyed-semaphore";

describe("the embedded dispatcher's per-host limit", () => {
  it("lets thousands of queued runs through in arrival order, never more than the limit at once", async () => {
    const semaphore = new KeyedSemaphore();
    const order: number[] = [];
    let active = 0;
    let most = 0;
    const runs = Array.from({ length: 5000 }, async (_, n) => {
      await semaphore.acquire("tracker.example", 3);
      active++;
      most = Math.max(most, active);
      order.push(n);
      await Promise.resolve();
      active--;
      semaphore.release("tracker.example");
    });
    await Promise.all(runs);
    expect(order).toEqual(Array.from({ length: 5000 }, (_, n) => n));
    expect(most).toBe(3);
  });

  it("keeps hosts apart: a queue on one does not hold back another", async () => {
    const semaphore = new KeyedSemaphore();
    await semaphore.acquire("slow.example", 1);
    let slowSecondGotIn = false;
    const waiting = semaphore.acquire("slow.example", 1).then(() => (slowSecondGotIn = true));
    await semaphore.acquire("fast.example", 1); // resolves at once
    expect(slowSecondGotIn).toBe(false);
    semaphore.release("slow.example");
    await waiting;
    expect(slowSecondGotIn).toBe(true);
  });
});
