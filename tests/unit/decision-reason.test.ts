import { NextIntlClientProvider } from "next-intl";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { DecisionReason } from "@/components/decision-reason";
import { loadMessages } from "@/i18n/messages";
import type { Locale } from "@/lib/platform/locale";
import { decisionsSeenBy } from "@/lib/program/caps";
import { evaluateRules, type RuleTerms } from "@/lib/program/rules";

async function say(locale: Locale, decision: Parameters<typeof DecisionReason>[0]["decision"], currency?: string) {
  const messages = await loadMessages(locale);
  const html = renderToStaticMarkup(createElement(NextIntlClientProvider, { locale, messages, timeZone: "UTC", children: createElement(DecisionReason, { decision, currency }) }));
  return html.replaceAll(/\u00a0|\u202f/g, " ").replaceAll("&#x27;", "'");
}

const rule = (terms: Partial<RuleTerms>): RuleTerms => ({ id: "rul_1", kind: "min_click_seconds", action: "flag", threshold: null, windowMinutes: null, countries: null, param: null, blockedValues: null, ...terms });
const clickedAt = new Date("2026-12-01T10:00:00Z");

describe("a rule's or cap's reason in the reader's language", () => {
  it("keeps the figures of a rule that fired, and says them in Russian and Japanese", async () => {
    const [tooFast] = evaluateRules([rule({ threshold: 15 })], { clickedAt, now: new Date("2026-12-01T10:00:04Z"), country: "DE", params: {}, conversionsFromIp: {} });
    expect(tooFast).toMatchObject({ kind: "min_click_seconds", values: { seconds: 4, limit: 15 } });
    expect(tooFast!.reason).toBe("converted 4 s after the click, under the minimum of 15 s");
    expect(await say("ru", tooFast!)).toBe("конверсия через 4 с после клика, меньше минимума в 15 с");
    expect(await say("ja", tooFast!)).toBe("クリックから 4 秒で成果、最短 15 秒未満");

    const [fromIp] = evaluateRules([rule({ kind: "ip_limit", threshold: 3, windowMinutes: 1440 })], { clickedAt, now: clickedAt, country: null, params: {}, conversionsFromIp: { rul_1: 5 } });
    expect(await say("ru", fromIp!)).toBe("с этого IP уже 5 конверсий за 1 440 мин (лимит 3)");
    expect(await say("en", fromIp!)).toBe("5 conversions from this IP in 1,440 min already (limit 3)");

    const [country] = evaluateRules([rule({ kind: "countries", countries: ["US", "CA"] })], { clickedAt, now: clickedAt, country: null, params: {}, conversionsFromIp: {} });
    expect(await say("ru", country!)).toBe("клик из неизвестной страны, а разрешены только US, CA");
  });

  it("says a cap's limit as a count or as money, per period", async () => {
    const count = { kind: "cap_reached", reason: "cap_reached: 1 conversions a day (2026-12-01)", values: { metric: "count", limit: "1", period: "day" } };
    expect(await say("ru", count)).toBe("достигнут кап 1 конверсия в день");
    expect(await say("en", count)).toBe("the cap of 1 conversion a day is reached");
    const hourly = { kind: "cap_reached", reason: "cap_reached: 2 conversions an hour (2026-12-01T14)", values: { metric: "count", limit: "2", period: "hour" } };
    expect(await say("en", hourly)).toBe("the cap of 2 conversions an hour is reached");
    expect(await say("ru", hourly)).toBe("достигнут кап 2 конверсии в час");
    expect(await say("zh", hourly)).toBe("已达到每小时 2 次转化的上限");
    const payout = { kind: "cap_reached", reason: "cap_reached: 500.0000 of payout in total (total)", values: { metric: "payout", limit: "500.0000", period: "total" } };
    expect(await say("ja", payout, "JPY")).toBe("累計の報酬上限 ￥500 に到達");
    expect(await say("en", payout, "USD")).toBe("the cap of $500.00 of payout in total is reached");
    const revenue = { by: "cap" as const, id: "cap_1", action: "reject" as const, kind: "cap_reached", reason: "cap_reached: the revenue cap a week (week:2026-11-30)", values: { metric: "revenue", limit: "900.0000", period: "week" } };
    expect(await say("en", revenue, "USD")).toBe("the cap of $900.00 of revenue a week is reached");
    expect(await say("ru", revenue, "USD")).toBe("достигнут кап дохода 900,00 $ в неделю");
  });

  it("leaves a money cap's limit out for the party that may not read that amount", async () => {
    const cap = (metric: string) => ({ by: "cap" as const, id: "cap_1", action: "reject" as const, kind: "cap_reached", reason: `cap_reached: the ${metric} cap a day (2026-12-01)`, values: { metric, limit: "900.0000", period: "day" } });
    const [forAffiliate] = decisionsSeenBy("affiliate", [cap("revenue")]);
    expect(forAffiliate.values).not.toHaveProperty("limit");
    expect(await say("en", forAffiliate, "USD")).toBe("the revenue cap a day is reached");
    const [forMerchant] = decisionsSeenBy("merchant", [cap("payout")]);
    expect(await say("ko", forMerchant, "USD")).toBe("일일 지급액 캡에 도달");
    // Each party still reads the limit of the amount it sees, and the network every one.
    expect(decisionsSeenBy("affiliate", [cap("payout")])[0].values).toHaveProperty("limit", "900.0000");
    expect(decisionsSeenBy("merchant", [cap("revenue")])[0].values).toHaveProperty("limit", "900.0000");
    expect(decisionsSeenBy("network", [cap("payout"), cap("revenue")]).map((d) => d.values?.limit)).toEqual(["900.0000", "900.0000"]);
  });

  it("says which sub id was blocked to the network and the affiliate, and only that one was to the merchant", async () => {
    const blocked = rule({ kind: "blocked_subs", param: "sub2", blockedValues: ["Spam", "site-9"], action: "reject" });
    const [fired] = evaluateRules([blocked], { clickedAt, now: clickedAt, country: null, params: { sub2: " spam " }, conversionsFromIp: {} });
    expect(fired).toMatchObject({ kind: "blocked_subs", reason: "the click's sub2 is blocked", values: { param: "sub2", value: "spam" } });
    expect(evaluateRules([blocked], { clickedAt, now: clickedAt, country: null, params: { sub1: "spam", sub2: "spammer" }, conversionsFromIp: {} })).toEqual([]);
    expect(await say("en", fired!)).toBe("the click's sub2 “spam” is blocked");
    expect(await say("ru", fired!)).toBe("sub2 клика «spam» заблокирован");
    const [forMerchant] = decisionsSeenBy("merchant", [fired!]);
    expect(forMerchant.values).toEqual({ param: "sub2" });
    expect(await say("ja", forMerchant)).toBe("クリックの sub2 はブロックされています");
    expect(decisionsSeenBy("affiliate", [fired!])[0].values).toHaveProperty("value", "spam");

    const ipBlock = rule({ kind: "blocked_ips", blockedValues: ["198.51.100.0/24"], action: "hold" });
    const [ip] = evaluateRules([ipBlock], { clickedAt, now: clickedAt, country: null, params: { ip: "198.51.100.200", sub1: "198.51.100.200" }, conversionsFromIp: {} });
    expect(await say("ru", ip!)).toBe("IP клика «198.51.100.200» заблокирован");
    expect(await say("en", decisionsSeenBy("merchant", [ip!])[0])).toBe("the click's IP is blocked");
    expect(evaluateRules([ipBlock], { clickedAt, now: clickedAt, country: null, params: { ip: "198.51.101.1" }, conversionsFromIp: {} })).toEqual([]);
  });

  it("says the English reason of a decision recorded before its figures were kept", async () => {
    expect(await say("ru", { kind: "cap_reached", reason: "cap_reached: 1 conversions a day (2026-12-01)" })).toBe("cap_reached: 1 conversions a day (2026-12-01)");
  });
});
