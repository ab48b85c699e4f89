import type { Locale } from "@/lib/platform/locale";
import type activity from "@/messages/en/activity.json";
import type core from "@/messages/en/core.json";
import type errors from "@/messages/en/errors.json";
import type logs from "@/messages/en/logs.json";
import type network from "@/messages/en/network.json";
import type postbacks from "@/messages/en/postbacks.json";
import type profile from "@/messages/en/profile.json";
import type program from "@/messages/en/program.json";

/*
 * Each language's catalogue is split by area (messages/<locale>/<area>.json) so that a page's
 * strings live beside the others of its area; the areas' top-level namespaces never overlap
 * (the catalogue test checks). A new area is a file in every language and a name here.
 */
export const MESSAGE_AREAS = ["core", "errors", "postbacks", "logs", "network", "program", "activity", "profile"] as const;

/** The English catalogue's shape: a key missing from it, or a typo in one, fails `tsc`. */
export type Messages = typeof core & typeof errors & typeof postbacks & typeof logs & typeof network & typeof program & typeof activity & typeof profile;

export async function loadMessages(locale: Locale): Promise<Messages> {
  const parts = await Promise.all(MESSAGE_AREAS.map((area) => import(`../messages/${locale}/${area}.json`)));
  return Object.assign({}, ...parts.map((part) => part.default)) as Messages;
}
