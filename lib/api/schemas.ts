import { z } from "zod";

/**
 * Building blocks of the API's response schemas. Times leave as ISO 8601 strings; ids are the
 * prefixed ids the pages show.
 */
export const timestamp = z.coerce.date().meta({ description: "ISO 8601 time (UTC)." });
export const id = (description: string) => z.string().min(1).max(64).meta({ description });
export const idParams = z.object({ id: id("The resource's id.") });
export const money = z.coerce.number().meta({ description: "An amount in the offer's currency." });
export const okSchema = z.object({ ok: z.literal(true) });

/** One of these words: documented as an enum, read from the lib's rows typed as plain strings. */
export const oneOf = <const T extends readonly [string, ...string[]]>(values: T) => z.string().pipe(z.enum(values));
