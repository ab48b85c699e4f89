import { type APIRequestContext, type Browser, expect, type Page, test } from "@playwright/test";
import { DEMO } from "@/lib/demo/seed";
import { type DemoRole, signInWithForm } from "./helpers";

async function signedIn(browser: Browser, role: DemoRole): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signInWithForm(page, role);
  return page;
}

/** A click on the demo link and the merchant's postback for it: an approved conversion. */
async function demoConversion(request: APIRequestContext, tag: string) {
  const click = await request.get(`/c/${DEMO.trackingLinkCode}?aff_click_id=${tag}`, { maxRedirects: 0 });
  const clickId = new URL(click.headers().location).searchParams.get("click_id")!;
  const answer = await request.get(`/api/postback/${DEMO.endpointId}?token=${DEMO.endpointSecret}&click_id=${clickId}&txid=${tag}-${Date.now()}&status=sale`);
  expect(await answer.json()).toMatchObject({ ok: true, result: "accepted" });
  return clickId;
}

const VIEWPORTS = [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
];

async function expectNoPageOverflow(page: Page, what: string) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
  expect(scrollWidth, `${what} is ${scrollWidth}px wide in a ${innerWidth}px window`).toBeLessThanOrEqual(innerWidth);
}

test("the demo's first relay lands in the built-in receiver, and the network reads it, masked, in its Logs", async ({ browser, request }) => {
  const clickId = await demoConversion(request, "first-look");
  const affiliate = await signedIn(browser, "affiliate");
  await affiliate.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Demo receiver" }).click();
  await expect(affiliate.getByTestId("demo-receiver-url")).toHaveText(`https://demo-receiver.invalid/${DEMO.affiliateId}`);
  await expect(async () => {
    await affiliate.reload();
    await expect(affiliate.getByText(/subid=first-look&status=approved&payout=12\.50/)).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 15_000 });
  await affiliate.screenshot({ path: "tests/e2e/screenshots/affiliate-demo-receiver.png", fullPage: true });

  await affiliate.goto("/affiliate/logs");
  await expect(affiliate.getByTestId("outgoing-log").locator("tr", { hasText: clickId })).toContainText("delivered");

  const network = await signedIn(browser, "network");
  await network.goto(`/network/logs?tab=outgoing&q=${clickId}`);
  const row = network.getByTestId("outgoing-log").locator("tr", { hasText: clickId }).filter({ hasText: "Demo receiver" });
  await expect(row).toContainText("Bright Media's");
  await expect(row).toContainText("delivered");
  await row.click();
  const drawer = network.getByRole("dialog", { name: "Log entry" });
  await expect(drawer).toContainText("shown read-only");
  await expect(drawer).toContainText("Attempt 1");
  await expect(drawer.getByRole("button", { name: /Replay|Retry now/ })).toHaveCount(0);
  // Its detail by id is the network's to read; another party's (the merchant's) is not found.
  const id = await row.getAttribute("data-row-id");
  expect((await network.request.get(`/api/logs/outgoing/${id}`)).status()).toBe(200);
  const merchant = await signedIn(browser, "merchant");
  expect((await merchant.request.get(`/api/logs/outgoing/${id}`)).status()).toBe(404);
});

