import type { z } from "zod";
import { issueKey } from "./error-messages";
import { AppError } from "./errors";

/**
 * Parses a server action's or an API request's input with its zod schema. Postgres text cannot
 * hold U+0000: it is refused here, by field, rather than fail deep in a query. zod's own issues
 * carry a `validation` key for the edge to put in the reader's language.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const raw = input instanceof FormData ? formDataToObject(input) : input;
  if (raw && typeof raw === "object") {
    for (const [field, value] of Object.entries(raw)) {
      if ([value].flat().some((v) => typeof v === "string" && v.includes("\u0000"))) {
        throw new AppError("invalid_input", "errors.input.nulCharacter", { field });
      }
    }
  }
  return schema.parse(raw, { error: issueKey });
}

/** Form fields are strings; a field sent several times (checkboxes) becomes an array. */
export function formDataToObject(form: FormData): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(form.keys())) {
    if (key.startsWith("$ACTION")) continue;
    const values = form.getAll(key).filter((v): v is string => typeof v === "string");
    out[key] = values.length > 1 ? values : (values[0] ?? "");
  }
  return out;
}
