import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { createDatabase, type DatabaseHandle } from "@/db/client";

/**
 * A fresh, migrated database for one test file: PGlite in memory by default, or a new database on
 * the server named by DATABASE_URL (created here, dropped on close), so files never share rows.
 */
export async function createTestDatabase(): Promise<DatabaseHandle> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const handle = createDatabase({ dataDir: "memory://" });
    await handle.migrate();
    return handle;
  }
  const name = `postline_test_${randomBytes(6).toString("hex")}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const handle = createDatabase({ url: url.toString() });
  await handle.migrate();
  return {
    ...handle,
    async close() {
      await handle.close();
      const dropper = postgres(serverUrl, { max: 1, onnotice: () => {} });
      await dropper.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    },
  };
}

export const testDriver = process.env.DATABASE_URL ? "postgres" : "pglite";

/** Rows of a raw `db.execute()` result: postgres.js returns an array, PGlite an object with `rows`. */
export function rowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : ((result as { rows: T[] }).rows ?? []);
}

/**
 * Points the app's own database singleton (`getDb()`, used by Inngest functions and routes) at a
 * fresh database: an in-memory PGlite, or a new database on the DATABASE_URL server.
 */
export async function useFreshProcessDatabase(): Promise<DatabaseHandle> {
  const { getDatabaseHandle } = await import("@/db/client");
  const { resetEnvForTests } = await import("@/lib/env");
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    const name = `postline_test_${randomBytes(6).toString("hex")}`;
    const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    process.env.DATABASE_URL = url.toString();
  } else {
    process.env.PGLITE_DIR = "memory://process";
  }
  resetEnvForTests();
  const handle = getDatabaseHandle();
  await handle.migrate();
  return handle;
}
