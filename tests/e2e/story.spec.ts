import { type Browser, expect, type Page, test } from "@playwright/test";
import { DEMO } from "@/lib/demo/seed";
import { startTracker, type Tracker } from "../helpers/tracker";
import { type DemoRole, signInWithForm } from "./helpers";

let tracker: Tracker;
test.beforeAll(async () => {
  tracker = await startTracker([{ status: 200, body: "OK" }]);
});
test.afterAll(() => tracker.close());

async function signedIn(browser: Browser, role: DemoRole): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signInWithForm(page, role);
  await expect(page.getByTestId("signed-in-as")).toBeVisible();
  return page;
}

test("the whole story: a click, the merchant's postback, the relay showing up live in each party's logs", async ({ browser, request }) => {
  const affiliate = await signedIn(browser, "affiliate");
  // Point the demo postback at the local tracker, through the edit form.
  await affiliate.goto(`/affiliate/postbacks/${DEMO.postbackId}`);
  await affiliate.getByLabel("Postback URL").fill(`${tracker.url}/kt?subid={aff_click_id}&status={status}&payout={payout}`);
  await affiliate.getByRole("button", { name: "Save" }).click();
  await expect(affiliate).toHaveURL(/\/affiliate\/postbacks$/);

  await affiliate.goto("/affiliate/logs");
  await expect(affiliate.getByTestId("stream-state")).toContainText("Live");

  const click = await request.get(`/c/${DEMO.trackingLinkCode}?aff_click_id=story-1`, { maxRedirects: 0 });
  const clickId = new URL(click.headers().location).searchParams.get("click_id")!;
  const txid = `STORY-${Date.now()}`;
  const postback = await request.get(`/api/postback/${DEMO.endpointId}?token=${DEMO.endpointSecret}&click_id=${clickId}&txid=${txid}&status=sale&payout=9.99`);
  expect(await postback.json()).toMatchObject({ ok: true, result: "accepted" });

  // The affiliate's open Logs page shows the delivery without a reload, and it lands.
  // (Other tests' postbacks may relay the same conversion: look at the demo postback's row.)
  const row = affiliate.getByTestId("outgoing-log").locator("tr", { hasText: clickId }).filter({ hasText: "Demo receiver" });
  await expect(row).toBeVisible({ timeout: 10_000 });
  await expect(row).toContainText("delivered", { timeout: 10_000 });
  expect(tracker.received.some((r) => r.url === "/kt?subid=story-1&status=approved&payout=9.99")).toBe(true);
  await row.click();
  const drawer = affiliate.getByRole("dialog", { name: "Log entry" });
  await expect(drawer).toContainText("Attempt 1");
  await expect(drawer).toContainText(`GET ${tracker.url}/kt?subid=story-1&status=approved&payout=9.99`);
  await expect(drawer).toContainText("webhook-id:");
  await affiliate.screenshot({ path: "tests/e2e/screenshots/affiliate-logs.png", fullPage: true });
  await affiliate.getByRole("button", { name: "Close" }).click();

  // Streams end every few seconds here (LOG_STREAM_SECONDS=3); after one has, the page has resumed and still sees new rows.
  await affiliate.waitForTimeout(4000);
  const laterClick = await request.get(`/c/${DEMO.trackingLinkCode}?aff_click_id=story-2`, { maxRedirects: 0 });
  const laterClickId = new URL(laterClick.headers().location).searchParams.get("click_id")!;
  await request.get(`/api/postback/${DEMO.endpointId}?token=${DEMO.endpointSecret}&click_id=${laterClickId}&txid=LATER-${Date.now()}&status=sale`);
  await expect(affiliate.getByTestId("outgoing-log").locator("tr", { hasText: laterClickId }).filter({ hasText: "Demo receiver" })).toBeVisible({ timeout: 10_000 });

  await affiliate.goto("/affiliate/stats");
  await expect(affiliate.getByRole("figure", { name: /^Clicks per day:/ })).toBeVisible();

  // The network sees the incoming request and the outgoing delivery.
  const network = await signedIn(browser, "network");
  await network.goto(`/network/logs?tab=incoming&q=${clickId}`);
  await expect(network.getByTestId("incoming-log").locator("tr", { hasText: clickId })).toContainText("accepted");
  await network.screenshot({ path: "tests/e2e/screenshots/network-logs.png", fullPage: true });
  await network.goto(`/network/logs?tab=outgoing`);
  await expect(network.getByTestId("stream-state")).toContainText("Live");

  // The network changes the status by hand; the affiliate's tracker hears of it like any other event.
  await network.goto("/network/conversions");
  const conversion = network.locator(`tr[data-click-id="${clickId}"]`);
  await expect(conversion).toContainText("approved");
  await conversion.getByLabel("New status").selectOption("rejected");
  await conversion.getByRole("button", { name: "Change" }).click();
  await network.getByRole("dialog", { name: "Change to rejected?" }).getByRole("button", { name: "Change to rejected" }).click();
  await expect(conversion).toContainText("rejected");
  await expect.poll(() => tracker.received.some((r) => r.url === "/kt?subid=story-1&status=rejected&payout=9.99"), { timeout: 10_000 }).toBe(true);
  await network.screenshot({ path: "tests/e2e/screenshots/network-conversions.png", fullPage: true });

  // The merchant sees what it sent.
  const merchant = await signedIn(browser, "merchant");
  await merchant.goto(`/merchant/logs?tab=incoming`);
  await expect(merchant.getByTestId("incoming-log").locator("tr", { hasText: txid })).toBeVisible();
  await merchant.screenshot({ path: "tests/e2e/screenshots/merchant-logs.png", fullPage: true });

  // CSV export carries the filtered rows.
  const csv = await network.request.get(`/api/logs/incoming?q=${clickId}&format=csv`);
  expect(csv.headers()["content-type"]).toContain("text/csv");
  const lines = (await csv.text()).split("\r\n");
  expect(lines[0]).toContain("clickId");
  expect(lines.slice(1).every((l) => l.includes(clickId))).toBe(true);
});

