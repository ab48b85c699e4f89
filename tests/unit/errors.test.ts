import { DrizzleQueryError } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { AppError, toAppError } from "@/lib/platform/errors";
import { errorResponse } from "@/lib/platform/http";

const withCode = (code: string) => Object.assign(new Error("boom"), { code });
// drizzle's own wrapper, as a failed query throws it (its name is plain "Error").
const drizzleFailure = (cause: Error) => new DrizzleQueryError("insert into t values ($1)", ["secret"], cause);

describe("toAppError", () => {
  it("answers 503 with a retry hint when the database connection is lost, refused or shutting down", async () => {
    const lost = [withCode("CONNECTION_CLOSED"), withCode("CONNECT_TIMEOUT"), withCode("ECONNREFUSED"), drizzleFailure(withCode("57P01")), drizzleFailure(withCode("08006"))];
    // A reset of the database's own socket, as a query reports it.
    for (const error of [...lost, drizzleFailure(withCode("CONNECTION_CLOSED")), drizzleFailure(withCode("ECONNRESET"))]) {
      const appError = toAppError(error);
      expect(appError).toMatchObject({ code: "unavailable", status: 503 });
      const response = errorResponse(appError);
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toBe("5");
      expect((await response.json()).error.code).toBe("unavailable");
    }
  });

  it("does not call a client hanging up or a protocol violation an outage", () => {
    expect(toAppError(withCode("ECONNRESET")).code).toBe("internal");
    expect(toAppError(drizzleFailure(withCode("08P01"))).code).toBe("internal");
  });

  it("keeps other database failures internal (500), without their parameters in the answer or the log", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const appError = toAppError(drizzleFailure(withCode("23505")));
    expect(JSON.stringify(logged.mock.calls)).not.toContain("secret");
    expect(JSON.stringify(logged.mock.calls)).toContain("23505");
    logged.mockRestore();
    expect(appError).toMatchObject({ code: "internal", status: 500 });
    const text = await errorResponse(appError).text();
    expect(JSON.parse(text).error.code).toBe("internal");
    expect(text).not.toContain("secret");
  });

  it("passes an AppError through unchanged", () => {
    const error = new AppError("conflict", "taken", { field: "txid" });
    expect(toAppError(error)).toBe(error);
  });
});
