import { spawn } from "node:child_process";
import { expect, test } from "@playwright/test";

/** Starts the production build with the given settings and collects what it printed until it exits. */
function startProduction(env: Record<string, string | undefined>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn("npx", ["next", "start", "-p", "3198", "-H", "127.0.0.1"], {
      env: { ...process.env, DATABASE_URL: "", PGLITE_DIR: ".data/e2e-refusal", ...env },
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

test("production refuses to start without AUTH_SECRET and says what to set", async () => {
  const { code, output } = await startProduction({ AUTH_SECRET: undefined });
  expect(code).toBe(1);
  expect(output).toContain("refusing to start in production");
  expect(output).toContain("AUTH_SECRET is not set");
});
