import { getDb } from "@/lib/platform/database";
import { maintainPartitions, retentionSettingsFromEnv } from "@/lib/platform/retention";
import { inngest } from "../client";

/**
 * Retention (lib/platform/retention.ts) every hour: the weeks ahead of clicks, the incoming log and
 * delivery attempts made, and the weeks past their retention dropped whole. A run that overlaps
 * another (or a boot's) finds each step done and skips it.
 */
export const maintainPartitionsFunction = inngest.createFunction(
  { id: "maintain-partitions", triggers: [{ cron: "17 * * * *" }], concurrency: [{ limit: 1 }] },
  async ({ step }) => step.run("make-and-drop-partitions", () => maintainPartitions(getDb(), retentionSettingsFromEnv())),
);