test("Network → Conversions: the Change control fits at 1280 px and on a phone, and asks before it sends", async ({ browser, request }) => {
  const clickId = await demoConversion(request, "change-me");
  const network = await signedIn(browser, "network");
  for (const viewport of VIEWPORTS) {
    await network.setViewportSize(viewport);
    await network.goto("/network/conversions");
    await expectNoPageOverflow(network, `Conversions at ${viewport.width}px`);
    const change = network.locator(`tr[data-click-id="${clickId}"]`).getByRole("button", { name: "Change" });
    await expect(change).toBeInViewport();
    const card = await network.locator("section", { has: change }).boundingBox();
    const button = await change.boundingBox();
    expect(button!.x + button!.width).toBeLessThanOrEqual(card!.x + card!.width);
    expect(button!.x).toBeGreaterThanOrEqual(card!.x);
  }
  await network.setViewportSize(VIEWPORTS[0]);

  const row = network.locator(`tr[data-click-id="${clickId}"]`);
  await row.getByLabel("New status").selectOption("rejected");
  await row.getByRole("button", { name: "Change" }).click();
  const dialog = network.getByRole("dialog", { name: "Change to rejected?" });
  await expect(dialog).toContainText(/This sends \d+ postbacks?: .*to “Demo receiver” \(Bright Media's\)/);
  await network.screenshot({ path: "tests/e2e/screenshots/network-conversions-confirm.png" });
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  await network.reload();
  await expect(row).toContainText("approved");

  await row.getByLabel("New status").selectOption("rejected");
  await row.getByRole("button", { name: "Change" }).click();
  await network.getByRole("dialog", { name: "Change to rejected?" }).getByRole("button", { name: "Change to rejected" }).click();
  await expect(row).toContainText("rejected");
  await expect(row).toContainText("final");
});

test("wide pages fit the window at 1280 px and on a phone: tables scroll inside their cards", async ({ browser }) => {
  const pages: [DemoRole, string][] = [
    ["merchant", "/merchant/conversions"],
    ["network", "/network/stats"],
    ["affiliate", "/affiliate/stats"],
    ["admin", "/admin/health"],
    ["admin", "/admin/users"],
  ];
  const signedInAs = new Map<DemoRole, Page>();
  for (const [role, path] of pages) {
    if (!signedInAs.has(role)) signedInAs.set(role, await signedIn(browser, role));
    const page = signedInAs.get(role)!;
    for (const viewport of VIEWPORTS) {
      await page.setViewportSize(viewport);
      await page.goto(path);
      await expect(page.locator("main h1")).toBeVisible();
      await expectNoPageOverflow(page, `${path} at ${viewport.width}px`);
    }
  }
});

/** A calendar day as the stats page writes it in a language (the day itself, not shifted by a zone). */
const dayIn = (locale: string, day: string) => new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" }).format(new Date(`${day}T00:00:00Z`));

test("Stats: a date range in the URL, charts with axes and values on hover, and a range it cannot show said", async ({ browser, request }) => {
  await demoConversion(request, "stats");
  const affiliate = await signedIn(browser, "affiliate");
  const today = new Date().toISOString().slice(0, 10);
  const weekAgo = new Date(Date.now() - 6 * 86_400_000).toISOString().slice(0, 10);
  await affiliate.goto(`/affiliate/stats?from=${weekAgo}&to=${today}`);
  await expect(affiliate.getByText(`${dayIn("en", weekAgo)} to ${dayIn("en", today)} (7 days)`)).toBeVisible();
  await expect(affiliate.getByLabel("From")).toHaveValue(weekAgo);

  const chart = affiliate.getByRole("figure", { name: /^Clicks per day:/ });
  // One label per day along the bottom; counts up the side.
  await expect(chart.locator(".recharts-xAxis-tick-labels text")).toHaveCount(7);
  await expect(chart.locator(".recharts-yAxis-tick-labels text").first()).toHaveText("0");
  await chart.locator(".recharts-bar-rectangle").last().hover();
  await expect(chart.locator(".recharts-tooltip-wrapper")).toContainText(/Clicks per day\s*:\s*[1-9]/);
  await affiliate.screenshot({ path: "tests/e2e/screenshots/affiliate-stats.png", fullPage: true });

  await affiliate.getByRole("link", { name: "30 days" }).click();
  await expect(affiliate.getByText(/\(30 days\)/)).toBeVisible();

  await affiliate.goto("/affiliate/stats?from=2020-01-01&to=2022-01-01");
  await expect(affiliate.getByRole("form", { name: "Date range" }).getByRole("alert")).toContainText("Pick at most 366 days.");
  await expect(affiliate.getByLabel("From")).toHaveAttribute("aria-invalid", "true");
});

test("Stats in Russian and Japanese: every label from the catalogue, days and counts in the reader's terms", async ({ browser }) => {
  const affiliate = await signedIn(browser, "affiliate");
  const today = new Date().toISOString().slice(0, 10);
  const weekAgo = new Date(Date.now() - 6 * 86_400_000).toISOString().slice(0, 10);
  await affiliate.goto(`/affiliate/stats?from=${weekAgo}&to=${today}`);
  try {
    await affiliate.getByTestId("locale-switch").selectOption("ru");
    await expect(affiliate.locator("html")).toHaveAttribute("lang", "ru");
    await expect(affiliate.getByRole("heading", { level: 1 })).toHaveText("Статистика");
    await expect(affiliate.getByText(`С ${dayIn("ru", weekAgo)} по ${dayIn("ru", today)} (7 дней)`, { exact: false })).toBeVisible();
    await expect(affiliate.getByRole("figure", { name: /^Клики по дням:/ })).toBeVisible();
    await expect(affiliate.getByRole("form", { name: "Период" }).getByLabel("С", { exact: true })).toHaveValue(weekAgo);
    const shown = await affiliate.locator("main").innerText();
    for (const english of ["Clicks per day", "Per goal", "Payout (approved)", "Date range", "No traffic in this period", "days"]) expect(shown, english).not.toContain(english);

    await affiliate.getByTestId("locale-switch").selectOption("ja");
    await expect(affiliate.locator("html")).toHaveAttribute("lang", "ja");
    await expect(affiliate.getByRole("heading", { level: 1 })).toHaveText("レポート");
    await affiliate.getByRole("link", { name: "30 日間" }).click();
    await expect(affiliate.getByText(/（30 日間）/)).toBeVisible();
    await affiliate.screenshot({ path: "tests/e2e/screenshots/affiliate-stats-ja.png", fullPage: true });
  } finally {
    // The profile keeps the language: the other specs read this user's pages in English.
    await affiliate.getByTestId("locale-switch").selectOption("en");
    await expect(affiliate.locator("html")).toHaveAttribute("lang", "en");
  }
});
