import { afterEach, describe, expect, it, vi } from "vitest";
import { LOCALES } from "@/lib/platform/locale";
import { AFF_CLICK_ID_KEYS, parseTrackingParams } from "@/lib/tracking/tracking-params";
import { templateProblem } from "@/lib/tracking/template-problems";
import { type Catalogue, readCatalogue } from "../helpers/catalogue";
import {
  aliasesOf,
  findBraceProblem,
  findUnknownMacros,
  MACRO_ALIASES,
  MACRO_NAMES,
  type MacroName,
  renderTemplate,
  resolveMacroName,
} from "@/lib/tracking/macros";

describe("renderTemplate encoding", () => {
  it("URL-encodes values by default", () => {
    expect(renderTemplate("{click_id}", { click_id: "a b" })).toBe("a%20b");
    expect(renderTemplate("{click_id}", { click_id: "a&b=c" })).toBe("a%26b%3Dc");
    expect(renderTemplate("{click_id}", { click_id: "x/y?z#w" })).toBe("x%2Fy%3Fz%23w");
    expect(renderTemplate("{offer_name}", { offer_name: "Café ✓" })).toBe("Caf%C3%A9%20%E2%9C%93");
    expect(renderTemplate("https://t.example/?cid={click_id}&s={sub1}", { click_id: "a b", sub1: "x&y" })).toBe(
      "https://t.example/?cid=a%20b&s=x%26y",
    );
  });

  it("gives the same result for an explicit \"url\" encoding", () => {
    expect(renderTemplate("{click_id}", { click_id: "a b&c" }, "url")).toBe("a%20b%26c");
  });

  it("leaves the raw form {_name} unencoded", () => {
    expect(renderTemplate("{_click_id}", { click_id: "a b&c=d/é" })).toBe("a b&c=d/é");
    expect(renderTemplate("{_click_id}|{click_id}", { click_id: "a b" })).toBe("a b|a%20b");
    expect(renderTemplate("{_click_id}", { click_id: 'q"\\' }, "json")).toBe('q"\\');
  });

  it("escapes values for a JSON string literal in \"json\" mode", () => {
    expect(renderTemplate("{click_id}", { click_id: 'say "hi"' }, "json")).toBe('say \\"hi\\"');
    expect(renderTemplate("{click_id}", { click_id: "a\\b" }, "json")).toBe("a\\\\b");
    expect(renderTemplate("{click_id}", { click_id: "line1\nline2\ttab" }, "json")).toBe("line1\\nline2\\ttab");
    // Spaces, & and / are not URL-encoded in JSON mode.
    expect(renderTemplate("{click_id}", { click_id: "a b&c/d" }, "json")).toBe("a b&c/d");

    const body = renderTemplate('{"click":"{click_id}","name":"{offer_name}"}', { click_id: "x", offer_name: 'He said "no"\n\\' }, "json");
    expect(JSON.parse(body)).toEqual({ click: "x", name: 'He said "no"\n\\' });
  });

  it("inserts values as they are in \"none\" mode", () => {
    expect(renderTemplate("{click_id}", { click_id: 'a b&c=d/"\\\n' }, "none")).toBe('a b&c=d/"\\\n');
  });

  it("renders numbers as text", () => {
    expect(renderTemplate("{payout}", { payout: 12.5 })).toBe("12.5");
    expect(renderTemplate("{payout}", { payout: 0 })).toBe("0");
  });

  it("renders a missing value as an empty string", () => {
    expect(renderTemplate("a={click_id}&b={sub1}&c={_sub2}", {})).toBe("a=&b=&c=");
    expect(renderTemplate("{sub1}", { sub1: null })).toBe("");
    expect(renderTemplate("{sub1}", { sub1: undefined })).toBe("");
  });
});

