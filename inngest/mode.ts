/**
 * Whether Inngest runs this deployment's durable work: Inngest Cloud or a self-hosted
 * `inngest start` (both keys set), or the Inngest Dev Server (INNGEST_DEV). Otherwise the embedded
 * dispatcher does, on this one machine.
 */
export function inngestConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.INNGEST_DEV && env.INNGEST_DEV !== "0") return true;
  return Boolean(env.INNGEST_EVENT_KEY && env.INNGEST_SIGNING_KEY);
}
