import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";

const NEXT_BIN = path.join(process.cwd(), "node_modules", "next", "dist", "bin", "next");

export type NextServer = {
  process: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
  /** Kills the server's whole process group (Next may run its server in a child process). */
  kill(signal?: NodeJS.Signals): Promise<number | null>;
};

/** `next start` of the production build, in its own process group so that a kill reaches every process of it. */
export function startNextServer(port: number, env: Record<string, string | undefined>): NextServer {
  const child = spawn(process.execPath, [NEXT_BIN, "start", "-p", String(port), "-H", "127.0.0.1"], {
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...env } as NodeJS.ProcessEnv,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    process: child,
    output: () => output,
    exited,
    async kill(signal = "SIGKILL") {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        // already gone
      }
      return exited;
    },
  };
}

export async function waitUntilUp(baseUrl: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${baseUrl}/login`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${baseUrl} did not come up within ${timeoutMs} ms`);
}

/**
 * The production build on its own embedded database under `dataDir`, with the embedded
 * dispatcher (no Inngest), the loopback trackers let through the SSRF guard, and a quick sweep.
 */
export function startEmbeddedServer(port: number, dataDir: string, extra: Record<string, string> = {}): NextServer {
  return startNextServer(port, {
    DATABASE_URL: "",
    PGLITE_DIR: dataDir,
    AUTH_SECRET: "e2e-secret-of-sufficient-length-0123456789",
    POSTLINE_DISPATCH: "local",
    POSTBACK_ALLOWED_ADDRESSES: "127.0.0.1",
    POSTBACK_ALLOWED_ADDRESSES_IN_PRODUCTION: "1",
    DELIVERY_SWEEP_GRACE_MS: "500",
    DELIVERY_SWEEP_INTERVAL_MS: "500",
    INNGEST_DEV: "",
    INNGEST_EVENT_KEY: "",
    INNGEST_SIGNING_KEY: "",
    ...extra,
  });
}

/** Reads `read()` until `done` holds or `timeoutMs` passes, and returns the last value read. */
export async function waitFor<T>(read: () => T | Promise<T>, done: (value: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}
