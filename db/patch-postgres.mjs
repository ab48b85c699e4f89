// Run by `npm install` / `npm ci` (postinstall). postgres.js 3.4.9 (the latest release) has two
// defects that `npm run chaos` ran into, and one that `npm run bench` did; the upstream fixes are
// not released. This patches only
// the exact code of 3.4.9 and says so when it finds something else.
//
// 1. After a reconnect (a PostgreSQL restart) a connection keeps its unsent bytes and its write
//    timer: the next handshake on it is never sent, its queries wait out connect_timeout and
//    fail, and a late write throws on the closed socket (porsager/postgres#1154, #1208, #1209).
//    Both are cleared when the connection closes, and a write on a closed socket fails its
//    queries instead of leaving them stuck in the queue.
// 2. `sql.begin()` reserves its connection in a hook that runs only when the connection can take
//    more queries: a BEGIN that fills a connection's pipeline (1,000 identical postbacks at once
//    did it) reached PostgreSQL unreserved, failed with UNSAFE_TRANSACTION and left an open
//    transaction on a connection back in the pool, where other requests' statements would have
//    run inside it (#823, #1189, #1218). The hook now runs whenever the BEGIN was written, and a
//    drained socket no longer hands a reserved connection back to the pool (#1207).
// 3. Its queue of connections never shrinks while it is in use: a connection taken from the front
//    leaves a hole, the array is emptied only when the last one is taken, and `remove` searches it
//    from the start. Under a steady load every query that pipelines on a busy connection adds a
//    hole, and each query's end searches them all: 50 clients making two queries each in a loop
//    went from 13,400 to 6,600 pairs a second between their first 5 s and the next 10 s, 80 → 157
//    µs of Node CPU a pair (30,000 and 34 µs, flat, with the fix); in the product it was 15-20 µs
//    of each postback's CPU after 10 s of load, and growing. `remove` now searches from the front
//    and the array is compacted once it is mostly holes. (Perhaps porsager/postgres#747, "speed
//    dropped"; no fix upstream.)
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const root = path.join(process.cwd(), "node_modules", "postgres");
const MARK = "/* postline: postgres patch 3 */";
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
  [
    "      return write(toBuffer(q))\n        && !q.describeFirst\n        && !q.cursorFn\n        && sent.length < max_pipeline\n        && (!q.options.onexecute || q.options.onexecute(connection))",
    // A BEGIN's connection takes no other query after it, as before; it is now always reserved.
    `      const written = write(toBuffer(q))\n      if (q.options.onexecute) return q.options.onexecute(connection), false ${MARK}\n      return written\n        && !q.describeFirst\n        && !q.cursorFn\n        && sent.length < max_pipeline`,
  ],
  [
    "  function drain() {\n    !query && onopen(connection)\n  }",
    `  function drain() {\n    !query && !connection.reserved && onopen(connection) ${MARK}\n  }`,
  ],
];

const QUEUE_MARK = "/* postline: postgres queue patch 1 */";
const queueFixes = [
  ["      const index = xs.indexOf(x)\n      return index === -1\n        ? null\n        : (xs.splice(index, 1), x)", `      const at = xs.indexOf(x, index) ${QUEUE_MARK}\n      return at === -1\n        ? null\n        : (xs.splice(at, 1), x)`],
  ["        xs[index - 1] = undefined\n", "        xs[index - 1] = undefined\n        if (index > 1024 && index * 2 > xs.length) {\n          xs = xs.slice(index)\n          index = 0\n        }\n"],
];

/** Applies `fixes` to `name` in each of postgres.js's builds, once (`mark`); stops at code it does not know. */
function patchEachBuild(name, mark, fixes) {
  for (const file of ["src", "cjs/src", "cf/src"].map((build) => path.join(root, build, name))) {
    if (!existsSync(file)) continue;
    let source = readFileSync(file, "utf8");
    if (source.includes(mark)) continue;
    for (const [before, after] of fixes) {
      if (!source.includes(before)) {
        console.warn(`[postline] postgres ${version}: ${path.relative(root, file)} is not the code the patch knows; left as it is (check db/patch-postgres.mjs)`);
        process.exit(0);
      }
      source = source.replace(before, after);
    }
    writeFileSync(file, source);
  }
}

if (!existsSync(root)) process.exit(0);
const { version } = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));
patchEachBuild("connection.js", MARK, fixes);
patchEachBuild("queue.js", QUEUE_MARK, queueFixes);
