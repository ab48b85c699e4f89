import path from "node:path";
import { createDatabase, type Database, type DatabaseHandle } from "@/db/client";
import { getEnv, onServerlessHost } from "./env";

// One handle per process, kept on globalThis: Next's bundles (and dev reloads) share it, and
// PGlite must never open the same data folder twice.
const globalForDb = globalThis as unknown as { __postlineDb?: DatabaseHandle };

/** The process's database, as the environment configures it. */
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
