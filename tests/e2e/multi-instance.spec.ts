import { expect, test } from "@playwright/test";
import { eq } from "drizzle-orm";
import { createDatabase } from "@/db/client";
import { incomingEndpoints, outgoingPostbacks } from "@/db/schema";
import { DEMO, DEMO_ACCOUNTS, DEMO_PASSWORD } from "@/lib/demo/seed";
import { type NextServer, startNextServer, waitUntilUp } from "../helpers/next-server";
import { createServerDatabase } from "../helpers/test-db";
import { startTracker } from "../helpers/tracker";

// The production build on a real Postgres: the embedded dispatcher, and two instances sharing one
// database, as on a serverless host. .ci/run runs this file with DATABASE_URL set.
const serverUrl = process.env.DATABASE_URL;
test.skip(!serverUrl, "needs DATABASE_URL (a Postgres server)");

/** A fresh database on the server, and the production settings of an app on it with the embedded relay. */
async function freshDatabase(prefix: string, settings: Record<string, string>) {
  const { url, drop } = await createServerDatabase(serverUrl!, prefix);
  const env = {
    DATABASE_URL: url,
    AUTH_SECRET: "e2e-secret-of-sufficient-length-0123456789",
    SEED_DEMO: "1",
    POSTLINE_DISPATCH: "local",
    POSTBACK_ALLOWED_ADDRESSES: "127.0.0.1",
    POSTBACK_ALLOWED_ADDRESSES_IN_PRODUCTION: "1",
    INNGEST_DEV: "",
    INNGEST_EVENT_KEY: "",
    INNGEST_SIGNING_KEY: "",
    ...settings,
  };
  return { env, drop };
}

test("with Postgres the embedded dispatcher delivers each postback's wake-up at once, a burst of them included", async () => {
  test.setTimeout(120_000);
  // The sweeper would wake these only after ten minutes: whatever arrives sooner came through
  // the wake-ups each postback handed to the dispatcher.
  const { env, drop } = await freshDatabase("postline_relay", { DELIVERY_SWEEP_GRACE_MS: "600000" });
  const tracker = await startTracker([200]);
  const server = startNextServer(3196, env);
  try {
    const base = "http://127.0.0.1:3196";
    await waitUntilUp(base);
    const setup = createDatabase({ url: env.DATABASE_URL });
    await setup.db.update(incomingEndpoints).set({ rateLimitPerMinute: 1000 }).where(eq(incomingEndpoints.id, DEMO.endpointId));
    await setup.db.update(outgoingPostbacks).set({ urlTemplate: `${tracker.url}/thread?cid={click_id}` }).where(eq(outgoingPostbacks.id, DEMO.postbackId));
    await setup.close();

    const clickIds: string[] = [];
    for (let i = 0; i < 30; i++) {
      const click = await fetch(`${base}/c/${DEMO.trackingLinkCode}`, { redirect: "manual" });
      clickIds.push(new URL(click.headers.get("location")!).searchParams.get("click_id")!);
    }
    // All at once: a burst of answers and their wake-ups.
    const answers = await Promise.all(
      clickIds.map((clickId) => fetch(`${base}/api/postback/${DEMO.endpointId}?token=${DEMO.endpointSecret}&click_id=${clickId}&status=sale`).then((r) => r.json())),
    );
    expect(answers.map((a) => a.result)).toEqual(clickIds.map(() => "accepted"));
    await expect.poll(() => new Set(tracker.received.map((r) => new URL(r.url, "http://x").searchParams.get("cid"))).size, { timeout: 15_000 }).toBe(30);
    expect(new Set(tracker.received.map((r) => r.headers["webhook-id"])).size).toBe(30);
    expect(server.output()).toContain("outgoing dispatch: embedded");
  } finally {
    await server.kill();
    await tracker.close();
    await drop();
  }
});