describe("renderTemplate status mapping", () => {
  const template = "{status:approved=1 rejected=2 lead=0}";

  it("maps a value through the table", () => {
    expect(renderTemplate(template, { status: "approved" })).toBe("1");
    expect(renderTemplate(template, { status: "rejected" })).toBe("2");
    expect(renderTemplate(template, { status: "lead" })).toBe("0");
  });

  it("passes an unmapped value through", () => {
    expect(renderTemplate(template, { status: "hold" })).toBe("hold");
  });

  it("matches case-insensitively", () => {
    expect(renderTemplate(template, { status: "APPROVED" })).toBe("1");
    expect(renderTemplate("{status:Approved=yes}", { status: "approved" })).toBe("yes");
  });

  it("accepts commas between pairs and encodes the mapped value", () => {
    expect(renderTemplate("{status:approved=1,rejected=2}", { status: "rejected" })).toBe("2");
    expect(renderTemplate("{status:approved=a&b}", { status: "approved" })).toBe("a%26b");
    expect(renderTemplate("{_status:approved=a&b}", { status: "approved" })).toBe("a&b");
  });
});

describe("renderTemplate generated values", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("renders {random} as digits that differ between calls", () => {
    const first = renderTemplate("{random}", {});
    const second = renderTemplate("{random}", {});
    expect(first).toMatch(/^\d+$/);
    expect(second).toMatch(/^\d+$/);
    expect(first).not.toBe(second);
  });

  it("uses a given random value", () => {
    expect(renderTemplate("{random}", { random: "42" })).toBe("42");
  });

  it("defaults {timestamp} to the current Unix seconds", () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date("2024-05-06T07:08:09.999Z"));
    expect(renderTemplate("{timestamp}", {})).toBe(String(Date.UTC(2024, 4, 6, 7, 8, 9) / 1000));
    expect(renderTemplate("{timestamp}", {})).toBe("1714979289");
  });

  it("uses a given timestamp", () => {
    expect(renderTemplate("{timestamp}", { timestamp: 1000 })).toBe("1000");
  });
});

describe("macro names", () => {
  it("leaves an unknown macro as written", () => {
    expect(renderTemplate("x={nope}&y={click_id}", { click_id: "1" })).toBe("x={nope}&y=1");
    expect(renderTemplate("{_nope}", {})).toBe("{_nope}");
    expect(renderTemplate("{nope:a=b}", {})).toBe("{nope:a=b}");
  });

  it("is case-insensitive", () => {
    expect(renderTemplate("{CLICK_ID}", { click_id: "c1" })).toBe("c1");
    expect(renderTemplate("{Click_Id}", { click_id: "c1" })).toBe("c1");
    expect(renderTemplate("{_ClickId}", { aff_click_id: "a b" })).toBe("a b");
    expect(resolveMacroName("PAYOUT")).toBe("payout");
  });

  it("resolves every alias to its canonical macro", () => {
    const entries = Object.entries(MACRO_ALIASES);
    expect(entries.length).toBeGreaterThan(0);
    for (const [alias, canonical] of entries) {
      expect(MACRO_NAMES, `${alias} → ${canonical}`).toContain(canonical);
      expect(resolveMacroName(alias), alias).toBe(canonical);
      expect(renderTemplate(`{${alias}}`, { [canonical]: "v" }), alias).toBe("v");
      expect(renderTemplate(`{${alias.toUpperCase()}}`, { [canonical]: "v" }), alias).toBe("v");
    }
  });

  it("has the expected aliases", () => {
    expect(MACRO_ALIASES.clickid).toBe("aff_click_id");
    expect(MACRO_ALIASES.cid).toBe("click_id");
    expect(MACRO_ALIASES.subid).toBe("aff_click_id");
    expect(MACRO_ALIASES.txid).toBe("transaction_id");
    expect(MACRO_ALIASES.aff_sub).toBe("sub1");
  });

  it("describes every macro, and nothing else, in every language", () => {
    for (const locale of LOCALES) {
      const descriptions = (readCatalogue(locale).macroPalette as Catalogue).descriptions as Catalogue;
      expect(Object.keys(descriptions).sort(), locale).toEqual([...MACRO_NAMES].sort());
      for (const name of MACRO_NAMES) expect(String(descriptions[name]).trim(), `${locale} ${name}`).not.toBe("");
    }
  });

  it("has the canonical macros", () => {
    const expected: MacroName[] = [
      "click_id",
      "aff_click_id",
      "sub1",
      "sub2",
      "sub3",
      "sub4",
      "sub5",
      "sub6",
      "sub7",
      "sub8",
      "sub9",
      "sub10",
      "source",
      "conversion_id",
      "transaction_id",
      "status",
      "original_status",
      "payout",
      "revenue",
      "sale_amount",
      "currency",
      "offer_id",
      "offer_name",
      "campaign_id",
      "affiliate_id",
      "network_id",
      "merchant_id",
      "ip",
      "user_agent",
      "country",
      "click_time",
      "conversion_time",
      "timestamp",
      "delivery_id",
      "random",
    ];
    const names: readonly string[] = MACRO_NAMES;
    for (const name of expected) {
      expect(names, name).toContain(name);
      expect(renderTemplate(`{${name}}`, { [name]: "v" }), name).toBe("v");
    }
  });

  // A name list read as an object's keys would also see Object.prototype, so
  // {constructor} is taken for a macro: it renders "function Object() { [native code] }"
  // and findUnknownMacros does not report it.
  it("does not take inherited object properties for macros", () => {
    expect(resolveMacroName("constructor")).toBeUndefined();
    expect(renderTemplate("{constructor}", {})).toBe("{constructor}");
    expect(findUnknownMacros("{constructor}")).toEqual([{ macro: "constructor", suggestion: undefined }]);
  });
});

