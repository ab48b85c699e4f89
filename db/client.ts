import { mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { getEnv, onServerlessHost } from "@/lib/env";
import * as schema from "./schema";

/** Both drivers give this type; the rest of the code never knows which one it has. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
/** A database handle or an open transaction: domain functions accept either. */
export type Executor = Database | Transaction;

export type DatabaseHandle = {
  db: Database;
  driver: "pglite" | "postgres";
  migrate(): Promise<void>;
  close(): Promise<void>;
};

export const MIGRATIONS_FOLDER = path.join(process.cwd(), "db", "migrations");

export type DatabaseOptions = { url?: string; dataDir?: string; poolMax?: number; prepare?: boolean };

/**
 * The one db factory. A URL selects postgres.js (a real server); no URL selects PGlite, on disk
 * under `dataDir` or in memory when `dataDir` is "memory://".
 */
export function createDatabase(options: DatabaseOptions): DatabaseHandle {
  if (options.url) {
    // Behind a transaction pooler (PgBouncer, Supavisor, Neon's pooled URL) prepared statements
    // must be off; on serverless hosts each instance keeps a small pool.
    const prepare = options.prepare ?? true;
    // A lost server is reported (503) after 10 s rather than postgres.js's default 30. Between
    // failed connection attempts postgres.js waits 3^n/100 s (n counted across the pool, up to
    // 20 s): a 5 s outage pushed the pool's next attempt 7–20 s past the server's return, and
    // postbacks waited that long (chaos scenario 2). At most a second here: an attempt on a
    // server that is down is one refused connect.
    const client = postgres(options.url, { max: options.poolMax ?? 10, prepare, connect_timeout: 10, backoff: reconnectDelaySeconds, onnotice: () => {} });
    if (prepare) preparedByDefault(client);
    const db = drizzlePostgres({ client, schema }) as unknown as Database;
    return {
      db,
      driver: "postgres",
      migrate: () => migratePostgres(drizzlePostgres({ client, schema }), { migrationsFolder: MIGRATIONS_FOLDER }),
      close: () => client.end({ timeout: 5 }),
    };
  }
  const dataDir = options.dataDir ?? "memory://";
  if (!dataDir.startsWith("memory://")) mkdirSync(dataDir, { recursive: true });
  const client = oneQueryPerTurn(new PGlite(dataDir));
  const pglite = drizzlePglite({ client, schema });
  return {
    db: pglite as unknown as Database,
    driver: "pglite",
    migrate: () => migratePglite(pglite, { migrationsFolder: MIGRATIONS_FOLDER }),
    close: () => client.close(),
  };
}

/**
 * PGlite runs each query synchronously on this thread and hands its lock from one query to the
 * next in microtasks, so the queries waiting for it ran as one long turn of the event loop, with
 * no socket read and no timer in it; and Node 20 (libuv 1.46) accepts one new connection per turn
 * (seen: 20 queued connections, one accepted in each of 20 turns), so under a burst new
 * connections waited in the accept queue, one let in every ~100 ms (measured: a load's 50 new
 * connections took 5 s to be accepted, their first requests answered after 3–10 s;
 * BENCHMARKS.md). Each holder of the lock (a query, an exec, a whole transaction) now starts in a
 * turn of its own, so sockets are read between queries; a transaction's own statements still run
 * back to back inside its turn.
 * `_runExclusiveTransaction` is PGlite's own lock (pinned version, tested). A test that fakes
 * `setImmediate` (vitest's fake timers do by default) would stall every query.
 */
function oneQueryPerTurn(client: PGlite): PGlite {
  const lock = client as unknown as { _runExclusiveTransaction?: <T>(fn: () => Promise<T>) => Promise<T> };
  const original = lock._runExclusiveTransaction?.bind(client);
  if (!original) throw new Error("PGlite no longer has _runExclusiveTransaction: see oneQueryPerTurn in db/client.ts");
  const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
  lock._runExclusiveTransaction = (fn) =>
    original(async () => {
      await nextTurn();
      return fn();
    });
  return client;
}

/**
 * Drizzle sends its queries through `client.unsafe()`, which postgres.js does not prepare unless
 * asked: every statement was parsed and planned again (measured: a third of the Postgres time and
 * a quarter of the Node time per postback, BENCHMARKS.md). Named statements are cached per
 * connection by their text; the app's statements are a bounded set, and postgres.js recycles
 * connections every 30–60 minutes.
 */
function preparedByDefault(client: postgres.Sql | postgres.TransactionSql) {
  const unsafe = client.unsafe.bind(client);
  // A prepared statement's parameters are sent by their declared types, and postgres.js then
  // refuses a Date where Postgres expects a timestamp: send it as ISO text, as it would unprepared.
  const asText = (params?: unknown[]) => params?.map((p) => (p instanceof Date ? p.toISOString() : p));
  client.unsafe = ((query: string, params?: unknown[], options?: { prepare?: boolean }) => unsafe(query, asText(params) as never, { ...options, prepare: true })) as typeof client.unsafe;
  // Drizzle's transactions run on the transaction's own handle.
  if ("begin" in client) {
    const begin = client.begin.bind(client) as (...args: unknown[]) => Promise<unknown>;
    client.begin = ((...args: unknown[]) => {
      const body = args.pop() as (tx: postgres.TransactionSql) => unknown;
      return begin(...args, (tx: postgres.TransactionSql) => {
        preparedByDefault(tx);
        return body(tx);
      });
    }) as typeof client.begin;
  }
}

/** Seconds before a pooled connection's next attempt after `failures` failed ones in a row (jittered, at most 1 s). */
function reconnectDelaySeconds(failures: number): number {
  return (0.5 + Math.random() / 2) * Math.min(0.05 * 2 ** failures, 1);
}

// One handle per process, kept on globalThis: Next's bundles (and dev reloads) share it, and
// PGlite must never open the same data folder twice.
const globalForDb = globalThis as unknown as { __postlineDb?: DatabaseHandle };

export function getDatabaseHandle(): DatabaseHandle {
  if (!globalForDb.__postlineDb) {
    const env = getEnv();
    globalForDb.__postlineDb = createDatabase(
      env.DATABASE_URL
        ? { url: env.DATABASE_URL, poolMax: env.DATABASE_POOL_MAX ?? (onServerlessHost() ? 2 : 10), prepare: !env.DATABASE_POOLER }
        : { dataDir: env.PGLITE_DIR.startsWith("memory://") ? env.PGLITE_DIR : path.resolve(/* turbopackIgnore: true */ process.cwd(), env.PGLITE_DIR) },
    );
  }
  return globalForDb.__postlineDb;
}

export function getDb(): Database {
  return getDatabaseHandle().db;
}
