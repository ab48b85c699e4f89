import { rmSync } from "node:fs";
import { eq } from "drizzle-orm";
import { type Browser, expect, type Page, test } from "@playwright/test";
import { createDatabase } from "@/db/client";
import { offers, outgoingPostbacks } from "@/db/schema";
import { DEMO, DEMO_PASSWORD, seedDemoData } from "@/lib/demo/seed";
import { type NextServer, startEmbeddedServer, waitFor, waitUntilUp } from "../helpers/next-server";
import { startTracker, type Tracker } from "../helpers/tracker";
import { type Catalogue, readCatalogue } from "../helpers/catalogue";
import { demoAccount, type DemoRole } from "./helpers";

/** An amount as a page shows it, not the same digits inside a time stamp ("…:19.190Z") or a longer number. */
const amount = (value: string) => new RegExp(`(?<![\\d.:])${value.replace(".", "\\.")}(?!\\d)`);

const PORT = 3191;
const BASE = `http://127.0.0.1:${PORT}`;
const DATA_DIR = ".data/e2e-timeline";

let server: NextServer;
let affTracker: Tracker;
let merchantServer: Tracker;
let conversionId = "";
let clickId = "";

// The affiliate's tracker answers the lead, fails the approval once, then takes it; the merchant's server takes all.
test.beforeAll(async () => {
  test.setTimeout(120_000);
  affTracker = await startTracker([200, 500, 200]);
  merchantServer = await startTracker([200]);
  rmSync(DATA_DIR, { recursive: true, force: true });
  const setup = createDatabase({ dataDir: DATA_DIR });
  await setup.migrate();
  await seedDemoData(setup.db);
  await setup.db.update(offers).set({ defaultPayout: "7.7700", defaultRevenue: "19.1900" }).where(eq(offers.id, DEMO.offerId));
  await setup.db
    .update(outgoingPostbacks)
    .set({ name: "Bright tracker", statuses: ["lead", "approved"], urlTemplate: `${affTracker.url}/aff-hook?token=AFFSECRET1&subid={aff_click_id}&status={status}&payout={payout}` })
    .where(eq(outgoingPostbacks.id, DEMO.postbackId));
  await setup.db.insert(outgoingPostbacks).values({
    id: "pb_e2e_merchant",
    ownerOrgId: DEMO.networkId,
    recipientOrgId: DEMO.merchantId,
    name: "Acme order hook",
    scope: "offer",
    offerId: DEMO.offerId,
    statuses: ["approved"],
    urlTemplate: `${merchantServer.url}/merchant-hook?cid={click_id}&rev={revenue}&key=MERCHKEY1`,
  });
  await setup.close();
  server = startEmbeddedServer(PORT, DATA_DIR, { DELIVERY_RETRY_SCHEDULE: "0,1s,2s" });
  await waitUntilUp(BASE, 60_000);

  // A click, a lead through the leads API, an approval by the merchant's postback.
  const click = await fetch(`${BASE}/c/${DEMO.trackingLinkCode}?sub1=e2e-sub&clickid=AFF-E2E-1`, { redirect: "manual" });
  clickId = new URL(click.headers.get("location")!).searchParams.get("click_id")!;
  const lead = await fetch(`${BASE}/api/leads`, {
    method: "POST",
    headers: { authorization: `Bearer ${DEMO.affiliateApiKey}`, "content-type": "application/json" },
    body: JSON.stringify({ click_id: clickId, lead_id: "L-E2E-1" }),
  });
  conversionId = ((await lead.json()) as { conversion_id: string }).conversion_id;
  await waitFor(() => affTracker.received.length, (n) => n >= 1, 10_000);
  const sale = await fetch(`${BASE}/api/postback/${DEMO.endpointId}?token=${DEMO.endpointSecret}&click_id=${clickId}&txid=ORD-E2E-1&status=sale`);
  expect(await sale.json()).toMatchObject({ ok: true, result: "accepted", status: "approved" });
  await waitFor(() => affTracker.received.length + merchantServer.received.length, (n) => n >= 4, 15_000);
});

test.afterAll(async () => {
  await server?.kill("SIGKILL");
  await affTracker?.close();
  await merchantServer?.close();
});

