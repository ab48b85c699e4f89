import { createTranslator } from "next-intl";
import { type Browser, expect, type Page, test } from "@playwright/test";
import { DEMO } from "@/lib/demo/seed";
import { BASE_URL } from "../../playwright.config";
import { type Catalogue, readCatalogue } from "../helpers/catalogue";
import { signInWithForm } from "./helpers";

const LANGS = ["ru", "ja", "ko", "zh"] as const;
type Lang = (typeof LANGS)[number] | "en";
const CATALOGUES = Object.fromEntries((["en", ...LANGS] as const).map((locale) => [locale, readCatalogue(locale)])) as Record<Lang, Catalogue>;

function say(locale: Lang, key: string): string {
  const value = key.split(".").reduce<string | Catalogue>((node, part) => (node as Catalogue)[part]!, CATALOGUES[locale]);
  if (typeof value !== "string") throw new Error(`${locale} has no message ${key}`);
  return value;
}

/**
 * The English sentences of some namespaces that a page in `locale` must not show: each message's
 * literal runs (arguments and tags cut out) long enough to be words, where the language says it
 * otherwise. The macro descriptions are left out: they show in a tooltip, checked on their own.
 */
function englishOf(locale: Lang, namespaces: string[]): string[] {
  const runs = new Set<string>();
  const walk = (en: Catalogue, other: Catalogue) => {
    for (const [key, value] of Object.entries(en)) {
      if (key === "descriptions") continue;
      if (typeof value !== "string") walk(value, other[key] as Catalogue);
      // A label that is its value's own word ("approved") may be that value in a URL or an id.
      else if (value === key) continue;
      else if (value !== other[key]) for (const run of value.split(/\{[^{}]*\}|<[^>]*>/)) if (run.trim().length >= 8) runs.add(run.trim());
    }
  };
  for (const ns of namespaces) walk(CATALOGUES.en[ns] as Catalogue, CATALOGUES[locale][ns] as Catalogue);
  return [...runs];
}

async function expectNoEnglish(page: Page, locale: Lang, namespaces: string[]) {
  const text = await page.locator("main").innerText();
  expect(englishOf(locale, namespaces).filter((english) => text.includes(english)), `${locale} ${page.url()}`).toEqual([]);
}

async function switchTo(page: Page, locale: Lang) {
  await page.getByTestId("locale-switch").selectOption(locale);
  await expect(page.locator("html")).toHaveAttribute("lang", locale);
}

/** The demo user's language is saved on its profile: put it back to English for the other specs. */
async function backToEnglish(browser: Browser, role: "affiliate" | "network") {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto("/login");
  const lang = ((await page.locator("html").getAttribute("lang")) ?? "en") as Lang;
  await page.getByLabel(say(lang, "signIn.email")).fill(`${role}@demo.postline.dev`);
  await page.getByLabel(say(lang, "signIn.password")).fill("postline-demo");
  await page.getByRole("button", { name: say(lang, "signIn.submit") }).click();
  await expect(page).not.toHaveURL(/\/login/);
  await switchTo(page, "en");
  await context.close();
}

const FORM_NAMESPACES = ["postbacks", "postbackForm", "macroPalette"];

// A conversion of the demo offer, so the dry run, the demo receiver and the logs have rows to say in each language.
let clickId: string;
test.beforeAll(async ({ playwright }) => {
  const request = await playwright.request.newContext({ baseURL: BASE_URL });
  const click = await request.get(`/c/${DEMO.trackingLinkCode}?aff_click_id=languages-1`, { maxRedirects: 0 });
  clickId = new URL(click.headers().location!).searchParams.get("click_id")!;
  const postback = await request.get(`/api/postback/${DEMO.endpointId}?token=${DEMO.endpointSecret}&click_id=${clickId}&txid=LANG-${Date.now()}&status=sale&payout=4.20`);
  expect(await postback.json()).toMatchObject({ ok: true, result: "accepted" });
  await request.dispose();
});

