import { type Browser, expect, type Page, test } from "@playwright/test";
import { NAV_ITEMS } from "@/components/nav-items";
import { can, HOME_PATHS, type OrgKind } from "@/lib/access/permissions";
import { DEMO_PASSWORD } from "@/lib/demo/seed";
import { type Catalogue, readCatalogue } from "../helpers/catalogue";
import { demoAccount, type DemoRole, signInWithForm } from "./helpers";

const CATALOGUES = { en: readCatalogue("en"), ru: readCatalogue("ru"), ja: readCatalogue("ja"), ko: readCatalogue("ko"), zh: readCatalogue("zh") };
type Lang = keyof typeof CATALOGUES;

function say(locale: Lang, key: string): string {
  const value = key.split(".").reduce<string | Catalogue>((node, part) => (node as Catalogue)[part]!, CATALOGUES[locale]);
  if (typeof value !== "string") throw new Error(`${locale} has no message ${key}`);
  return value;
}

const PARTIES: { role: DemoRole; kind: OrgKind }[] = [
  { role: "affiliate", kind: "affiliate" },
  { role: "network", kind: "network" },
  { role: "merchant", kind: "merchant" },
  { role: "admin", kind: "platform" },
];

/** The party's navigation in a language, as the demo owner sees it. */
function navLabels(kind: OrgKind, locale: Lang): string[] {
  return NAV_ITEMS[kind].filter((item) => can({ orgKind: kind, role: "owner" }, item.permission)).map((item) => say(locale, item.label));
}

async function expectWorkspaceIn(page: Page, kind: OrgKind, locale: Lang) {
  await expect(page.locator("html")).toHaveAttribute("lang", locale);
  const links = page.getByRole("navigation", { name: "Main" }).getByRole("link");
  await expect(links).toHaveText(navLabels(kind, locale));
  if (locale !== "en") for (const english of navLabels(kind, "en")) await expect(links.filter({ hasText: new RegExp(`^${english}$`) })).toHaveCount(0);
  await expect(page.getByRole("button", { name: say(locale, "shell.signOut") })).toBeVisible();
}

async function switchTo(page: Page, locale: Lang) {
  await page.getByTestId("locale-switch").selectOption(locale);
  await expect(page.locator("html")).toHaveAttribute("lang", locale);
}

/** Puts the demo user's saved language back to English, so the other specs read the pages they expect. */
async function resetToEnglish(browser: Browser, role: DemoRole) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInWithFormInAnyLanguage(page, role);
  await switchTo(page, "en");
  await context.close();
}

/** The sign-in form, whatever language it is in (a fresh browser sends an English Accept-Language). */
async function signInWithFormInAnyLanguage(page: Page, role: DemoRole) {
  await page.goto("/login");
  const lang = ((await page.locator("html").getAttribute("lang")) ?? "en") as Lang;
  await page.getByLabel(say(lang, "signIn.email")).fill(demoAccount(role).email);
  await page.getByLabel(say(lang, "signIn.password")).fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: say(lang, "signIn.submit") }).click();
  await expect(page).not.toHaveURL(/\/login/);
}

