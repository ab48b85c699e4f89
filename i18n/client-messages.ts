import type { Messages } from "./messages";

/*
 * The messages the browser gets: only what client components translate, not the whole catalogue
 * (which every page's payload would otherwise carry: 45 KB of JSON in English, 70 KB in Russian).
 * Server components read the full catalogue on the server. A path is a namespace, dotted when a
 * client module only needs part of one. tests/unit/client-messages.test.ts walks every "use client"
 * module and what it imports, and fails when one translates outside this list.
 */
export const CLIENT_NAMESPACES = [
  "common",
  "shell", // the sign-out button
  "signIn",
  "apiKeys",
  "statuses",
  "statusChanger",
  "bulkDecision",
  "charts",
  "campaignForm",
  "postbackForm",
  "postbacks.statuses",
  "macroPalette",
  "dryRun",
  "logView",
  "logs.triggers",
  "logs.results",
  "network",
  "admin",
  "program",
  "profile",
  "errors.template", // the postback form names a template's problems as the server would
] as const;

type Catalogue = { [key: string]: unknown };

/** The part of a catalogue under the given dotted paths, nested as in the catalogue. */
export function pickMessages(messages: Catalogue, paths: readonly string[]): Catalogue {
  const picked: Catalogue = {};
  for (const path of paths) {
    const segments = path.split(".");
    let from: unknown = messages;
    for (const segment of segments) from = from && typeof from === "object" ? (from as Catalogue)[segment] : undefined;
    if (from === undefined) continue;
    let into = picked;
    for (const segment of segments.slice(0, -1)) into = (into[segment] ??= {}) as Catalogue;
    into[segments.at(-1)!] = from;
  }
  return picked;
}

/** What the root layout hands NextIntlClientProvider. */
export function clientMessages(messages: Messages): Partial<Messages> {
  return pickMessages(messages, CLIENT_NAMESPACES) as Partial<Messages>;
}
