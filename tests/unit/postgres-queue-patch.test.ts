import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";

// db/patch-postgres.mjs (postinstall) mends postgres.js's queue of connections, which grew by a
// hole for every query pipelined on a busy connection and was searched from the start at every
// query's end: a steady load got slower the longer it ran.
const queueFile = path.join(process.cwd(), "node_modules/postgres/src/queue.js");
type Queue<T> = { length: number; push(x: T): T; shift(): T | undefined; remove(x: T): T | null };

const realIndexOf = Array.prototype.indexOf;
afterEach(() => {
  Array.prototype.indexOf = realIndexOf;
});

describe("postgres.js's connection queue (patched at install)", () => {
  it("is patched, in the ES module, CommonJS and Cloudflare builds", () => {
    for (const build of ["src", "cjs/src", "cf/src"]) {
      expect(readFileSync(path.join(process.cwd(), "node_modules/postgres", build, "queue.js"), "utf8")).toContain("postline: postgres queue patch");
    }
  });

  it("keeps its order and its count through a long steady load, and a removal looks only at the connections in it", async () => {
    const { default: createQueue } = (await import(queueFile)) as { default: <T>(initial?: T[]) => Queue<T> };
    const connections = Array.from({ length: 10 }, (_, n) => ({ n }));
    const busy = createQueue<{ n: number }>(connections);
    // As the pool does under load: a query goes to the busy connection at the front, which goes
    // back at the end; now and then one finishes its pipeline and leaves for the open queue.
    // How many places the last search of the queue's array looked at (only the queue's searches
    // are counted: the assertions search arrays too).
    let counting = false;
    let scanned = 0;
    Array.prototype.indexOf = function (this: unknown[], item: unknown, from = 0) {
      if (counting) scanned = this.length - from;
      return realIndexOf.call(this, item, from);
    };
    const remove = (connection: { n: number }) => {
      counting = true;
      try {
        return busy.remove(connection);
      } finally {
        counting = false;
      }
    };
    for (let query = 0; query < 200_000; query++) {
      const connection = busy.shift()!;
      if (connection !== connections[query % 10]) expect(connection).toBe(connections[query % 10]);
      busy.push(connection);
      if (query % 1000 === 999) {
        // A connection at the back finishes: out and back in, as move() does.
        const last = connections[query % 10];
        expect(remove(last)).toBe(last);
        busy.push(last);
        expect(scanned).toBeLessThan(2_100);
      }
    }
    expect(busy.length).toBe(10);
    expect(remove({ n: -1 })).toBeNull();
    expect(scanned).toBeLessThan(2_100); // unpatched: the 200,000 queries' holes, every time
  });
});
