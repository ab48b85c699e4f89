import { z } from "zod";
import type { ApiKeyPrincipal } from "@/lib/access/api-keys";
import type { OrgKind } from "@/lib/access/permissions";
import { AppError } from "@/lib/platform/errors";

/**
 * For an operation whose permission several parties hold but whose pages only some have (a network
 * holds `memberships:write` to decide, an affiliate to ask): the others get the router's 404.
 */
export function onlyFor(principal: ApiKeyPrincipal, ...kinds: OrgKind[]) {
  if (!kinds.includes(principal.orgKind)) {
    throw new AppError("not_found", "errors.api.outsideParty", { detailCode: "unknown_endpoint", values: { party: principal.orgKind } });
  }
}

type PatchShape<S extends z.ZodRawShape> = { [K in keyof S]: z.ZodOptional<S[K]> };

/**
 * A PATCH body made from the create schema: each field a client sends is parsed by that field's
 * own schema, and a field left out stays out (no default is filled in), so it keeps its stored
 * value. An unknown field is refused rather than ignored, so a misspelt name cannot look saved.
 */
export function patchOf<S extends z.ZodRawShape>(schema: z.ZodObject<S>) {
  const shape = Object.fromEntries(
    Object.entries(schema.shape).map(([name, field]) => [name, (field instanceof z.ZodDefault ? (field.unwrap() as z.ZodType) : (field as z.ZodType)).optional()]),
  );
  return z.strictObject(shape) as unknown as z.ZodObject<PatchShape<S>, z.core.$strict>;
}

/** The stored values, with what the PATCH body gave over them. */
export function patched<T extends object>(stored: T, patch: Partial<T>): T {
  return { ...stored, ...Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)) };
}
