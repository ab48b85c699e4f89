import { mkdirSync } from "node:fs";
import path from "node:path";
import { setImmediate as nextTurn } from "node:timers/promises";
import { PGlite } from "@electric-sql/pglite";
import type { Logger } from "drizzle-orm/logger";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
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
  /**
   * LISTEN on `channel`: `onNotify` gets each payload, `onListen` runs each time listening (re)starts
   * (after a reconnect, notifications sent meanwhile are lost). Resolves to how to stop.
   */
  listen(channel: string, onNotify: (payload: string) => void, onListen?: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
  /** PGlite only: its data directory as a tarball, which `loadDataDir` starts another database from. */
  dumpDataDir?: () => Promise<Blob>;
};

export const MIGRATIONS_FOLDER = path.join(process.cwd(), "db", "migrations");

/** `logger`: drizzle's own hook, given each statement's text and parameters (tests read the plans of the pages' queries). */
export type DatabaseOptions = {
  url?: string;
  dataDir?: string;
  poolMax?: number;
  prepare?: boolean;
  logger?: Logger;
  /** PGlite only: start from a copy of a dumped data directory (tests start from one migrated once). */
  loadDataDir?: Blob;
};

/**
 * The one db factory. A URL selects postgres.js (a real server); no URL selects PGlite, on disk
 * under `dataDir` or in memory when `dataDir` is "memory://".
 */
export function createDatabase(options: DatabaseOptions): DatabaseHandle {
  if (options.url) {
    // Behind a transaction pooler (PgBouncer, Supavisor, Neon's pooled URL) named statements must be off.
    const client = postgres(options.url, {
      max: options.poolMax ?? 10,
      prepare: options.prepare ?? true,
      connect_timeout: 10,
      backoff: reconnectDelaySeconds,
      onnotice: () => {},
    });
    const db = drizzlePostgres({ client, schema, logger: options.logger }) as unknown as Database;
    return {
      db,
      driver: "postgres",
      migrate: () => migratePostgres(drizzlePostgres({ client, schema }), { migrationsFolder: MIGRATIONS_FOLDER }),
      // postgres.js listens on one dedicated connection of its own, outside the pool, and listens again after a reconnect.
      listen: async (channel, onNotify, onListen) => (await client.listen(channel, onNotify, onListen)).unlisten,
      close: () => client.end({ timeout: 5 }),
    };
  }
  const dataDir = options.dataDir ?? "memory://";
  if (!dataDir.startsWith("memory://")) mkdirSync(dataDir, { recursive: true });
  const pglite = new PGlite(dataDir, options.loadDataDir ? { loadDataDir: options.loadDataDir } : {});
  const db = drizzlePglite({ client: oneHolderPerTurn(pglite), schema, logger: options.logger });
  return {
    db: db as unknown as Database,
    driver: "pglite",
    migrate: () => migratePglite(db, { migrationsFolder: MIGRATIONS_FOLDER }),
    listen: async (channel, onNotify, onListen) => {
      const unlisten = await pglite.listen(channel, onNotify);
      onListen?.();
      return () => unlisten();
    },
    close: () => pglite.close(),
    dumpDataDir: () => pglite.dumpDataDir("none"),
  };
}

/**
 * PGlite runs queries synchronously on this thread: a backlog of them would run as one turn of the
 * event loop, and no new connection is accepted meanwhile. Each query, exec or whole transaction
 * here starts in a turn of its own, in arrival order, through PGlite's public methods only.
 */
function oneHolderPerTurn(client: PGlite): PGlite {
  let tail: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(work: () => Promise<T>): Promise<T> => {
    const run = tail.then(() => nextTurn()).then(work);
    tail = run.catch(() => {});
    return run;
  };
  const turnTaking: Pick<PGlite, "query" | "exec" | "transaction"> = {
    query: (...args) => inTurn(() => client.query(...args)),
    exec: (...args) => inTurn(() => client.exec(...args)),
    transaction: (callback) => inTurn(() => client.transaction(callback)),
  };
  // drizzle's PGlite session calls only these three methods of its client.
  return turnTaking as PGlite;
}

/** Seconds before a pooled connection's next attempt after `failures` failed ones in a row (jittered, at most 1 s). */
function reconnectDelaySeconds(failures: number): number {
  return (0.5 + Math.random() / 2) * Math.min(0.05 * 2 ** failures, 1);
}
