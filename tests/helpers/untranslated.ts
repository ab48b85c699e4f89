import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Catalogue } from "./catalogue";

/**
 * The detector of untranslated English on a page (issue 20 item 5). A page is read as blocks: the
 * text a person reads in one box (a paragraph, a cell, a button), with the machine text in it
 * (code, monospace values) cut out. A block fails when it is (a) exactly an English catalogue
 * message that the language says otherwise, or (b) holds a run of three or more English words
 * that is not data: the demo's and the tests' names, ids, URLs, macros, the brand.
 */

/** What a person reads in one box, as the browser collected it. */
export type TextBlock = { text: string; where: string };
export type Finding = { text: string; where: string; why: "catalogue" | "sentence"; detail: string };

/** A block the collector cuts machine text out of: the gap is marked so no run spans it. */
const GAP = " \u241e ";

/**
 * Runs in the browser (page.evaluate): every visible text node, grouped by its nearest non-inline
 * element, with code, <pre>, monospace values and hidden elements left out; placeholders, a
 * button's value and the tab's title count as text. Self-contained: Playwright sends its source.
 */
export function collectTextBlocks(): TextBlock[] {
  const GAP_MARK = " \u241e ";
  const machine = (el: Element) => el.closest("code, pre, kbd, samp, script, style, noscript, template, .font-mono, [translate=no]") !== null;
  const visible = (el: Element) => {
    const select = el.closest("select");
    const target = select ?? el;
    return typeof target.checkVisibility === "function" ? target.checkVisibility({ visibilityProperty: true } as CheckVisibilityOptions) : true;
  };
  const describe = (el: Element) => {
    const testId = el.getAttribute("data-testid");
    const id = el.id ? `#${el.id}` : "";
    return `${el.tagName.toLowerCase()}${id}${testId ? `[data-testid=${testId}]` : ""}`;
  };
  const blocks = new Map<Element, { parts: string[]; where: string }>();
  const blockOf = (el: Element): Element => {
    let current: Element = el;
    while (current.parentElement && getComputedStyle(current).display === "inline") current = current.parentElement;
    return current;
  };
  const add = (el: Element, text: string) => {
    const block = blockOf(el);
    const entry = blocks.get(block) ?? { parts: [], where: describe(block) };
    entry.parts.push(text);
    blocks.set(block, entry);
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || !node.textContent?.trim()) continue;
    if (!visible(parent)) continue;
    add(parent, machine(parent) ? GAP_MARK : node.textContent);
  }
  const out: TextBlock[] = [...blocks.values()].map(({ parts, where }) => ({ text: parts.join(""), where }));
  for (const el of document.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>("input[placeholder], textarea[placeholder]")) {
    if (visible(el) && !machine(el) && !el.classList.contains("font-mono")) out.push({ text: el.placeholder, where: `${describe(el)} placeholder` });
  }
  for (const el of document.querySelectorAll<HTMLInputElement>("input[type=submit], input[type=button]")) {
    if (visible(el)) out.push({ text: el.value, where: `${describe(el)} value` });
  }
  if (document.title) out.push({ text: document.title, where: "title" });
  return out;
}

type Leaf = { key: string; value: string };

function leaves(node: Catalogue, prefix = ""): Leaf[] {
  return Object.entries(node).flatMap(([key, value]) =>
    typeof value === "string" ? [{ key: `${prefix}${key}`, value }] : leaves(value, `${prefix}${key}.`),
  );
}

