import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export type Received = { method: string; url: string; headers: IncomingMessage["headers"]; body: string; at: number };
export type Reply = number | "hang" | { status: number; body?: string; headers?: Record<string, string>; delayMs?: number };

/**
 * A real HTTP server standing in for an affiliate's tracker or a merchant's server: it records
 * every request and answers from a script (`replies`, one per request; the last one repeats).
 */
export async function startTracker(replies: Reply[] = [200]) {
  const received: Received[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let script = [...replies];
  const hanging = new Set<import("node:http").ServerResponse>();
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on("close", () => inFlight--);
    req.on("end", () => {
      received.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body, at: Date.now() });
      const reply = script.length > 1 ? script.shift()! : script[0];
      if (reply === "hang") {
        hanging.add(res);
        return;
      }
      const { status, body: text, headers, delayMs } = typeof reply === "number" ? { status: reply, body: `answer ${reply}`, headers: {}, delayMs: 0 } : reply;
      setTimeout(() => {
        res.writeHead(status, { "content-type": "text/plain", ...headers });
        res.end(text ?? "");
      }, delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    received,
    /** The most requests it held open at once. */
    maxInFlight: () => maxInFlight,
    setReplies(next: Reply[]) {
      script = [...next];
    },
    async close() {
      for (const res of hanging) res.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type Tracker = Awaited<ReturnType<typeof startTracker>>;
