import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

export type Catalogue = { [key: string]: string | Catalogue };

// From the project root, where vitest and Playwright both run (Playwright compiles tests without import.meta).
const MESSAGES = path.resolve(process.cwd(), "messages");

/** The area files of a language's catalogue (messages/<locale>/<area>.json), by area name. */
export function catalogueAreas(locale: string): Map<string, Catalogue> {
  const files = readdirSync(path.join(MESSAGES, locale)).filter((file) => file.endsWith(".json")).sort();
  return new Map(files.map((file) => [file.replace(/\.json$/, ""), JSON.parse(readFileSync(path.join(MESSAGES, locale, file), "utf8")) as Catalogue]));
}

/** A language's whole catalogue, as the app loads it: its areas merged. */
export function readCatalogue(locale: string): Catalogue {
  return Object.assign({}, ...catalogueAreas(locale).values());
}

/** The languages that have a catalogue. */
export function catalogueLocales(): string[] {
  return readdirSync(MESSAGES, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
}