describe("findUnknownMacros", () => {
  it("reports nothing for a template of known macros and aliases", () => {
    expect(findUnknownMacros("https://x.example/?a={click_id}&b={_sub1}&c={status:approved=1}&d={clickid}&e={TXID}")).toEqual([]);
    expect(findUnknownMacros("no macros here")).toEqual([]);
  });

  it("reports unknown names with the nearest suggestion", () => {
    expect(findUnknownMacros("{clik_id}")).toEqual([{ macro: "clik_id", suggestion: "click_id" }]);
    expect(findUnknownMacros("{paypout}")).toEqual([{ macro: "paypout", suggestion: "payout" }]);
    expect(findUnknownMacros("{_clik_id}")).toEqual([{ macro: "clik_id", suggestion: "click_id" }]);
    expect(findUnknownMacros("{CLIK_ID}")).toEqual([{ macro: "CLIK_ID", suggestion: "click_id" }]);
  });

  it("reports each unknown name once, in order, among known ones", () => {
    expect(findUnknownMacros("{paypout}&{click_id}&{clik_id}&{paypout}")).toEqual([
      { macro: "paypout", suggestion: "payout" },
      { macro: "clik_id", suggestion: "click_id" },
    ]);
  });

  it("gives no suggestion for a far-off name", () => {
    const unknown = findUnknownMacros("{zzzzqqqqxxxxwwww}");
    expect(unknown).toHaveLength(1);
    expect(unknown[0].macro).toBe("zzzzqqqqxxxxwwww");
    expect(unknown[0].suggestion).toBeUndefined();
  });
});

describe("unknown macros, as a template refused names them", () => {
  it("returns null when every macro is known", () => {
    expect(templateProblem("{click_id}&{sub1}")).toBeNull();
    expect(templateProblem("")).toBeNull();
  });

  it("names each unknown macro with its suggestion", () => {
    expect(templateProblem("{clik_id}")?.message).toBe("Unknown macro {clik_id} — did you mean {click_id}?");
    expect(templateProblem("{clik_id}{paypout}")?.message).toBe("Unknown macros: {clik_id}, {paypout}");
  });

  it("leaves out the suggestion when there is none", () => {
    expect(templateProblem("{zzzzqqqqxxxxwwww}")?.message).toBe("Unknown macro {zzzzqqqqxxxxwwww}");
  });
});

