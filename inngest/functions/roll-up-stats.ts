import { getDb } from "@/lib/platform/database";
import { rollClosedDays, refreshStaleDays } from "@/lib/reports/rollups";
import { inngest } from "../client";

/**
 * Keeps the stats rollups (lib/reports/rollups.ts) every minute: the days that closed, then the
 * days late changes touched. Each step is idempotent (slices are recomputed whole), and a run that
 * finds another one holding the lock skips it.
 */
export const rollUpStats = inngest.createFunction(
  { id: "roll-up-stats", triggers: [{ cron: "* * * * *" }], concurrency: [{ limit: 1 }] },
  async ({ step }) => {
    const organizations = await step.run("roll-closed-days", () => rollClosedDays(getDb()));
    const staleMarkers = await step.run("refresh-stale-days", () => refreshStaleDays(getDb()));
    return { organizations, staleMarkers };
  },
);