const normalize = (text: string) => text.replace(/\s+/g, " ").trim();
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** English messages a language says otherwise: plain ones to compare whole, ones with `{arguments}` as patterns. */
export function englishOnlyMessages(english: Catalogue, translated: Catalogue): { plain: Map<string, string>; patterns: { key: string; pattern: RegExp }[] } {
  const theirs = new Map(leaves(translated).map(({ key, value }) => [key, value]));
  const plain = new Map<string, string>();
  const patterns: { key: string; pattern: RegExp }[] = [];
  for (const { key, value } of leaves(english)) {
    if (theirs.get(key) === value) continue;
    const text = normalize(value);
    if (!/[A-Za-z]/.test(text)) continue;
    if (!/[{<]/.test(text)) plain.set(text, key);
    // Plurals, selects and rich text render in pieces: the word-run rule reads those. A pattern
    // needs words of its own, or `{label} {value}` would match any text.
    else if (!/[<']|,\s*(plural|select|selectordinal)\s*,/.test(text) && text.replace(/\{[^{}]*\}/g, " ").split(/\s+/).filter((w) => /^[A-Za-z]{2,}/.test(w)).length >= 2) {
      const pattern = escapeRegExp(text).replace(/\\\{\s*\w+\s*\\\}/g, ".+?");
      patterns.push({ key, pattern: new RegExp(`^${pattern}$`) });
    }
  }
  return { plain, patterns };
}

// Names a sentence in any language keeps as they are: the brand, trackers, services.
const PROPER_NOUNS = new Set(["Postline", "Keitaro", "Binom", "Voluum", "RedTrack", "Inngest", "Vercel", "Neon", "Supabase", "Chromium", "Chrome", "Firefox", "Safari", "Linux"]);
const ENGLISH_WORD = /^[A-Za-z][a-z]*(?:['’-][a-z]+)*$/;

/** The longest run of English words in a text, once data is cut out. */
export function longestEnglishRun(text: string, data: readonly string[]): string[] {
  let rest = ` ${text} `;
  // A name of two words or more is cut out whole; a single word alone cannot make a run anyway.
  for (const item of data) if (/\s/.test(item)) rest = rest.split(item).join(GAP);
  rest = rest
    .replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, GAP) // URLs
    .replace(/\{[^{}]*\}/g, GAP) // macros
    .replace(/\S+@\S+/g, GAP) // emails
    .replace(/\S*\/\S*/g, GAP); // paths, zones, dates with slashes
  let best: string[] = [];
  // A sentence of three English words or more has three in a row between two marks; a list of
  // values ("lead, approved, rejected") or a label and its value ("Status: lead") has not.
  for (const clause of rest.split(/[.,;:!?()[\]"“”«»„…—–·|\u241e]+/)) {
    let run: string[] = [];
    for (const token of clause.split(/\s+/)) {
      if (token === "") continue;
      if (ENGLISH_WORD.test(token) && !PROPER_NOUNS.has(token)) {
        run.push(token);
        if (run.length > best.length) best = [...run];
      } else run = [];
    }
  }
  return best;
}

/** Every block of a page that reads as untranslated English in `locale`. */
export function findUntranslated(
  blocks: readonly TextBlock[],
  options: { english: Catalogue; translated: Catalogue; data: readonly string[] },
): Finding[] {
  const { plain, patterns } = englishOnlyMessages(options.english, options.translated);
  // A text the language's own catalogue says as it is (a term its translator kept) is not a miss.
  const kept = new Set(leaves(options.translated).map(({ value }) => normalize(value)));
  const data = new Set(options.data.map(normalize));
  // Longest first, so a name is cut out whole before a shorter one inside it.
  const dataByLength = [...data].sort((a, b) => b.length - a.length);
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const block of blocks) {
    const whole = normalize(block.text.replace(/\s*\u241e\s*/g, GAP));
    const shown = normalize(whole.replace(/\u241e/g, " "));
    const key = `${block.where}|${whole}`;
    if (!shown || data.has(shown) || kept.has(shown) || seen.has(key)) continue;
    seen.add(key);
    const exact = plain.get(shown) ?? patterns.find(({ pattern }) => pattern.test(shown))?.key;
    if (exact) {
      findings.push({ text: whole, where: block.where, why: "catalogue", detail: exact });
      continue;
    }
    const run = longestEnglishRun(whole, dataByLength);
    if (run.length >= 3) findings.push({ text: whole, where: block.where, why: "sentence", detail: run.join(" ") });
  }
  return findings;
}

/** One line per finding, for a failure message a person can act on. */
export function describeFindings(findings: readonly Finding[]): string {
  return findings.map((f) => `  ${f.where}: "${f.text}" (${f.why === "catalogue" ? `English message ${f.detail}` : `English words: "${f.detail}"`})`).join("\n");
}

// The names the demo seeds and the end-to-end tests type into forms or send to the API: data,
// shown as written in every language. A locator's `{ name: … }` is a label the page shows, not data.
const DATA_LITERAL = /(?:\bname|\bdescription|"name"|"description"|\.fill)\s*[:(]\s*(["'`])((?:\\.|(?!\1).)*)\1/g;

/** The strings in the demo seed and the end-to-end specs that pages show as data. */
export function harvestDataStrings(root = process.cwd()): string[] {
  const specs = readdirSync(path.join(root, "tests/e2e")).filter((f) => f.endsWith(".ts")).map((f) => path.join(root, "tests/e2e", f));
  const found = new Set<string>();
  for (const file of [path.join(root, "lib/demo/seed.ts"), ...specs]) {
    for (const line of readFileSync(file, "utf8").split("\n")) {
      const locating = /getBy\w+\(|\.filter\(|locator\(/.test(line);
      for (const match of line.matchAll(DATA_LITERAL)) {
        if (locating && !match[0].startsWith(".fill")) continue;
        // A template's fixed parts ("Winter Promo ${stamp}" → "Winter Promo").
        for (const part of match[2].split(/\$\{[^}]*\}/)) {
          const text = normalize(part);
          if (text.length >= 3 && /[A-Za-z]/.test(text)) found.add(text);
        }
      }
    }
  }
  return [...found];
}
