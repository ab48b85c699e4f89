import { z } from "zod";
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from "zod-openapi";
import { getEnv } from "@/lib/platform/env";
import { API_PREFIX } from "./handle";
import type { Operation } from "./operation";

const errorSchema = z
  .object({
    ok: z.literal(false),
    error: z.object({
      code: z.string().meta({ description: "Stable, for programs: `invalid_input`, `not_found`, `read_only_key`, `idempotency_key_reused`…" }),
      message: z.string().meta({ description: "For people; may change." }),
      field: z.string().optional().meta({ description: "The field at fault, when one is." }),
    }),
  })
  .meta({ id: "Error" });

const errorResponse = (description: string) => ({ description, content: { "application/json": { schema: errorSchema } } });

/**
 * The OpenAPI 3.1 document, made from the operations' own zod schemas by zod-openapi: the same
 * schemas the router parses with, so the reference describes what the server does.
 */
export function openApiDocument(operations: Operation[], serverUrl: string) {
  const paths: ZodOpenApiPathsObject = {};
  for (const op of operations) {
    const entry: ZodOpenApiOperationObject = {
      operationId: op.id,
      summary: op.summary,
      ...(op.description ? { description: op.description } : {}),
      tags: [op.tag],
      "x-permission": op.permission,
      requestParams: { ...(op.params ? { path: op.params } : {}), ...(op.query ? { query: op.query } : {}) },
      ...(op.method === "post"
        ? {
            parameters: [
              {
                name: "Idempotency-Key",
                in: "header" as const,
                required: false,
                description: "Repeat a POST safely: the same key and body answer the first result (for a day); another body is a 409.",
                schema: { type: "string" as const, maxLength: 255 },
              },
            ],
          }
        : {}),
      ...(op.body ? { requestBody: { required: true, content: { "application/json": { schema: op.body } } } } : {}),
      responses: {
        [String(op.status ?? 200)]: { description: "Success.", content: { "application/json": { schema: op.response } } },
        "401": errorResponse("No key, or a key that is unknown, revoked or expired."),
        "403": errorResponse("A read-only key asked for a change."),
        "404": errorResponse("No such resource in your organization (another organization's ids answer the same)."),
        ...(op.method === "post" ? { "409": errorResponse("The Idempotency-Key was used with another body, or its first request is still running.") } : {}),
        "422": errorResponse("A field is not valid: `error.field` names it."),
        "429": errorResponse(`More than ${getEnv().API_REQUESTS_PER_MINUTE} requests a minute with this key; see Retry-After.`),
      },
    };
    paths[op.path] = { ...paths[op.path], [op.method]: entry };
  }
  return createDocument(
    {
      openapi: "3.1.0",
      info: {
        title: "Postline management API",
        version: "1.0.0",
        description:
          "Every party's workspace over REST. Authenticate with an API key from your workspace's API keys page: `Authorization: Bearer <key>`. " +
          "Lists page by cursor (`limit`, `cursor` → `nextCursor`). Rate limit per key, told by the `RateLimit-*` headers.",
      },
      servers: [{ url: `${serverUrl}${API_PREFIX}` }],
      security: [{ apiKey: [] }],
      components: { securitySchemes: { apiKey: { type: "http", scheme: "bearer", description: "An API key from the workspace's API keys page." } } },
      paths,
    },
    {
      // Times are Date objects on the server and ISO strings on the wire.
      override: ({ jsonSchema, zodSchema, io }) => {
        if (zodSchema._zod.def.type === "date" && io === "output") {
          jsonSchema.type = "string";
          jsonSchema.format = "date-time";
        }
      },
    },
  );
}
