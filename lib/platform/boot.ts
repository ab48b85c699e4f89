import { ensureFirstAdmin } from "@/lib/access/admin";
import { getEnv, productionProblems } from "./env";
import { getDatabaseHandle } from "./database";
import { maintainPartitions, retentionSettingsFromEnv } from "./retention";
import { demoSignInLines, seedDemoData } from "@/lib/demo/seed";

/**
 * Runs once per server process, before it takes requests (from instrumentation.ts): refuses a
 * broken production start, applies migrations, seeds the demo data where that is wanted.
 */
export async function bootServer(): Promise<void> {
  // Before `getEnv`, which throws on an invalid setting: a production start stops here instead.
  if (process.env.NODE_ENV === "production") {
    const problems = productionProblems();
    if (problems.length > 0) {
      console.error(["[postline] refusing to start in production:", ...problems.map((p) => `  - ${p}`)].join("\n"));
      process.exit(1);
    }
  }
  const env = getEnv();
  const handle = getDatabaseHandle();
  await handle.migrate();
  // The weeks ahead exist before the first click, whichever schedule runs next (embedded or Inngest).
  await maintainPartitions(handle.db, retentionSettingsFromEnv()).catch((error: Error) => console.error(`[postline] partition upkeep failed at start: ${error.message}`));
  const seedWanted = env.NODE_ENV !== "production" || env.SEED_DEMO;
  if (seedWanted && (await seedDemoData(handle.db))) {
    console.log(["[postline] seeded demo data.", ...demoSignInLines()].join("\n"));
  }
  if (env.POSTLINE_FIRST_ADMIN_EMAIL && env.POSTLINE_FIRST_ADMIN_PASSWORD) {
    if (await ensureFirstAdmin(handle.db, env.POSTLINE_FIRST_ADMIN_EMAIL, env.POSTLINE_FIRST_ADMIN_PASSWORD)) {
      console.log(`[postline] created the first admin, ${env.POSTLINE_FIRST_ADMIN_EMAIL}. Remove POSTLINE_FIRST_ADMIN_PASSWORD from the environment now.`);
    }
  }
  console.log(`[postline] database ready (${handle.driver}).`);
}
