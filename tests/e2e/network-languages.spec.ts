import { expect, type Page, test } from "@playwright/test";
import { DEMO } from "@/lib/demo/seed";
import { type Catalogue, readCatalogue } from "../helpers/catalogue";
import { signInWithForm } from "./helpers";

const CATALOGUES = { en: readCatalogue("en"), ru: readCatalogue("ru"), ja: readCatalogue("ja") };
type Lang = keyof typeof CATALOGUES;

function say(locale: Lang, key: string): string {
  const value = key.split(".").reduce<string | Catalogue>((node, part) => (node as Catalogue)[part]!, CATALOGUES[locale]);
  if (typeof value !== "string") throw new Error(`${locale} has no message ${key}`);
  return value;
}

/** A select message's words for one value, as the reader sees it. */
function choose(locale: Lang, key: string, value: string): string {
  const match = say(locale, key).match(new RegExp(`\\b${value} \\{([^}]*)\\}`));
  if (!match) throw new Error(`${locale} ${key} has no ${value}`);
  return match[1]!;
}

function plainMessages(node: Catalogue, prefix = ""): [string, string][] {
  return Object.entries(node).flatMap(([key, value]) =>
    typeof value === "string" ? [[`${prefix}${key}`, value] as [string, string]] : plainMessages(value, `${prefix}${key}.`),
  );
}

/**
 * Every English message of these pages' namespaces that takes no argument and that the language says
 * otherwise. A placeholder's example (an endpoint named "Acme order server") is looked for only as a placeholder,
 * since the demo's data may hold the same words.
 */
function englishLeftovers(locale: Lang, placeholders: boolean): string[] {
  return ["network", "admin", "program"]
    .flatMap((ns) => plainMessages(CATALOGUES.en[ns] as Catalogue, `${ns}.`))
    .filter(([key, english]) => !english.includes("{") && !english.includes("<") && say(locale, key) !== english)
    .filter(([key]) => placeholders || !/placeholder/i.test(key))
    .map(([, english]) => english);
}

/** Fails on any text, placeholder or option on the page that is one of these pages' English messages, untranslated. */
async function expectNoEnglish(page: Page, locale: Lang) {
  const inText = new Set(englishLeftovers(locale, false));
  const inPlaceholders = new Set(englishLeftovers(locale, true));
  const shown = await page.evaluate(() => {
    const texts: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) texts.push((node.textContent ?? "").trim());
    const placeholders = [...document.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>("input[placeholder], textarea[placeholder]")].map((input) => input.placeholder);
    return { texts: texts.filter(Boolean), placeholders };
  });
  expect([...shown.texts.filter((text) => inText.has(text)), ...shown.placeholders.filter((text) => inPlaceholders.has(text))], `${page.url()} in ${locale}`).toEqual([]);
}

async function switchTo(page: Page, locale: Lang | "en") {
  await page.getByTestId("locale-switch").selectOption(locale);
  await expect(page.locator("html")).toHaveAttribute("lang", locale);
}

