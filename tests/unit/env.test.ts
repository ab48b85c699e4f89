import { afterEach, describe, expect, it, vi } from "vitest";
import { getEnv, productionProblems, resetEnvForTests } from "@/lib/platform/env";

afterEach(() => {
  vi.unstubAllEnvs();
  resetEnvForTests();
});

describe("env", () => {
  it("names what a production start lacks", () => {
    const good = { NODE_ENV: "production", AUTH_SECRET: "a-long-enough-secret-value", INNGEST_EVENT_KEY: "e", INNGEST_SIGNING_KEY: "signkey-prod-1" } as const;
    expect(productionProblems(good)).toEqual([]);
    expect(productionProblems({ ...good, AUTH_SECRET: undefined })).toEqual([expect.stringContaining("AUTH_SECRET is not set")]);
    expect(productionProblems({ ...good, AUTH_SECRET: "short" })).toHaveLength(1);
    expect(productionProblems({ ...good, VERCEL: "1" })).toEqual([expect.stringContaining("DATABASE_URL is not set")]);
    expect(productionProblems({ ...good, VERCEL: "1", DATABASE_URL: "postgres://db/x" })).toEqual([]);
    expect(productionProblems({ ...good, INNGEST_SIGNING_KEY: undefined })).toEqual([expect.stringContaining("not one of them")]);
  });

  it("refuses a production start with a setting that is present but not valid, naming it", () => {
    const good = { NODE_ENV: "production", AUTH_SECRET: "a-long-enough-secret-value", POSTLINE_DISPATCH: "local" } as const;
    expect(productionProblems({ ...good, AUTH_SECRET: "short" })).toEqual([expect.stringMatching(/^AUTH_SECRET: shorter than 16 characters/)]);
    expect(productionProblems({ ...good, DATABASE_URL: "postgres//db:5432/x" })).toEqual([expect.stringMatching(/^DATABASE_URL: not a Postgres URL/)]);
    expect(productionProblems({ ...good, DATABASE_URL: "mysql://db/x" })).toEqual([expect.stringMatching(/^DATABASE_URL: not a Postgres URL/)]);
    expect(productionProblems({ ...good, DELIVERY_TIMEOUT_MS: "soon" })).toEqual([expect.stringMatching(/^DELIVERY_TIMEOUT_MS: /)]);
  });

  it("lets the embedded dispatcher run in production only when asked, and never on a serverless host", () => {
    const base = { NODE_ENV: "production", AUTH_SECRET: "a-long-enough-secret-value" } as const;
    expect(productionProblems(base)).toEqual([expect.stringContaining("POSTLINE_DISPATCH=local")]);
    expect(productionProblems({ ...base, POSTLINE_DISPATCH: "local" })).toEqual([]);
    expect(productionProblems({ ...base, POSTLINE_DISPATCH: "local", VERCEL: "1", DATABASE_URL: "postgres://db/x" })).toEqual([expect.stringContaining("cannot run the embedded dispatcher")]);
  });

  it("refuses an opened SSRF guard in production unless it is acknowledged", () => {
    const base = { NODE_ENV: "production", AUTH_SECRET: "a-long-enough-secret-value", POSTLINE_DISPATCH: "local", POSTBACK_ALLOWED_ADDRESSES: "10.0.0.0/8" } as const;
    expect(productionProblems(base)).toEqual([expect.stringContaining("POSTBACK_ALLOWED_ADDRESSES opens the SSRF guard")]);
    expect(productionProblems({ ...base, POSTBACK_ALLOWED_ADDRESSES_IN_PRODUCTION: "1" })).toEqual([]);
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
