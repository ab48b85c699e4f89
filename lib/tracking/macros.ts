/**
 * The one macro engine, for landing URLs and outgoing postbacks alike.
 *
 *   {name}                      the value, encoded for where it lands (URL-encoded by default)
 *   {_name}                     the value as is (raw)
 *   {name:approved=1 lead=0}    the value mapped through a table (trackers that want their own words);
 *                               an unmapped value passes through
 *
 * Names are case-insensitive; the aliases trackers' docs use ({clickid}, {subid}, {txid}...) resolve
 * to the canonical names. Unknown names and braces that open or close no macro are refused when a
 * template is saved (`templateProblem` in template-problems.ts).
 */
/**
 * Every macro's name. What each carries is told in the reader's language by the message catalogue
 * (`macroPalette.descriptions.<name>`), so the names here are all the engine needs.
 */
export const MACRO_NAMES = [
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
  "goal",
  "goal_name",
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
] as const;

export type MacroName = (typeof MACRO_NAMES)[number];
const MACRO_NAME_SET: ReadonlySet<string> = new Set(MACRO_NAMES);

export type MacroValues = Partial<Record<MacroName, string | number | null | undefined>>;

/**
 * Aliases used by trackers' and networks' docs (Keitaro, Binom, Voluum, TUNE, Everflow, Affise).
 * In a tracker's postback format, {clickid}, {subid} and {external_id} stand for the tracker's own
 * click id, the one it put on the tracking link: aff_click_id, as the link reads those names
 * (tracking-params.ts), never Postline's click id.
 */
export const MACRO_ALIASES: Record<string, MacroName> = {
  clickid: "aff_click_id",
  cid: "click_id",
  subid: "aff_click_id",
  sub_id: "aff_click_id",
  external_id: "aff_click_id",
  externalid: "aff_click_id",
  aff_sub: "sub1",
  aff_sub1: "sub1",
  aff_sub2: "sub2",
  aff_sub3: "sub3",
  aff_sub4: "sub4",
  aff_sub5: "sub5",
  s1: "sub1",
  s2: "sub2",
  s3: "sub3",
  s4: "sub4",
  s5: "sub5",
  source_id: "source",
  txid: "transaction_id",
  tid: "transaction_id",
  order_id: "transaction_id",
  conv_id: "conversion_id",
  conversionid: "conversion_id",
  cnv_status: "status",
  amount: "sale_amount",
  sum: "revenue",
  cnv_currency: "currency",
  country_code: "country",
  ua: "user_agent",
  unix_timestamp: "timestamp",
  rand: "random",
  cachebuster: "random",
};

// {_name}, {name} and {name:a=b c=d}; names are letters, digits and underscores.
const MACRO_PATTERN = /\{(_?)([A-Za-z][A-Za-z0-9_]*)(?::([^{}]*))?\}/g;

export function resolveMacroName(name: string): MacroName | undefined {
  const lower = name.toLowerCase();
  // A set, not an object's keys: `{constructor}` is not a macro just because every object has one.
  if (MACRO_NAME_SET.has(lower)) return lower as MacroName;
  return Object.hasOwn(MACRO_ALIASES, lower) ? MACRO_ALIASES[lower] : undefined;
}

export type Encoding = "url" | "json" | "none";

function encodeValue(value: string, encoding: Encoding): string {
  if (encoding === "url") return encodeURIComponent(value);
  if (encoding === "json") return JSON.stringify(value).slice(1, -1);
  return value;
}

function parseMapping(spec: string): Map<string, string> {
  const table = new Map<string, string>();
  for (const pair of spec.trim().split(/[\s,]+/)) {
    const eq = pair.indexOf("=");
    if (eq > 0) table.set(pair.slice(0, eq).toLowerCase(), pair.slice(eq + 1));
  }
  return table;
}

/**
 * Fills a template. `encoding` says where the text lands: "url" for URLs and form bodies
 * (values URL-encoded), "json" for JSON body templates (values escaped for a string literal).
 * A missing value renders as an empty string; an unknown macro is left as written.
 */
export function renderTemplate(template: string, values: MacroValues, encoding: Encoding = "url"): string {
  return template.replace(MACRO_PATTERN, (whole, raw: string, name: string, mapping?: string) => {
    const macro = resolveMacroName(name);
    if (!macro) return whole;
    let value = macroValue(macro, values);
    if (mapping !== undefined) value = parseMapping(mapping).get(value.toLowerCase()) ?? value;
    return raw ? value : encodeValue(value, encoding);
  });
}

function macroValue(macro: MacroName, values: MacroValues): string {
  // A cache-buster, not a secret: Math.random keeps this module usable in the browser (previews).
  if (macro === "random" && values.random == null) return String(100_000_000 + Math.floor(Math.random() * 900_000_000));
  if (macro === "timestamp" && values.timestamp == null) return String(Math.floor(Date.now() / 1000));
  const value = values[macro];
  return value == null ? "" : String(value);
}

export type UnknownMacro = { macro: string; suggestion?: string };

