// The affiliate's tracker: a loopback HTTP server that records every postback it receives
// (webhook-id header, the txid and click id of the URL, the time) and answers 200. It can go
// down (the listening socket closed and every open connection cut: new attempts are refused)
// and come back on the same port.
import { createServer } from "node:http";

export async function startTracker(port) {
  const receipts = [];
  const sockets = new Set();
  let server = null;
  let downs = [];

  function handler(req, res) {
    const url = new URL(req.url ?? "/", "http://tracker");
    receipts.push({
      webhookId: req.headers["webhook-id"] ?? null,
      tid: url.searchParams.get("tid"),
      cid: url.searchParams.get("cid"),
      status: url.searchParams.get("s"),
      at: Date.now(),
    });
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("OK");
    });
  }

  async function up() {
    server = createServer(handler);
    server.on("connection", (socket) => {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
    });
    await new Promise((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", resolve);
    });
  }

  await up();
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    receipts,
    downs,
    get isUp() {
      return server !== null;
    },
    /** Stops listening and cuts every connection: from now on a postback is refused. */
    async down() {
      const closing = server;
      server = null;
      const closed = new Promise((resolve) => closing.close(resolve));
      for (const socket of sockets) socket.destroy();
      await closed;
      downs.push({ at: Date.now() });
    },
    async up() {
      await up();
      if (downs.length) downs.at(-1).upAt = Date.now();
    },
    async close() {
      if (server) await this.down();
    },
  };
}