test("the affiliate reads its postbacks, the postback form and its macro tooltips in Russian, Japanese, Korean and Chinese", async ({ page, browser }) => {
  try {
    await signInWithForm(page, "affiliate");
    for (const locale of LANGS) {
      await switchTo(page, locale);

      await page.goto("/affiliate/postbacks");
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(say(locale, "postbacks.title"));
      await expect(page.getByRole("link", { name: say(locale, "postbacks.add") })).toBeVisible();
      await expect(page.getByRole("button", { name: say(locale, "postbacks.pause") }).first()).toBeVisible();
      await expectNoEnglish(page, locale, ["postbacks"]);

      await page.getByRole("link", { name: say(locale, "postbacks.add") }).click();
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(say(locale, "postbacks.add"));
      await page.getByLabel(say(locale, "postbackForm.name"), { exact: true }).fill("Keitaro");
      await expect(page.getByLabel(say(locale, "postbackForm.sendFor"))).toContainText(say(locale, "postbackForm.scopes.all"));
      await expect(page.getByLabel(say(locale, "postbackForm.statuses.approved"), { exact: true })).toBeChecked();
      const url = page.getByLabel(say(locale, "postbackForm.url"));
      await url.fill("https://tracker.example.com/postback?subid={aff_click_id}&status={status:approved=1 rejected=2}&payout={payout}&cur={currency}");
      await expect(page.getByTestId("preview-url")).toHaveText("GET https://tracker.example.com/postback?subid=your-click-id&status=1&payout=12.50&cur=USD");

      // A misspelt macro is named in the reader's language, the macro names themselves as written.
      await url.fill("https://tracker.example.com/postback?p={paypout}");
      const expected = say(locale, "postbackForm.unknownMacroSuggestion").replace("{macro}", "{paypout}").replace("{suggestion}", "{payout}").replace(/<\/?code>/g, "");
      await expect(page.getByTestId("unknown-macros")).toHaveText(expected);
      // A brace that opens no macro: marked in place, and said in the reader's words.
      const unclosedTemplate = "https://tracker.example.com/postback?subid={aff_click_id&s=1";
      await url.fill(unclosedTemplate);
      const translate = createTranslator({ locale, messages: CATALOGUES[locale] });
      const unclosed = translate("errors.template.brace" as never, { header: "none", kind: "unclosed", text: "{", position: unclosedTemplate.indexOf("{") + 1 } as never);
      await expect(page.getByTestId("preview-url-problem")).toContainText(unclosed);
      await expect(page.getByTestId("preview-url-problem")).not.toContainText("An unclosed");
      await url.fill("https://tracker.example.com/postback?subid={aff_click_id}&status={status}&payout={payout}&currency={currency}");
      await expect(page.getByTestId("unknown-macros")).toHaveCount(0);

      // The palette keeps the macro names; whose id each click id is, and what a macro carries, are the reader's words.
      const palette = page.getByRole("list", { name: say(locale, "macroPalette.list") });
      await expect(palette.getByRole("listitem").filter({ hasText: "{aff_click_id}" })).toContainText(say(locale, "macroPalette.owners.tracker"));
      await expectNoEnglish(page, locale, FORM_NAMESPACES);
      await page.getByRole("button", { name: say(locale, "macroPalette.whatCarries").replace("{macro}", "{payout}") }).hover();
      await expect(page.getByRole("tooltip")).toHaveText(say(locale, "macroPalette.descriptions.payout"));
      if (locale === "ru" || locale === "ja") await page.screenshot({ path: `tests/e2e/screenshots/postback-form-${locale}.png`, fullPage: true });
      await page.keyboard.press("Escape");
      await page.getByRole("button", { name: say(locale, "macroPalette.whatCarries").replace("{macro}", "{aff_click_id}") }).hover();
      // ICU quotes a literal brace ('{aff_click_id}'); the page shows the brace.
      await expect(page.getByRole("tooltip")).toContainText(say(locale, "macroPalette.descriptions.aff_click_id").replace(/'/g, ""));
      await expect(page.getByRole("tooltip")).toContainText("{clickid}");
      await page.keyboard.press("Escape");

      // The dry run of the demo postback, and its answer, in the reader's language.
      await page.goto(`/affiliate/postbacks/${DEMO.postbackId}`);
      // A click before the form has hydrated does nothing: click again until the dry run answers.
      await expect(async () => {
        await page.getByRole("button", { name: say(locale, "postbackForm.dryRunButton") }).click();
        await expect(page.getByTestId("dry-run-row").first()).toBeVisible({ timeout: 5_000 });
      }).toPass({ timeout: 30_000 });
      await expectNoEnglish(page, locale, [...FORM_NAMESPACES, "dryRun"]);

      await page.goto("/affiliate/demo-receiver");
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(say(locale, "demoReceiver.title"));
      await expectNoEnglish(page, locale, ["demoReceiver"]);

      await page.goto("/affiliate/logs");
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(say(locale, "logs.title"));
      await expect(page.getByLabel(say(locale, "logs.state"))).toBeVisible();
      await expect(page.getByTestId("stream-state")).toHaveText(say(locale, "logView.live"));
      await expectNoEnglish(page, locale, ["logs", "logView"]);
    }
  } finally {
    await backToEnglish(browser, "affiliate");
  }
});

test("the network reads both logs, their filters and a delivery's detail in Russian and Japanese", async ({ page, browser }) => {
  try {
    await signInWithForm(page, "network");
    for (const locale of ["ru", "ja"] as const) {
      await switchTo(page, locale);
      for (const tab of ["incoming", "outgoing"] as const) {
        await page.goto(`/network/logs?tab=${tab}`);
        await expect(page.getByRole("heading", { level: 1 })).toHaveText(say(locale, "logs.title"));
        await expect(page.getByRole("navigation", { name: say(locale, "logs.kind") }).getByRole("link", { name: say(locale, `logs.tabs.${tab}`) })).toHaveAttribute("aria-current", "page");
        // Filter values stay as the URL has them; their labels are translated.
        const result = page.getByLabel(tab === "incoming" ? say(locale, "logs.result") : say(locale, "logs.state"));
        const value = tab === "incoming" ? "accepted" : "delivered";
        await result.selectOption({ label: say(locale, `logs.results.${value}`) });
        await expect(result).toHaveValue(value);
        await expectNoEnglish(page, locale, ["logs", "logView"]);
        // The merchant's postback was accepted and its relay delivered: said in the reader's words, in the row.
        const row = page.getByTestId(`${tab}-log`).locator("tbody tr", { hasText: clickId }).first();
        await expect(row).toContainText(say(locale, `logs.results.${tab === "incoming" ? "accepted" : "delivered"}`));
        await expect(row).toContainText(say(locale, "postbacks.statuses.approved"));
      }
      await page.goto("/network/logs?tab=outgoing");
      const row = page.getByTestId("outgoing-log").locator("tbody tr", { hasText: clickId }).first();
      await expect(row).toContainText(say(locale, "logView.timeline"));
      await row.click();
      const drawer = page.getByRole("dialog", { name: say(locale, "logView.entry") });
      await expect(drawer.getByRole("heading")).toHaveText(say(locale, "logView.deliveryTitle"));
      await expect(drawer.getByText(say(locale, "logView.request"), { exact: true }).first()).toBeVisible();
      await expect(drawer).toContainText(say(locale, "logView.attempt").replace("{number, number}", "1"));
      await expectNoEnglish(page, locale, ["logView"]);
      await drawer.getByRole("button", { name: say(locale, "logView.close") }).click();
    }
  } finally {
    await backToEnglish(browser, "network");
  }
});