async function signedIn(browser: Browser, role: DemoRole, locale?: "ru" | "ja"): Promise<Page> {
  const context = await browser.newContext({ baseURL: BASE, timezoneId: "Asia/Tokyo" });
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByLabel("Email").fill(demoAccount(role).email);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).not.toHaveURL(/\/login/);
  // The demo users have no saved language, so this browser's choice decides.
  if (locale) await context.addCookies([{ name: "NEXT_LOCALE", value: locale, url: BASE }]);
  return page;
}

/** The entries' titles once the last attempt is logged (it is written just after the tracker answers). */
async function titlesWhenSettled(page: Page, attempts: number): Promise<string[]> {
  const read = async () => {
    await page.reload();
    return page.locator("[data-testid=timeline-entry][data-kind=attempt]").count();
  };
  await waitFor(read, (n) => n >= attempts, 10_000);
  return (await page.getByTestId("entry-title").allTextContents()).map((t) => t.replace(/\s+/g, " ").trim());
}

/** Each expected title, found in this order (another party's steps may fall between). */
function expectInOrder(titles: string[], expected: RegExp[]) {
  let from = 0;
  for (const pattern of expected) {
    const at = titles.findIndex((t, i) => i >= from && pattern.test(t));
    expect(at, `${pattern} after position ${from} in:\n${titles.join("\n")}`).toBeGreaterThanOrEqual(from);
    from = at + 1;
  }
}

const STORY = [
  /^Click$/,
  /^Conversion created: lead$/,
  /^Attempt 1 of Bright tracker delivered/,
  /^Merchant's postback accepted/,
  /^Status changed: lead → approved$/,
  /^Attempt 1 of Bright tracker failed/,
  /^Attempt 2 of Bright tracker delivered/,
];

test("the network finds the conversion from its transaction id and reads every step, both parties' postbacks with their secrets masked", async ({ browser }) => {
  const page = await signedIn(browser, "network");
  // From the conversions page's row…
  await page.goto("/network/conversions");
  await page.locator(`tr[data-conversion-id="${conversionId}"]`).getByTestId("timeline-link").click();
  await expect(page).toHaveURL(`${BASE}/network/conversions/${conversionId}`);
  // …and from the search box, by the merchant's transaction id.
  await page.goto("/network");
  await page.getByRole("searchbox", { name: "Click id, transaction id, delivery id or conversion id" }).fill("ORD-E2E-1");
  await page.getByRole("button", { name: "Find", exact: true }).click();
  await expect(page).toHaveURL(`${BASE}/network/conversions/${conversionId}`);
  await expect(page.getByTestId("permalink")).toHaveText(`${BASE}/conversions/${conversionId}`);

  const titles = await titlesWhenSettled(page, 4);
  expectInOrder(titles, STORY);
  expectInOrder(titles, [/^Status changed: lead → approved$/, /^Attempt 1 of Acme order hook delivered/]);
  expect(titles).toHaveLength(8);
  // Times are the reader's (Tokyo here), not UTC.
  await expect(page.locator("time").first()).not.toContainText("UTC");
  await page.screenshot({ path: "tests/e2e/screenshots/network-timeline.png", fullPage: true });

  const html = await page.content();
  expect(html).toContain("/aff-hook?token=••••&amp;subid=AFF-E2E-1&amp;status=approved&amp;payout=7.77");
  expect(html).toContain("/merchant-hook?cid=");
  expect(html).toContain("19.19");
  for (const secret of ["AFFSECRET1", "MERCHKEY1", DEMO.endpointSecret]) expect(html).not.toContain(secret);
});

