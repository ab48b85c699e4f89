import { describe, expect, it } from "vitest";
import { convertAmount } from "@/lib/program/exchange-rates";

describe("an amount converted with an exchange rate", () => {
  it("rounds half up to the amount column's 4 decimals, in exact decimal arithmetic, both ways round", () => {
    // Floating point made 1.0001 × 0.5 "0.5000" and 2.0001 × 0.5 "1.0001".
    expect(convertAmount("1.0001", { rate: "0.5", divide: false })).toBe("0.5001");
    expect(convertAmount("2.0001", { rate: "0.5", divide: false })).toBe("1.0001");
    expect(convertAmount("100", { rate: "1.08", divide: false })).toBe("108.0000");
    expect(convertAmount("10", { rate: "3", divide: true })).toBe("3.3333");
    expect(convertAmount("20", { rate: "3", divide: true })).toBe("6.6667");
    expect(convertAmount("0", { rate: "1.5", divide: false })).toBe("0.0000");
    expect(convertAmount("0.0001", { rate: "0.0000000001", divide: false })).toBe("0.0000");
    expect(convertAmount("9999999999.9999", { rate: "1.0000000001", divide: false })).toBe("10000000000.9999");
  });
});
