import { describe, expect, it } from "vitest";
import { negotiateLocale, resolveLocale } from "@/lib/platform/locale";

describe("the reader's language", () => {
  it("picks the best of ours from Accept-Language, by weight and then order, on the primary subtag", () => {
    expect(negotiateLocale("ko-KR,ko;q=0.9,en-US;q=0.8,en;q=0.7")).toBe("ko");
    expect(negotiateLocale("de-DE,de;q=0.9,ja;q=0.8,en;q=0.5")).toBe("ja");
    expect(negotiateLocale("en;q=0.4, ru;q=0.8")).toBe("ru");
    expect(negotiateLocale("zh-TW")).toBe("zh");
    expect(negotiateLocale("zh-Hans-CN, en")).toBe("zh");
    expect(negotiateLocale("RU")).toBe("ru");
  });

  it("has no answer when the browser asks for nothing we have", () => {
    expect(negotiateLocale("de-DE,fr;q=0.8")).toBeNull();
    expect(negotiateLocale("ru;q=0, de")).toBeNull();
    expect(negotiateLocale("*")).toBeNull();
    expect(negotiateLocale("")).toBeNull();
    expect(negotiateLocale(null)).toBeNull();
    expect(negotiateLocale("ru;q=abc")).toBeNull();
  });

  it("lets the saved profile win, then the cookie, then Accept-Language, then English", () => {
    expect(resolveLocale({ saved: "ja", cookie: "ru", acceptLanguage: "ko" })).toBe("ja");
    expect(resolveLocale({ saved: null, cookie: "ru", acceptLanguage: "ko" })).toBe("ru");
    expect(resolveLocale({ saved: null, cookie: "xx", acceptLanguage: "ko" })).toBe("ko");
    expect(resolveLocale({ cookie: undefined, acceptLanguage: "de" })).toBe("en");
    expect(resolveLocale({})).toBe("en");
  });
});
