export async function register() {
  // Node only: the database and the boot checks have no place in an edge runtime.
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { bootServer } = await import("./db/boot");
  await bootServer();
  const { mode } = await import("./inngest/client");
  if (mode === "local") {
    const { getEnv } = await import("./lib/env");
    // With a Postgres server the relay gets a thread of its own (inngest/relay-thread.ts).
    if (getEnv().DATABASE_URL) {
      const { startRelayThread } = await import("./inngest/relay-thread");
      startRelayThread({ cronIntervalMs: getEnv().DELIVERY_SWEEP_INTERVAL_MS });
    } else {
      const { startLocalDriver } = await import("./inngest/local-driver");
      startLocalDriver({ cronIntervalMs: getEnv().DELIVERY_SWEEP_INTERVAL_MS });
    }
    console.log("[postline] outgoing dispatch: embedded local driver (no Inngest server configured).");
  }
}
