import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { type MessageFormatElement, parse, TYPE } from "@formatjs/icu-messageformat-parser";
import { describe, expect, it } from "vitest";
import { MESSAGE_AREAS } from "@/i18n/messages";
import { LOCALES } from "@/lib/platform/locale";
import { type Catalogue, catalogueAreas, catalogueLocales, readCatalogue } from "../helpers/catalogue";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** Every message by its dotted key, as `t()` names it. */
function flatten(catalogue: Catalogue, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(catalogue)) {
    const full = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "string") out.set(full, value);
    else for (const [k, v] of flatten(value, full)) out.set(k, v);
  }
  return out;
}

/** Each argument a message takes, with its kind (a plain value, a number, a plural, a rich-text tag…). */
function argumentsOf(elements: MessageFormatElement[], into = new Map<string, string>()): Map<string, string> {
  for (const element of elements) {
    if (element.type === TYPE.literal || element.type === TYPE.pound) continue;
    into.set(element.value, TYPE[element.type]);
    if (element.type === TYPE.plural || element.type === TYPE.select) for (const option of Object.values(element.options)) argumentsOf(option.value, into);
    if (element.type === TYPE.tag) argumentsOf(element.children, into);
  }
  return into;
}

/** The plural forms a message offers, for each of its plurals. */
function pluralsOf(elements: MessageFormatElement[], into: string[][] = []): string[][] {
  for (const element of elements) {
    if (element.type === TYPE.plural) {
      into.push(Object.keys(element.options));
      for (const option of Object.values(element.options)) pluralsOf(option.value, into);
    } else if (element.type === TYPE.select) for (const option of Object.values(element.options)) pluralsOf(option.value, into);
    else if (element.type === TYPE.tag) pluralsOf(element.children, into);
  }
  return into;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

/**
 * The English keys no code reads. A key counts as read when the code names it whole (`"nav.offers"`),
 * when a file that binds its namespace (`getTranslations("apiKeys")`, `useTranslations("shell.search")`)
 * names the rest (`"title"`), or when `t()` gets a template that builds it (`` t(`shell.parties.${kind}`) ``).
 */
function unusedKeys(keys: string[], sources: string[]): string[] {
  const namespacesBound = sources.map((text) => new Set([...text.matchAll(/Translations\(\s*"([\w.]+)"\s*\)/g)].map((m) => m[1]!)));
  const templatePrefixes = sources.flatMap((text) => [...text.matchAll(/\bt\(\s*`([\w.]+)\.\$\{/g)].map((m) => `${m[1]}.`));
  return keys.filter((key) => {
    if (sources.some((text) => text.includes(`"${key}"`))) return false;
    if (templatePrefixes.some((prefix) => key.startsWith(prefix) && !key.slice(prefix.length).includes("."))) return false;
    return !sources.some((text, i) =>
      [...namespacesBound[i]!].some((ns) => key.startsWith(`${ns}.`) && text.includes(`"${key.slice(ns.length + 1)}"`)),
    );
  });
}

const english = flatten(readCatalogue("en"));
const englishArguments = new Map([...english].map(([key, message]) => [key, argumentsOf(parse(message))]));

describe("message catalogues", () => {
  it("has one catalogue per language the app offers, English among them", () => {
    expect(catalogueLocales().sort()).toEqual([...LOCALES].sort());
    expect(english.size).toBeGreaterThan(50);
  });

  it("splits each catalogue into the areas the app loads, no namespace in two of them", () => {
    for (const locale of LOCALES) {
      const areas = catalogueAreas(locale);
      expect([...areas.keys()].sort(), locale).toEqual([...MESSAGE_AREAS].sort());
      const namespaces = [...areas.values()].flatMap((area) => Object.keys(area));
      expect(namespaces.filter((ns, i) => namespaces.indexOf(ns) !== i), `${locale}: namespaces in two areas`).toEqual([]);
    }
  });

  for (const locale of LOCALES) {
    describe(locale, () => {
      const messages = flatten(readCatalogue(locale));

      it("has exactly the English catalogue's keys", () => {
        expect([...english.keys()].filter((key) => !messages.has(key)), "missing").toEqual([]);
        expect([...messages.keys()].filter((key) => !english.has(key)), "not in English").toEqual([]);
      });

      it("has every message as valid ICU with the English message's arguments", () => {
        for (const [key, message] of messages) {
          let elements: MessageFormatElement[];
          try {
            elements = parse(message);
          } catch (error) {
            throw new Error(`${locale} ${key} is not a valid ICU message: ${(error as Error).message}`);
          }
          expect(Object.fromEntries(argumentsOf(elements)), `${locale} ${key}`).toEqual(Object.fromEntries(englishArguments.get(key) ?? []));
        }
      });

      it("gives each plural every form the language needs, and none empty", () => {
        const needed = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;
        for (const [key, message] of messages) {
          expect(message.trim(), `${locale} ${key}`).not.toBe("");
          for (const forms of pluralsOf(parse(message))) {
            expect(forms, `${locale} ${key}`).toEqual(expect.arrayContaining([...needed, "other"]));
          }
        }
      });
    });
  }

  it("is read by the code, key by key: no English key is left unused", () => {
    const sources = ["app", "components", "lib", "i18n"].flatMap((dir) => sourceFiles(path.join(ROOT, dir))).map((file) => readFileSync(file, "utf8"));
    expect(unusedKeys([...english.keys()], sources)).toEqual([]);
    // The scan itself finds an unused key, bound namespace or not.
    expect(unusedKeys(["apiKeys.notReadAnywhere", "nav.notReadAnywhere"], sources)).toEqual(["apiKeys.notReadAnywhere", "nav.notReadAnywhere"]);
  });
});
