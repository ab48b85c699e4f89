import { afterEach, describe, expect, it, vi } from "vitest";
import { getEnv, productionProblems, resetEnvForTests } from "@/lib/env";

afterEach(() => {
  vi.unstubAllEnvs();
  resetEnvForTests();
});

describe("env", () => {
  it("names what a production start lacks", () => {
    expect(productionProblems({ NODE_ENV: "production" })).toEqual([
      expect.stringContaining("AUTH_SECRET is not set"),
    ]);
    expect(productionProblems({ NODE_ENV: "production", AUTH_SECRET: "short" })).toHaveLength(1);
    expect(productionProblems({ NODE_ENV: "production", AUTH_SECRET: "a-long-enough-secret-value" })).toEqual([]);
  });

  it("falls back to the embedded database and a development secret when nothing is set", () => {
    vi.stubEnv("DATABASE_URL", "");
    vi.stubEnv("AUTH_SECRET", "");
    const env = getEnv();
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.PGLITE_DIR).toBe(".data/pglite");
    expect(env.AUTH_SECRET.length).toBeGreaterThanOrEqual(16);
  });

  it("refuses a DATABASE_URL that is not a Postgres URL, naming the variable", () => {
    vi.stubEnv("DATABASE_URL", "mysql://root@localhost/db");
    expect(() => getEnv()).toThrow(/DATABASE_URL/);
  });
});