test("two instances on one Postgres share the rate limit and the logs, and carry out each delivery once", async ({ browser }) => {
  test.setTimeout(180_000);
  // Both sweepers run often and wake anything a moment overdue, so they compete for the same rows.
  const { env, drop } = await freshDatabase("postline_multi", { DELIVERY_SWEEP_GRACE_MS: "0", DELIVERY_SWEEP_INTERVAL_MS: "200" });
  const tracker = await startTracker([{ status: 200, delayMs: 20 }]);
  const servers: NextServer[] = [];
  try {
    // The first start migrates and seeds; the second finds it done.
    servers.push(startNextServer(3194, env));
    await waitUntilUp("http://127.0.0.1:3194");
    servers.push(startNextServer(3195, env));
    await waitUntilUp("http://127.0.0.1:3195");
    const [a, b] = ["http://127.0.0.1:3194", "http://127.0.0.1:3195"];

    const setup = createDatabase({ url: env.DATABASE_URL });
    await setup.db.update(incomingEndpoints).set({ rateLimitPerMinute: 1000 }).where(eq(incomingEndpoints.id, DEMO.endpointId));
    await setup.db.update(outgoingPostbacks).set({ urlTemplate: `${tracker.url}/multi?cid={click_id}&s={status}` }).where(eq(outgoingPostbacks.id, DEMO.postbackId));

    // The log page is open on instance B.
    const page = await (await browser.newContext({ baseURL: b })).newPage();
    await page.goto("/login");
    await page.getByLabel("Email").fill(DEMO_ACCOUNTS.find((x) => x.role === "network")!.email);
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/network$/);
    await page.goto("/network/logs?tab=incoming");
    await expect(page.getByTestId("stream-state")).toContainText("Live");

    // Conversions through both instances, alternating; the wake-ups and both sweepers race.
    const clickIds: string[] = [];
    for (let i = 0; i < 20; i++) {
      const base = i % 2 === 0 ? a : b;
      const click = await fetch(`${base}/c/${DEMO.trackingLinkCode}`, { redirect: "manual" });
      const clickId = new URL(click.headers.get("location")!).searchParams.get("click_id")!;
      clickIds.push(clickId);
      const answer = await fetch(`${i % 2 === 0 ? b : a}/api/postback/${DEMO.endpointId}?token=${DEMO.endpointSecret}&click_id=${clickId}&status=sale`);
      expect((await answer.json()).result).toBe("accepted");
    }
    // A row written through instance A shows on B's open page without a reload.
    await expect(page.getByTestId("incoming-log").locator("tr", { hasText: clickIds[1] })).toBeVisible({ timeout: 10_000 });

    await expect.poll(() => new Set(tracker.received.map((r) => r.headers["webhook-id"])).size, { timeout: 30_000 }).toBe(20);
    await new Promise((r) => setTimeout(r, 2000)); // let any duplicate run show itself
    const ids = tracker.received.map((r) => r.headers["webhook-id"]);
    expect(ids).toHaveLength(20);
    expect(new Set(ids).size).toBe(20);

    // The rate limit is one count across both instances.
    await setup.db.update(incomingEndpoints).set({ rateLimitPerMinute: 5 }).where(eq(incomingEndpoints.id, DEMO.endpointId));
    await new Promise((r) => setTimeout(r, 5500)); // past the endpoint cache
    // The limit counts per minute: do not let the burst straddle two windows.
    const toNextMinute = 60_000 - (Date.now() % 60_000);
    if (toNextMinute < 3000) await new Promise((r) => setTimeout(r, toNextMinute + 100));
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const response = await fetch(`${i % 2 === 0 ? a : b}/api/postback/${DEMO.endpointId}?token=${DEMO.endpointSecret}&click_id=${clickIds[0]}&status=sale`, { headers: { "x-forwarded-for": "198.51.100.77" } });
      statuses.push(response.status);
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(3);
    await setup.close();
  } finally {
    for (const server of servers) await server.kill();
    await tracker.close();
    await drop();
  }
});
