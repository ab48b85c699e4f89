// The physical limit: a bare node:http server with postgres.js doing the same writes as the product.
import { createServer } from "node:http";
import postgres from "postgres";
import { writeClick, writePostback } from "./baseline-writes.mjs";

const sql = postgres(process.env.DATABASE_URL, { max: 10, onnotice: () => {} });
const port = Number(process.env.PORT ?? 3401);

createServer(async (req, res) => {
  const url = new URL(req.url, "http://localhost");
  try {
    if (url.pathname === "/ingest") {
      await writePostback(sql, Object.fromEntries(url.searchParams));
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"ok":true,"result":"accepted"}');
    } else if (url.pathname.startsWith("/c/")) {
      const location = await writeClick(sql, url.pathname.slice(3), url.searchParams.get("sub1"), req.socket.remoteAddress);
      res.writeHead(302, { location });
      res.end();
    } else {
      res.writeHead(404);
      res.end();
    }
  } catch (error) {
    res.writeHead(500);
    res.end(String(error));
  }
}).listen(port, "127.0.0.1");
