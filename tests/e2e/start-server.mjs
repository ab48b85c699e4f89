// Starts the production build for the end-to-end tests on a fresh embedded database with the demo data.
import { spawn, spawnSync } from "node:child_process";
import { rmSync } from "node:fs";

const port = process.env.E2E_PORT ?? "3100";
const dataDir = ".data/e2e";
rmSync(dataDir, { recursive: true, force: true });

const env = {
  ...process.env,
  DATABASE_URL: "",
  PGLITE_DIR: dataDir,
  SEED_DEMO: "1",
  AUTH_SECRET: "e2e-secret-of-sufficient-length-0123456789",
  NEXT_TELEMETRY_DISABLED: "1",
  // One long-running machine with no Inngest: the embedded dispatcher, asked for explicitly.
  POSTLINE_DISPATCH: "local",
  // The trackers the tests stand up listen on loopback.
  POSTBACK_ALLOWED_ADDRESSES: "127.0.0.1",
  POSTBACK_ALLOWED_ADDRESSES_IN_PRODUCTION: "1",
  DELIVERY_RETRY_SCHEDULE: "0,1s,2s",
  DELIVERY_SWEEP_GRACE_MS: "1000",
  DELIVERY_SWEEP_INTERVAL_MS: "1000",
  // Streams end every 3 s, so the tests see pages resume from their cursor.
  LOG_STREAM_SECONDS: "3",
  INNGEST_DEV: "",
  INNGEST_EVENT_KEY: "",
  INNGEST_SIGNING_KEY: "",
};

if (process.env.E2E_SKIP_BUILD !== "1") {
  // Under `npm test`, tsc has just checked every file (package.json): the build need not again.
  const typesChecked = process.env.npm_lifecycle_event === "test" ? { POSTLINE_TYPES_CHECKED: "1" } : {};
  const build = spawnSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], { stdio: "inherit", env: { ...env, ...typesChecked } });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
// `node …/next start` directly (not through npx), so a signal to this script reaches the server itself.
const server = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", port, "-H", "127.0.0.1"], { stdio: "inherit", env });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
