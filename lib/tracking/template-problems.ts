import { type ErrorKey, type MessageValues, translateError } from "@/lib/platform/error-messages";
import { DEFAULT_LOCALE } from "@/lib/platform/locale";
import { findBraceProblem, findUnknownMacros, type TemplateSyntax } from "./macros";

/*
 * Template problems as the server refuses them: English for logs and tests, with the errors
 * catalogue's key and values for the edge to say them in the reader's language. Apart from the
 * macro engine, which the postback form's browser code imports, so that the catalogues stay out
 * of the browser bundle.
 */

/** A template problem in English, with the errors catalogue's key and values that say it in a reader's language. */
export type DescribedProblem = { message: string; key: ErrorKey; values: MessageValues };

export function describedProblem(key: ErrorKey, values: MessageValues): DescribedProblem {
  return { message: translateError(DEFAULT_LOCALE, key, values), key, values };
}

/** A template's first problem (braces, then unknown macros), in a header's value when `header` names it; null when it is sound. */
export function templateProblem(template: string, syntax: TemplateSyntax = "url", header = "none"): DescribedProblem | null {
  const brace = findBraceProblem(template, syntax);
  if (brace) return describedProblem("errors.template.brace", { header, kind: brace.kind, text: brace.text, position: brace.index + 1 });
  const unknown = findUnknownMacros(template);
  if (unknown.length === 0) return null;
  if (unknown.length > 1) return describedProblem("errors.template.unknownMacros", { header, macros: unknown.map((u) => `{${u.macro}}`).join(", ") });
  const [{ macro, suggestion }] = unknown;
  return describedProblem("errors.template.unknownMacro", { header, macro: `{${macro}}`, suggestion: suggestion ? `{${suggestion}}` : "none" });
}
