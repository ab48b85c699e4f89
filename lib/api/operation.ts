import type { z } from "zod";
import type { Database } from "@/db/client";
import type { ApiKeyPrincipal } from "@/lib/access/api-keys";
import type { Permission } from "@/lib/access/permissions";

type AnyObject = z.ZodObject<z.ZodRawShape>;

export type ApiContext = {
  db: Database;
  /** The key's organization and role; queries scope by it (`orgId`, `orgKind`). */
  principal: ApiKeyPrincipal;
  /** Work to run once the answer is on its way (Next's `after`): waking what a write committed. */
  after: (work: () => Promise<void>) => void;
};

export type OperationInput<P extends AnyObject | undefined, Q extends AnyObject | undefined, B extends z.ZodType | undefined> = {
  params: P extends AnyObject ? z.output<P> : Record<string, never>;
  query: Q extends AnyObject ? z.output<Q> : Record<string, never>;
  body: B extends z.ZodType ? z.output<B> : undefined;
};

/**
 * One endpoint of the management API: where it lives, who may call it (a permission of the one
 * table), its zod schemas, and the core function it calls. The router and the OpenAPI document
 * are both made from these, so the reference cannot drift from what the server does.
 */
export type Operation<
  P extends AnyObject | undefined = AnyObject | undefined,
  Q extends AnyObject | undefined = AnyObject | undefined,
  B extends z.ZodType | undefined = z.ZodType | undefined,
  R extends z.ZodType = z.ZodType,
> = {
  id: string;
  method: "get" | "post" | "patch" | "delete";
  /** OpenAPI style, under /api/v1: `/offers/{id}`. */
  path: string;
  summary: string;
  description?: string;
  tag: string;
  permission: Permission;
  params?: P;
  query?: Q;
  body?: B;
  response: R;
  /**
   * Fields of the answer that hold a secret shown once (a new endpoint's secret). The answer kept
   * for an Idempotency-Key repeat has them as null: no secret is stored in clear.
   */
  secretFields?: string[];
  /** 200 unless said (201 for a creation). */
  status?: 200 | 201 | 202;
  handler: (input: OperationInput<P, Q, B>, ctx: ApiContext) => Promise<z.input<R>>;
};

/** Declares an operation with its types checked against its schemas. */
export function operation<P extends AnyObject | undefined, Q extends AnyObject | undefined, B extends z.ZodType | undefined, R extends z.ZodType>(
  definition: Operation<P, Q, B, R>,
): Operation {
  return definition as unknown as Operation;
}
