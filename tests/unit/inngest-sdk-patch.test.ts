import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";

// inngest/patch-sdk-env-lookup.mjs (postinstall) rewrites how the SDK reads its settings; the SDK
// must still see exactly its own variables, with their current values.
const sdkEnv = path.join(process.cwd(), "node_modules/inngest/helpers/env.js");

afterEach(() => vi.unstubAllEnvs());

describe("the Inngest SDK's settings lookup (patched at install)", () => {
  it("is patched, in the ES module and the CommonJS build", () => {
    expect(readFileSync(sdkEnv, "utf8")).toContain("postline: env lookup patch");
    expect(readFileSync(sdkEnv.replace(/\.js$/, ".cjs"), "utf8")).toContain("postline: env lookup patch");
  });

  it("reads the SDK's own variables as they are now, and nothing else", async () => {
    const { getProcessEnv } = (await import(sdkEnv)) as { getProcessEnv: () => Record<string, string> };
    vi.stubEnv("INNGEST_SIGNING_KEY", "signkey-test-1");
    vi.stubEnv("INNGEST_ENV", "preview");
    vi.stubEnv("POSTLINE_UNRELATED", "x");
    const env = getProcessEnv();
    expect(env.INNGEST_SIGNING_KEY).toBe("signkey-test-1");
    expect(env.INNGEST_ENV).toBe("preview");
    expect(env).not.toHaveProperty("POSTLINE_UNRELATED");
    expect(env).not.toHaveProperty("PATH");
    vi.stubEnv("INNGEST_SIGNING_KEY", "signkey-test-2");
    expect(getProcessEnv().INNGEST_SIGNING_KEY).toBe("signkey-test-2");
    // The SDK's own guard against leaking the values stays.
    expect(JSON.stringify(getProcessEnv())).toBe("{}");
  });
});
