/*
 * How many requests this process is answering on its public endpoints (postbacks, clicks, leads):
 * the embedded dispatcher gives way while many wait (lib/outgoing/load-gate.ts). On globalThis
 * because the routes and the dispatcher are bundled apart.
 */
const holder = globalThis as unknown as { __postlineAnswering?: { count: number } };

function counter() {
  return (holder.__postlineAnswering ??= { count: 0 });
}

export async function whileAnswering<T>(work: () => Promise<T>): Promise<T> {
  const count = counter();
  count.count++;
  try {
    return await work();
  } finally {
    count.count--;
  }
}

export function requestsBeingAnswered(): number {
  return counter().count;
}
