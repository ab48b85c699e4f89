export async function register() {
  // Node only: the database and the boot checks have no place in an edge runtime.
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { bootServer } = await import("./lib/platform/boot");
  await bootServer();
  // The one dispatcher of this process, chosen once.
  const { installDispatcher } = await import("./lib/outgoing/dispatcher");
  const { inngestConfigured } = await import("./inngest/mode");
  if (inngestConfigured()) {
    const { createInngestDispatcher } = await import("./inngest/dispatcher");
    installDispatcher(createInngestDispatcher());
    console.log("[postline] outgoing dispatch: Inngest.");
    return;
  }
  const { startEmbeddedDispatcher } = await import("./lib/outgoing/embedded-dispatcher");
  const { dispatchSettingsFromEnv } = await import("./lib/outgoing/delivery-attempts");
  const { sweepSettingsFromEnv } = await import("./lib/outgoing/deliveries");
  const { getDb } = await import("./lib/platform/database");
  const { getEnv } = await import("./lib/platform/env");
  const { retentionSettingsFromEnv } = await import("./lib/platform/retention");
  installDispatcher(
    startEmbeddedDispatcher({
      db: getDb(),
      settings: dispatchSettingsFromEnv(),
      sweep: { ...sweepSettingsFromEnv(), intervalMs: getEnv().DELIVERY_SWEEP_INTERVAL_MS },
      retention: { settings: retentionSettingsFromEnv(), intervalMs: 3_600_000 },
    }),
  );
  console.log("[postline] outgoing dispatch: embedded (no Inngest server configured).");
}
