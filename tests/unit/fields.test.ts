import { describe, expect, it } from "vitest";
import { z } from "zod";
import { amount, flag, optionalAmount, optionalText, optionalWholeNumber, wholeNumber, wordList } from "@/lib/platform/fields";

const fails = (schema: z.ZodType, value: unknown) => expect(schema.safeParse(value).success, JSON.stringify(value)).toBe(false);

describe("fields read by both a form and a JSON client", () => {
  it("flag: a checkbox's on, a select's true/false, JSON booleans; anything else is refused, not read as no", () => {
    const checkbox = z.object({ v: flag.default(false) });
    expect(checkbox.parse({}).v).toBe(false);
    for (const yes of ["on", "true", "1", true]) expect(flag.parse(yes)).toBe(true);
    for (const no of ["false", "0", "", false]) expect(flag.parse(no)).toBe(false);
    for (const bad of ["yes", 1, null, [true]]) fails(flag, bad);
  });

  it("amount: a form's text or a JSON number, kept as the exact string", () => {
    expect(amount().parse("12.50")).toBe("12.50");
    expect(amount().parse(12.5)).toBe("12.5");
    expect(amount().parse(0)).toBe("0");
    for (const bad of [-1, "1e3", 0.00001, "12,5", true, null, Number.NaN]) fails(amount(), bad);
    expect(optionalAmount().parse("")).toBeUndefined();
    expect(optionalAmount().parse(null)).toBeUndefined();
    expect(optionalAmount().parse(3)).toBe("3");
  });

  it("whole numbers: text or a number; true, blank or trailing letters are refused", () => {
    const hours = wholeNumber(1, 100);
    expect(hours.parse("24")).toBe(24);
    expect(hours.parse(24)).toBe(24);
    for (const bad of [true, "", "12abc", 1.5, 0, 101, null]) fails(hours, bad);
    const optional = optionalWholeNumber(1, 100);
    expect(optional.parse("")).toBeNull();
    expect(optional.parse(null)).toBeNull();
    expect(optional.parse(undefined)).toBeNull();
    expect(optional.parse("7")).toBe(7);
    fails(optional, false);
  });

  it("optional text and word lists", () => {
    expect(optionalText(10).parse(" a ")).toBe("a");
    expect(optionalText(10).parse("")).toBeNull();
    expect(optionalText(10).parse(null)).toBeNull();
    fails(optionalText(3), "abcd");
    expect(wordList(5).parse("US, DE\nFR")).toEqual(["US", "DE", "FR"]);
    expect(wordList(5).parse(["US", "DE"])).toEqual(["US", "DE"]);
    expect(wordList(5).parse(null)).toEqual([]);
    fails(wordList(5), 42);
    fails(wordList(1), ["US", "DE"]);
  });
});