/** The macros in a template that the engine does not know, each with the nearest known name. */
export function findUnknownMacros(template: string): UnknownMacro[] {
  const unknown: UnknownMacro[] = [];
  for (const [, , name] of template.matchAll(MACRO_PATTERN)) {
    if (resolveMacroName(name) || unknown.some((u) => u.macro === name)) continue;
    unknown.push({ macro: name, suggestion: nearestMacro(name) });
  }
  return unknown;
}

const ALL_NAMES = [...MACRO_NAMES, ...Object.keys(MACRO_ALIASES)];

function nearestMacro(name: string): string | undefined {
  const lower = name.toLowerCase();
  let best: { name: string; distance: number } | undefined;
  for (const candidate of ALL_NAMES) {
    const distance = editDistance(lower, candidate);
    if (!best || distance < best.distance) best = { name: candidate, distance };
  }
  // Past a third of the name's length, a "suggestion" is noise.
  return best && best.distance <= Math.max(2, Math.ceil(lower.length / 3)) ? best.name : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/**
 * Where braces may be text: in "url" templates (URLs, form bodies) every brace belongs to a macro,
 * since a literal one is written %7B / %7D; in "text" templates (JSON bodies, header values) braces
 * are the text's own, and only a { followed by a name must make a macro.
 */
export type TemplateSyntax = "url" | "text";

/** A brace problem: where, what kind (for a page to say it in its reader's words), the text at fault, and the English message. */
export type BraceProblem = { index: number; kind: "stray_close" | "starts_no_macro" | "not_a_macro" | "unclosed"; text: string; message: string };

const NAME_AT = /\{_?[A-Za-z][A-Za-z0-9_]*/y;

/**
 * The first brace that opens or closes no macro (`cid={click_id&st=…`), with its index and a
 * message that gives its position counted from 1. Such a template would send the brace and the
 * name as literal text on every conversion.
 */
export function findBraceProblem(template: string, syntax: TemplateSyntax = "url"): BraceProblem | null {
  for (let i = 0; i < template.length; i++) {
    const char = template[i];
    const at = `at character ${i + 1}`;
    if (char === "}") {
      if (syntax === "url") return { index: i, kind: "stray_close", text: "}", message: `A stray } ${at}: a macro is written {name}, a literal brace %7D.` };
      continue;
    }
    if (char !== "{") continue;
    NAME_AT.lastIndex = i;
    const name = NAME_AT.exec(template);
    if (!name) {
      if (syntax === "text") continue;
      return { index: i, kind: "starts_no_macro", text: "{", message: `A { ${at} starts no macro: a macro is written {name}, a literal brace %7B.` };
    }
    const afterName = i + name[0].length;
    const close = template.indexOf("}", afterName);
    const nextOpen = template.indexOf("{", afterName);
    const closed = close !== -1 && (nextOpen === -1 || close < nextOpen);
    if (closed && (template[afterName] === "}" || template[afterName] === ":")) {
      i = close;
      continue;
    }
    // {click-id} is closed but misspelt; {click_id&… runs on into the rest of the template.
    if (closed && /^[\w.-]*$/.test(template.slice(afterName, close))) {
      const text = template.slice(i, close + 1);
      return { index: i, kind: "not_a_macro", text, message: `${text} ${at} is not a macro: a name has letters, digits and _, like {click_id}.` };
    }
    return { index: i, kind: "unclosed", text: "{", message: `An unclosed { ${at}: end the macro with }.` };
  }
  return null;
}

/** The aliases of a macro, as the palette lists them. */
export function aliasesOf(name: MacroName): string[] {
  return Object.entries(MACRO_ALIASES).filter(([, canonical]) => canonical === name).map(([alias]) => alias);
}

/** Whose id a macro carries, where two ids could be confused (the palette says it in the reader's words). */
export const MACRO_ID_OWNERS: Partial<Record<MacroName, "postline" | "tracker">> = {
  click_id: "postline",
  aff_click_id: "tracker",
};

/** Values shown in previews and sent by Test when no real conversion is at hand. */
export const SAMPLE_MACRO_VALUES: MacroValues = {
  click_id: "clk_SAMPLE1234567890abcd",
  aff_click_id: "your-click-id",
  sub1: "sub1-value",
  sub2: "sub2-value",
  source: "newsletter",
  conversion_id: "conv_SAMPLE1234567890abc",
  transaction_id: "ORDER-1001",
  status: "approved",
  original_status: "sale",
  payout: "12.50",
  revenue: "20.00",
  sale_amount: "99.90",
  currency: "USD",
  offer_id: "off_SAMPLE",
  offer_name: "Sample offer",
  goal: "deposit",
  goal_name: "First deposit",
  campaign_id: "cmp_SAMPLE",
  affiliate_id: "org_SAMPLE_AFFILIATE",
  network_id: "org_SAMPLE_NETWORK",
  merchant_id: "org_SAMPLE_MERCHANT",
  ip: "203.0.113.10",
  user_agent: "Mozilla/5.0",
  country: "US",
  click_time: "2026-01-01T12:00:00.000Z",
  conversion_time: "2026-01-01T12:30:00.000Z",
  delivery_id: "dlv_test",
};
