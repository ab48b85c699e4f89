// Run by `npm install` / `npm ci` (postinstall). postgres.js 3.4.9 (the latest release) keeps a
// connection's unsent bytes and its write timer when the connection drops: after a PostgreSQL
// restart the next handshake on that connection is never sent, its queries wait out
// connect_timeout and fail, and a late write throws on the closed socket (an uncaughtException).
// `npm run chaos` found it (porsager/postgres#1154, #1208; the fix PRs are not released). This
// clears both when the connection closes, and fails (instead of throwing on or hanging) a write on
// a closed socket, as upstream's unreleased fix does. It patches
// only the exact code of 3.4.9 and says so when it finds something else.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const root = path.join(process.cwd(), "node_modules", "postgres");
const MARK = "/* postline: reconnect patch 2 */";
const fixes = [
  [
    "    clearImmediate(nextWriteTimer)\n    socket.removeListener('data', data)\n    socket.removeListener('connect', connected)\n    idleTimer.cancel()",
    `    clearImmediate(nextWriteTimer)\n    chunk = nextWriteTimer = null ${MARK}\n    socket.removeListener('data', data)\n    socket.removeListener('connect', connected)\n    idleTimer.cancel()`,
  ],
  [
    "  function nextWrite(fn) {\n    const x = socket.write(chunk, fn)",
    // The queries waiting on a write that can no longer happen are failed, not left waiting:
    // a connection with one of them stuck in its queue never returns to the pool (upstream #1209).
    `  function nextWrite(fn) {\n    if (!socket) { chunk = nextWriteTimer = null; error(Errors.connection('CONNECTION_CLOSED', options)); return false } ${MARK}\n    const x = socket.write(chunk, fn)`,
  ],
];

if (!existsSync(root)) process.exit(0);
const { version } = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));
for (const file of ["src/connection.js", "cjs/src/connection.js", "cf/src/connection.js"].map((f) => path.join(root, f))) {
  if (!existsSync(file)) continue;
  let source = readFileSync(file, "utf8");
  if (source.includes(MARK)) continue;
  for (const [before, after] of fixes) {
    if (!source.includes(before)) {
      console.warn(`[postline] postgres ${version}: ${path.relative(root, file)} is not the code the reconnect patch knows; left as it is (check db/patch-postgres-reconnect.mjs)`);
      process.exit(0);
    }
    source = source.replace(before, after);
  }
  writeFileSync(file, source);
}
