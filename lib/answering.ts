/*
 * How many requests this process is answering on its public endpoints (postbacks, clicks, leads):
 * the embedded relay narrows while many wait (inngest/load-gate.ts). The count lives in shared
 * memory so that the relay's worker thread reads the one the app's thread keeps
 * (inngest/relay-thread.ts), and on globalThis because the routes and the driver are bundled apart.
 */
const holder = globalThis as unknown as { __postlineAnswering?: Int32Array };

function counter(): Int32Array {
  return (holder.__postlineAnswering ??= new Int32Array(new SharedArrayBuffer(4)));
}

export async function whileAnswering<T>(work: () => Promise<T>): Promise<T> {
  const count = counter();
  Atomics.add(count, 0, 1);
  try {
    return await work();
  } finally {
    Atomics.sub(count, 0, 1);
  }
}

export function requestsBeingAnswered(): number {
  return Atomics.load(counter(), 0);
}

/** The count's memory, to hand to a worker thread, which adopts it with `adoptAnsweringCounter`. */
export function answeringCounter(): Int32Array {
  return counter();
}

export function adoptAnsweringCounter(shared: Int32Array) {
  holder.__postlineAnswering = shared;
}
