import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CLIENT_NAMESPACES, clientMessages } from "@/i18n/client-messages";
import type { Messages } from "@/i18n/messages";
import { LOCALES } from "@/lib/platform/locale";
import { readCatalogue } from "../helpers/catalogue";

const ROOT = path.resolve(import.meta.dirname, "../..");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

const directive = (text: string, name: string) => new RegExp(`^(\\s*(//[^\\n]*|/\\*[\\s\\S]*?\\*/))*\\s*["']${name}["']`).test(text);

function resolveImport(from: string, specifier: string): string | null {
  const base = specifier.startsWith("@/") ? path.join(ROOT, specifier.slice(2)) : specifier.startsWith(".") ? path.resolve(path.dirname(from), specifier) : null;
  if (!base) return null; // a package
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, "index.ts"), path.join(base, "index.tsx")]) {
    if (/\.tsx?$/.test(candidate) && existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}

/**
 * Every module the browser runs: each "use client" module and what it imports (values, not types),
 * short of server actions ("use server"), which stay on the server.
 */
function clientModules(): Map<string, string> {
  const files = ["app", "components", "lib", "i18n"].flatMap((dir) => sourceFiles(path.join(ROOT, dir)));
  const queue = files.filter((file) => directive(readFileSync(file, "utf8"), "use client"));
  const seen = new Map<string, string>();
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    const text = readFileSync(file, "utf8");
    if (directive(text, "use server")) continue;
    seen.set(file, text);
    for (const match of text.matchAll(/(?:^|\n)\s*(?:import|export)\s+(?!type\s)(?:[^;'"]*?\sfrom\s+)?["']([^"']+)["']/g)) {
      const target = resolveImport(file, match[1]!);
      if (target && !seen.has(target)) queue.push(target);
    }
  }
  return seen;
}

/**
 * The catalogue paths a module translates with: each `useTranslations("ns")`, and for a root
 * `useTranslations()` each key its function is called with (a template key by its fixed part), up
 * to the next binding of the same name. `unknown` holds what the scan cannot read (a namespace in a
 * variable, a root key with no namespace fixed).
 */
function translationPaths(text: string): { paths: string[]; unknown: string[] } {
  const paths: string[] = [];
  const unknown: string[] = [];
  for (const match of text.matchAll(/\buse(Translations|Messages)\(([^)]*)\)/g)) {
    const argument = match[2]!.trim();
    if (match[1] === "Messages") unknown.push(match[0]);
    else if (/^["'][\w.]+["']$/.test(argument)) paths.push(argument.slice(1, -1));
    else if (argument !== "") unknown.push(match[0]);
  }
  for (const root of text.matchAll(/\b(?:const|let)\s+(\w+)\s*=\s*useTranslations\(\s*\)/g)) {
    const name = root[1]!;
    const start = root.index + root[0].length;
    const next = new RegExp(`\\b(?:const|let)\\s+${name}\\s*=\\s*useTranslations\\(`, "g");
    next.lastIndex = start;
    const scope = text.slice(start, next.exec(text)?.index ?? text.length);
    for (const call of scope.matchAll(new RegExp(`(?<![\\w.])${name}(?:\\.(?:rich|markup|raw|has))?\\(\\s*([^,)]*)`, "g"))) {
      const key = call[1]!.trim();
      const fixed = /^["']([\w.]+)["']$/.exec(key)?.[1] ?? /^`([\w.]*)\$\{/.exec(key)?.[1] ?? "";
      if (fixed.includes(".")) paths.push(fixed.slice(0, fixed.lastIndexOf(".")));
      else unknown.push(call[0]);
    }
  }
  return { paths, unknown };
}

const covers = (listed: string, used: string) => used === listed || used.startsWith(`${listed}.`);

describe("the messages sent to the browser", () => {
  const modules = clientModules();
  const scans = [...modules].map(([file, text]) => ({ where: path.relative(ROOT, file), ...translationPaths(text) }));
  const uses = scans.flatMap(({ where, paths }) => paths.map((used) => ({ used, where })));

  it("can read every translation in the browser's modules", () => {
    const unreadable = scans.filter((scan) => scan.unknown.length > 0).map(({ where, unknown }) => ({ where, unknown }));
    expect(unreadable, "bind a namespace with a literal (useTranslations(\"ns\")) or name root keys whole").toEqual([]);
  });

  it("finds the client modules and what they translate", () => {
    expect([...modules.keys()].map((file) => path.relative(ROOT, file))).toEqual(expect.arrayContaining(["components/log-view.tsx", "components/status-badge.tsx", "components/dry-run-panel.tsx"]));
    expect(uses.map((u) => u.used)).toEqual(expect.arrayContaining(["logView", "logs.triggers", "statuses", "errors.template", "dryRun"]));
  });

  it("covers every namespace a client module translates with", () => {
    const missing = uses.filter(({ used }) => !CLIENT_NAMESPACES.some((listed) => covers(listed, used)));
    expect(missing, "add these to CLIENT_NAMESPACES in i18n/client-messages.ts").toEqual([]);
  });

  it("lists nothing no client module needs, and nothing the catalogue lacks", () => {
    const english = readCatalogue("en");
    for (const listed of CLIENT_NAMESPACES) {
      expect(uses.some(({ used }) => covers(listed, used)), `${listed} is read by no client module`).toBe(true);
      expect(listed.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)?.[key], english), `${listed} in the catalogue`).toBeDefined();
    }
  });

  it("reads root-bound keys and refuses what it cannot read", () => {
    const sample = 'const t = useTranslations();\nt("admin.columns.name"); t.has(`logs.results.${r}`); t(label);\nuseTranslations(ns);';
    expect(translationPaths(sample)).toEqual({ paths: ["admin.columns", "logs.results"], unknown: ["useTranslations(ns)", "t(label"] });
  });

  it("sends a part of each language's catalogue, nested as in the catalogue", () => {
    for (const locale of LOCALES) {
      const all = readCatalogue(locale) as unknown as Messages;
      const sent = clientMessages(all);
      expect(sent.logView, locale).toEqual(all.logView);
      expect(sent.logs?.triggers, locale).toEqual(all.logs.triggers);
      expect(Object.keys(sent.logs!), locale).toEqual(["triggers", "results"]);
      expect(sent.timeline, locale).toBeUndefined();
      expect(JSON.stringify(sent).length, locale).toBeLessThan(JSON.stringify(all).length * 0.6);
    }
  });
});
