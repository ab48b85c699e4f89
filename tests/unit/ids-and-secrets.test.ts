import { describe, expect, it } from "vitest";
import { createId, randomToken } from "@/lib/platform/ids";
import { generateSecret, hashSecret, hashPassword, secretMatches, verifyPassword } from "@/lib/access/secrets";

describe("ids", () => {
  it("are prefixed, URL-safe and do not repeat", () => {
    const ids = new Set(Array.from({ length: 5000 }, () => createId("click")));
    expect(ids.size).toBe(5000);
    for (const id of ids) expect(id).toMatch(/^clk_[A-Za-z0-9_-]{22}$/);
    expect(encodeURIComponent([...ids][0])).toBe([...ids][0]);
  });

  it("keep their length and do not repeat when sizes mix across refills of the random pool", () => {
    const tokens = Array.from({ length: 3000 }, (_, n) => randomToken([16, 24, 7, 5000][n % 4]));
    expect(new Set(tokens).size).toBe(3000);
    tokens.forEach((token, n) => expect(Buffer.from(token, "base64url").length).toBe([16, 24, 7, 5000][n % 4]));
  });
});

describe("secrets", () => {
  it("match only the secret they were made from", () => {
    const secret = generateSecret("whsec");
    const stored = hashSecret(secret);
    expect(stored).not.toContain(secret);
    expect(secretMatches(secret, stored)).toBe(true);
    expect(secretMatches(`${secret}x`, stored)).toBe(false);
    expect(secretMatches("", stored)).toBe(false);
  });

  it("hashes passwords so that only the right one verifies", async () => {
    const hash = await hashPassword("correct horse");
    expect(hash.startsWith("$2")).toBe(true);
    expect(await verifyPassword("correct horse", hash)).toBe(true);
    expect(await verifyPassword("Correct horse", hash)).toBe(false);
  });
});