/** A key made, listed with its dates in Japanese order, counted by an ICU plural, and revoked after a confirmation naming it. */
async function expectKeyLifecycleInJapanese(page: Page, kind: OrgKind) {
  const name = `i18n-${Date.now()}`;
  await page.getByLabel(say("ja", "apiKeys.name")).fill(name);
  await page.getByRole("button", { name: say("ja", "apiKeys.create") }).click();
  await expect(page.getByRole("status")).toContainText(say("ja", "apiKeys.shownOnce"));
  const row = page.getByRole("row").filter({ hasText: name });
  // ja writes dates year first (2026/12/07 1:02:03), where English writes 12/7/26, 1:02:03 AM.
  await expect(row.getByRole("cell").nth(3)).toHaveText(/^\d{4}\/\d{2}\/\d{2} \d{1,2}:\d{2}:\d{2}$/);
  await expect(row.getByRole("cell").nth(4)).toHaveText(say("ja", "common.never"));
  await expect(page.getByText(/^\d+件のキー$/)).toBeVisible();

  page.once("dialog", (dialog) => {
    expect(dialog.message()).toBe(say("ja", "apiKeys.revokeConfirm").replace("{name}", name));
    void dialog.accept();
  });
  await row.getByRole("button", { name: say("ja", "apiKeys.revoke") }).click();
  await expect(row.getByText(say("ja", "apiKeys.disabled"), { exact: true })).toBeVisible();

  await page.goto(`${HOME_PATHS[kind]}/offers/off_belongs_to_someone_else`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(say("ja", "notFound.title"));
  await page.goto(`${HOME_PATHS[kind]}/api-keys`);
}

for (const { role, kind } of PARTIES) {
  test(`${role} switches to Russian and Japanese, and the profile keeps the choice across sign-ins`, async ({ page, browser }) => {
    try {
      await signInWithForm(page, role);
      await expectWorkspaceIn(page, kind, "en");

      await switchTo(page, "ru");
      await expectWorkspaceIn(page, kind, "ru");
      if (kind !== "platform") {
        await page.goto(`${HOME_PATHS[kind]}/api-keys`);
        await expect(page.getByRole("heading", { level: 1 })).toHaveText(say("ru", "apiKeys.title"));
        await expect(page.getByLabel(say("ru", "apiKeys.expiresOn"))).toBeVisible();
        await expect(page.getByRole("button", { name: say("ru", "apiKeys.create") })).toBeVisible();
        await expect(page.getByRole("button", { name: say("en", "apiKeys.create") })).toHaveCount(0);
        await expect(page.getByText(say("en", "apiKeys.newKey"), { exact: true })).toHaveCount(0);
        await expectWorkspaceIn(page, kind, "ru");
      }

      await switchTo(page, "ja");
      await expectWorkspaceIn(page, kind, "ja");
      if (kind !== "platform") {
        await expect(page.getByRole("heading", { level: 1 })).toHaveText(say("ja", "apiKeys.title"));
        await expect(page.getByRole("heading", { name: say("ja", "apiKeys.newKey") })).toBeVisible();
      }
      if (kind === "network") await expectKeyLifecycleInJapanese(page, kind);

      // Signed out, this browser keeps the language by its cookie.
      await page.getByRole("button", { name: say("ja", "shell.signOut") }).click();
      await expect(page).toHaveURL(/\/login$/);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(say("ja", "signIn.title"));

      // Another browser, with no cookie and an English Accept-Language: the profile wins.
      const elsewhere = await browser.newContext({ locale: "en-US" });
      const other = await elsewhere.newPage();
      await signInWithForm(other, role);
      await expectWorkspaceIn(other, kind, "ja");
      await elsewhere.close();
    } finally {
      await resetToEnglish(browser, role);
    }
  });
}

test("a first visit in Korean shows the sign-in page in Korean, and its switch changes it for this browser", async ({ browser }) => {
  const context = await browser.newContext({ locale: "ko-KR" });
  const page = await context.newPage();
  await page.goto("/login");
  await expect(page.locator("html")).toHaveAttribute("lang", "ko");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(say("ko", "signIn.title"));
  await expect(page.getByLabel(say("ko", "signIn.password"))).toBeVisible();
  await expect(page.getByRole("button", { name: say("ko", "signIn.submit") })).toBeVisible();

  await page.getByRole("button", { name: say("ko", "signIn.submit") }).click();
  await expect(page.getByRole("alert").first()).toHaveText(say("ko", "signIn.emailInvalid"));

  await switchTo(page, "zh");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(say("zh", "signIn.title"));
  await page.reload();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(say("zh", "signIn.title"));
  await context.close();
});

test("a browser that asks for English, or for nothing we have, reads English", async ({ browser }) => {
  for (const locale of ["en-US", "de-DE"]) {
    const context = await browser.newContext({ locale });
    const page = await context.newPage();
    await page.goto("/login");
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Sign in to Postline");
    await context.close();
  }
});
