/*
 * How many requests this process is answering on its public endpoints (postbacks, clicks, leads):
 * the embedded relay runs fewer deliveries at once while many wait and the server is saturated
 * (inngest/load-gate.ts). On globalThis: the routes and the driver are in different bundles.
 */
const counter = globalThis as unknown as { __postlineAnswering?: number };

export async function whileAnswering<T>(work: () => Promise<T>): Promise<T> {
  counter.__postlineAnswering = (counter.__postlineAnswering ?? 0) + 1;
  try {
    return await work();
  } finally {
    counter.__postlineAnswering--;
  }
}

export function requestsBeingAnswered(): number {
  return counter.__postlineAnswering ?? 0;
}
