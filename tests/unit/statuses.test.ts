import { describe, expect, it } from "vitest";
import type { ConversionStatus } from "@/db/schema";
import { CONVERSION_STATUSES, DEFAULT_STATUS_WORDS, decideTransition, mapStatusWord } from "@/lib/conversions/statuses";

const ALL: ConversionStatus[] = ["lead", "approved", "rejected", "hold"];

const EXPECTED_CHANGES: Record<string, "status_changed" | "reversal"> = {
  "lead->approved": "status_changed",
  "lead->rejected": "status_changed",
  "lead->hold": "status_changed",
  "hold->approved": "status_changed",
  "hold->rejected": "status_changed",
  "approved->rejected": "reversal",
};

describe("decideTransition", () => {
  it("knows the four statuses", () => {
    expect([...CONVERSION_STATUSES].sort()).toEqual([...ALL].sort());
  });

  it("decides every pair of statuses", () => {
    let checked = 0;
    for (const from of ALL) {
      for (const to of ALL) {
        const pair = `${from}->${to}`;
        const decision = decideTransition(from, to);
        checked++;
        if (from === to) {
          expect(decision, pair).toEqual({ kind: "same" });
        } else if (pair in EXPECTED_CHANGES) {
          expect(decision, pair).toEqual({ kind: "change", eventKind: EXPECTED_CHANGES[pair] });
        } else {
          expect(decision.kind, pair).toBe("refused");
          if (decision.kind !== "refused") continue;
          expect(typeof decision.reason, pair).toBe("string");
          expect(decision.reason, pair).toContain(from);
        }
      }
    }
    expect(checked).toBe(16);
  });

  it("refuses backward moves and anything out of rejected", () => {
    const refused = [
      ["approved", "lead"],
      ["approved", "hold"],
      ["hold", "lead"],
      ["rejected", "lead"],
      ["rejected", "approved"],
      ["rejected", "hold"],
    ] as const;
    for (const [from, to] of refused) {
      expect(decideTransition(from, to).kind, `${from}->${to}`).toBe("refused");
    }
  });

  it("treats only approved → rejected as a reversal", () => {
    expect(decideTransition("approved", "rejected")).toEqual({ kind: "change", eventKind: "reversal" });
    expect(decideTransition("hold", "rejected")).toEqual({ kind: "change", eventKind: "status_changed" });
    expect(decideTransition("lead", "rejected")).toEqual({ kind: "change", eventKind: "status_changed" });
  });
});

describe("mapStatusWord", () => {
  it("maps the default words", () => {
    expect(mapStatusWord("sale", {})).toBe("approved");
    expect(mapStatusWord("1", {})).toBe("approved");
    expect(mapStatusWord("approved", {})).toBe("approved");
    expect(mapStatusWord("declined", {})).toBe("rejected");
    expect(mapStatusWord("chargeback", {})).toBe("rejected");
    expect(mapStatusWord("pending", {})).toBe("lead");
    expect(mapStatusWord("0", {})).toBe("lead");
    expect(mapStatusWord("hold", {})).toBe("hold");
    expect(mapStatusWord("test", {})).toBe("ignore");
    expect(mapStatusWord("ping", {})).toBe("ignore");
  });

  it("maps every default word to what the table says", () => {
    for (const [word, target] of Object.entries(DEFAULT_STATUS_WORDS)) {
      expect(mapStatusWord(word, {}), word).toBe(target);
    }
  });

  it("matches case-insensitively and ignores surrounding spaces", () => {
    expect(mapStatusWord("SALE", {})).toBe("approved");
    expect(mapStatusWord("Declined", {})).toBe("rejected");
    expect(mapStatusWord("  pending ", {})).toBe("lead");
    expect(mapStatusWord("DONE", { done: "approved" })).toBe("approved");
    expect(mapStatusWord("done", { DONE: "approved" })).toBe("approved");
  });

  it("lets the endpoint's map win over the defaults", () => {
    expect(mapStatusWord("sale", { sale: "hold" })).toBe("hold");
    expect(mapStatusWord("SALE", { Sale: "lead" })).toBe("lead");
    expect(mapStatusWord("1", { "1": "rejected" })).toBe("rejected");
    expect(mapStatusWord("test", { test: "approved" })).toBe("approved");
    // Words the endpoint's map does not name still use the defaults.
    expect(mapStatusWord("declined", { sale: "hold" })).toBe("rejected");
  });

  it("returns undefined for an unknown word", () => {
    expect(mapStatusWord("banana", {})).toBeUndefined();
    expect(mapStatusWord("banana", { sale: "approved" })).toBeUndefined();
    expect(mapStatusWord("", {})).toBeUndefined();
  });

  // BUG: DEFAULT_STATUS_WORDS is a plain object read by key, so words naming Object.prototype
  // properties ("constructor", "__proto__") return the inherited value (a function / an object)
  // instead of undefined.
  it("returns undefined for words that are inherited object properties", () => {
    expect(mapStatusWord("constructor", {})).toBeUndefined();
    expect(mapStatusWord("__proto__", {})).toBeUndefined();
  });
});