test("log rows, streams and details of another organization are not readable", async ({ browser }) => {
  const affiliate = await signedIn(browser, "affiliate");
  const incoming = await affiliate.request.get("/api/logs/incoming");
  expect((await incoming.json()).rows).toEqual([]);
  const foreign = await affiliate.request.get("/api/logs/outgoing/dlv_not_yours");
  expect(foreign.status()).toBe(404);
  const anonymous = await (await browser.newContext()).request.get("/api/logs/outgoing");
  expect(anonymous.status()).toBe(401);
});

test("a burst on an open Logs page: the newest rows show, and the page says how many more came and offers a reload", async ({ browser, request }) => {
  const network = await signedIn(browser, "network");
  // The page's stream connects only after the burst, so it resumes from the page's load over all of it at once.
  let burstSent = () => {};
  const burst = new Promise<void>((resolve) => (burstSent = resolve));
  let streamAsked = () => {};
  const asked = new Promise<void>((resolve) => (streamAsked = resolve));
  await network.route("**/api/logs/incoming/stream**", async (route) => {
    streamAsked();
    await burst;
    await route.continue();
  });
  await network.goto("/network/logs?tab=incoming");
  await asked;
  // 150 unknown clicks, from an address of their own (its own rate-limit window): 150 log rows.
  const headers = { "x-forwarded-for": "198.51.100.7" };
  const sent = await Promise.all(
    Array.from({ length: 150 }, (_, i) => request.get(`/api/postback/${DEMO.endpointId}?token=${DEMO.endpointSecret}&click_id=burst-${i}&status=sale`, { headers })),
  );
  expect(sent.map((r) => r.status())).toEqual(Array(150).fill(404));
  burstSent();
  const notice = network.getByTestId("stream-skipped");
  await expect(notice).toContainText(/\d+ rows arrived faster than this page shows live/, { timeout: 10_000 });
  await expect(network.getByTestId("incoming-log").locator("tr", { hasText: "burst-" })).toHaveCount(50);
  await network.unrouteAll();
  // The reload is a whole new page load: on a loaded CI machine it took longer than the default wait.
  await Promise.all([network.waitForEvent("load"), notice.getByRole("button", { name: "Reload to see all" }).click()]);
  await expect(notice).toBeHidden({ timeout: 15_000 });
  await expect(network.getByTestId("incoming-log").locator("tr", { hasText: "burst-" }).first()).toBeVisible();
});