describe("tracker click ids: one meaning on the tracking link and in a template", () => {
  const values = { click_id: "clk_postline", aff_click_id: "tracker-42" };

  it("renders the tracker's id for the names trackers' postback formats use", () => {
    // Keitaro {subid}, Binom and RedTrack {clickid}, Voluum {clickid} / {externalid}.
    for (const name of ["clickid", "subid", "external_id", "externalid", "sub_id", "ClickID", "SUBID"]) {
      expect(renderTemplate(`https://t.example/pb?id={${name}}`, values), name).toBe("https://t.example/pb?id=tracker-42");
    }
    expect(renderTemplate("{click_id}", values)).toBe("clk_postline");
    expect(renderTemplate("{cid}", values)).toBe("clk_postline");
  });

  it("reads every name that renders the tracker's id as that id on the link, and no other", () => {
    const names = ["aff_click_id", ...aliasesOf("aff_click_id")];
    for (const name of names) {
      expect(parseTrackingParams(new URLSearchParams({ [name]: "tracker-42" })).affClickId, name).toBe("tracker-42");
    }
    for (const key of AFF_CLICK_ID_KEYS) expect(resolveMacroName(key), key).toBe("aff_click_id");
    // {click_id} is Postline's id, so click_id= on the link is not taken for the tracker's.
    expect(parseTrackingParams(new URLSearchParams({ click_id: "x" })).affClickId).toBeNull();
  });

  it("says in the descriptions whose id each click id is", () => {
    const descriptions = (readCatalogue("en").macroPalette as Catalogue).descriptions as Catalogue;
    expect(descriptions.click_id).toMatch(/Postline's own click id/);
    expect(descriptions.aff_click_id).toMatch(/tracker's click id/);
    expect(descriptions.aff_click_id).toMatch(/clickid/);
  });
});

describe("findBraceProblem", () => {
  it("finds an unclosed brace, with its position counted from 1", () => {
    expect(findBraceProblem("cid={click_id&st={status}")).toEqual({ index: 4, kind: "unclosed", text: "{", message: "An unclosed { at character 5: end the macro with }." });
    expect(findBraceProblem("https://t.example/?s={status")?.message).toMatch(/^An unclosed \{ at character 22/);
    expect(findBraceProblem("a={status:approved=1&b={sub1}")?.index).toBe(2);
  });

  it("finds a stray closing brace and a brace that starts no macro", () => {
    expect(findBraceProblem("a={click_id}}&b=1")).toEqual({ index: 12, kind: "stray_close", text: "}", message: "A stray } at character 13: a macro is written {name}, a literal brace %7D." });
    expect(findBraceProblem("a=click_id}")?.index).toBe(10);
    expect(findBraceProblem("a={ click_id}")?.message).toMatch(/^A \{ at character 3 starts no macro/);
    expect(findBraceProblem("a={}")?.index).toBe(2);
    expect(findBraceProblem("a={click-id}")?.message).toBe("{click-id} at character 3 is not a macro: a name has letters, digits and _, like {click_id}.");
  });

  it("accepts well-formed macros, raw ones and mappings", () => {
    expect(findBraceProblem("https://t.example/?a={click_id}&b={_sub1}&c={status:approved=1 rejected=2}&d={nope}")).toBeNull();
    expect(findBraceProblem("")).toBeNull();
  });

  it("leaves a JSON body's own braces alone, but not a macro left open in it", () => {
    expect(findBraceProblem('{"click": "{aff_click_id}", "payout": {payout}, "n": {"a": []}}', "text")).toBeNull();
    expect(findBraceProblem('{"click": "{aff_click_id", "s": "{status}"}', "text")?.message).toMatch(/^An unclosed \{ at character 12/);
    expect(findBraceProblem('{"s": {status}}', "url")?.index).toBe(0);
  });
});

describe("templateProblem", () => {
  it("gives the brace problem first, then unknown macros, and null for a sound template", () => {
    expect(templateProblem("cid={click_id&x={paypout}")?.message).toMatch(/^An unclosed \{ at character 5/);
    expect(templateProblem("x={paypout}")).toEqual({
      message: "Unknown macro {paypout} — did you mean {payout}?",
      key: "errors.template.unknownMacro",
      values: { header: "none", macro: "{paypout}", suggestion: "{payout}" },
    });
    expect(templateProblem("x={payout}")).toBeNull();
  });
});