test("the affiliate finds it from its own tracker's click id and never sees the merchant's requests or the revenue", async ({ browser }) => {
  const page = await signedIn(browser, "affiliate");
  await page.getByRole("searchbox", { name: "Click id, transaction id, delivery id or conversion id" }).fill("AFF-E2E-1");
  await page.getByRole("button", { name: "Find", exact: true }).click();
  await expect(page).toHaveURL(`${BASE}/affiliate/conversions/${conversionId}`);
  const titles = await titlesWhenSettled(page, 3);
  expectInOrder(titles, STORY);
  expect(titles).toHaveLength(7);

  const html = await page.content();
  expect(html).toContain("7.77");
  expect(html).not.toMatch(amount("19.19"));
  for (const hidden of ["merchant-hook", "Acme order hook", "MERCHKEY1", "shop.example.com", DEMO.endpointSecret]) {
    expect(html, hidden).not.toContain(hidden);
  }
  // Labels are looked for in what the page shows: the language catalogue in the page's data holds every word.
  const shown = await page.locator("body").innerText();
  for (const label of ["Revenue", "Parameters (secrets masked)"]) expect(shown, label).not.toContain(label);
  // A conversion that is not the affiliate's answers 404.
  expect((await page.goto(`/affiliate/conversions/conv_not_theirs`))!.status()).toBe(404);

  // The dry run of an edited template: the renamed parameter marked against what was sent, nothing sent.
  const sent = affTracker.received.length;
  await page.goto(`/affiliate/postbacks/${DEMO.postbackId}`);
  await page.getByLabel("Postback URL").fill(`${affTracker.url}/aff-hook?token=AFFSECRET1&clickid={aff_click_id}&status={status}&payout={payout}`);
  await page.getByRole("button", { name: "Preview on real conversions" }).click();
  const row = page.getByTestId("dry-run-row");
  await expect(row).toHaveCount(1);
  await expect(row).toHaveAttribute("data-conversion-id", conversionId);
  await expect(row.getByTestId("dry-run-sent").locator("del")).toHaveText(["subid"]);
  await expect(row.getByTestId("dry-run-rendered").locator("ins")).toHaveText(["clickid"]);
  await row.screenshot({ path: "tests/e2e/screenshots/affiliate-dry-run.png" });
  expect(affTracker.received).toHaveLength(sent);
});

