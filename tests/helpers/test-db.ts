import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { createDatabase, type DatabaseHandle } from "@/db/client";
import { flushRateLimits } from "@/lib/platform/rate-limit";

/**
 * A fresh, migrated database for one test file: PGlite in memory by default, or a new database on
 * the server named by DATABASE_URL (created here, dropped on close), so files never share rows.
 */
export async function createTestDatabase(): Promise<DatabaseHandle> {
  const serverUrl = process.env.DATABASE_URL;
  const templates = await migratedTemplates();
  if (!serverUrl) {
    if (templates.pgliteTemplateFile) {
      // A copy of the database the run migrated once (tests/helpers/global-setup.ts).
      return flushingOnClose(createDatabase({ dataDir: "memory://", loadDataDir: new Blob([readFileSync(templates.pgliteTemplateFile)]) }));
    }
    const handle = createDatabase({ dataDir: "memory://" });
    await handle.migrate();
    return flushingOnClose(handle);
  }
  const fresh = await createServerDatabase(serverUrl, "postline_test", templates.postgresTemplate ?? undefined);
  const handle = createDatabase({ url: fresh.url });
  if (!templates.postgresTemplate) await handle.migrate();
  return withDrop(flushingOnClose(handle), fresh.drop);
}

/** Rate-limit counts held in memory are written before the database closes, not into a closed one. */
function flushingOnClose(handle: DatabaseHandle): DatabaseHandle {
  return {
    ...handle,
    async close() {
      await flushRateLimits();
      await handle.close();
    },
  };
}

/** The migrated templates of this vitest run; none outside vitest (Playwright) or without its global setup. */
async function migratedTemplates(): Promise<{ pgliteTemplateFile: string | null; postgresTemplate: string | null }> {
  if (!process.env.VITEST) return { pgliteTemplateFile: null, postgresTemplate: null };
  // Imported here, not at the top: Playwright's specs import this file too, and vitest refuses to load there.
  const { inject } = await import("vitest");
  return { pgliteTemplateFile: inject("pgliteTemplateFile") ?? null, postgresTemplate: inject("postgresTemplate") ?? null };
}

/** A new database on the server of `serverUrl` (empty, or a copy of `template`), and how to drop it. */
export async function createServerDatabase(serverUrl: string, prefix = "postline_test", template?: string) {
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ""}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const dropper = postgres(serverUrl, { max: 1, onnotice: () => {} });
      await dropper.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    },
  };
}

function withDrop(handle: DatabaseHandle, drop: () => Promise<void>): DatabaseHandle {
  return {
    ...handle,
    async close() {
      await handle.close();
      await drop();
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
  const { getDatabaseHandle } = await import("@/lib/platform/database");
  const { resetEnvForTests } = await import("@/lib/platform/env");
  const serverUrl = process.env.DATABASE_URL;
  const fresh = serverUrl ? await createServerDatabase(serverUrl) : null;
  if (fresh) process.env.DATABASE_URL = fresh.url;
  else process.env.PGLITE_DIR = "memory://process";
  resetEnvForTests();
  const handle = getDatabaseHandle();
  await handle.migrate();
  return fresh ? withDrop(handle, fresh.drop) : handle;
}

/** For tests that open their own connections: the test database's name and its URL on the PostgreSQL server. */
export async function serverAddressOf(handle: DatabaseHandle): Promise<{ name: string; url: string }> {
  const [{ name }] = rowsOf<{ name: string }>(await handle.db.execute(sql`select current_database() as name`));
  const parsed = new URL(process.env.DATABASE_URL!);
  parsed.pathname = `/${name}`;
  return { name, url: parsed.toString() };
}
