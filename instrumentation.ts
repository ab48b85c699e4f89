export async function register() {
  // Node only: the database and the boot checks have no place in an edge runtime.
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { bootServer } = await import("./db/boot");
  await bootServer();
  const { mode } = await import("./inngest/client");
  if (mode === "local") {
    const [{ startLocalDriver }, { getEnv }] = await Promise.all([import("./inngest/local-driver"), import("./lib/env")]);
    startLocalDriver({ cronIntervalMs: getEnv().DELIVERY_SWEEP_INTERVAL_MS });
    console.log("[postline] outgoing dispatch: embedded local driver (no Inngest server configured).");
  }
}
