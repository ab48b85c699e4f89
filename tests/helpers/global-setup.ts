import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { createDatabase } from "@/db/client";

declare module "vitest" {
  export interface ProvidedContext {
    /** A migrated PGlite data directory, as a tarball file, that each test file's database starts from. */
    pgliteTemplateFile: string | null;
    /** A migrated database on the DATABASE_URL server that each test file's database is created from. */
    postgresTemplate: string | null;
  }
}

/**
 * Migrates one database for the whole run, so that each test file copies it instead of running
 * every migration again (the copy takes a fraction of the time). Without it, each file migrates.
 */
export default async function setup(project: TestProject) {
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    const name = `postline_template_${process.pid}`;
    const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`DROP DATABASE IF EXISTS ${name}`);
    await admin.unsafe(`CREATE DATABASE ${name}`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const template = createDatabase({ url: url.toString(), poolMax: 1 });
    await template.migrate();
    await template.close();
    project.provide("postgresTemplate", name);
    project.provide("pgliteTemplateFile", null);
    return async () => {
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    };
  }
  const template = createDatabase({ dataDir: "memory://" });
  await template.migrate();
  const dump = await template.dumpDataDir!();
  await template.close();
  const dir = path.join(".data", "test-templates");
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `pglite-${process.pid}.tar`);
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  project.provide("pgliteTemplateFile", file);
  project.provide("postgresTemplate", null);
  return () => rmSync(file, { force: true });
}