test("the network reads its pages in Russian, adds a cap and a rule in Russian, and sees amounts and counts in Russian digits", async ({ page }) => {
  await signInWithForm(page, "network");
  await switchTo(page, "ru");
  const offerPage = `/network/offers/${DEMO.offerId}`;
  try {
    await page.goto(offerPage);
    await expect(page.getByRole("heading", { name: say("ru", "program.goals.title") })).toBeVisible();
    // The demo offer pays 12.50 USD: Russian writes it "12,50 $".
    const payout = new Intl.NumberFormat("ru", { style: "currency", currency: "USD" }).format(12.5);
    await expect(page.locator("dd", { hasText: payout }).first()).toBeVisible();

    await page.getByLabel(say("ru", "program.caps.period"), { exact: true }).selectOption({ label: choose("ru", "program.caps.periodName", "week") });
    await page.getByLabel(say("ru", "program.caps.limit"), { exact: true }).fill("1000");
    await page.getByLabel(say("ru", "program.caps.overCap"), { exact: true }).selectOption({ label: choose("ru", "program.caps.action", "hold") });
    await page.getByRole("button", { name: say("ru", "program.caps.add") }).click();
    await expect(page.getByText(say("ru", "program.caps.added"))).toBeVisible();
    const cap = page.locator("tr[data-cap]").filter({ hasText: choose("ru", "program.caps.periodName", "week") }).last();
    // "0 из 1 000 (0 %)": the limit with Russian's group separator, the share as a Russian percentage.
    await expect(cap).toContainText(new RegExp(`0 из 1\\s000 \\(0\\s%\\)`));
    await expect(cap).toContainText(choose("ru", "program.caps.action", "hold"));

    await page.getByLabel(say("ru", "program.rules.check"), { exact: true }).selectOption({ label: choose("ru", "program.rules.kind", "ip_limit") });
    await page.getByLabel(say("ru", "program.rules.threshold"), { exact: true }).fill("50");
    await page.getByLabel(say("ru", "program.rules.window"), { exact: true }).fill("90");
    await page.getByLabel(say("ru", "program.rules.then"), { exact: true }).selectOption({ label: choose("ru", "program.rules.action", "flag") });
    await page.getByRole("button", { name: say("ru", "program.rules.add") }).click();
    const rule = page.locator("tr[data-rule=ip_limit]").last();
    await expect(rule).toContainText("50 за 90 мин");
    await expect(rule).toContainText(choose("ru", "program.rules.action", "flag"));
    await expectNoEnglish(page, "ru");

    for (const [path, title] of [
      ["/network/offers", "network.offers.title"],
      ["/network/affiliates", "network.affiliates.title"],
      ["/network/merchants", "network.merchants.title"],
      ["/network/endpoints", "network.endpoints.title"],
    ] as const) {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(say("ru", title));
      await expectNoEnglish(page, "ru");
    }
    await expect(page.getByRole("button", { name: say("ru", "network.endpointForm.create") })).toBeVisible();
    await page.goto(`/network/endpoints/${DEMO.endpointId}`);
    await expect(page.getByText(say("ru", "network.endpoints.pageDescription"))).toBeVisible();
    await expectNoEnglish(page, "ru");
    await page.goto("/network");
    await expect(page.getByRole("heading", { name: say("ru", "network.home.timeZone") })).toBeVisible();
    await expectNoEnglish(page, "ru");
  } finally {
    // The demo offer goes back to its own terms for the other specs.
    await page.goto(offerPage);
    page.on("dialog", (dialog) => void dialog.accept());
    for (const row of ["tr[data-cap]", "tr[data-rule=ip_limit]"]) {
      const rows = page.locator(row).filter({ hasText: /1\s000|50 за 90/ });
      for (let left = await rows.count(); left > 0; left--) {
        await rows.first().getByRole("button").click();
        await expect(rows).toHaveCount(left - 1);
      }
    }
    await switchTo(page, "en");
  }
});

test("the admin reads the platform's pages in Japanese, and the merchant the endpoint docs", async ({ page, browser }) => {
  await signInWithForm(page, "admin");
  await switchTo(page, "ja");
  try {
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(say("ja", "admin.home.title"));
    await expectNoEnglish(page, "ja");
    for (const [path, title] of [
      ["/admin/organizations", "admin.organizations.title"],
      ["/admin/users", "admin.users.title"],
      ["/admin/health", "admin.health.title"],
    ] as const) {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(say("ja", title));
      await expectNoEnglish(page, "ja");
    }
    await page.goto("/admin/organizations");
    await expect(page.getByRole("cell", { name: say("ja", "shell.parties.network"), exact: true }).first()).toBeVisible();
    await page.goto("/admin/users");
    await expect(page.getByRole("button", { name: say("ja", "admin.users.submit") })).toBeVisible();
    await expect(page.getByLabel(say("ja", "admin.columns.role"))).toContainText(choose("ja", "admin.role", "viewer"));
  } finally {
    await switchTo(page, "en");
  }

  const context = await browser.newContext();
  const merchant = await context.newPage();
  await signInWithForm(merchant, "merchant");
  await switchTo(merchant, "ja");
  try {
    await expect(merchant.getByRole("columnheader", { name: say("ja", "network.endpointDocs.parameter") }).first()).toBeVisible();
    await expect(merchant.getByText(say("ja", "network.endpointDocs.params.sale_amount")).first()).toBeVisible();
    await expectNoEnglish(merchant, "ja");
  } finally {
    await switchTo(merchant, "en");
    await context.close();
  }
});
