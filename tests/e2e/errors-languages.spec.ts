import { expect, type Page, test } from "@playwright/test";
import { type Catalogue, readCatalogue } from "../helpers/catalogue";
import { signInWithForm } from "./helpers";

/*
 * Issue 20 items 1 and 4 in a real browser and over real HTTP: a form's refusal reads in the
 * user's language, next to its field; the API and the postback endpoint answer in the language
 * Accept-Language asks for, with the same code.
 */

const CATALOGUES = { en: readCatalogue("en"), ru: readCatalogue("ru"), ja: readCatalogue("ja") };

function say(locale: keyof typeof CATALOGUES, key: string): string {
  const value = key.split(".").reduce<string | Catalogue>((node, part) => (node as Catalogue)[part]!, CATALOGUES[locale]);
  if (typeof value !== "string") throw new Error(`${locale} has no message ${key}`);
  return value;
}

/** The messages the form shows beside its fields (Next's route announcer is an alert too). */
const fieldAlerts = (page: Page) => page.locator("form [role=alert]");

async function switchTo(page: Page, locale: "en" | "ru") {
  await page.getByTestId("locale-switch").selectOption(locale);
  await expect(page.locator("html")).toHaveAttribute("lang", locale);
}

test("a form refused in Russian says why in Russian, beside each field at fault", async ({ page }) => {
  await signInWithForm(page, "network");
  await page.goto("/network/api-keys");
  await switchTo(page, "ru");
  try {
    await page.getByRole("button", { name: say("ru", "apiKeys.create") }).click();
    await expect(fieldAlerts(page)).toHaveText(say("ru", "errors.form.keyName"));

    await page.getByLabel(say("ru", "apiKeys.name")).fill("k".repeat(101));
    await page.getByLabel(say("ru", "apiKeys.expiresOn")).fill("2001-01-01");
    await page.getByRole("button", { name: say("ru", "apiKeys.create") }).click();
    // Both fields at once: zod's own limit through the catalogue (a Russian plural), and the schema's own message.
    await expect(fieldAlerts(page)).toHaveText(["Не больше 100 символов.", say("ru", "errors.form.futureDate")]);
    await expect(page.getByText(say("en", "errors.form.futureDate"))).toHaveCount(0);
  } finally {
    await switchTo(page, "en");
  }
  // The form keeps what was typed; sent again in English, the same two fields say so in English.
  await page.getByRole("button", { name: say("en", "apiKeys.create") }).click();
  await expect(fieldAlerts(page)).toHaveText(["At most 100 characters.", say("en", "errors.form.futureDate")]);
});

test("the API and the postback endpoint answer in Accept-Language's language, their codes unchanged", async ({ request }) => {
  const ja = await request.get("/api/v1/offers", { headers: { "accept-language": "ja" } });
  expect(ja.status()).toBe(401);
  expect(await ja.json()).toEqual({ ok: false, error: { code: "missing_api_key", message: "API キーを Authorization: Bearer <key> で送ってください。" } });
  const plain = await request.get("/api/v1/offers", { headers: { "accept-language": "" } });
  expect((await plain.json()).error).toEqual({ code: "missing_api_key", message: "Send your API key as Authorization: Bearer <key>." });

  const ru = await request.get("/api/postback/end_unknown?click_id=clk_1", { headers: { "accept-language": "ru-RU,ru;q=0.9" } });
  expect(ru.status()).toBe(404);
  expect((await ru.json()).error).toEqual({ code: "unknown_endpoint", message: say("ru", "errors.incoming.unknownEndpoint") });
});
