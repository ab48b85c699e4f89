import { describe, expect, it } from "vitest";
import { readCatalogue } from "../helpers/catalogue";
import { findUntranslated, harvestDataStrings, longestEnglishRun } from "../helpers/untranslated";

const english = readCatalogue("en");
const russian = readCatalogue("ru");
const data = harvestDataStrings();
const check = (texts: string[]) => findUntranslated(texts.map((text, i) => ({ text, where: `block ${i}` })), { english, translated: russian, data });
const GAP = " \u241e ";

describe("the untranslated-English detector", () => {
  it("flags an English catalogue message the language says otherwise, and an English sentence", () => {
    const findings = check(["Sign out", "Отправлено 3 постбэка", "This conversion was approved by the merchant."]);
    expect(findings).toEqual([
      { text: "Sign out", where: "block 0", why: "catalogue", detail: "shell.signOut" },
      { text: "This conversion was approved by the merchant.", where: "block 2", why: "sentence", detail: "This conversion was approved by the merchant" },
    ]);
    // A message with arguments is matched whatever they hold.
    expect(check(["Revoke “Billing”? Systems using it get 401 at once."])[0]).toMatchObject({ why: "catalogue", detail: "apiKeys.revokeConfirm" });
  });

  it("reads data as data: demo and test names, ids, URLs, macros, code, the brand, trackers", () => {
    expect(
      check([
        "Acme Outdoor Shop",
        "Оффер Acme Summer Sale от Northwind Network",
        "Кампания Winter Promo 1765070000",
        "clk_01JD8X2 off_demo_summer https://shop.example.com/summer?click_id={click_id}&sub1={sub1}",
        `Шаблон:${GAP}`,
        "Postline отправит постбэк в Keitaro, Binom, Voluum",
        "Europe/Berlin",
        "API HTTP URL ID",
        "nora@example.com",
      ]),
    ).toEqual([]);
    // A run ends at a cut-out code sample and at a mark: a list of status values is not a sentence.
    expect(longestEnglishRun(`Send it to${GAP}now`, data)).toEqual(["Send", "it", "to"]);
    expect(check(["Статусы: lead, approved, rejected, hold или ignore."])).toEqual([]);
    expect(longestEnglishRun("Conversions count on the day they were made, in their status now.", data)).toEqual(["Conversions", "count", "on", "the", "day", "they", "were", "made"]);
  });

  it("leaves a term the language's catalogue keeps in English, even where another key translates it", () => {
    const english = { logs: { clickId: "Click id" }, find: { clickId: "Click id" }, nav: { stats: "Stats" } };
    const translated = { logs: { clickId: "Click id" }, find: { clickId: "ID клика" }, nav: { stats: "Статистика" } };
    const blocks = [{ text: "Click id", where: "th" }, { text: "Stats", where: "h1" }];
    expect(findUntranslated(blocks, { english, translated, data: [] })).toEqual([{ text: "Stats", where: "h1", why: "catalogue", detail: "nav.stats" }]);
  });

  it("takes the names the specs type, not the labels they look for", () => {
    expect(data).toEqual(expect.arrayContaining(["Acme backup server", "Winter Promo", "Bright Media"]));
    expect(data).not.toContain("Sign in");
    expect(data).not.toContain("Click id, transaction id, delivery id or conversion id");
  });
});
