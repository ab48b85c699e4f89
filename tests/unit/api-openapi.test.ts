import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { openApiDocument } from "@/lib/api/openapi";
import { API_OPERATIONS } from "@/lib/api/operations";

describe("the management API's OpenAPI document", () => {
  const document = openApiDocument(API_OPERATIONS, "https://postline.example.com");

  it("is a valid OpenAPI 3.1 document", async () => {
    const validator = new Validator();
    const result = await validator.validate(JSON.parse(JSON.stringify(document))); // as served
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
  });

  it("describes every operation the router answers, with its request schema", () => {
    for (const op of API_OPERATIONS) {
      const described = (document.paths as Record<string, Record<string, { operationId: string }>>)[op.path]?.[op.method];
      expect(described?.operationId, `${op.method} ${op.path}`).toBe(op.id);
    }
    const create = (document.paths as any)["/postbacks"].post;
    const body = create.requestBody.content["application/json"].schema;
    expect(JSON.stringify(body)).toContain("urlTemplate");
  });
});