test("the merchant opens the shared permalink and never sees the affiliate's postback or the payout", async ({ browser }) => {
  const page = await signedIn(browser, "merchant");
  await page.goto(`/conversions/${conversionId}`);
  await expect(page).toHaveURL(`${BASE}/merchant/conversions/${conversionId}`);
  const titles = await titlesWhenSettled(page, 1);
  expectInOrder(titles, [/^Click$/, /^Conversion created: lead$/, /^Merchant's postback accepted/, /^Status changed: lead → approved$/, /^Attempt 1 of Acme order hook delivered/]);
  expect(titles).toHaveLength(5);

  const html = await page.content();
  expect(html).toContain("/merchant-hook?cid=");
  for (const hidden of ["aff-hook", "Bright tracker", "AFFSECRET1", "AFF-E2E-1"]) expect(html, hidden).not.toContain(hidden);
  expect(await page.locator("body").innerText()).not.toContain("Payout");
  // The payout as an amount, not the same digits inside a time (a stamp's "…:17.777Z").
  expect(html).not.toMatch(amount("7.77"));
  // From the merchant's incoming log row too.
  await page.goto("/merchant/logs");
  await page.locator("[data-testid=incoming-log] tr", { hasText: "ORD-E2E-1" }).getByTestId("timeline-link").click();
  await expect(page).toHaveURL(`${BASE}/merchant/conversions/${conversionId}`);
});

/** Names the demo's parties gave their things, in English whatever the reader's language. */
const NAMES = ["Northwind Network", "Acme Outdoor Shop", "Bright Media", "Nora Network", "Acme Summer Sale", "Bright tracker", "Acme order hook", "Demo receiver"];

/** The English messages of these namespaces that a page shows word for word where it should speak `locale` (names aside). */
function englishLeftIn(page: string, locale: "ru" | "ja", namespaces: string[]): string[] {
  const text = NAMES.reduce((rest, name) => rest.replaceAll(name, " "), page);
  const flat = (node: Catalogue, prefix = ""): [string, string][] =>
    Object.entries(node).flatMap(([k, v]) => (typeof v === "string" ? [[`${prefix}${k}`, v] as [string, string]] : flat(v, `${prefix}${k}.`)));
  const translated = new Map(flat(readCatalogue(locale)));
  return flat(readCatalogue("en"))
    .filter(([key, message]) => namespaces.some((ns) => key.startsWith(`${ns}.`)) && !/[{<]/.test(message) && message.length > 3 && message !== translated.get(key))
    .filter(([, message]) => new RegExp(`(^|[^\\p{L}])${message.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}($|[^\\p{L}])`, "u").test(text))
    .map(([key, message]) => `${key}: ${message}`);
}

test("the network reads the conversion in Russian and the affiliate in Japanese: the story, who acted, statuses and amounts in the reader's words", async ({ browser }) => {
  const ru = await signedIn(browser, "network", "ru");
  await ru.goto(`/network/conversions/${conversionId}`);
  await expect(ru.locator("html")).toHaveAttribute("lang", "ru");
  await expect(ru.getByRole("heading", { level: 1 })).toHaveText(`Конверсия ${conversionId}`);
  const titles = (await ru.getByTestId("entry-title").allTextContents()).map((t) => t.replace(/\s+/g, " ").trim());
  expectInOrder(titles, [/^Клик$/, /^Конверсия создана: лид$/, /^Постбэк рекламодателя принят/, /^Статус изменён: лид → одобрена$/, /^Попытка 2: Bright tracker доставлен/]);
  const story = await ru.getByTestId("timeline").innerText();
  expect(story).toContain("Лид партнёра (API лидов)");
  expect(story).toContain("Постбэк рекламодателя");
  // Russian writes the cents after a comma and the sign after the amount.
  expect(story).toMatch(/7,77\s\$/);
  expect(story).toMatch(/19,19\s\$/);
  const rusText = await ru.locator("main").innerText();
  expect(englishLeftIn(rusText, "ru", ["timeline", "statuses", "conversions"])).toEqual([]);

  await ru.goto("/network/conversions");
  const row = ru.locator(`tr[data-conversion-id="${conversionId}"]`);
  await expect(row).toContainText("одобрена");
  await expect(row.getByTestId("timeline-link")).toHaveText("История");
  await row.getByRole("button", { name: "Изменить" }).click();
  // Asked in Russian (no postback here listens for a rejection); Cancel leaves the conversion as it was.
  const dialog = ru.getByRole("dialog", { name: "Изменить на «отклонена»?" });
  await expect(dialog).toContainText("Ни один постбэк не ждёт этот статус: ничего не отправится.");
  await dialog.getByRole("button", { name: "Отмена" }).click();
  expect(englishLeftIn(await ru.locator("main").innerText(), "ru", ["conversions", "statuses", "bulkDecision"])).toEqual([]);

  const ja = await signedIn(browser, "affiliate", "ja");
  await ja.goto(`/affiliate/conversions/${conversionId}`);
  await expect(ja.locator("html")).toHaveAttribute("lang", "ja");
  const jaTitles = (await ja.getByTestId("entry-title").allTextContents()).map((t) => t.replace(/\s+/g, " ").trim());
  expectInOrder(jaTitles, [/^クリック$/, /^コンバージョンを作成：発生$/, /^ステータス変更：発生 → 承認$/, /^Bright tracker の 2 回目の試行 送信済み/]);
  const jaStory = await ja.getByTestId("timeline").innerText();
  expect(jaStory).toContain("広告主のポストバック");
  expect(jaStory).toContain("$7.77");
  expect(englishLeftIn(await ja.locator("main").innerText(), "ja", ["timeline", "statuses"])).toEqual([]);
  await ja.goto("/affiliate");
  await expect(ja.getByRole("heading", { level: 1 })).toHaveText("ようこそ、Alex さん");
  expect(englishLeftIn(await ja.locator("main").innerText(), "ja", ["affiliateHome", "statuses"])).toEqual([]);
  await ja.goto("/affiliate/offers");
  await expect(ja.getByRole("heading", { level: 1 })).toHaveText("オファー");
  expect(englishLeftIn(await ja.locator("main").innerText(), "ja", ["affiliateOffers", "statuses"])).toEqual([]);
  await ja.goto("/affiliate/campaigns");
  expect(englishLeftIn(await ja.locator("main").innerText(), "ja", ["affiliateCampaigns", "campaignForm"])).toEqual([]);
});
