/**
 * How outgoing dispatch runs:
 * - "cloud": Inngest Cloud or a self-hosted `inngest start` (INNGEST_EVENT_KEY and INNGEST_SIGNING_KEY set);
 * - "dev-server": the Inngest Dev Server on this machine (INNGEST_DEV set);
 * - "local": no Inngest server at all; the embedded local driver runs the same functions in this
 *   process, through the same serve handler. Single-machine mode, never the production path.
 */
export type DispatchMode = "cloud" | "dev-server" | "local";

export function dispatchMode(env: NodeJS.ProcessEnv = process.env): DispatchMode {
  if (env.INNGEST_DEV && env.INNGEST_DEV !== "0") return "dev-server";
  if (env.INNGEST_EVENT_KEY && env.INNGEST_SIGNING_KEY) return "cloud";
  return "local";
}
