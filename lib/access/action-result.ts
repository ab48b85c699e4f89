import { z } from "zod";
import { issueMessage } from "@/lib/platform/error-messages";
import { type ErrorBody, toAppError } from "@/lib/platform/errors";
import type { Locale } from "@/lib/platform/locale";

/** An action's refusal: the first problem as `field` and `message`, and every invalid field's message in `fields`. */
export type ActionError = ErrorBody & { fields?: Record<string, string> };
export type ActionResult<T = void> = { ok: true; data: T } | { ok: false; error: ActionError };

/** A refusal as the form shows it, in the reader's language: the code and the fields stay as they are. */
export function actionError(error: unknown, locale: Locale): ActionError {
  const body = toAppError(error).toBody(locale);
  return error instanceof z.ZodError ? { ...body, fields: fieldMessages(error, locale) } : body;
}

/** Every field the input got wrong, each with its first message, so that a form marks them all at once. */
function fieldMessages(error: z.ZodError, locale: Locale): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = issue.path.join(".");
    if (field && !Object.hasOwn(fields, field)) fields[field] = issueMessage(issue, locale);
  }
  return fields;
}
