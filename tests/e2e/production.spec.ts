import { rmSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { canonicalJson, inngestSignature } from "../helpers/inngest-signature";
import { startNextServer, waitUntilUp } from "../helpers/next-server";
import { signInWithForm } from "./helpers";

const SECRET = "e2e-secret-of-sufficient-length-0123456789";

/** Starts the production build with these settings and waits for it to exit on its own. */
async function refusedStart(env: Record<string, string | undefined>) {
  const server = startNextServer(3198, { DATABASE_URL: "", PGLITE_DIR: ".data/e2e-refusal", INNGEST_DEV: "", INNGEST_EVENT_KEY: "", INNGEST_SIGNING_KEY: "", POSTBACK_ALLOWED_ADDRESSES: "", ...env });
  const timer = setTimeout(() => void server.kill(), 30_000);
  const code = await server.exited;
  clearTimeout(timer);
  await server.kill();
  return { code, output: server.output() };
}

const refusals: [string, Record<string, string | undefined>, string][] = [
  ["without AUTH_SECRET", { AUTH_SECRET: undefined, POSTLINE_DISPATCH: "local" }, "AUTH_SECRET is not set"],
  ["on a serverless host without DATABASE_URL", { AUTH_SECRET: SECRET, VERCEL: "1", INNGEST_EVENT_KEY: "e", INNGEST_SIGNING_KEY: "signkey-prod-00" }, "DATABASE_URL is not set"],
  ["without Inngest keys, unless the embedded dispatcher is asked for", { AUTH_SECRET: SECRET }, "INNGEST_EVENT_KEY and INNGEST_SIGNING_KEY are not set"],
  ["with an AUTH_SECRET shorter than 16 characters", { AUTH_SECRET: "short", POSTLINE_DISPATCH: "local" }, "AUTH_SECRET: shorter than 16 characters"],
  ["with a malformed DATABASE_URL", { AUTH_SECRET: SECRET, POSTLINE_DISPATCH: "local", DATABASE_URL: "postgres//db:5432/postline" }, "DATABASE_URL: not a Postgres URL"],
  ["with the SSRF allow-list opened and not acknowledged", { AUTH_SECRET: SECRET, POSTLINE_DISPATCH: "local", POSTBACK_ALLOWED_ADDRESSES: "10.0.0.0/8" }, "POSTBACK_ALLOWED_ADDRESSES opens the SSRF guard"],
];

for (const [label, env, message] of refusals) {
  test(`production refuses to start ${label}, saying what to set`, async () => {
    const { code, output } = await refusedStart(env);
    expect(code).toBe(1);
    expect(output).toContain("refusing to start in production");
    expect(output).toContain(message);
  });
}

test("a log stream its reader closes, or that ends, prints nothing in the server's output", async ({ browser }) => {
  rmSync(".data/e2e-stream", { recursive: true, force: true });
  const server = startNextServer(3194, { DATABASE_URL: "", PGLITE_DIR: ".data/e2e-stream", AUTH_SECRET: SECRET, SEED_DEMO: "1", POSTLINE_DISPATCH: "local", LOG_STREAM_SECONDS: "2", INNGEST_DEV: "", INNGEST_EVENT_KEY: "", INNGEST_SIGNING_KEY: "", POSTBACK_ALLOWED_ADDRESSES: "" });
  const context = await browser.newContext({ baseURL: "http://127.0.0.1:3194" });
  try {
    await waitUntilUp("http://127.0.0.1:3194");
    const page = await context.newPage();
    await signInWithForm(page, "network");
    const seen = await page.evaluate(async () => {
      const chunks: number[] = [];
      // Closed mid-stream, as a closed tab or a new filter does.
      for (const kind of ["incoming", "outgoing", "incoming"]) {
        const controller = new AbortController();
        const reader = (await fetch(`/api/logs/${kind}/stream`, { signal: controller.signal })).body!.getReader();
        chunks.push((await reader.read()).value?.length ?? 0);
        await new Promise((resolve) => setTimeout(resolve, 700));
        controller.abort();
      }
      // Read to its own end.
      const text = await (await fetch("/api/logs/incoming/stream")).text();
      return { chunks, ended: text.includes("event: end") };
    });
    expect(seen.chunks.every((length) => length > 0)).toBe(true);
    expect(seen.ended).toBe(true);
    await page.waitForTimeout(1500);
    expect(server.output()).not.toMatch(/Controller is already closed|log stream stopped|Invalid state/);
  } finally {
    await context.close();
    await server.kill();
  }
});

test("with Inngest keys, /api/inngest refuses an unsigned or wrongly signed call and accepts a signed one", async () => {
  const signingKey = "signkey-prod-0123456789abcdef0123456789abcdef";
  const server = startNextServer(3196, { DATABASE_URL: "", PGLITE_DIR: ".data/e2e-inngest", AUTH_SECRET: SECRET, INNGEST_EVENT_KEY: "e2e-event-key", INNGEST_SIGNING_KEY: signingKey, INNGEST_DEV: "", POSTBACK_ALLOWED_ADDRESSES: "" });
  try {
    await waitUntilUp("http://127.0.0.1:3196");
    const body = canonicalJson({
      version: 2,
      event: { name: "inngest/scheduled.timer", data: { cron: "* * * * *" }, id: "e2e-tick", ts: Date.now() },
      events: [],
      steps: {},
      ctx: { run_id: "e2e-run", attempt: 0, max_attempts: 1 },
    });
    const url = "http://127.0.0.1:3196/api/inngest?fnId=postline-sweep-deliveries&stepId=step";
    const post = (headers: Record<string, string>) => fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
    expect((await post({})).status).toBe(401);
    expect((await post({ "x-inngest-signature": inngestSignature(body, "signkey-prod-ffffffffffffffffffffffffffffffff") })).status).toBe(401);
    const signed = await post({ "x-inngest-signature": inngestSignature(body, signingKey) });
    expect([200, 206]).toContain(signed.status);
    expect(server.output()).toContain("refused an Inngest call");
  } finally {
    await server.kill();
  }
});

test("the client bundles carry no server secret", async () => {
  const { readdirSync, readFileSync, statSync } = await import("node:fs");
  const { join } = await import("node:path");
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (path.endsWith(".js")) files.push(path);
    }
  };
  walk(".next/static");
  expect(files.length).toBeGreaterThan(0);
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    // The e2e build's AUTH_SECRET, any database URL, the server-only modules' markers.
    for (const secret of [SECRET, "postgres://", "signkey-", "password_hash", "secret_hash"]) {
      expect(text.includes(secret), `${secret} in ${file}`).toBe(false);
    }
  }
});
